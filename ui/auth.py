"""Optional login for a shared UI: users with scrypt-hashed passwords, from a file or the env.

A users file holds one `name:hash` line per user (`#` starts a comment); `ui.users` (e.g.
`CITECHAT_UI__USERS`) holds the same entries separated by commas. Hashes are
`scrypt$N$r$p$salt$key` (standard library only); `citechat ui --add-user NAME` writes them.
Login is off on a loopback address unless users are configured, and required elsewhere.

>>> stored = hash_password("correct horse", n=2**4)
>>> verify_password("correct horse", stored), verify_password("wrong", stored)
(True, False)
>>> parse_users("ann:" + stored + "\\n# a comment\\n", "users.txt") == {"ann": stored}
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import time
from pathlib import Path

from rag.core.errors import ConfigError
from rag.core.settings import UISettings

SCHEME = "scrypt"
COST = 2**14  # scrypt N: about 16 MB and 50 ms per check on a laptop
_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
FAILED_LOGIN_DELAY_S = 0.5  # a wrong password costs the guesser half a second


def hash_password(password: str, *, n: int = COST, r: int = 8, p: int = 1) -> str:
    """`password` as `scrypt$N$r$p$salt$key` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return "$".join([SCHEME, str(n), str(r), str(p), _b64(salt), _b64(key)])


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches `stored` (a malformed hash never matches)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != SCHEME:
            return False
        got = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(_unb64(key)), maxmem=2**26)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _unb64(key))


def parse_users(text: str, origin: str, separator: str = "\n") -> dict[str, str]:
    """`name:hash` entries (one per line, or per `separator`); ConfigError naming `origin`
    and the entry for a bad one."""
    users: dict[str, str] = {}
    for number, raw in enumerate(text.split(separator), start=1):
        entry = raw.split("#", 1)[0].strip() if separator == "\n" else raw.strip()
        if not entry:
            continue
        name, _, stored = entry.partition(":")
        if not _NAME.match(name) or not stored.startswith(SCHEME + "$"):
            raise ConfigError(f"{origin}: entry {number} is not 'name:scrypt$…' (make one with "
                              "`citechat ui --add-user NAME`)")
        users[name] = stored
    return users


def load_users(settings: UISettings) -> dict[str, str]:
    """The users of `ui.users_file` and `ui.users` together (empty: no login)."""
    users: dict[str, str] = {}
    if settings.users_file is not None:
        try:
            text = settings.users_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read ui.users_file {settings.users_file}: "
                              f"{exc.strerror}") from None
        users.update(parse_users(text, str(settings.users_file)))
    if settings.users is not None:
        users.update(parse_users(settings.users.get_secret_value(), "ui.users", ","))
    return users


def add_user(path: Path, name: str, password: str) -> None:
    """Add `name` to the users file at `path` (replacing its old entry), readable by you only."""
    if not _NAME.match(name):
        raise ConfigError(f"user name {name!r}: use 1-64 letters, digits and . _ @ -")
    if len(password) < 8:
        raise ConfigError("the password is too short: use at least 8 characters")
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if line.split(":", 1)[0].strip() != name]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join([*kept, f"{name}:{hash_password(password)}"]) + "\n")
    path.chmod(0o600)


class Login:
    """Gradio's `auth` callable: True for a known user with the right password. An unknown
    name costs as much as a wrong password, so names cannot be probed by timing."""

    def __init__(self, users: dict[str, str]) -> None:
        self._users = dict(users)
        self._dummy = hash_password(secrets.token_hex(8))

    def __call__(self, username: str, password: str) -> bool:
        ok = verify_password(password, self._users.get(username, self._dummy))
        ok = ok and username in self._users
        if not ok:
            time.sleep(FAILED_LOGIN_DELAY_S)
        return ok


def is_loopback(host: str) -> bool:
    """Whether `host` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, users: dict[str, str]) -> str | None:
    """None when serving on `host` is fine as configured; a warning to log when it is allowed
    but worth knowing; a ConfigError when it must not start (no login off this machine)."""
    if is_loopback(host):
        return None
    if not users:
        raise ConfigError(
            f"the UI would listen on {host}, reachable from other machines, without a login. "
            "Add users first: `citechat ui --add-user NAME --users FILE` (or set ui.users_file "
            "/ CITECHAT_UI__USERS_FILE, or ui.users / CITECHAT_UI__USERS), or listen on "
            "127.0.0.1 (--host 127.0.0.1)")
    return (f"the UI listens on {host} with a login for {len(users)} user(s); it speaks plain "
            "HTTP, so put it behind a TLS proxy before passwords cross a network you do not trust")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

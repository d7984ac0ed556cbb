"""Optional login: hashed passwords, users from a file or the env, and `citechat ui` refusing to
listen off this machine without one."""

from __future__ import annotations

import argparse
import io
import stat

import pytest

import ui.auth
from rag.cli import ui as ui_cli
from rag.cli.common import common_flags
from rag.core.errors import ConfigError
from rag.core.settings import load_settings
from ui.auth import (
    Login,
    add_user,
    check_exposure,
    hash_password,
    is_loopback,
    load_users,
    parse_users,
    verify_password,
)

FAST = {"n": 2**4}  # a cheap scrypt cost for tests; the default is 2**14


def test_a_password_hash_verifies_only_its_password_and_is_salted():
    stored = hash_password("open sesame", **FAST)
    assert stored.startswith("scrypt$16$8$1$") and "open sesame" not in stored
    assert verify_password("open sesame", stored)
    assert not verify_password("open sesame!", stored)
    assert hash_password("open sesame", **FAST) != stored


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$x$8$1$aa$bb", "md5$1$2$3$4$5",
                                    "scrypt$16$8$1$!!$??"])
def test_a_malformed_hash_never_matches(stored):
    assert verify_password("anything", stored) is False


def test_users_come_from_a_file_and_the_environment(tmp_path, monkeypatch):
    users_file = tmp_path / "users"
    add_user(users_file, "ann", "correct horse")
    add_user(users_file, "bob", "battery staple")
    add_user(users_file, "ann", "new password")  # replaces ann's line
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    assert users_file.read_text().count("ann:") == 1
    monkeypatch.setenv("CITECHAT_UI__USERS", f"cat:{hash_password('meow meow', **FAST)}")
    settings = load_settings(data_dir=tmp_path, ui={"users_file": str(users_file)})
    users = load_users(settings.ui)
    assert sorted(users) == ["ann", "bob", "cat"]
    assert verify_password("new password", users["ann"])
    assert "meow" not in repr(settings.ui)  # the env entries are a secret


def test_bad_entries_and_passwords_are_refused_with_the_fix(tmp_path):
    with pytest.raises(ConfigError, match="users.txt: entry 2 is not 'name:scrypt"):
        parse_users(f"ann:{hash_password('x' * 8, **FAST)}\nbob:plaintext\n", "users.txt")
    with pytest.raises(ConfigError, match="too short"):
        add_user(tmp_path / "u", "ann", "short")
    with pytest.raises(ConfigError, match="user name"):
        add_user(tmp_path / "u", "ann:admin", "long enough")
    with pytest.raises(ConfigError, match="cannot read ui.users_file"):
        load_users(load_settings(data_dir=tmp_path, ui={"users_file": str(tmp_path / "no")}).ui)


def test_login_checks_name_and_password_and_slows_down_failures(monkeypatch):
    monkeypatch.setattr(ui.auth, "FAILED_LOGIN_DELAY_S", 0)
    login = Login({"ann": hash_password("correct horse", **FAST)})
    assert login("ann", "correct horse") is True
    assert login("ann", "wrong") is False
    assert login("nobody", "correct horse") is False


def test_loopback_needs_no_login_anywhere_else_does():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert check_exposure("127.0.0.1", {}) is None
    with pytest.raises(ConfigError) as refused:
        check_exposure("0.0.0.0", {})
    assert "--add-user" in str(refused.value) and "ui.users_file" in str(refused.value)
    assert "CITECHAT_UI__USERS" in str(refused.value)
    warning = check_exposure("0.0.0.0", {"ann": "scrypt$…"})
    assert warning and "plain HTTP" in warning and "1 user" in warning


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="citechat")
    ui_cli.register(parser.add_subparsers(dest="command", required=True), common_flags())
    return parser.parse_args(argv)


def test_citechat_ui_refuses_an_open_address_without_users(tmp_path):
    args = _parse(["ui", "--data-dir", str(tmp_path), "--host", "0.0.0.0"])
    with pytest.raises(ConfigError, match="without a login"):
        args.run(args)


def test_citechat_ui_adds_users_then_serves_them_a_login(tmp_path, monkeypatch, capsys):
    pytest.importorskip("gradio")
    import ui.app

    users_file = tmp_path / "users"
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    args = _parse(["ui", "--data-dir", str(tmp_path), "--users", str(users_file),
                   "--add-user", "ann"])
    assert args.run(args) == 0 and "saved user ann" in capsys.readouterr().out
    calls = []
    monkeypatch.setattr(ui.app, "launch_ui", lambda app, host, port, users=None: calls.append(
        (host, port, sorted(users or {}))))
    args = _parse(["ui", "--data-dir", str(tmp_path), "--users", str(users_file),
                   "--host", "0.0.0.0", "--port", "7999"])
    assert args.run(args) == 0
    assert calls == [("0.0.0.0", 7999, ["ann"])]
    assert "login for 1 user(s)" in capsys.readouterr().out


def test_add_user_needs_a_users_file(tmp_path):
    args = _parse(["ui", "--data-dir", str(tmp_path), "--add-user", "ann"])
    with pytest.raises(ConfigError, match="--users FILE"):
        args.run(args)

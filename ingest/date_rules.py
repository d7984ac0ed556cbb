"""Dates the person ingesting gives: `--date-from RULE` and `--publish-date DAY`.

A rule says where an archive keeps its dates: `filename:PATTERN` (a strftime-like pattern
searched in the file's path under the folder given, e.g. `filename:%Y-%m-%d` for
`2020-01-12-ferry.txt` or `filename:%Y/%m/%d` for `2020/01/12/ferry.html`), or
`front-matter:KEY` (the front-matter field KEY). Where a rule finds a date it wins over the
dates citechat guesses; `--publish-date` dates only the documents in which nothing was found,
instead of the file's modification time.

>>> rules = DateRules.parse(date_from="filename:%Y%m%d")
>>> rules.find("2020/20200112_ferry.txt", {})
datetime.date(2020, 1, 12)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from rag.core.errors import ConfigError
from rag.text.dates import parse_date

_MONTH_NAMES = r"[A-Za-z]{3,9}\.?"
_DIRECTIVES = {
    "Y": r"(?P<year>(?:19|20)\d{2})", "y": r"(?P<yy>\d{2})", "m": r"(?P<month>\d{1,2})",
    "d": r"(?P<day>\d{1,2})", "b": rf"(?P<mon>{_MONTH_NAMES})", "B": rf"(?P<mon>{_MONTH_NAMES})",
}  # fmt: skip
_HINT = "--date-from takes filename:PATTERN (e.g. filename:%Y-%m-%d) or front-matter:KEY"


@dataclass(frozen=True)
class DateRules:
    """How to date what the documents do not date themselves (see the module docstring)."""

    publish_date: date | None = None
    filename: re.Pattern[str] | None = None
    front_matter_key: str | None = None
    rule: str = ""

    @classmethod
    def parse(cls, date_from: str | None = None, publish_date: date | None = None) -> DateRules:
        """Rules from the CLI's text; raises `ConfigError` naming the flag and its forms."""
        if not date_from:
            return cls(publish_date=publish_date)
        kind, sep, value = date_from.partition(":")
        if kind == "front-matter" and sep and value.strip():
            return cls(publish_date, front_matter_key=value.strip().lower(), rule=date_from)
        if kind == "filename" and sep and value:
            return cls(publish_date, filename=_compile(value), rule=date_from)
        raise ConfigError(f"--date-from {date_from!r}: {_HINT}")

    def find(self, relative_path: str, fields: Mapping[str, str]) -> date | None:
        """The date this rule finds for a file (its path under the folder given, its front
        matter); None when the rule is not set or finds nothing."""
        if self.front_matter_key:
            return parse_date(fields.get(self.front_matter_key, ""))
        if self.filename:
            for match in self.filename.finditer(relative_path):
                found = _to_date(match)
                if found:
                    return found
        return None


def _compile(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(%.)", pattern)
    regex = "".join(_directive(p, pattern) if p.startswith("%") else re.escape(p) for p in parts)
    needed = ("year" in regex or "yy" in regex) and ("month" in regex or "mon" in regex)
    if not needed or "day" not in regex:
        raise ConfigError(f"--date-from filename:{pattern}: the pattern needs a year (%Y), a "
                          f"month (%m or %b) and a day (%d); {_HINT}")
    try:
        return re.compile(rf"(?<![0-9]){regex}(?![0-9])", re.IGNORECASE)
    except re.error as exc:  # a directive given twice
        raise ConfigError(f"--date-from filename:{pattern}: {exc}; {_HINT}") from None


def _directive(part: str, pattern: str) -> str:
    if part == "%%":
        return "%"
    if part[1] not in _DIRECTIVES:
        raise ConfigError(f"--date-from filename:{pattern}: unknown {part} "
                          "(use %Y %y %m %b %d)")
    return _DIRECTIVES[part[1]]


def _to_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    year = groups.get("year") or f"20{groups['yy']}"
    if groups.get("mon"):
        return parse_date(f"{groups['day']} {groups['mon']} {year}")
    try:
        return date(int(year), int(groups["month"]), int(groups["day"]))
    except ValueError:
        return None

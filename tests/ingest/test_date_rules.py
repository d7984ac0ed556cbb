"""--date-from rules and --publish-date: dates the person ingesting gives, checked at once."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.date_rules import DateRules
from rag.core.errors import ConfigError


@pytest.mark.parametrize(
    ("rule", "path", "expected"),
    [
        ("filename:%Y-%m-%d", "2020-01-13-ferry.txt", date(2020, 1, 13)),
        ("filename:%Y/%m/%d", "archive/2020/01/13/ferry.html", date(2020, 1, 13)),
        ("filename:%Y%m%d", "000_20200113_ferry.txt", date(2020, 1, 13)),
        ("filename:%d.%m.%y", "ferry 13.01.20.md", date(2020, 1, 13)),
        ("filename:%d-%b-%Y", "ferry-13-Jan-2020.txt", date(2020, 1, 13)),
        ("filename:%Y-%m-%d", "ferry.txt", None),
        ("filename:%Y-%m-%d", "2020-02-30-ferry.txt", None),
    ],
)
def test_filename_rules(rule: str, path: str, expected: date | None) -> None:
    assert DateRules.parse(rule).find(path, {}) == expected


def test_front_matter_rule_reads_the_named_key() -> None:
    rules = DateRules.parse("front-matter:Created")
    assert rules.find("a.md", {"created": "2020-01-13"}) == date(2020, 1, 13)
    assert rules.find("a.md", {"date": "2020-01-13"}) is None


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("mtime", "filename:PATTERN"),
        ("filename:", "filename:PATTERN"),
        ("filename:%Y-%m", "needs a year"),
        ("filename:%Y-%m-%d-%q", "unknown %q"),
        ("filename:%Y-%m-%d/%Y", "filename:%Y-%m-%d/%Y"),
        ("front-matter:", "front-matter:KEY"),
    ],
)
def test_bad_rules_are_config_errors_naming_the_flag(rule: str, message: str) -> None:
    with pytest.raises(ConfigError, match="--date-from") as info:
        DateRules.parse(rule)
    assert message in str(info.value)


def test_no_rule_finds_nothing_and_keeps_the_given_date() -> None:
    rules = DateRules.parse(None, date(2020, 1, 13))
    assert rules.find("2020-01-12.txt", {}) is None
    assert rules.publish_date == date(2020, 1, 13)

"""The Filters fields as typed in the UI → (SearchFilters | None, as-of date | None), or an error
that names the field to fix."""

from __future__ import annotations

from datetime import date

import pytest

from rag.core.errors import ConfigError
from rag.core.protocols import SearchFilters
from ui.filters import parse_filters


def test_every_field_set():
    filters, as_of = parse_filters("2026-09-12", "2026-09-01", "2026-09-10", "Valley Wire")
    assert filters == SearchFilters(since="2026-09-01", until="2026-09-10", source="Valley Wire")
    assert as_of == date(2026, 9, 12)


@pytest.mark.parametrize("blank", ["", "   ", "\t\n", None])
def test_blank_fields_are_not_set(blank):
    assert parse_filters(blank, blank, blank, blank) == (None, None)


def test_surrounding_whitespace_is_ignored():
    filters, as_of = parse_filters(" 2026-09-12\n", "\t2026-09-01 ", "", "  Valley Wire  ")
    assert filters == SearchFilters(since="2026-09-01", source="Valley Wire")
    assert as_of == date(2026, 9, 12)


def test_as_of_alone_gives_no_search_filters():
    assert parse_filters(as_of="2026-09-12") == (None, date(2026, 9, 12))


def test_until_alone_and_source_alone():
    assert parse_filters(until="2026-09-10")[0] == SearchFilters(until="2026-09-10")
    assert parse_filters(source="Northgate Post")[0] == SearchFilters(source="Northgate Post")


@pytest.mark.parametrize(("field", "label"), [
    ("as_of", "As of"), ("since", "Since"), ("until", "Until"),
])
@pytest.mark.parametrize("bad", [
    "2026-13-01", "2026-02-30", "20260901", "2026-9-1", "01/09/2026", "yesterday", "2026-W36-1",
])
def test_a_bad_date_names_its_field(field, label, bad):
    with pytest.raises(ConfigError) as caught:
        parse_filters(**{field: bad})
    assert str(caught.value) == f"{label}: {bad!r} is not a date (use YYYY-MM-DD, e.g. 2026-09-14)"


def test_since_after_until_is_refused_and_equal_days_are_fine():
    with pytest.raises(ConfigError, match="since 2026-09-10 is after until 2026-09-01"):
        parse_filters(since="2026-09-10", until="2026-09-01")
    same = parse_filters(since="2026-09-05", until="2026-09-05")[0]
    assert same == SearchFilters(since="2026-09-05", until="2026-09-05")


def test_since_after_as_of_is_refused_but_until_after_as_of_is_allowed():
    with pytest.raises(ConfigError, match="since 2026-09-10 is after as of 2026-09-05"):
        parse_filters(as_of="2026-09-05", since="2026-09-10")
    filters, as_of = parse_filters(as_of="2026-09-05", until="2026-09-30")
    assert filters == SearchFilters(until="2026-09-30") and as_of == date(2026, 9, 5)

"""Publication dates: every accepted format, HTML metadata, and byline/dateline lines."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import date_from_html, date_from_url
from rag.text.dates import date_from_text, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-04", date(2021, 3, 4)),
        ("2021-03-04T23:30:00Z", date(2021, 3, 4)),
        ("2021-03-04T23:30:00-05:00", date(2021, 3, 4)),
        ("2021-03-04 08:15", date(2021, 3, 4)),
        ("Thu, 04 Mar 2021 08:00:00 GMT", date(2021, 3, 4)),
        ("Thu, 4 Mar 2021 08:00:00 +0100", date(2021, 3, 4)),
        ("4 March 2021", date(2021, 3, 4)),
        ("4th of March 2021", date(2021, 3, 4)),
        ("March 4, 2021", date(2021, 3, 4)),
        ("Thursday, March 4, 2021", date(2021, 3, 4)),
        ("Mar. 4, 2021", date(2021, 3, 4)),
        ("Sept. 9, 2024", date(2024, 9, 9)),
        ("SEP 9 2024", date(2024, 9, 9)),
        ("2021/03/04", date(2021, 3, 4)),
        ("March 4, 2021, 3:11 p.m. ET", date(2021, 3, 4)),
        ("  4 March 2021  ", date(2021, 3, 4)),
    ],
)
def test_parse_date_accepts_news_formats(value: str, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "soon", "2021-02-30", "March 32, 2021", "04/03/2021", "Mayor 4 2021", "in March 2021"],
)
def test_parse_date_rejects_non_dates(value: str) -> None:
    assert parse_date(value) is None


# --- HTML ----------------------------------------------------------------------------------


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:published_time" content="2022-06-01T09:00:00+02:00">',
        '<meta property="og:published_time" content="2022-06-01">',
        '<meta itemprop="datePublished" content="2022-06-01">',
        '<meta name="pubdate" content="2022-06-01">',
        '<meta name="publishdate" content="June 1, 2022">',
        '<meta name="date" content="Wed, 01 Jun 2022 10:00:00 GMT">',
    ],
)
def test_date_from_html_reads_meta_tags(head: str) -> None:
    assert date_from_html(_page(head)) == date(2022, 6, 1)


def test_date_from_html_prefers_published_meta_over_generic_date() -> None:
    head = '<meta name="date" content="2022-07-09"><meta name="pubdate" content="2022-06-01">'
    assert date_from_html(_page(head)) == date(2022, 6, 1)


def test_date_from_html_ignores_modified_time() -> None:
    head = '<meta property="article:modified_time" content="2022-06-02">'
    assert date_from_html(_page(head)) is None


@pytest.mark.parametrize(
    "json_ld",
    [
        '{"@type": "NewsArticle", "datePublished": "2022-06-01T08:00:00Z"}',
        '{"@graph": [{"@type": "WebSite"}, {"@type": "Article", "datePublished": "2022-06-01"}]}',
        '[{"@type": "Organization"}, {"@type": "Article", "datePublished": "2022-06-01"}]',
    ],
)
def test_date_from_html_reads_json_ld(json_ld: str) -> None:
    head = f'<script type="application/ld+json">{json_ld}</script>'
    assert date_from_html(_page(head)) == date(2022, 6, 1)


def test_date_from_html_skips_broken_json_ld_and_falls_back_to_time_tag() -> None:
    head = '<script type="application/ld+json">{"datePublished": </script>'
    body = '<article><p>Text</p><time datetime="2022-06-01T07:00">1 June</time></article>'
    assert date_from_html(_page(head, body)) == date(2022, 6, 1)


def test_date_from_html_prefers_time_tag_inside_article() -> None:
    body = (
        '<div><time datetime="2019-01-01">ticker</time></div>'
        '<article><time datetime="2022-06-01">1 June</time></article>'
    )
    assert date_from_html(_page(body=body)) == date(2022, 6, 1)


def test_date_from_html_none_without_metadata() -> None:
    assert date_from_html(_page("<title>Plain</title>", "<p>March 4, 2021</p>")) is None


# --- byline and dateline text ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Harbour reopens\nPublished 4 March 2021\nShips returned on Monday.",
        "Harbour reopens\n- Published4 March 2021\nShips returned on Monday.",
        "Harbour reopens\nPublished: March 4, 2021 at 9:30 a.m.\nShips returned.",
        "Harbour reopens\nPublished on Mar. 4, 2021\nShips returned.",
        "Harbour reopens\nUpdated March 9, 2021, 3:11 p.m. ET\nPublished March 4, 2021\nBody.",
        "Harbour reopens\n- Published\n4 March 2021\n\nShips returned.",
        "Harbour reopens\n\nMar. 4, 2021\n\nShips returned.",
        "Harbour reopens\nMar. 4, 2021 10:04 AM ET\nShips returned.",
        "Harbour reopens\nThursday, March 4, 2021 / 10:04 AM / Updated 2 hours ago\nBody.",
        "Harbour reopens\nBy Jane Roe | March 4, 2021\nShips returned.",
        "Harbour reopens\nBy Jane Roe, Mar. 4, 2021\nShips returned.",
    ],
)
def test_date_from_text_reads_bylines(text: str) -> None:
    assert date_from_text(text) == date(2021, 3, 4)


def test_date_from_text_uses_updated_only_as_last_resort() -> None:
    text = "Harbour reopens\nUpdated April 25, 2026, 3:11 p.m. ET\nShips returned."
    assert date_from_text(text) == date(2026, 4, 25)


def test_date_from_text_reads_agency_dateline_with_year_nearby() -> None:
    text = "Harbour reopens - March 2021\nPORTVILLE, Mar 4 (Wirenews) - Ships returned."
    assert date_from_text(text) == date(2021, 3, 4)


def test_date_from_text_ignores_dateline_without_year() -> None:
    assert date_from_text("PORTVILLE, Mar 4 (Wirenews) - Ships returned on Monday.") is None


@pytest.mark.parametrize(
    "text",
    [
        "Harbour reopens\nPORTVILLE (Wirenews) - Ships returned on Monday.",
        "Harbour reopens\nFILE - In this Mar. 4, 2021, photo, a ship docks. (Photo/Jo Bloggs)",
        "Mar. 4, 2021 was the day the ships returned to the harbour.",
        "Harbour reopens\nThe storm of 4 March 2021 closed the port for a week.",
        "Harbour reopens\n- Published\nShips returned on Monday.",
    ],
)
def test_date_from_text_ignores_dates_inside_sentences(text: str) -> None:
    assert date_from_text(text) is None


def test_date_from_text_only_reads_the_top_lines() -> None:
    body = "\n".join(f"Sentence number {n} about the harbour." for n in range(20))
    assert date_from_text(f"{body}\n- Published 4 March 2021") is None


# --- day-first, numeric and URL dates (issue: 25% of pages fell back to the file time) --------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("06.05.2018", date(2018, 5, 6)),
        ("6.5.2018, 10:42", date(2018, 5, 6)),
        ("13/01/2020", date(2020, 1, 13)),
        ("01/13/2020", date(2020, 1, 13)),
        ("05/05/2020", date(2020, 5, 5)),
        ("13/01/2020 10:42 GMT", date(2020, 1, 13)),
    ],
)
def test_parse_date_reads_day_first_and_unambiguous_slashed_dates(value: str, expected: date):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["04/03/2021", "32.01.2020", "13/13/2020", "1.2.3.2020"])
def test_parse_date_rejects_ambiguous_or_impossible_numeric_dates(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    "text",
    [
        "Ferry back\nPublished 13 January 2020\nBoats sailed.",
        "Ferry back\nJan. 13, 2020\nBoats sailed.",
        "Ferry back\n13/01/2020 10:42 GMT\nBoats sailed.",
        "Ferry back\n13.01.2020\nBoats sailed.",
        "Ferry back\nMon 13 Jan 2020 10.42 GMT\nBoats sailed.",
        "Ferry back\nLast modified on Mon 13 Jan 2020 11.05 GMT\nBoats sailed.",
    ],
)
def test_date_from_text_reads_plain_text_bylines(text: str) -> None:
    assert date_from_text(text) == date(2020, 1, 13)


def test_date_from_text_leaves_an_ambiguous_slashed_date_alone() -> None:
    assert date_from_text("Ferry back\n12/01/2020 10:42\nBoats sailed.") is None


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:article:published_time" content="2022-06-01T09:00:00+02:00">',
        '<meta name="DC:date" content="2022-06-01">',
        '<meta name="DC.date.issued" content="01.06.2022">',
        '<meta name="citation_publication_date" content="2022/06/01">',
        '<meta itemprop="uploadDate" content="2022-06-01">',
        '<script type="application/ld+json">{"uploadDate": "2022-06-01"}</script>',
    ],
)
def test_date_from_html_reads_more_meta_keys(head: str) -> None:
    assert date_from_html(_page(head)) == date(2022, 6, 1)


def test_date_from_html_prefers_date_published_over_date_created() -> None:
    json_ld = '{"dateCreated": "2022-05-30", "datePublished": "2022-06-01"}'
    head = f'<script type="application/ld+json">{json_ld}</script>'
    assert date_from_html(_page(head)) == date(2022, 6, 1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/2022/06/01/ferry-back", date(2022, 6, 1)),
        ("https://news.example/world/2022-06-01-ferry-back.html", date(2022, 6, 1)),
        ("https://news.example/a/20220601_ferry.html", date(2022, 6, 1)),
        ("https://news.example/2022/06/ferry-back", None),
        ("https://news.example/ferry?date=2022-06-01", None),
        (None, None),
    ],
)
def test_date_from_url_reads_the_path(url: str | None, expected: date | None) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [("04/03/2021 10:42 GMT", date(2021, 3, 4)), ("04/03/2021 10:42 BST", date(2021, 3, 4)),
     ("04/03/2021 10:42 a.m. ET", date(2021, 4, 3)), ("04/03/2021 9:30 PST", date(2021, 4, 3)),
     ("04/03/2021 10:42", None)],
)
def test_an_ambiguous_slashed_dateline_is_read_by_its_time_zone(line: str, expected) -> None:
    assert date_from_text(f"Ferry back\n{line}\nBoats sailed.") == expected

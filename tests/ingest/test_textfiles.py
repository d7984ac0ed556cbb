"""Text and Markdown articles: titles from front matter, a heading or the first line (never a
file name), dates from front matter or a byline."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.textfiles import first_line_title, read_text_article, split_front_matter


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Ferry back to Orrin\nBoats sailed on Tuesday.", "Ferry back to Orrin"),
        ("\nORRIN (Wirenews) – Leaders of the island council were said to be travelling to "
         "Lindqvist on Wednesday for talks on the ferry contract. More followed.",
         "Leaders of the island council were said to be travelling to Lindqvist on Wednesday for…"),
        ("CAIRNHOLM – Talks resumed on Monday. Both sides agreed.", "Talks resumed on Monday"),
        ("Boats sailed again.", "Boats sailed again"),
    ],
)
def test_first_line_title(text: str, title: str) -> None:
    assert first_line_title(text) == title
    assert len(first_line_title(text)) <= 91


def test_front_matter_title_and_date_win_and_are_removed_from_the_text() -> None:
    text = "---\ntitle: \"Ferry back\"\ndate: 13.01.2020\nsource: Isle News\n---\nBoats sailed."
    found = read_text_article(text)
    assert (found.title, found.text, found.source) == ("Ferry back", "Boats sailed.", "Isle News")
    assert (found.publish_date, found.date_provenance) == (date(2020, 1, 13), "front-matter")


def test_markdown_heading_then_byline_date() -> None:
    found = read_text_article("Intro\n\n# Ferry back #\n\nJan. 13, 2020\n\nBoats.", markdown=True)
    assert (found.title, found.publish_date, found.date_provenance) == (
        "Ferry back", date(2020, 1, 13), "byline")


def test_no_front_matter_leaves_the_text_alone() -> None:
    assert split_front_matter("--- not front matter\nBody") == ({}, "--- not front matter\nBody")


def test_undated_text_has_no_date() -> None:
    found = read_text_article("Boats sailed on Tuesday.")
    assert (found.publish_date, found.date_provenance) == (None, None)

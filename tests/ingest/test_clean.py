"""Cleaning: whitespace, each boilerplate kind dropped, real sentences always kept."""

from __future__ import annotations

import pytest

from ingest.clean import clean_text, clean_title, is_boilerplate


def test_clean_text_normalises_whitespace() -> None:
    raw = "  Harbour\t\treopens  \r\n\r\n\r\n\r\nShips   returned.\rCrews cheered.\n\n\n"
    assert clean_text(raw) == "Harbour reopens\n\nShips returned.\nCrews cheered."


def test_clean_text_of_blank_input_is_empty() -> None:
    assert clean_text(" \n\t\n ") == ""


@pytest.mark.parametrize(
    "line",
    [
        # gallery counters and promos
        "Full Screen",
        "Full Screen 3 / 12",
        "1 / 2",
        "Recommended Videos",
        # published / updated stamps
        "Published",
        "- Published",
        "- Published4 March 2021",
        "Published: March 4, 2021 at 9:30 a.m. ET",
        "Updated",
        "Updated April 25, 2026, 3:11 p.m. ET",
        "Updated 10:04 AM EDT, Thu March 4, 2021",
        "Last updated on 4 March 2021",
        "Updated 2 hours ago",
        # photo credits and captions
        "(Photo: Jo Bloggs)",
        "Photo: Jo Bloggs/Wirenews",
        "AP Photo/Jo Bloggs",
        "Image source, Getty Images",
        # UI controls and newsletters
        "Close",
        "Share",
        "Share this article",
        "Advertisement",
        "Skip to content",
        "Read more",
        "Sign up for our newsletter",
        "Subscribe to the Morning Harbour newsletter for daily updates",
        # bylines and copyright
        "By Jane Roe",
        "By JANE ROE",
        "By Jane Roe and Sam Poe",
        "By Jane Roe, Sam Poe and Ann van Doe",
        "By Jane Roe, Harbour Correspondent",
        "By Jane Roe | Wirenews",
        "Copyright 2021 The Daily Planet. All rights reserved",
        "© 2021 Wirenews",
    ],
)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    assert is_boilerplate(line)
    assert clean_text(f"Ships left.\n{line}\nCrews cheered.") == "Ships left.\nCrews cheered."


@pytest.mark.parametrize(
    "sentence",
    [
        "The report was Published in 2019 by the port authority.",
        "Published figures show cargo volumes rose 4% in March.",
        "Updated figures show exports rose 4% in May.",
        "Share prices fell sharply on Monday.",
        "Close to 200 people attended the vigil.",
        "By Monday, the talks had collapsed.",
        "By Jane Roe, the harbour master, the port was declared safe.",
        "Photo agencies said demand for images had risen.",
        "Readers who sign up for the newsletter get early access to the data.",
        "The agency licensed the picture from Getty Images.",
        "Copyright lawyers said the case could take years.",
        "Advertisement revenue fell for a third year.",
        "1 / 2 of the crew stayed aboard.",
    ],
)
def test_sentences_with_boilerplate_words_are_kept(sentence: str) -> None:
    assert not is_boilerplate(sentence)
    assert clean_text(f"Harbour reopens\n{sentence}") == f"Harbour reopens\n{sentence}"


def test_reporting_credit_on_its_own_line_is_dropped() -> None:
    raw = "Ships returned.\n(Reporting by Jane Roe in Portville; Editing by Sam Poe)"
    assert clean_text(raw) == "Ships returned."


def test_reporting_credit_at_the_end_of_a_paragraph_is_cut() -> None:
    raw = "Ships returned. (Additional reporting by Jane Roe; Writing by Sam Poe)\nNext."
    assert clean_text(raw) == "Ships returned.\nNext."


def test_parenthetical_inside_a_sentence_is_kept() -> None:
    raw = "The ferry (operated by Bay Lines) resumed service."
    assert clean_text(raw) == raw


def test_clean_text_on_an_agency_style_article() -> None:
    raw = (
        "Harbour reopens after storm\n\nFull Screen\n1 / 2\n\n"
        "Copyright 2021 The Daily Planet. All rights reserved\n\n"
        "FILE - In this March 4, 2021, photo, a ship docks. (AP Photo/Jo Bloggs, File)\n\n"
        "PORTVILLE - Ships returned to the harbour on Monday.\n\nRecommended Videos\n\n"
        "Crews said the Published schedule held.\n\n\nRecommended Videos"
    )
    assert clean_text(raw) == (
        "Harbour reopens after storm\n\nPORTVILLE - Ships returned to the harbour on Monday."
        "\n\nCrews said the Published schedule held."
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Harbour reopens | The Daily Planet", "Harbour reopens"),
        ("Harbour reopens | World news | The Daily Planet", "Harbour reopens"),
        ("Harbour reopens after storm - Planet News", "Harbour reopens after storm"),
        ("Harbour reopens — Wirenews", "Harbour reopens"),
        ("Cargo falls - again", "Cargo falls - again"),
        ("Ports, ferries - and what the storm changed for the coast", None),
        ("Mid-size ports gain", "Mid-size ports gain"),
        ("  Harbour   reopens  ", "Harbour reopens"),
        ("The Daily Planet", "The Daily Planet"),
    ],
)
def test_clean_title_strips_site_suffix(title: str, expected: str | None) -> None:
    assert clean_title(title) == (expected or title)


# --- credits at the end of a line: cut the credit, keep the sentences ---------------------------

# A one-line article whose last sentence ends with a photo credit (as a 731-character wire story
# did, which the cleaner used to drop whole: "no text left after cleaning").
ONE_LINE_ARTICLE = (
    "The Orrin Island council voted on Tuesday to buy a second ferry for the Lindqvist route, "
    "ending a year of argument over the cost of the crossing. Council leader Ines Varga said the "
    "vessel, a 40-metre hybrid ship built in Haldor, would enter service next spring and carry "
    "up to 300 passengers and 24 cars. Opposition members said the 9 million crown price was "
    "too high for an island of 6,000 people and asked for a public hearing, which was refused. "
    "The harbour master welcomed the decision and said the north pier, repaired after last "
    "month's storm, could take both ships. Ines Varga at the council meeting in Orrin on "
    "Tuesday. Jo Roe/Picture Alliance/Getty Images"
)


def test_an_article_line_ending_in_a_photo_credit_keeps_its_sentences() -> None:
    cleaned = clean_text(ONE_LINE_ARTICLE)
    assert cleaned == ONE_LINE_ARTICLE.removesuffix(" Jo Roe/Picture Alliance/Getty Images")


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Jo Bloggs/Getty Images", None),
        ("(Photo by Jo Bloggs/AFP via Getty Images)", None),
        ("A crane lifts a container. (Photo by Jo Bloggs/AFP via Getty Images)",
         "A crane lifts a container."),
        ("Ships left on Monday. (AP Photo/Jo Bloggs)", "Ships left on Monday."),
        ("FILE - In this March 4, 2021, photo, a ship docks. (AP Photo/Jo Bloggs, File)", None),
        ("In this March 4, 2021 file photo, a ship docks. (AP Photo/Jo Bloggs)", None),
        ("The agency licensed the picture from Getty Images.",
         "The agency licensed the picture from Getty Images."),
    ],
)
def test_trailing_credits_are_cut_and_only_captions_go(line: str, kept: str | None) -> None:
    expected = "\n".join(["Ships left.", *([kept] if kept else []), "Crews cheered."])
    assert clean_text(f"Ships left.\n{line}\nCrews cheered.") == expected


@pytest.mark.parametrize(
    "line",
    ["Related Posts", "Related articles:", "Share this:", "Like this:", "Mehr zum Thema",
     "Read also:", "More on this story", "Loading..."],
)
def test_related_block_headings_are_dropped(line: str) -> None:
    assert clean_text(f"Ships left.\n{line}\nCrews cheered.") == "Ships left.\nCrews cheered."


def test_a_long_line_is_never_boilerplate_whole() -> None:
    line = "Photo: " + "the harbour reopened and the crews cheered as ships came in. " * 5
    assert not is_boilerplate(line)

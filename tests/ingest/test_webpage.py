"""HTML pages as real sites build them: the story is found among menus, teasers, comments and
related-article blocks, in any wrapper, in any encoding (every page here is written by us)."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.clean import clean_text
from ingest.webpage import article_text, parse_html, read_html

STORY = [
    "Ferry services between Lindqvist Harbour and Orrin Island resumed on Tuesday after a "
    "three-week suspension caused by storm damage to the north pier.",
    "Harbour master Tomasz Ekwueme said engineers had replaced two damaged pilings and tested "
    "the ramp with a loaded lorry before the first sailing at 7 a.m.",
    "About 1,400 passengers a day use the route in autumn, according to the island council, "
    "which had chartered a smaller boat during the closure.",
    "Council leader Ines Varga said the repairs cost 310,000 crowns, slightly less than the "
    "first estimate, and were paid from the harbour maintenance fund.",
]
HEAD = "<head><meta charset='utf-8'><title>Ferries return to Orrin Island | Lindqvist Courier" \
       "</title></head>"
MENU_WORDS = "Home News Sport Business Weather Culture Opinion Podcasts Newsletters".split()
MENU = "<div class='menu'>" + " | ".join(f"<a href='/{w}'>{w}</a>" for w in MENU_WORDS) + "</div>"
BODY = "<h1>Ferries return to Orrin Island</h1>" + "".join(f"<p>{s}</p>" for s in STORY)
TEASER = (
    "<aside><article class='teaser'><h3>Bus timetable changes</h3><p>New winter timetables for "
    "island buses start next month, with two extra evening services on the longest route to "
    "the eastern villages and the ferry terminal, and earlier first buses on weekdays.</p><p>"
    "Read the full list of changed departures, stop by stop, in our transport guide, updated "
    "every week by the transport desk of the Lindqvist Courier and its readers.</p></article>"
    "</aside>"
)
COMMENT = (
    "<section class='comments'><article class='comment'><p>I have used this ferry for thirty "
    "years and never seen the pier in such a poor state; the council should have repaired it "
    "long ago, and the whole harbour needs investment, not patches. The smaller boat was "
    "always late and nobody answered the phone at the terminal office when we called about "
    "the cancelled sailings, three times in one week alone, so I hope someone looks into how "
    "the charter contract was managed and what it cost the island in the end.</p></article>"
    "</section>"
)
RELATED = (
    "<div class='box'><h3>Related Posts</h3><ul><li><a href='/a'>Island council approves new "
    "budget</a></li><li><a href='/b'>Storm closes north pier</a></li></ul></div>"
    "<p>Share this:</p><ul><li><a href='/t'>Twitter</a></li><li><a href='/f'>Facebook</a>"
    "</li></ul><h4>Mehr zum Thema</h4><ul><li><a href='/c'>Neue Fähre für Orrin</a></li></ul>"
)
PAGES = {
    "no <article> or <main>, a site menu": f"<body>{MENU}<div class='content'>{BODY}</div>"
                                           "<div class='footer'>Contact us | Privacy</div></body>",
    "a longer teaser <article>": f"<body>{MENU}<div class='story'>{BODY}</div>{TEASER}</body>",
    "a longer comment <article>": f"<body><article class='post'>{BODY}</article>{COMMENT}</body>",
    "an empty first <main>": f"<body><main class='skip'></main>{MENU}<main>{BODY}</main></body>",
    "a <form> around the page": f"<body><form id='aspnetForm' method='post'>{MENU}<div "
                                f"id='content'>{BODY}</div></form></body>",
    "a related-posts block": f"<body><article>{BODY}{RELATED}</article></body>",
}


def page(body: str, head: str = HEAD) -> bytes:
    return f"<!doctype html><html>{head}{body}</html>".encode()


@pytest.mark.parametrize("name", PAGES)
def test_the_story_is_found_and_nothing_else(name: str) -> None:
    found = read_html(page(PAGES[name]))
    text = clean_text(found.text)
    assert text.split("\n\n") == ["Ferries return to Orrin Island", *STORY]
    assert found.title == "Ferries return to Orrin Island"


def test_latin1_bytes_under_a_utf8_header_load() -> None:
    body = ("<article><h1>Caf\u00e9 reopens in P\u00e9ronne</h1>"
            + "".join(f"<p>{s}</p>" for s in STORY) + "</article>")
    found = read_html(page(body).decode().encode("latin-1"))
    assert found.title == "Caf\u00e9 reopens in P\u00e9ronne"
    assert found.text.endswith(STORY[-1])


def test_a_table_keeps_its_rows_as_text() -> None:
    table = ("<table><tr><th>Route</th><th>Sailings</th></tr>"
             "<tr><td>Orrin</td><td>6</td></tr></table>")
    found = read_html(page(f"<body><article>{BODY}{table}</article></body>"))
    assert "Route | Sailings\nOrrin | 6" in found.text
    assert "---" not in found.text


@pytest.mark.parametrize(
    ("head", "expected", "provenance"),
    [
        ('<meta property="og:article:published_time" content="06.05.2018">', date(2018, 5, 6),
         "html-meta"),
        ('<meta name="DC:date" content="2018-05-06">', date(2018, 5, 6), "html-meta"),
        ('<script type="application/ld+json">{"@type": "VideoObject", '
         '"uploadDate": "2018-05-06T10:00:00Z"}</script>', date(2018, 5, 6), "html-meta"),
    ],
)
def test_dates_from_metadata_keys_citechat_reads(
    head: str, expected: date, provenance: str
) -> None:
    found = read_html(page(f"<body><article>{BODY}</article></body>", f"<head>{head}</head>"))
    assert (found.publish_date, found.date_provenance) == (expected, provenance)


def test_a_day_first_byline_date_in_the_article() -> None:
    body = f"<article>{BODY.replace('</h1>', '</h1><p>06.05.2018 10:42</p>')}</article>"
    found = read_html(page(f"<body>{body}</body>"))
    assert (found.publish_date, found.date_provenance) == (date(2018, 5, 6), "byline")


def test_a_date_found_only_by_htmldate() -> None:
    footer = "<div class='meta'>Posted: 6th May 2018, 10:42 by the news desk</div>"
    found = read_html(page(f"<body><article>{BODY}</article>{footer}</body>"))
    assert (found.publish_date, found.date_provenance) == (date(2018, 5, 6), "htmldate")


def test_a_date_only_in_the_url() -> None:
    head = f"{HEAD[:-7]}<link rel='canonical' href='https://courier.example/2018/05/06/ferry'>" \
           "</head>"
    found = read_html(page(f"<body><article>{BODY}</article></body>", head))
    assert found.url == "https://courier.example/2018/05/06/ferry"
    assert (found.publish_date, found.date_provenance) == (date(2018, 5, 6), "url")


def test_a_page_without_an_article_keeps_its_visible_text() -> None:
    found = read_html(b"<div>Harbour reopens</div><script>x()</script><div>Ships returned.</div>")
    assert found.text.split() == ["Harbour", "reopens", "Ships", "returned."]


def test_nothing_to_parse_is_empty_text() -> None:
    assert read_html(b"  \n").text == ""
    assert parse_html("") is None
    assert article_text(None) == ""

"""Plain-text and Markdown articles: front matter, a title that is not a file name, a byline date.

A title comes from front matter (`title:`), else the first Markdown heading, else the first line:
as it is when it reads like a headline, else its first sentence, without a wire dateline and
cut to `TITLE_CHARS`. The date comes from front matter (`date:`, `published:` ...), else a
byline or dateline at the top ("Published 12 January 2020", "Jan. 13, 2020",
"13/01/2020 10:42 GMT").

>>> found = read_text_article("---\\ntitle: Ferry back\\ndate: 2020-01-13\\n---\\nBoats sailed.")
>>> found.title, found.text, found.publish_date, found.date_provenance
('Ferry back', 'Boats sailed.', datetime.date(2020, 1, 13), 'front-matter')
>>> first_line_title("CAIRO (Wirenews) – Talks resumed on Monday. Both sides agreed to a truce.")
'Talks resumed on Monday'
"""

from __future__ import annotations

import re

from ingest.documents import Extracted
from rag.text.dates import date_from_text, parse_date
from rag.text.sentences import sentence_spans

TITLE_CHARS = 90
FRONT_MATTER_DATE_KEYS = ("date", "published", "publish_date", "pubdate", "published_at")

_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\n(.*?)\n\1[ \t]*(?:\n|\Z)", re.DOTALL)
_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
# "TUNIS/ANKARA (Wirenews) – ", "CAIRO – ", "PORTVILLE, Mar 4 (Wirenews) - ": a wire dateline.
_DATELINE = re.compile(
    r"^(?-i:[A-Z][A-Z .'/-]+)(?:,\s+[A-Za-z]{3,9}\.?\s+\d{1,2})?\s*(?:\([^()]{1,40}\))?\s*[-–—]+\s+"
)
_SPACES = re.compile(r"\s+")


def read_text_article(text: str, markdown: bool = False) -> Extracted:
    """Title, text (front matter removed) and date of a .txt or .md article."""
    fields, body = split_front_matter(text)
    heading = _HEADING.search(body) if markdown else None
    title = fields.get("title") or (heading.group(1) if heading else "") or first_line_title(body)
    front_date = next((d for key in FRONT_MATTER_DATE_KEYS
                       if (d := parse_date(fields.get(key, "")))), None)
    if front_date:
        return Extracted(body, title, front_date, "front-matter", fields.get("source"),
                         fields.get("url"), fields)
    byline = date_from_text(body)
    return Extracted(body, title, byline, "byline" if byline else None, fields.get("source"),
                     fields.get("url"), fields)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(fields, rest) for text opening with a `---` (YAML) or `+++` (TOML) block of `key: value`
    lines; ({}, text) otherwise. Keys are lower-cased, quotes around values removed.

    >>> split_front_matter('+++\\ntitle = "Ferry back"\\n+++\\nBody')
    ({'title': 'Ferry back'}, 'Body')
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields = {key.lower(): value.strip("\"'") for key, value in _FIELD.findall(match.group(2))}
    return fields, text[match.end() :]


def first_line_title(text: str) -> str:
    """The first non-empty line as a title: whole when it reads like a headline, else its
    first sentence without a wire dateline, cut at a word to `TITLE_CHARS` with "…"."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if looks_like_headline(first):
        return first
    line = _DATELINE.sub("", first)
    spans = sentence_spans(line)
    sentence = line[spans[0][0] : spans[0][1]].rstrip(".") if spans else line
    sentence = _SPACES.sub(" ", sentence)
    if len(sentence) <= TITLE_CHARS:
        return sentence
    return sentence[: TITLE_CHARS + 1].rsplit(" ", 1)[0].rstrip(",;:–—-") + "…"


def looks_like_headline(line: str) -> bool:
    """Short, and not ending like a sentence or a clause."""
    return 0 < len(line) <= 150 and len(line.split()) <= 25 and line[-1] not in ".,;:"

"""Clean loaded news text: normalise whitespace and drop boilerplate lines, never real sentences.

A line is dropped only when the WHOLE line matches one of `BOILERPLATE_LINES`; the one in-line
edit is a closing "(Reporting by ...; Editing by ...)" credit at the end of a line.

>>> clean_text("Advertisement\\r\\n\\r\\n\\r\\nStocks  rose.\\nShare\\nIt was Published late.")
'Stocks rose.\\nIt was Published late.'
"""

from __future__ import annotations

import re

_TIME_WORDS = (
    r"(?:[\s,|/·•:.\-–—()+]|\d+|[ap]\.?m\.?|at|on|ago|hours?|mins?|minutes?|days?|(?-i:[A-Z]{2,4})"
    r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)*+"
)
_BULLET = r"[\-–—•*·]?\s*"
_NAME = r"[A-Z][\w'’.\-]*"
_NAMES = rf"{_NAME}(?:\s+(?:(?:de|da|del|van|von|al|bin|la|le)\s+)?{_NAME}){{1,3}}"

# Each pattern must match a WHOLE line (after stripping) for the line to be dropped.
BOILERPLATE_LINES: dict[str, str] = {
    "gallery counter": r"(?:full\s*screen)?\s*(?:\d+\s*/\s*\d+)?",
    "video promo": r"recommended videos?|recommended stories|watch:?\s*video|related videos?",
    "published stamp": rf"{_BULLET}(?:first\s+|originally\s+)?published(?:\s+on)?:?{_TIME_WORDS}",
    "updated stamp": rf"{_BULLET}(?:last\s+)?updated(?:\s+on)?:?{_TIME_WORDS}",
    "photo credit": (
        r"\(?(?:photo|image|picture)s?(?:\s+credit)?:.{1,150}|image source,?.{1,60}"
        r"|(?:AP|AFP) Photos?\s*/.{1,100}"
    ),
    # A caption line that ends in its credit: "Troops patrol ... (AP Photo/Jane Doe, File)".
    "captioned photo": r".*\((?:(?:AP|AFP|Reuters|EPA)\s+)?(?:photo|image)s?\s*[/:][^()]*\)",
    "getty credit": r".*(?:/|\bvia\s+)\s*Getty\s+Images\)?",
    "ui control": (
        r"close|share|share this(?: article| story)?|share on \w+|advertisement|ad|sponsored"
        r"|skip to (?:main )?content|read more|continue reading|listen to this article"
        r"|copy link|print|email|comments?|image caption|media caption|menu|search"
    ),
    "newsletter": r"(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b.{0,40}",
    # "By Jane Doe", "By Jane Doe and Sam Roe, Reuters"; "By Monday, talks had collapsed." stays.
    "byline": (
        rf"by\s+(?-i:{_NAMES})(?:\s*(?:,|and|&)\s*(?-i:{_NAMES}))*"
        r"(?:\s*[,|•]\s*[^!?]{2,60}(?<![a-z]{3}\.))?"
    ),
    "copyright": (
        r"(?:copyright\s*)?(?:©|\(c\))\s*\d{4}.{0,80}"
        r"|copyright\s+\d{4}\b.{0,80}all rights reserved\.?|all rights reserved\.?"
    ),
}
_BOILERPLATE = [re.compile(pattern, re.IGNORECASE) for pattern in BOILERPLATE_LINES.values()]
_REPORTING_CREDIT = re.compile(
    r"\s*\((?:additional\s+)?(?:reporting|writing|editing|compiled)\s+by\b[^()]*\)\s*$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TITLE_SEPARATOR = re.compile(r"\s+(\||-|–|—|::)\s+")


def is_boilerplate(line: str) -> bool:
    """True when the whole stripped line is navigation, a credit, a stamp or other non-prose."""
    stripped = line.strip()
    return bool(stripped) and any(p.fullmatch(stripped) for p in _BOILERPLATE)


def clean_text(text: str) -> str:
    """Normalise whitespace and drop boilerplate lines from a news article's text.

    `\\r\\n` becomes `\\n`, runs of spaces and tabs become one space, lines are stripped, at most
    one blank line separates paragraphs, and lines matching `BOILERPLATE_LINES` go (a sentence
    that merely contains "Published" or "Share" stays). A closing "(Reporting by ...)" credit
    is cut from the end of its line.
    """
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        line = _REPORTING_CREDIT.sub("", line)
        if not is_boilerplate(line):
            lines.append(line)
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def clean_title(title: str) -> str:
    """Strip a site-name suffix ("Headline | Site", "Headline - Site News") and extra spaces.

    A " - " suffix is cut only when it is short and title-cased, so "Stocks fall - again" stays.

    >>> clean_title("Libya talks resume | World news | The Daily Planet")
    'Libya talks resume'
    """
    title = _SPACES.sub(" ", title).strip()
    while separators := list(_TITLE_SEPARATOR.finditer(title)):
        last = separators[-1]
        head, tail = title[: last.start()], title[last.end() :]
        if not _looks_like_site(tail, strict=last.group(1) != "|"):
            break
        title = head
    return title


def _looks_like_site(text: str, strict: bool) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 40:
        return False
    return not strict or all(w[0].isupper() or w[0].isdigit() for w in words)

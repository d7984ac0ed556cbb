"""Clean loaded news text: normalise whitespace and drop boilerplate lines, never real sentences.

A line is dropped only when the WHOLE line matches one of `BOILERPLATE_LINES` (and is at most
`MAX_BOILERPLATE_CHARS` long: a longer line always carries prose). Credits that close a line
are cut and the rest of the line kept: "(Reporting by ...; Editing by ...)", "(AP Photo/...)",
"... Picture Alliance/Getty Images". Only an agency photo caption ("FILE - In this ... photo,
...") goes whole once its credit is cut.

>>> clean_text("Advertisement\\r\\n\\r\\n\\r\\nStocks  rose.\\nShare\\nIt was Published late.")
'Stocks rose.\\nIt was Published late.'
>>> clean_text("Talks resumed on Monday. Both sides agreed. Jo Roe/Picture Alliance/Getty Images")
'Talks resumed on Monday. Both sides agreed.'
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
    "ui control": (
        r"close|share|share (?:this|via)(?: article| story| page)?:?|share on \w+|like this:?"
        r"|advertisement|ad|sponsored|skip to (?:main )?content|read more|continue reading"
        r"|listen to this article|copy link|print|email|comments?|image caption|media caption"
        r"|menu|search|loading\.*"
    ),
    # The heading of a related-articles block ("Related Posts", "Mehr zum Thema").
    "related heading": (
        r"related(?: posts?| articles?| stories| content| coverage| links| news)?:?"
        r"|(?:read|see) (?:also|more):?|more (?:on|about) this (?:story|topic)|you may also like"
        r"|mehr zum thema|das könnte sie auch interessieren|lesen sie auch:?|à lire aussi"
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
MAX_BOILERPLATE_CHARS = 250
_BOILERPLATE = [re.compile(pattern, re.IGNORECASE) for pattern in BOILERPLATE_LINES.values()]
# Credits cut from the end of a line, the rest kept: "... (Reporting by ...; Editing by ...)",
# "... (AP Photo/Jane Doe, File)", "... (Photo by Jo Roe/AFP via Getty Images)",
# "... Jo Roe/Picture Alliance/Getty Images".
_TRAILING_CREDITS = [
    re.compile(r"\s*\((?:additional\s+)?(?:reporting|writing|editing|compiled)\s+by\b[^()]*\)\s*$",
               re.IGNORECASE),
    re.compile(r"\s*\((?:(?:AP|AFP|Reuters|EPA)\s+)?(?:photo|image)s?\b[^()]*[/:][^()]*\)\s*$",
               re.IGNORECASE),
    re.compile(r"(?:^|(?<=[.!?\"”’)])\s+)\(?(?:(?:photo|picture|image)s?\s*(?:by|:)\s*)?"
               r"(?:[^()!?.]|\.(?=\S)){0,80}?(?:/|\bvia\s+)\s*Getty\s+Images\)?\.?\s*$",
               re.IGNORECASE),
]
# An agency photo caption, dropped once its credit is cut: "FILE - In this March 4 photo, ...".
_CAPTION = re.compile(r"^(?:FILE(?: PHOTO)?\s*[-–—:]|In this\b.{0,60}\bphotos?\b)")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TITLE_SEPARATOR = re.compile(r"\s+(\||-|–|—|::)\s+")


def is_boilerplate(line: str) -> bool:
    """True when the whole stripped line is navigation, a credit, a stamp or other non-prose."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_BOILERPLATE_CHARS:
        return False
    return any(p.fullmatch(stripped) for p in _BOILERPLATE)


def clean_text(text: str) -> str:
    """Normalise whitespace and drop boilerplate lines from a news article's text.

    `\\r\\n` becomes `\\n`, runs of spaces and tabs become one space, lines are stripped, at most
    one blank line separates paragraphs, and lines matching `BOILERPLATE_LINES` go (a sentence
    that merely contains "Published" or "Share" stays). Closing credits are cut from the end of
    their line, which stays unless it was an agency photo caption.
    """
    lines = []
    for line in normalise_text(text).split("\n"):
        cut = _cut_credits(line)
        if cut != line and (not cut or _CAPTION.match(cut)):
            continue
        if not is_boilerplate(cut):
            lines.append(cut)
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def normalise_text(text: str) -> str:
    """Whitespace only: `\\n` line ends, one space for runs of spaces, stripped lines, at most
    one blank line between paragraphs. What a document keeps when cleaning would empty it.

    >>> normalise_text(" Share \\r\\n\\r\\n\\r\\n Print ")
    'Share\\n\\nPrint'
    """
    lines = (_SPACES.sub(" ", raw).strip() for raw in
             text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _cut_credits(line: str) -> str:
    for credit in _TRAILING_CREDITS:
        line = credit.sub("", line)
    return line.strip()


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

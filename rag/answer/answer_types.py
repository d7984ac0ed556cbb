"""Answer-type cues from a question, and candidate answer spans spotted in a sentence.

No model: regular expressions for numbers, amounts, percentages and dates, capitalised-span
spotting for names, and small word lists (`rag.text.gazetteer`) to tell places from the rest.

>>> expected_type("How many people were hurt?").kind
'number'
>>> [(c.text, c.kind) for c in spot_candidates("Sen. Maria Lopez flew to Kenya on May 4.")]
[('Maria Lopez', 'person'), ('Kenya', 'place'), ('May 4', 'date')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rag.text.gazetteer import place_kind, starts_with_place
from rag.text.lexicon import read_phrase_lists, read_word_sets
from rag.text.stem import stem

# Candidate kinds: person, place, org, name (a proper name of unknown kind), title (a quoted
# work), number, money, percent, date. Question kinds add "thing" (anything, often a common noun).


@dataclass(frozen=True)
class QuestionType:
    """What kind of phrase answers the question; `head` is its cue word ("team", "country")."""

    kind: str
    head: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A possible short answer: `text` is `sentence[start:end]`."""

    text: str
    start: int
    end: int
    kind: str
    place: str | None = None  # country / state / city / region, for places


KINDS = ("person", "place", "org", "title", "date", "number", "money", "amount")


@dataclass(frozen=True)
class Cues:
    """The word lists of `rag/answer/data/answer_types.txt`, read once."""

    head_kind: dict[str, str]  # stem of a head word -> the kind of answer it asks for
    head_stop: frozenset[str]
    not_names: frozenset[str]
    person_titles: frozenset[str]
    org_words: frozenset[str]
    not_person: frozenset[str]
    generic: frozenset[str]
    home_country: frozenset[str]


@cache
def cues() -> Cues:
    sets = read_word_sets("rag.answer", "answer_types.txt")
    heads = {kind: sets[f"heads_{kind}"] for kind in KINDS}
    org = sets["org_words"]
    generic = org | heads["org"] | heads["place"] | heads["title"] | sets["generic_extra"]
    return Cues(
        head_kind={stem(w): kind for kind, ws in heads.items() for w in ws},
        head_stop=sets["head_stop"], not_names=sets["not_names"],
        person_titles=sets["person_titles"], org_words=org, not_person=org | sets["not_person"],
        generic=generic,
        home_country=frozenset(read_phrase_lists("rag.answer", "answer_types.txt")["home_country"]),
    )


def generic_words() -> frozenset[str]:
    """Words that may be shared with the question inside an answer ("Which airline…" →
    "Korean Air")."""
    return cues().generic


# "which team…", "what is the estimated cost of…": the copula and article are skipped.
_WHAT_PHRASE = re.compile(
    r"\b(?:which|what)(?:\s+(?:is|was|are|were)(?=\s+(?:the|a|an)\b))?(?:\s+(?:the|a|an))?"
    r"\s+((?:[\w'’-]+\s+){0,4}[\w'’-]+)"
)


def expected_type(question: str) -> QuestionType:
    """The answer type the question asks for, from its wh-phrase and head noun."""
    q = _asking_sentence(question).lower()
    if re.search(r"\bhow much\b", q):
        money = re.search(r"\b(pay|paid|cost|worth|settle|fine|price|spend|raise|earn|money|"
                          r"prize|fee|salary|budget|fund|fare|charge)", q)
        return QuestionType("money" if money else "number")
    if re.search(r"\bhow (many|old|far|long|tall|big)\b|\bwhat (time|percentage|margin)\b", q):
        return QuestionType("percent" if "percent" in q or "margin" in q else "number")
    asked = re.search(r"^when\b|\b(?:what|which) (date|day|month|year)\b", q)
    if asked:
        return QuestionType("date", asked.group(1))
    if re.search(r"\bwhere\b", q):
        return QuestionType("place")
    match = re.search(r"\bname of (?:the |a |an |this |its )?((?:[\w'’-]+ ){0,3}[\w'’-]+)", q)
    head = _head_noun(match.group(1)) if match else None
    if match:
        return QuestionType(cues().head_kind.get(head or "", "name"), head)
    for match in re.finditer(_WHAT_PHRASE, q):
        head = _head_noun(match.group(1))
        if head:
            kind = cues().head_kind.get(head, "thing")
            return QuestionType("name" if kind == "person" and head == "pick" else kind, head)
    if re.search(r"\bwho(m)?\b", q):
        return QuestionType("person")
    return QuestionType("thing")


def _asking_sentence(question: str) -> str:
    """The sentence that asks (the last one), so a "when" in a lead-in clause is not a cue."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", question.strip()) if p.strip()]
    return parts[-1] if parts else question


def _head_noun(phrase: str) -> str | None:
    """The last word of `phrase` before a function word; a known head word wins."""
    kept: list[str] = []
    for word in re.findall(r"[\w'’-]+", phrase):
        if word in cues().head_stop:
            break
        kept.append(word)
    nouns = [w for w in kept if not w.endswith(("ed", "ing"))]  # "scored" is no "score"
    known = [w for w in nouns if stem(w) in cues().head_kind]
    if known:
        return stem(known[-1])
    return stem(nouns[-1]) if nouns else None


# ---------------------------------------------------------------------------- candidates

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SCALE = r"(?:million|billion|trillion|thousand|hundred|m|bn|k)\b"
_NUM = r"\d[\d,]*(?:\.\d+)?"
_NUMBER_WORDS = (
    r"(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"dozens?|hundreds|thousands|millions|billions)"
)
_PATTERNS = [
    ("date", rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"),
    ("date", rf"\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?\b"),
    ("date", rf"\b{_MONTH}\s+\d{{4}}\b|\b{_WEEKDAY}\b"),
    (
        "date",
        r"\b(?:January|February|March|April|June|July|August|September|October|November|"
        r"December)\b|\b(?:19|20)\d\d\b",
    ),
    ("money", rf"[$£€]\s?{_NUM}(?:\s?{_SCALE})?"),
    ("money", rf"\b{_NUM}(?:\s?{_SCALE})?\s?(?:dollars|pounds|euros)\b"),
    ("percent", rf"\b{_NUM}\s?(?:%|percent\b|per cent\b|percentage points?\b)"),
    ("number", rf"\b{_NUM}(?:\s{_SCALE})?(?:\s[a-z]+)?"),
    ("number", rf"\b{_NUMBER_WORDS}\b(?!\s+[A-Z])(?:\s[a-z]+)?"),  # not "Ten Commandments"
]
_QUOTED = re.compile(r"[“\"]([^“”\"]{2,80}?)[”\"]")
_CAP_WORD = r"(?:[A-Z][\w'’.&-]*|&|\*?[A-Z]+\*?[A-Z]*)"
_CAP_SPAN = re.compile(rf"{_CAP_WORD}(?:\s+(?:(?:of|the|de|du|la|von|van|for)\s+)?{_CAP_WORD})*")
_ABBREV = re.compile(r"(?:^|\s)(?:[A-Z]\.)+$")
def spot_candidates(sentence: str, context: str = "") -> list[Candidate]:
    """Quoted titles, dates, amounts, numbers and capitalised names in `sentence`, by offset.

    `context` (the surrounding text) helps typing: a surname mentioned alone elsewhere marks a
    person, and a capitalised word also used in lower case there is an ordinary word.
    """
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str, place: str | None = None) -> None:
        if end > start and not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            found.append(Candidate(sentence[start:end], start, end, kind, place))

    for match in _QUOTED.finditer(sentence):
        if _looks_like_title(match.group(1)):
            start, end = _strip_punct(sentence, match.start(1), match.end(1))
            add(start, end, "title")
    for kind, pattern in _PATTERNS:
        for match in re.finditer(pattern, sentence):
            add(match.start(), match.end(), kind)
    masked = list(sentence)
    for s, e in taken:
        masked[s:e] = "|" * (e - s)
    for match in _CAP_SPAN.finditer("".join(masked)):
        for start, end, titled in _name_pieces(sentence, match.start(), match.end(), context):
            if not _ordinary_word(sentence, start, end, context):
                add(start, end, *_name_kind(sentence[start:end], titled, context))
    return sorted(found, key=lambda c: c.start)


def _looks_like_title(text: str) -> bool:
    """A quoted work or word, not a quoted remark: short, or mostly capitalised."""
    parts = text.split()
    capitalised = sum(p[:1].isupper() for p in parts)
    return len(parts) <= 2 or (len(parts) <= 8 and capitalised * 2 > len(parts))


def _strip_punct(sentence: str, start: int, end: int) -> tuple[int, int]:
    while (
        end > start and sentence[end - 1] in ".,;:!?'’-" and not _ABBREV.search(sentence[start:end])
    ):
        end -= 1
    return start, end


def _name_pieces(sentence: str, start: int, end: int, context: str) -> list[tuple[int, int, bool]]:
    """Split a capitalised span at person titles and trim it; `titled` marks a piece that
    followed a title ("Gov. Nikki Haley" → "Nikki Haley", titled)."""
    span = sentence[start:end]
    tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", span)]
    pieces: list[tuple[list[tuple[int, int]], bool]] = [([], False)]
    for tok in tokens:
        word = sentence[tok[0] : tok[1]].lower().rstrip(".")
        if word in cues().person_titles:
            pieces.append(([], True))
        else:
            pieces[-1][0].append(tok)
    out = []
    for piece, titled in pieces:
        trimmed = _trim_piece(sentence, piece, context)
        if trimmed:
            out.append((*trimmed, titled))
    return out


def _trim_piece(
    sentence: str, tokens: list[tuple[int, int]], context: str
) -> tuple[int, int] | None:
    tokens = list(tokens)
    not_names = cues().not_names
    while tokens and sentence[tokens[0][0] : tokens[0][1]].lower().rstrip(".’'s") in not_names:
        tokens.pop(0)
    while tokens and sentence[tokens[-1][0] : tokens[-1][1]].lower() in {"of", "the", "and", "&"}:
        tokens.pop()
    if not tokens:
        return None
    s, e = _strip_punct(sentence, tokens[0][0], tokens[-1][1])
    if sentence[e - 2 : e] in ("’s", "'s"):
        bare = re.escape(sentence[s : e - 2])
        if not context or re.search(rf"\b{bare}\b(?!['’])", context):
            e -= 2
    name = sentence[s:e]
    if len(name) < 2 or (name.isupper() and len(name) > 6):  # initials, "WASHINGTON" datelines
        return None
    return s, e


def _ordinary_word(sentence: str, start: int, end: int, context: str) -> bool:
    """A one-word capitalised span that is an ordinary word: it also appears in lower case in
    the context ("Officials"), or only ever at the start of a sentence ("Adding")."""
    word = sentence[start:end]
    if " " in word or place_kind(word) or not context:
        return False
    if re.search(rf"\b{re.escape(word.lower())}\b", context):
        return True
    mid_sentence = re.search(rf"[a-z,]\s+{re.escape(word)}\b", context)
    return start == 0 and mid_sentence is None


def _name_kind(name: str, titled: bool, context: str) -> tuple[str, str | None]:
    kind = place_kind(name)
    if kind:
        return "place", kind
    parts = name.split()
    if any(p.lower() in cues().org_words for p in parts) or starts_with_place(name):
        return "org", None
    if re.fullmatch(r"[A-Z]{2,6}", name):
        return "name", None
    if any(p.lower() in cues().not_person for p in parts):
        return "name", None
    if titled:
        return "person", None
    if 2 <= len(parts) <= 4 and all(p[:1].isupper() for p in parts):
        return ("person" if not context or _mentioned_alone(parts[-1], context) else "name"), None
    return "name", None


def _mentioned_alone(surname: str, context: str) -> bool:
    """True when `surname` appears without a capitalised word before it ("…, Haley said")."""
    for match in re.finditer(rf"(\S*)\s+{re.escape(surname)}\b", context):
        before = match.group(1)
        if not before[:1].isupper() or before[-1:] in '.!?"”':
            return True
    return False


# How well a candidate kind fits a question kind (missing pairs score 0).
TYPE_FIT: dict[str, dict[str, float]] = {
    "person": {"person": 1.0, "name": 0.5, "org": 0.2, "title": 0.1},
    "place": {"place": 1.0, "name": 0.4, "org": 0.15, "person": 0.05},
    "org": {"org": 1.0, "name": 0.8, "place": 0.35, "person": 0.1, "title": 0.2},
    "title": {"title": 1.0, "name": 0.5, "org": 0.3, "person": 0.1},
    "name": {"name": 0.8, "title": 0.8, "org": 0.6, "person": 0.5, "place": 0.4},
    "number": {"number": 1.0, "money": 0.6, "percent": 0.6},
    "money": {"money": 1.0, "number": 0.4},
    "amount": {"money": 1.0, "percent": 1.0, "number": 0.6},
    "percent": {"percent": 1.0, "number": 0.4},
    "date": {"date": 1.0, "number": 0.1},
    "thing": {"name": 0.5, "org": 0.4, "title": 0.4, "place": 0.2, "person": 0.2},
}




def type_fit(expected: QuestionType, candidate: Candidate) -> float:
    """0..1: how well `candidate` fits the asked type; places also match the asked place kind."""
    fit = TYPE_FIT.get(expected.kind, {}).get(candidate.kind, 0.0)
    if expected.kind == "date" and expected.head == "year" and not re.search(
            r"\b(?:1[89]|20)\d\d\b", candidate.text):
        return 0.0  # "in what year…" is answered by a year
    if candidate.kind == "date" and expected.head not in ("year", "day", "month"):
        if re.fullmatch(r"\d{4}", candidate.text):
            fit *= 0.5  # a bare year rarely answers "when"
        elif re.fullmatch(_WEEKDAY, candidate.text):
            fit *= 0.7
    if candidate.text in cues().home_country:
        fit *= 0.3  # US news names the US everywhere; it is rarely the asked place
    if candidate.kind == "place" and expected.kind == "place" and expected.head:
        wanted = {
            stem("country"): "country",
            stem("nation"): "country",
            stem("state"): "state",
            stem("city"): "city",
            stem("town"): "city",
        }.get(expected.head)
        if wanted and candidate.place != wanted:
            fit *= 0.5
    return fit

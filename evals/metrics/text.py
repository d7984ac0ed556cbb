"""Pure text helpers shared by the metrics: answer normalisation, numbers, dates, names.

>>> normalise_answer("The Twelve  people!")
'12 people'
>>> sorted(numbers_in("At least seven died; 1,200 homes and 3.5% of roads"))
['1200', '3.5', '7']
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from rag.text.lexicon import lexicon
from rag.text.stem import stem

_ARTICLES = frozenset({"a", "an", "the"})
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@cache
def number_words() -> dict[str, str]:
    """Number words, scales and ordinals as digits ("twelve" → "12", "first" → "1st")."""
    return lexicon().pairs("number_one", "number_words", "scale_values", "ordinals")


@cache
def months() -> tuple[str, ...]:
    return tuple(lexicon().ordered("months"))


def stopwords() -> frozenset[str]:
    return lexicon().stopwords("eval")


@cache
def _month_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(m.capitalize() for m in months()) +
                      r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b")
_TOKEN = re.compile(r"[^\W_][\w'’-]*")


def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into spaces, collapse whitespace."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,200 -> 1200
    text = re.sub(r"['’]s\b", "", text)
    return " ".join(re.sub(r"[^0-9a-z.%$]+|(?<!\d)\.|\.(?!\d)", " ", text).split())


def normalise_answer(text: str) -> str:
    """`fold`, drop articles, number words → digits (SQuAD-style, plus numbers)."""
    numbers = number_words()
    tokens = [numbers.get(t, t) for t in fold(text).split() if t not in _ARTICLES]
    return " ".join(tokens)


def tokens(text: str) -> list[str]:
    """Normalised answer tokens."""
    return normalise_answer(text).split()


def contains_phrase(haystack: str, needle: str) -> bool:
    """Word-bounded containment of `needle` in `haystack`, both normalised."""
    n = normalise_answer(needle)
    return bool(n) and f" {n} " in f" {normalise_answer(haystack)} "


def numbers_in(text: str) -> set[str]:
    """Numbers as digit strings (commas dropped), including number words ("seven" → "7")."""
    found = {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}
    numbers = number_words()
    found |= {numbers[w] for w in re.findall(r"[a-z]+", text.lower()) if w in numbers
              and not numbers[w].endswith(("st", "nd", "rd", "th"))}
    return found


def dates_in(text: str) -> set[str]:
    """Capitalised month names (full, lower-case) and four-digit years mentioned in the text."""
    full = {m[:3]: m for m in months()} | {"sept": "september"}
    found = {full[m.group(1).lower()[:3]] for m in _month_pattern().finditer(text)}
    return found | set(_YEAR.findall(text))


def names_in(text: str) -> set[str]:
    """Capitalised words (not function words, months, or a lone sentence-initial word), folded.

    >>> sorted(names_in("Officials said Mayor Inès Calloway of Orlow spoke at COP26. It rained."))
    ['calloway', 'cop26', 'ines', 'mayor', 'orlow']
    """
    out: set[str] = set()
    tokens = list(_TOKEN.finditer(text))
    for i, match in enumerate(tokens):
        word = match.group(0)
        if not word[0].isupper():
            continue
        if _sentence_initial(text, match.start()) and not _capital_follows(text, tokens, i):
            continue
        for w in fold(word).split():
            if w not in stopwords() and w not in months() and w not in number_words() \
                    and w != "i" \
                    and not w.isdigit():
                out.add(w)
    return out


def _capital_follows(text: str, tokens: list[re.Match[str]], i: int) -> bool:
    """The next token is capitalised and only whitespace separates it from token i."""
    if i + 1 >= len(tokens):
        return False
    after = tokens[i + 1]
    return after.group(0)[0].isupper() and text[tokens[i].end() : after.start()].isspace()


def present(word: str, folded: str) -> bool:
    """`word` occurs in the folded text, not inside a longer word."""
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", folded) is not None


def _sentence_initial(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:\n"


def content_words(text: str) -> list[str]:
    """Lower-cased, lightly stemmed words minus stopwords (for lexical coverage)."""
    stop = stopwords()
    return [stem(w) for w in tokens(text) if w not in stop and not w.isdigit()]

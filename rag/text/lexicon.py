"""One lexicon: the word lists every component uses, kept as package data, not code.

The lists live in `rag/text/data/lexicon.txt`, one section per list (`=== name ===` headings,
words separated by spaces or new lines, `#` comments); a component names the sections it
needs in its tuning dataclass. Component-specific lists (answer-type cues, places) live beside
their component and are read with the same loader (`read_sections`).

>>> lex = lexicon()
>>> "the" in lex.words("function_words"), "said" in lex.words("reporting_verbs")
(True, True)
>>> lex.number_words()["fourteen"]
'14'
"""

from __future__ import annotations

from functools import cache

from rag.text.sections import read_sections


def read_data(package: str, name: str) -> dict[str, str]:
    """The sections of `<package>/data/<name>`, comments dropped, keyed by heading."""
    return {key: body.strip() for key, body in
            read_sections(package, "data", name, comments=True).items()}


def read_word_sets(package: str, name: str) -> dict[str, frozenset[str]]:
    """Each section of `<package>/data/<name>` as a set of words (split on white space)."""
    return {key: frozenset(body.split()) for key, body in read_data(package, name).items()}


def read_phrase_lists(package: str, name: str) -> dict[str, list[str]]:
    """Each section as a list of phrases, one per line (names with spaces: "New York")."""
    return {key: [line.strip() for line in body.splitlines() if line.strip()]
            for key, body in read_data(package, name).items()}


class Lexicon:
    """Named word sets read once from `rag/text/data/lexicon.txt`."""

    def __init__(self, sections: dict[str, frozenset[str]], ordered: dict[str, list[str]]) -> None:
        self._sections = sections
        self._ordered = ordered
        self._unions: dict[tuple[str, ...], frozenset[str]] = {}

    def words(self, *names: str) -> frozenset[str]:
        """The union of the named sections; a KeyError names an unknown section."""
        if names not in self._unions:
            out: frozenset[str] = frozenset()
            for name in names:
                if name not in self._sections:
                    raise KeyError(f"no section {name!r} in rag/text/data/lexicon.txt")
                out |= self._sections[name]
            self._unions[names] = out
        return self._unions[names]

    def stopwords(self, purpose: str) -> frozenset[str]:
        """The stop words for one purpose: section `stop_<purpose>` lists the sections whose
        union it is (e.g. `stop_keyword_search = function_words personal_pronouns …`)."""
        return self.words(*self._ordered[f"stop_{purpose}"])

    def ordered(self, name: str) -> list[str]:
        """A section's words in file order (months, weekdays)."""
        return list(self._ordered[name])

    def pairs(self, *names: str) -> dict[str, str]:
        """`word:value` sections as one mapping ("fourteen" → "14")."""
        return dict(pair.split(":", 1) for name in names for pair in self._ordered[name])

    def number_words(self) -> dict[str, str]:
        """Number words from two up and their digits ("fourteen" → "14")."""
        return self.pairs("number_words")


@cache
def lexicon() -> Lexicon:
    """The lexicon, read on first use (never at import time)."""
    raw = read_data("rag.text", "lexicon.txt")
    return Lexicon({k: frozenset(v.split()) for k, v in raw.items()},
                   {k: v.split() for k, v in raw.items()})

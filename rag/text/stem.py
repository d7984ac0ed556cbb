"""One stemmer for every lexical comparison: Snowball (Porter 2) English, from the maintained
`snowballstemmer` package (pure Python, no data to download), with a possessive dropped first.

>>> [stem(w) for w in ("companies", "company", "offered", "offering", "Carrow's", "died")]
['compani', 'compani', 'offer', 'offer', 'carrow', 'die']
"""

from __future__ import annotations

from functools import cache, lru_cache

import snowballstemmer


@cache
def _english() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The stem of one word (lower-cased; a trailing 's or ’s is dropped first)."""
    word = word.lower()
    for suffix in ("'s", "’s"):
        word = word.removesuffix(suffix)
    return str(_english().stemWord(word))

"""Place names by kind, so the extractive answerer can type a capitalised span as a place.

`place_kind("Kenya") == "country"`, `place_kind("Ohio") == "state"`, `place_kind("Leeds") ==
"city"`; anything not listed returns None (and is then typed by other cues). The names are
package data: `rag/text/data/places.txt`.

>>> place_kind("Kenya"), place_kind("the Netherlands"), place_kind("Atlantis")
('country', 'country', None)
"""

from __future__ import annotations

from functools import cache

from rag.text.lexicon import read_phrase_lists

# Applied in this order, so a later kind wins a clash.
_KINDS = (("regions", "region"), ("cities", "city"), ("us_states", "state"),
          ("countries", "country"))


@cache
def _places() -> dict[str, str]:
    lists = read_phrase_lists("rag.text", "places.txt")
    table: dict[str, str] = {}
    for section, kind in _KINDS:
        table.update({name.lower(): kind for name in lists[section]})
    return table


def place_kind(name: str) -> str | None:
    """'country', 'state', 'city', 'region' or None for a name not in the lists."""
    return _places().get(name.lower().removeprefix("the "))


def starts_with_place(name: str) -> bool:
    """True when a multi-word name starts with a known place ("Buffalo Bills", "Alaska Air")."""
    parts = name.split()
    return any(place_kind(" ".join(parts[:i])) is not None for i in range(1, len(parts)))

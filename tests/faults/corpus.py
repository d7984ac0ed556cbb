"""A small fictional news corpus written on the spot, for fault tests and `bench/faults.py`.

Every article is made up (invented towns, people and events), seeded, so a run is repeatable,
and short, so an ingest of the whole corpus takes seconds with the hashing embedder.

>>> docs = articles(3, seed=7)
>>> [d["id"] for d in docs], docs[0]["publish_date"]
(['story-000', 'story-001', 'story-002'], '2026-09-01')
>>> articles(3, seed=7) == docs
True
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

TOWNS = "Port Ellery|Carrow|Dunmere|Halvik|Ostbridge|Lannick|Brevet Falls|Morrow Cove".split("|")
PEOPLE = "Ada Quell|Tomas Rindle|Mira Okafor|Jonah Vale|Irena Holt|Felix Amundsen".split("|")
THINGS = "bridge|library|ferry|market|school|harbour wall|tram line|clinic".split("|")
VERBS = "reopened|closed|was repaired|was extended|was inspected|won funding".split("|")


def sentence(rng: random.Random) -> str:
    """One invented news sentence."""
    town, person, thing, verb = (rng.choice(TOWNS), rng.choice(PEOPLE), rng.choice(THINGS),
                                 rng.choice(VERBS))
    count = rng.randint(2, 900)
    return rng.choice([
        f"The {thing} in {town} {verb} on Monday, {person} said.",
        f"About {count} residents came to see the {thing} in {town}.",
        f"{person} told reporters that the {thing} {verb} after {count} days.",
        f"Council members in {town} voted {count} to {count // 3} on the {thing}.",
    ])


def articles(n: int, seed: int = 16, sentences: int = 9) -> list[dict[str, str]]:
    """`n` JSONL-style records (id, title, text, publish_date, source)."""
    rng = random.Random(seed)
    start = date(2026, 9, 1)
    out = []
    for i in range(n):
        body = " ".join(sentence(rng) for _ in range(sentences))
        out.append({"id": f"story-{i:03d}", "title": f"{rng.choice(TOWNS)} report {i}",
                    "text": body, "publish_date": (start + timedelta(days=i % 60)).isoformat(),
                    "source": rng.choice(["Valley Wire", "Harbour Post"])})
    return out


def write_corpus(folder: Path, n: int, seed: int = 16, files: int = 4) -> list[Path]:
    """`n` articles spread over `files` .jsonl files in `folder`; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    records = articles(n, seed)
    paths = []
    for f in range(files):
        path = folder / f"feed-{f}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records[f::files]))
        paths.append(path)
    return paths

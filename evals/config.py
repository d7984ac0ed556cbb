"""The configuration an eval ran under, and its hash: what a baseline comparison must match.

>>> config_hash({"a": 1}) == config_hash({"a": 1})
True
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from rag.app import App

PROMPT_VERSION = "n/a"  # the extractive mode has no prompt; the LLM mode will version its own
# Modules whose code decides the answers: their source hashes show up in the config diff.
ANSWER_PATH = ("ingest.chunker", "rag.retriever", "rag.service", "rag.timeframe",
               "rag.extractive", "rag.answer_types", "rag.gazetteer")


def eval_config(
    app: App, k: int | None = None, default_as_of: date | None = None, retrieval_k: int = 5,
    judge: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything that changes answers: embedder, chunking, retrieval, answerer and time knobs;
    with the LLM judge, `judge` (its model and prompt version: `LLMJudge.describe()`). Offline
    runs have no "judge" key, so their hash matches baselines made before the LLM judge."""
    s = app.settings
    model_id = getattr(app.embedder, "model_id", type(app.embedder).__name__)
    config = {
        "embedder": model_id,
        "ingest": {"chunk_chars": s.ingest.chunk_chars,
                   "overlap_sentences": s.ingest.overlap_sentences},
        "retrieve": s.retrieve.model_dump(),
        "answer": {"mode": s.answer.mode, "top_k": k or s.answer.top_k,
                   "min_support": _effective_threshold(s.answer.min_support)},
        "time": s.time.model_dump(),
        "prompt_version": PROMPT_VERSION,
        "default_as_of": default_as_of.isoformat() if default_as_of else None,
        "retrieval_metrics_k": retrieval_k,
        "code": code_version(),
    }
    if judge is not None:
        config["judge"] = judge
    return config


def code_version(modules: tuple[str, ...] = ANSWER_PATH) -> dict[str, str]:
    """Short source hash of each module on the answer path ("missing" if it cannot be found)."""
    out = {}
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin) if spec and spec.origin else None
        out[name] = (hashlib.sha256(origin.read_bytes()).hexdigest()[:10]
                     if origin and origin.is_file() else "missing")
    return out


def _effective_threshold(min_support: float) -> float:
    if min_support >= 0:
        return min_support
    from rag.extractive import DEFAULT_MIN_SUPPORT

    return DEFAULT_MIN_SUPPORT


def newest_publish_date(catalog_path: Path) -> date | None:
    """The latest publish date in a collection's catalog (read-only), or None.

    Questions without `as_of` are asked as of this date, so a run does not depend on the day
    it happens. (Reads the catalog's `documents` table; a `Catalog` method would be cleaner.)
    """
    if not catalog_path.is_file():
        return None
    with closing(sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True)) as db:
        row = db.execute("SELECT max(publish_date) FROM documents").fetchone()
    try:
        return date.fromisoformat(row[0]) if row and row[0] else None
    except ValueError:
        return None


def config_hash(config: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]


def config_diff(
    old: dict[str, Any], new: dict[str, Any], prefix: str = ""
) -> list[tuple[str, Any, Any]]:
    """Dotted keys whose values differ: (key, old, new); a missing side is None."""
    out: list[tuple[str, Any, Any]] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += config_diff(a, b, f"{prefix}{key}.")
        elif a != b:
            out.append((f"{prefix}{key}", a, b))
    return out

"""Judgements cached on disk, so a re-run makes no model call.

One SQLite file, `<data dir>/judge-cache/judgments.sqlite`; one row per judged item (a sentence's
claims, or one claim's verdict against one passage), keyed by the sha256 of the model, the prompt
version, the step and the item's input — not the endpoint URL, so the same model behind another
URL reuses it. Another model or prompt version misses. Only validated replies are stored: a
`judge_error` is tried again on the next run.

>>> cache = JudgeCache()
>>> key = cache_key("gemma", "judge_v1", "claims", {"sentence": "Ten died."})
>>> cache.get(key) is None
True
>>> cache.put("gemma", "claims", {key: ["Ten died."]}); cache.get(key)
['Ten died.']
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.llm_judge.prompts import JUDGE_PROMPT_VERSION
from rag.core.errors import StoreError

_SCHEMA = """CREATE TABLE IF NOT EXISTS judgments (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    step TEXT NOT NULL,
    output TEXT NOT NULL,
    created TEXT NOT NULL
)"""


def cache_path(data_dir: Path) -> Path:
    return data_dir / "judge-cache" / "judgments.sqlite"


def cache_key(model: str, prompt_version: str, step: str, item: Mapping[str, Any]) -> str:
    blob = json.dumps({"model": model, "prompt_version": prompt_version, "step": step,
                       "input": item}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


class JudgeCache:
    """Key → JSON output; in memory when `path` is None."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(":memory:" if path is None else str(path))
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the judge cache {path}: {exc} — delete the file or "
                             "point --data-dir elsewhere") from None

    def get(self, key: str) -> Any | None:
        row = self._db.execute("SELECT output FROM judgments WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, model: str, step: str, outputs: Mapping[str, Any],
            prompt_version: str = JUDGE_PROMPT_VERSION) -> None:
        """Store several outputs (key → JSON value) in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO judgments VALUES (?, ?, ?, ?, ?, ?)",
                [(k, model, prompt_version, step, json.dumps(v, ensure_ascii=False), now)
                 for k, v in outputs.items()])

    def close(self) -> None:
        self._db.close()

"""The configuration an eval ran under, and its hash: what a baseline comparison must match.

>>> config_hash({"a": 1}) == config_hash({"a": 1})
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
from datetime import date
from pathlib import Path
from typing import Any

from rag.app import App

NO_PROMPT = "n/a"  # the extractive mode has no prompt
# Code and data that decide the answers, in every mode: each file's hash shows in the config
# diff. Packages count with every module and data file in them (prompts, word lists).
ANSWER_PATH = ("ingest.chunker", "ingest.clean", "rag.stores.catalog", "rag.retrieve",
               "rag.service", "rag.text", "rag.answer")


def eval_config(
    app: App, k: int | None = None, default_as_of: date | None = None, retrieval_k: int = 5,
    judge: dict[str, Any] | None = None, decider: dict[str, Any] | None = None,
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
        "answer": {"mode": app.mode, "top_k": k or s.answer.top_k,
                   "min_support": _effective_threshold(s.answer.min_support)},
        "time": s.time.model_dump(),
        "prompt_version": getattr(app.answerer, "prompt_version", NO_PROMPT),
        "default_as_of": default_as_of.isoformat() if default_as_of else None,
        "retrieval_metrics_k": retrieval_k,
        "code": code_version(),
    }
    if app.mode == "local":  # which model read, and how its refusals were decided
        tuning = getattr(app.answerer, "tuning", None)
        config["local"] = {"model": app.local_model.name,
                           "tuning": dataclasses.asdict(tuning) if tuning else None}
    if judge is not None:
        config["judge"] = judge
    if decider is not None:  # the model judge decides faithfulness
        config["faithfulness_judge"] = decider
    return config


def code_version(names: tuple[str, ...] = ANSWER_PATH) -> dict[str, str]:
    """Short source hash of each file on the answer path, by path relative to its top package
    ("missing" for a name that cannot be found)."""
    out: dict[str, str] = {}
    for name in names:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin) if spec and spec.origin else None
        if origin is None or not origin.is_file():
            out[name] = "missing"
            continue
        files = sorted(_source_files(origin.parent)) if origin.name == "__init__.py" else [origin]
        depth = len(name.split(".")) - (0 if origin.name == "__init__.py" else 1)
        top = origin.parents[depth]  # the folder holding the top-level package
        for path in files:
            out[path.relative_to(top).as_posix()] = _short_hash(path)
    return out


def _source_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".py", ".txt", ".yaml")
            and "__pycache__" not in p.parts]


def _short_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def _effective_threshold(min_support: float) -> float:
    if min_support >= 0:
        return min_support
    from rag.answer.extractive import DEFAULT_MIN_SUPPORT

    return DEFAULT_MIN_SUPPORT


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

"""Convert the realtimeqa dev set's questions into the eval dataset format.

The dev set is internal-use only: write the converted file outside the repository.

    python -m evals.convert_realtimeqa \
        ../shared/devsets/realtimeqa_dev/questions.jsonl /tmp/rtqa.jsonl

Field mapping: `answer` → answers [[answer]] (" / "-joined golds become aliases of one group),
`evidence` → gold_docs, `question_type == "unanswerable_in_corpus"` → expect_refusal,
`question_date` → as_of; `quiz_source` and the question type become tags.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.dataset import EvalItem


def convert_record(record: dict[str, Any]) -> EvalItem:
    """One realtimeqa question → an `EvalItem` (validated)."""
    unanswerable = record.get("question_type") == "unanswerable_in_corpus"
    answer = str(record.get("answer") or "").strip()
    aliases = [a.strip() for a in answer.split(" / ") if a.strip()]
    tags = [t for t in (record.get("question_type"), record.get("quiz_source")) if t]
    return EvalItem(
        id=record["id"],
        question=record["question"],
        as_of=record.get("question_date"),
        answers=[] if unanswerable or not aliases else [aliases],
        gold_answer=None if unanswerable else answer or None,
        gold_docs=[] if unanswerable else list(record.get("evidence") or []),
        expect_refusal=unanswerable,
        tags=[str(t).lower().replace(" ", "_") for t in tags],
    )


def convert_file(src: Path, dst: Path) -> int:
    """Convert every line of `src` into `dst`; return the number of items written."""
    text = src.read_text(encoding="utf-8")
    items = [convert_record(json.loads(line)) for line in text.splitlines() if line.strip()]
    dst.write_text(
        "".join(item.model_dump_json(exclude_defaults=True) + "\n" for item in items),
        encoding="utf-8",
    )
    return len(items)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="realtimeqa questions.jsonl")
    parser.add_argument("dst", type=Path, help="output JSONL (keep it outside the repository)")
    args = parser.parse_args(argv)
    print(f"wrote {convert_file(args.src, args.dst)} items to {args.dst}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

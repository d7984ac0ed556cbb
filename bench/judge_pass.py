"""Every claim/evidence pair of faithfulness_dev through every judge available, once.

For each row of WiCE dev and Factcheck-GPT dev (human labels; `../shared/devsets/
faithfulness_dev`, never committed) it records the offline lexical judge's verdict, the model's
P(supported) on the best-matching evidence windows, the cheap checks, and the time each took.
`bench/judge_report.py` turns the records into the committed tables and calibrates the
threshold. Model calls are cached (`--cache`), so a re-run with other tuning is quick.

    python bench/judge_pass.py --out /tmp/judge.jsonl
    python bench/judge_pass.py --limit 40 --out /tmp/j.jsonl          # a quick look
    CITECHAT_LLM__BASE_URL=… python bench/judge_pass.py --endpoint --out /tmp/j-llm.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, log  # noqa: E402
from evals.llm_judge.cache import JudgeCache  # noqa: E402
from evals.metrics.faithfulness import judge_pair  # noqa: E402
from evals.metrics.text import content_words  # noqa: E402
from evals.model_judge.checks import (  # noqa: E402
    names_missing,
    negation_mismatch,
    numbers_missing,
)
from evals.model_judge.judge import ModelJudge  # noqa: E402
from rag.app import build_app  # noqa: E402
from rag.core.protocols import ChatModel  # noqa: E402
from rag.core.settings import load_settings  # noqa: E402

DEVSET = REPO.parent / "shared" / "devsets" / "faithfulness_dev"
SETS = {"wice": "wice_dev.jsonl", "factcheckgpt": "factcheckgpt_dev.jsonl"}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    judge = ModelJudge(_model(args), cache=JudgeCache(args.cache))
    with args.out.open("w", encoding="utf-8") as out:
        for name, file in SETS.items():
            rows = [json.loads(line) for line in (args.devset / file).open(encoding="utf-8")]
            rows = rows[: args.limit] if args.limit else rows
            log(f"{name}: {len(rows)} pairs with {judge.name}")
            started = time.perf_counter()
            for n, row in enumerate(rows, start=1):
                out.write(json.dumps(record(judge, name, row), ensure_ascii=False) + "\n")
                out.flush()
                if n % 50 == 0:
                    rate = n / (time.perf_counter() - started)
                    log(f"  {n}/{len(rows)} ({rate:.2f} pairs/s)")
    return 0


def record(judge: ModelJudge, name: str, row: dict) -> dict:
    claim, evidence = row["claim"], row["evidence"]
    t0 = time.perf_counter()
    lexical = judge_pair(claim, evidence).verdict
    t1 = time.perf_counter()
    calls = judge.calls
    p, window = judge.probability(claim, evidence)
    t2 = time.perf_counter()
    return {
        "set": name, "id": row["id"], "group": row["group"], "label": row["label"],
        "lexical": lexical, "p": p, "window_chars": len(window),
        "coverage": overlap(claim, evidence),
        "numbers_missing": numbers_missing(claim, evidence),
        "negation_mismatch": negation_mismatch(claim, evidence),
        "names_missing": names_missing(claim, evidence),
        "seconds": {"lexical": t1 - t0, "model": t2 - t1}, "cached": judge.calls == calls,
    }


def overlap(claim: str, evidence: str) -> float:
    """Share of the claim's content words found in the evidence (the one-line reference rule)."""
    wanted = set(content_words(claim))
    return len(wanted & set(content_words(evidence))) / len(wanted) if wanted else 1.0


def _model(args: argparse.Namespace) -> ChatModel:
    overrides: dict = {"data_dir": args.data_dir, "log": {"turns": False}}
    if args.model_path:
        overrides["local"] = {"model_path": args.model_path}
    app = build_app(load_settings(**overrides))
    if not args.endpoint:
        return app.local_model
    from rag.answer.llm.client import resolve_endpoint
    from rag.answer.llm.openai_model import OpenAIChatModel

    return OpenAIChatModel(resolve_endpoint(app.settings.llm, os.environ))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--devset", type=Path, default=DEVSET)
    p.add_argument("--data-dir", type=Path, default=Path("/tmp/citechat-judge"))
    p.add_argument("--cache", type=Path, default=Path("/tmp/citechat-judge/judgments.sqlite"))
    p.add_argument("--model-path", type=Path, help="a GGUF instead of the packaged model")
    p.add_argument("--endpoint", action="store_true",
                   help="judge with the OpenAI-compatible endpoint of the [llm] settings")
    p.add_argument("--limit", type=int, help="first N rows of each set")
    p.add_argument("--out", type=Path, required=True, help="records (JSONL), outside the repo")
    return p.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())

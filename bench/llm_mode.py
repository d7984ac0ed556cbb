"""Measure LLM mode on the sample eval set against a local OpenAI-compatible server.

Ingests the sample corpus (evals/datasets/sample_corpus) into a temporary data dir (real MiniLM
embeddings, hybrid retrieval),
asks every `--every`-th question of evals/datasets/sample.jsonl as of its `as_of` date, and
compares, on the same retrieved chunks: the extractive answer, the model's raw text, and the
verified LLM answer. Figures: correctness (a normalised gold alias contained in the answer),
citation validity, refusals on `expect_refusal`, and what the verifier changed.

    python -m llama_cpp.server --model model.gguf --chat_format gemma --n_threads 1 \
        --n_ctx 2048 --host 127.0.0.1 --port 18080 --verbose False &
    python bench/llm_mode.py --url http://127.0.0.1:18080/v1 --every 4 --write
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.pipeline import ingestor_for  # noqa: E402
from rag.answer.extractive import ExtractiveAnswerer  # noqa: E402
from rag.answer.llm.compose import UNSUPPORTED_MARK  # noqa: E402
from rag.app import build_app  # noqa: E402
from rag.core.errors import ModelError  # noqa: E402
from rag.core.settings import load_settings  # noqa: E402
from rag.core.types import Answer  # noqa: E402

EVAL = REPO / "evals" / "datasets" / "sample.jsonl"
CORPUS = REPO / "evals" / "datasets" / "sample_corpus"
RESULTS = REPO / "bench" / "results" / "llm_mode.md"
KEPT = ("supported", "wrongly_cited", "citation_added")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9.$%]+", " ", text)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)
    text = re.sub(r"\b(the|a|an)\b", " ", text)
    return " " + " ".join(text.split()) + " "


def correct(text: str, aliases: list[list[str]]) -> bool:
    return any(norm(a) in norm(text) for group in aliases for a in group if norm(a).strip())


def shown_claims(answer: Answer) -> str:
    """The answer without the sentences the verifier marked unsupported."""
    parts = re.split(r"(?=⚠ unsupported:)", answer.answer)
    return " ".join(p for p in parts if not p.startswith(UNSUPPORTED_MARK))


def score(q: dict, answer: Answer, text: str, catalog) -> dict:
    exact = [catalog.document_text(c.doc_id)[c.start:c.end] == c.quote for c in answer.citations]
    gold = set(q.get("gold_docs") or [])
    return {
        "refused": answer.refused,
        "correct": (not answer.refused) and correct(text, q["answers"]),
        "citations": len(answer.citations),
        "exact": sum(exact),
        "gold_cited": sum(c.doc_id in gold for c in answer.citations),
    }


def run(args: argparse.Namespace) -> dict:
    questions = [json.loads(line) for line in EVAL.open()][:: args.every][: args.limit]
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="citechat-llm-bench-"))
    settings = load_settings(
        data_dir=data_dir, answer={"mode": "llm", "top_k": args.top_k},
        llm={"base_url": args.url, "model": args.model, "max_tokens": args.max_tokens,
             "timeout_s": args.timeout, "context_tokens": args.context_tokens,
             "system_role": not args.no_system_role, "max_retries": 1},
    )
    app = build_app(settings)
    ingestor_for(app).ingest([CORPUS])
    extractive = ExtractiveAnswerer(embedder=app.embedder)
    rows = []
    for i, q in enumerate(questions, 1):
        as_of = date.fromisoformat(q["as_of"]) if q.get("as_of") else None
        chunks = app.service.retrieve(q["question"], args.top_k, None, as_of)
        started = time.perf_counter()
        try:
            llm = app.answerer.answer(q["question"], chunks)
        except ModelError as exc:
            print(f"{i}/{len(questions)} {q['id']} error: {exc}", file=sys.stderr, flush=True)
            rows.append({"id": q["id"], "expect_refusal": q["expect_refusal"], "error": str(exc)})
            continue
        seconds = time.perf_counter() - started
        ext = extractive.answer(q["question"], chunks)
        checks = llm.verification or []
        raw = " ".join(c.sentence for c in checks)
        fell_back = bool(checks) and not any(c.verdict in KEPT for c in checks) \
            and llm.mode != "llm"
        rows.append({
            "id": q["id"], "expect_refusal": q["expect_refusal"], "seconds": seconds,
            "llm": score(q, llm, shown_claims(llm), app.catalog),
            "raw_correct": correct(raw, q["answers"]),
            "extractive": score(q, ext, ext.answer, app.catalog),
            "verdicts": Counter(c.verdict for c in checks), "fell_back": fell_back,
            "marked_sentences": sum(bool(c.cited) for c in checks),
            "sentences": [(c.verdict, c.sentence) for c in checks], "shown": llm.answer,
        })
        print(f"{i}/{len(questions)} {q['id']} {seconds:.0f}s llm={rows[-1]['llm']} "
              f"verdicts={dict(rows[-1]['verdicts'])}", file=sys.stderr, flush=True)
    return {"rows": rows, "args": vars(args)}


def summarise(result: dict) -> str:
    errors = [r for r in result["rows"] if "error" in r]
    rows = [r for r in result["rows"] if "error" not in r]
    answerable = [r for r in rows if not r["expect_refusal"]]
    unanswerable = [r for r in rows if r["expect_refusal"]]

    def pct(n: int, d: int) -> str:
        return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "n/a"

    lines = [f"{len(rows)} questions answered, {len(errors)} failed with a model error.", "",
             "| | extractive | LLM raw text | LLM verified |", "|---|---|---|---|"]
    for label, key in (("correct (answerable)", "correct"),):
        ext = sum(r["extractive"][key] for r in answerable)
        llm = sum(r["llm"][key] for r in answerable)
        raw = sum(r["raw_correct"] for r in answerable)
        lines.append(f"| {label} | {pct(ext, len(answerable))} | {pct(raw, len(answerable))} "
                     f"| {pct(llm, len(answerable))} |")
    for label, pool in (("refused (expect_refusal)", unanswerable),
                        ("refused (answerable)", answerable)):
        ext = sum(r["extractive"]["refused"] for r in pool)
        llm = sum(r["llm"]["refused"] for r in pool)
        lines.append(f"| {label} | {pct(ext, len(pool))} | – | {pct(llm, len(pool))} |")
    for label, key in (("citations with exact offsets", "exact"),
                       ("citations to a gold document", "gold_cited")):
        n_ext = sum(r["extractive"]["citations"] for r in rows)
        n_llm = sum(r["llm"]["citations"] for r in rows)
        lines.append(f"| {label} | {pct(sum(r['extractive'][key] for r in rows), n_ext)} | – "
                     f"| {pct(sum(r['llm'][key] for r in rows), n_llm)} |")
    verdicts = sum((r["verdicts"] for r in rows), Counter())
    total = sum(verdicts.values())
    changed = [
        "", "What the verifier did, over every sentence the model wrote:", "",
        "| verdict | sentences |", "|---|---|",
        *(f"| {v} | {pct(verdicts[v], total)} |" for v in
          ("supported", "wrongly_cited", "citation_added", "unsupported", "not_a_claim")),
        "", f"Sentences the model wrote with a [n] marker: "
        f"{pct(sum(r['marked_sentences'] for r in rows), total)}.",
        f"Answers where no sentence survived and the extractive fallback answered: "
        f"{pct(sum(r['fell_back'] for r in rows), len(rows))}.",
        f"Seconds per LLM answer: median {sorted(r['seconds'] for r in rows)[len(rows) // 2]:.0f}"
        f", total {sum(r['seconds'] for r in rows) / 60:.1f} min.",
    ]
    return "\n".join(lines + changed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="OpenAI-compatible /v1 URL")
    parser.add_argument("--model", default="gemma-3-270m")
    parser.add_argument("--every", type=int, default=4, help="ask every N-th question")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--top-k", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--context-tokens", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--no-system-role", action="store_true",
                        help="rules in the user message (Gemma drops system messages)")
    parser.add_argument("--data-dir", type=Path, help="reuse this data dir (default: a temp one)")
    parser.add_argument("--json", type=Path, help="also write the per-question rows here")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS}")
    args = parser.parse_args()
    result = run(args)
    table = summarise(result)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(result, default=str, indent=1))
    if args.write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(table + "\n")


if __name__ == "__main__":
    main()

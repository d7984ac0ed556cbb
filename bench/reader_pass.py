"""One pass of every question through the extractive answerer and the local reading model.

For each question (as of its date) and each scenario — `answerable`, `unanswerable` (the dev
set's own), `removed` (an answerable question with its gold documents taken out of what is
retrieved: on-topic passages without the answer, what users meet most) — it records the
extractive answer, the reading model's support probability P(YES), its reply, the grounded
answer, and the timings. The records go to a JSONL file outside the repository (they hold dev
set text); `bench/reader_report.py` turns them into the committed tables.

    python bench/reader_pass.py --out /tmp/reader.jsonl                 # dev set + sample
    python bench/reader_pass.py --limit 30 --sets dev --out /tmp/r.jsonl  # a quick look
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DEVSET, log  # noqa: E402
from bench.corpus import Corpus, Question, load_corpus  # noqa: E402
from evals.metrics.correctness import alias_match  # noqa: E402
from ingest.pipeline import ingestor_for  # noqa: E402
from rag.answer.reader import ReaderAnswerer, read  # noqa: E402
from rag.app import App, build_app  # noqa: E402
from rag.core.settings import load_settings  # noqa: E402
from rag.core.types import ScoredChunk  # noqa: E402

K = 8


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out.open("w", encoding="utf-8")
    for name in args.sets:
        corpus = load_corpus(args.devset if name == "dev" else None, None)
        app = _app(args, name, corpus)
        questions = corpus.questions[: args.limit] if args.limit else corpus.questions
        log(f"{name}: {len(questions)} questions")
        for n, q in enumerate(questions, start=1):
            scenarios = ["unanswerable"] if q.unanswerable else ["answerable", "removed"]
            for scenario in scenarios:
                if scenario == "removed" and (name != "dev" or not q.gold_docs):
                    continue
                record = run_one(app, q, scenario) | {"set": name}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
            if n % 10 == 0:
                log(f"  {n}/{len(questions)}")
    out.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log(f"done; peak RSS {rss:.0f} MB")
    return 0


def _app(args: argparse.Namespace, name: str, corpus: Corpus) -> App:
    overrides = {"data_dir": args.data_dir, "collection": f"reader-{name}",
                 "answer": {"mode": "local"}, "log": {"turns": False}}
    if args.model_path:
        overrides["local"] = {"model_path": args.model_path}
    app = build_app(load_settings(**overrides))
    ingest = ingestor_for(app)
    report = ingest.ingest_items(corpus.documents) if corpus.documents is not None \
        else ingest.ingest(corpus.paths)
    log(f"{name}: {report.summary()}")
    return app


def run_one(app: App, q: Question, scenario: str) -> dict:
    as_of = date.fromisoformat(q.as_of) if q.as_of else None
    t0 = time.perf_counter()
    chunks = retrieve(app, q, as_of, drop=set(q.gold_docs) if scenario == "removed" else set())
    t_retrieve = time.perf_counter() - t0
    ranker = app.answerer_in("extractive")
    extractive = ranker.answer(q.question, chunks)
    extraction = ranker.extract(q.question, chunks)
    reader = app.answerer_in("local")
    assert isinstance(reader, ReaderAnswerer)
    t1 = time.perf_counter()
    ranked = reader.ranked(q.question, chunks)
    passages = reader.passages(chunks, ranked, q.question)
    t_passages = time.perf_counter() - t1
    support = reader.support(q.question, passages) if passages else 0.0
    t_support = time.perf_counter() - t1 - t_passages
    first = None
    reply = ""
    if passages:
        for piece in app.local_model.stream(reader.prompt("answer", q.question, passages),
                                            48):
            if first is None:
                first = time.perf_counter() - t1 - t_passages - t_support
            reply += piece
    t_full = time.perf_counter() - t1
    reading = read(reply, passages, support)

    answer = reader.compose(q.question, chunks, passages, reading) if passages else None
    return {
        "qid": q.qid, "scenario": scenario, "question": q.question, "as_of": q.as_of,
        "gold": q.answer_groups, "gold_docs": q.gold_docs,
        "retrieved_docs": [c.chunk.doc_id for c in chunks],
        "passage_docs": [p.chunk.doc_id for p in passages],
        "passage_chars": sum(len(p.chunk.text) for p in passages),
        "gold_in_passages": _contains_gold(" ".join(f"{p.chunk.title} {p.chunk.text}"
                                                    for p in passages), q.answer_groups),
        "gold_in_chunks": _contains_gold(" ".join(f"{c.chunk.title} {c.chunk.text}"
                                                  for c in chunks), q.answer_groups),
        "extractive": {"short": extractive.short_answer, "answer": extractive.answer,
                       "refused": extractive.refused, "support": extraction.support},
        "answer_logprobs": list(getattr(app.local_model, "last_logprobs", [])),
        "top_score": chunks[0].score if chunks else 0.0,
        "top_sentence": ranked[0].score if ranked else 0.0,
        "support": support, "reply": reply, "short": reading.short,
        "cited": reading.cited,
        "reader_answer": answer.answer if answer else None,
        "seconds": {"retrieve": t_retrieve, "passages": t_passages, "support": t_support,
                    "first_token_after_support": first, "reader_total": t_full},
    }


def _contains_gold(text: str, groups: list[list[str]]) -> bool:
    return bool(groups) and alias_match(text, groups)


def retrieve(app: App, q: Question, as_of: date | None, drop: set[str]) -> list[ScoredChunk]:
    """The passages `ask` reads; with `drop`, as if those documents were not in the index."""
    if not drop:
        return app.service.retrieve(q.question, K, None, as_of)
    pool = app.service.retrieve(q.question, K * 5, None, as_of)
    return [c for c in pool if c.chunk.doc_id not in drop][:K]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    p.add_argument("--sets", nargs="+", default=["dev", "sample"], choices=["dev", "sample"])
    p.add_argument("--data-dir", type=Path, default=Path("/tmp/citechat-reader"),
                   help="where the corpora are ingested (kept between runs)")
    p.add_argument("--model-path", type=Path, help="a GGUF instead of the packaged model")
    p.add_argument("--limit", type=int, help="first N questions of each set")
    p.add_argument("--out", type=Path, required=True, help="records (JSONL), outside the repo")
    return p.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())

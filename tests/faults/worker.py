"""A writer or reader in its own process, for fault tests and `bench/faults.py` (which kill it).

    python -m tests.faults.worker ingest DATA_DIR PATH... [--sync]
    python -m tests.faults.worker ask DATA_DIR QUESTION [--chroma-url URL]

It wires the app as the CLI does but with the hashing embedder (instant, deterministic), so a
run over `tests.faults.corpus` takes seconds. It prints the ingest summary or the answer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COLLECTION = "faults"


def build(data_dir: Path, chroma_url: str | None = None):  # noqa: ANN201 -- an App
    """The App the fault scenarios use: extractive answers, the hashing embedder."""
    from rag.app import build_app
    from rag.core.settings import load_settings
    from tests.fakes.hashing import HashingEmbedder

    chroma = {"url": chroma_url} if chroma_url else {}
    settings = load_settings(data_dir=data_dir, collection=COLLECTION, chroma=chroma,
                             answer={"mode": "extractive"}, ingest={"batch_docs": 8})
    return build_app(settings, embedder=HashingEmbedder(), turn_log=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="worker")
    parser.add_argument("what", choices=["ingest", "ask"])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("rest", nargs="+")
    parser.add_argument("--sync", action="store_true")
    parser.add_argument("--chroma-url")
    args = parser.parse_args(argv)
    from rag.core.errors import CitechatError

    try:
        return run(args)
    except CitechatError as exc:  # as the CLI prints it
        print(f"citechat: {exc}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace) -> int:
    app = build(args.data_dir, args.chroma_url)
    if args.what == "ask":
        print(app.service.ask(" ".join(args.rest)).answer)
        return 0
    from ingest.pipeline import ingestor_for

    report = ingestor_for(app).ingest([Path(p) for p in args.rest], sync=args.sync)
    print(report.summary(), flush=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())

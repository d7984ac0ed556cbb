"""What the sections share in one run: the temporary data dir, the corpus, and the corpus
collection (ingested once, on first use, by the ingest section's measurement)."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.common import CORPUS_COLLECTION, log, spread
from bench.corpus import Question, load_corpus
from bench.sections.ingest import measure_ingest
from rag.app import App, build_app
from rag.core.settings import CitechatSettings, load_settings
from rag.service import CitechatService


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="citechat-bench-"))
        self.corpus = load_corpus(args.devset, args.max_docs)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CITECHAT_")}
        for key in [k for k in os.environ if k.startswith("CITECHAT_")]:
            del os.environ[key]  # measure the defaults, not whatever this shell has set
        self.app: App | None = None
        self.ingest_result: dict[str, Any] | None = None
        self.service_error: str | None = None

    def settings(self, collection: str) -> CitechatSettings:
        return load_settings(None, data_dir=self.work, collection=collection)

    def corpus_app(self) -> App:
        """The corpus collection, ingested (and measured) on first use."""
        if self.app is None:
            self.app = build_app(self.settings(CORPUS_COLLECTION))
            self.ingest_result = measure_ingest(self.app, self.corpus, self.args.embed_every)
        return self.app

    def service(self, app: App) -> CitechatService | None:
        """The answer service, or None when it does not load (then `ask` is reported n/a)."""
        if self.service_error is not None:
            return None
        try:
            return app.service
        except Exception as exc:  # extractive answerer missing or broken: measure retrieve only
            self.service_error = f"{type(exc).__name__}: {exc}"
            log(f"answer service unavailable ({self.service_error}): ask is reported as n/a")
            return None

    def latency_queries(self) -> list[Question]:
        """`--queries` questions spread evenly through the question file (repeated if short)."""
        qs = self.corpus.questions
        if not qs:
            raise SystemExit("no questions found for the latency section")
        chosen = spread(qs, self.args.queries)
        while len(chosen) < self.args.queries:  # a small question file: go round again
            chosen += qs[: self.args.queries - len(chosen)]
        return chosen

    def close(self) -> None:
        if self.args.keep_data:
            log(f"data kept in {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

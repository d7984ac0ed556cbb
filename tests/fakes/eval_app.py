"""Deterministic fakes for the eval tests: a tiny in-memory collection and scripted answerers."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field

from evals.dataset import EvalItem
from rag.core.types import Answer, Chunk, Citation, RetrievedRef, ScoredChunk

FACTS = [  # (doc id, sentence holding the answer, question, answer)
    (f"d{i}", f"The {town} council approved {n} new homes on Monday.",
     f"How many new homes did the {town} council approve?", str(n))
    for i, (town, n) in enumerate(
        [("Orlow", 120), ("Dunmere", 45), ("Ashbridge", 300), ("Millhaven", 75),
         ("Kestlebury", 18), ("Brackwater", 260), ("Wethermoor", 33), ("Carrowford", 90)]
    )
]


class FakeCatalog:
    """Documents by id; each document is one chunk."""

    def __init__(self, docs: dict[str, str]) -> None:
        self.docs = docs

    def document_text(self, doc_id: str) -> str | None:
        return self.docs.get(doc_id)

    def content_hashes(self) -> dict[str, str]:
        return {d: str(hash(t)) for d, t in self.docs.items()}

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        return {c: chunk(c.removesuffix("#0"), self.docs[c.removesuffix("#0")])
                for c in chunk_ids if c.removesuffix("#0") in self.docs}


def chunk(doc_id: str, text: str) -> Chunk:
    return Chunk(chunk_id=f"{doc_id}#0", doc_id=doc_id, text=text, start=0, end=len(text))


def cited_answer(question: str, short: str, c: Chunk, quote: str, *, retrieved=()) -> Answer:
    """An extractive-style answer quoting `quote` from chunk `c` (offsets computed)."""
    start = c.text.index(quote)
    citation = Citation(n=1, chunk_id=c.chunk_id, doc_id=c.doc_id, title="", url=None,
                        publish_date=None, quote=quote, start=start, end=start + len(quote))
    refs = [RetrievedRef(chunk_id=x.chunk_id, doc_id=x.doc_id, score=1.0)
            for x in (retrieved or [c])]
    return Answer(question=question, answer=f'{short}. "{quote}" [1]', short_answer=short,
                  citations=[citation], retrieved=refs)


@dataclass
class ScriptedService:
    """Answers each question from its fact; ids in `wrong` get a wrong number, in `refuse` a
    refusal."""

    catalog: FakeCatalog
    wrong: set[str] = field(default_factory=set)
    refuse: set[str] = field(default_factory=set)

    def ask_with_chunks(self, question, k=None, filters=None, as_of=None):
        doc_id, sentence, _, answer = next(f for f in FACTS if f[2] == question)
        c = chunk(doc_id, self.catalog.docs[doc_id])
        scored = [ScoredChunk(chunk=c, score=1.0)]
        if doc_id in self.refuse:
            return Answer(question=question, answer="The documents don't say.", refused=True,
                          retrieved=[RetrievedRef(chunk_id=c.chunk_id, doc_id=doc_id, score=1)]
                          ), scored
        short = str(int(answer) + 1) if doc_id in self.wrong else answer
        return cited_answer(question, short, c, sentence), scored


@dataclass
class FakeApp:
    """Duck-types the parts of `rag.app.App` the runner uses."""

    service: ScriptedService
    catalog: FakeCatalog
    embedder: object | None = None


def fake_app(wrong: Sequence[str] = (), refuse: Sequence[str] = ()) -> FakeApp:
    catalog = FakeCatalog({d: f"Local news. {s} More later." for d, s, _, _ in FACTS})
    return FakeApp(ScriptedService(catalog, set(wrong), set(refuse)), catalog)


def fake_items() -> list[EvalItem]:
    return [EvalItem(id=f"q-{d}", question=q, answers=[[a]], gold_answer=a, gold_docs=[d])
            for d, _, q, a in FACTS]


def run_cli(argv: Sequence[str], monkeypatch, embedder) -> int:
    """`citechat eval …` in-process, with `embedder` instead of the real model; the exit code."""
    import rag.cli.common as cli_common
    from rag.app import build_app
    from rag.cli.eval import register

    monkeypatch.setattr(cli_common, "build_app", lambda s: build_app(s, embedder=embedder))
    parser = argparse.ArgumentParser(prog="citechat")
    register(parser.add_subparsers(dest="command", required=True), cli_common.common_flags())
    # The answerer and the judge without a model: extractive, lexical (unless a test says).
    defaults: list[str] = []
    for flag, value in (("--mode", "extractive"), ("--decision", "lexical")):
        if flag not in argv:
            defaults += [flag, value]
    args = parser.parse_args([*argv, *defaults])
    return args.run(args)

"""The composition root: every part built from one settings object, lazily, once per App.

Tests and callers inject their own parts (`build_app(settings, embedder=fake, llm=scripted)`);
nothing else reads settings or builds models. `ingest` wires its `Ingestor` from an App's
stores (`ingest.pipeline.ingestor_for`), so this layer never imports it.

>>> app = build_app(load_settings(), embedder=HashingEmbedder())   # doctest: +SKIP
>>> app.service.ask("Who won?").answer                             # doctest: +SKIP
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from rag.core.errors import ConfigError
from rag.core.protocols import Answerer, Embedder, TurnSink
from rag.core.settings import CitechatSettings
from rag.service import CitechatService
from rag.stores.catalog import Catalog
from rag.stores.turnlog import TurnLog

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from rag.retrieve.hybrid import HybridRetriever
    from rag.stores.chroma import DenseStore

MODES = ("extractive", "llm")


class App:
    """Lazily wired parts for one data dir and collection; each is built on first use."""

    def __init__(
        self,
        settings: CitechatSettings,
        *,
        embedder: Embedder | None = None,
        llm: LLM | None = None,
        turn_log: TurnSink | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder
        self._llm = llm
        if turn_log is None and settings.log.turns:
            turn_log = TurnLog.for_data_dir(settings.data_dir, settings.collection)
        self.turn_log = turn_log
        self._answerers: dict[str, Answerer] = {}
        self._services: dict[str, CitechatService] = {}

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.settings.collection_dir / "catalog.sqlite")

    @cached_property
    def dense(self) -> DenseStore:
        from rag.stores.chroma import DenseStore, open_client

        client = open_client(self.settings.data_dir, self.settings.chroma.url)
        return DenseStore(client, self.settings.collection, self.settings.chroma.max_batch)

    @cached_property
    def embedder(self) -> Embedder:
        if self._embedder is not None:
            return self._embedder
        from rag.stores.embedder import MiniLMEmbedder

        cfg = self.settings.embed
        return MiniLMEmbedder(max_tokens=cfg.max_tokens, batch_size=cfg.batch_size,
                              threads=cfg.threads)

    @cached_property
    def retriever(self) -> HybridRetriever:
        from rag.retrieve.hybrid import HybridRetriever

        return HybridRetriever(self.catalog, self.dense, self.embedder, self.settings.retrieve)

    @property
    def answerer(self) -> Answerer:
        """The answerer of the configured mode (`answer.mode`)."""
        return self.answerer_in(self.settings.answer.mode)

    @property
    def service(self) -> CitechatService:
        """The service answering in the configured mode."""
        return self.service_in(self.settings.answer.mode)

    def answerer_in(self, mode: str) -> Answerer:
        """The answerer for `mode` ("extractive" or "llm"), built on first use. The LLM one
        falls back to the extractive one when the model's answer fails verification."""
        if mode not in MODES:
            raise ConfigError(f"unknown answer mode {mode!r}: use one of {', '.join(MODES)}")
        if mode not in self._answerers:
            self._answerers[mode] = self._build_answerer(mode)
        return self._answerers[mode]

    def service_in(self, mode: str) -> CitechatService:
        """The retrieve-then-answer service for `mode`, built on first use."""
        if mode not in self._services:
            self._services[mode] = CitechatService(
                self.retriever, self.answerer_in(mode), answer_k=self.settings.answer.top_k,
                time_settings=self.settings.time, turn_log=self.turn_log,
            )
        return self._services[mode]

    def _build_answerer(self, mode: str) -> Answerer:
        if mode == "llm":
            from rag.answer.llm.answerer import LLMAnswerer

            fallback = self.answerer_in("extractive")
            if self._llm is not None:
                return LLMAnswerer.from_llm(self._llm, self.settings.llm, fallback=fallback)
            return LLMAnswerer.from_settings(self.settings.llm, fallback=fallback)
        from rag.answer.extractive import ExtractiveAnswerer

        threshold = self.settings.answer.min_support
        if threshold < 0:
            return ExtractiveAnswerer(embedder=self.embedder)
        return ExtractiveAnswerer(embedder=self.embedder, min_support=threshold)


def build_app(
    settings: CitechatSettings,
    *,
    embedder: Embedder | None = None,
    llm: LLM | None = None,
    turn_log: TurnSink | None = None,
) -> App:
    """The App for `settings`; any part given here replaces the one the settings would build."""
    return App(settings, embedder=embedder, llm=llm, turn_log=turn_log)

"""The composition root: every part built from one settings object, lazily, once per App.

Tests and callers inject their own parts (`build_app(settings, embedder=fake, llm=scripted)`);
nothing else reads settings or builds models. `ingest` wires its `Ingestor` from an App's
stores (`ingest.pipeline.ingestor_for`), so this layer never imports it.

>>> app = build_app(load_settings(), embedder=HashingEmbedder())   # doctest: +SKIP
>>> app.service.ask("Who won?").answer                             # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rag.answer.extractive import ExtractiveAnswerer
from rag.core.errors import ConfigError
from rag.core.protocols import Answerer, ChatModel, Embedder, TurnSink
from rag.core.settings import CitechatSettings
from rag.service import CitechatService
from rag.stores.catalog import Catalog
from rag.stores.turnlog import TurnLog

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from rag.retrieve.hybrid import HybridRetriever
    from rag.stores.chroma import DenseStore

MODES = ("auto", "local", "extractive", "llm")


class App:
    """Lazily wired parts for one data dir and collection; each is built on first use."""

    def __init__(
        self,
        settings: CitechatSettings,
        *,
        embedder: Embedder | None = None,
        llm: LLM | None = None,
        local_model: ChatModel | None = None,
        turn_log: TurnSink | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder
        self._llm = llm
        self._local_model = local_model
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

    @cached_property
    def local_model(self) -> ChatModel:
        """The local model (loaded on its first question, not here)."""
        if self._local_model is not None:
            return self._local_model
        from rag.answer.llm.local import LlamaCppModel

        cfg = self.settings.local
        return LlamaCppModel(self._local_model_path, threads=cfg.threads,
                             context_tokens=cfg.context_tokens,
                             name=cfg.model_path.stem if cfg.model_path else cfg.model)

    def _local_model_path(self) -> Path:
        cfg = self.settings.local
        if cfg.model_path is not None:
            return cfg.model_path
        from rag.answer.llm.gguf import PACKAGED, model_file

        return model_file(PACKAGED[cfg.model], cfg.cache_dir or self.settings.data_dir / "models")

    @property
    def mode(self) -> str:
        """The configured answer mode, with "auto" resolved."""
        return self.resolve_mode(self.settings.answer.mode)

    def resolve_mode(self, mode: str) -> str:
        """"auto" → "local" when the local model can run here, else "extractive"."""
        if mode != "auto":
            return mode
        return "local" if self._local_model is not None or local_model_available(
            self.settings) else "extractive"

    @property
    def answerer(self) -> Answerer:
        """The answerer of the configured mode (`answer.mode`)."""
        return self.answerer_in(self.mode)

    @property
    def service(self) -> CitechatService:
        """The service answering in the configured mode."""
        return self.service_in(self.mode)

    def answerer_in(self, mode: str) -> Answerer:
        """The answerer for `mode`, built on first use. The LLM one falls back to the
        extractive one when the model's answer fails verification."""
        if mode not in MODES:
            raise ConfigError(f"unknown answer mode {mode!r}: use one of {', '.join(MODES)}")
        mode = self.resolve_mode(mode)
        if mode not in self._answerers:
            self._answerers[mode] = self._build_answerer(mode)
        return self._answerers[mode]

    def service_in(self, mode: str) -> CitechatService:
        """The retrieve-then-answer service for `mode`, built on first use."""
        mode = self.resolve_mode(mode)
        if mode not in self._services:
            self._services[mode] = CitechatService(
                self.retriever, self.answerer_in(mode), answer_k=self.settings.answer.top_k,
                time_settings=self.settings.time, turn_log=self.turn_log,
            )
        return self._services[mode]

    def _build_answerer(self, mode: str) -> Answerer:
        if mode == "local":
            from rag.answer.reader import ReaderAnswerer, ReaderTuning

            cfg = self.settings.local
            tuning = ReaderTuning(max_passages=cfg.max_passages, passage_chars=cfg.passage_chars,
                                  max_tokens=cfg.max_tokens)
            if cfg.min_support >= 0:
                tuning = replace(tuning, min_support=cfg.min_support)
            ranker = self.answerer_in("extractive")
            assert isinstance(ranker, ExtractiveAnswerer)
            return ReaderAnswerer(self.local_model, ranker, tuning)
        if mode == "llm":
            from rag.answer.llm.answerer import LLMAnswerer

            fallback = self.answerer_in("extractive")
            if self._llm is not None:
                return LLMAnswerer.from_llm(self._llm, self.settings.llm, fallback=fallback)
            return LLMAnswerer.from_settings(self.settings.llm, fallback=fallback)
        threshold = self.settings.answer.min_support
        if threshold < 0:
            return ExtractiveAnswerer(embedder=self.embedder)
        return ExtractiveAnswerer(embedder=self.embedder, min_support=threshold)


def local_model_available(settings: CitechatSettings) -> bool:
    """Whether the local model can run: its runtime is installed, and a GGUF path is set or
    the packaged model's parts are installed (nothing is loaded or read)."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    if settings.local.model_path is not None:
        return settings.local.model_path.is_file()
    from rag.answer.llm.gguf import PACKAGED, installed

    return installed(PACKAGED[settings.local.model])


def build_app(
    settings: CitechatSettings,
    *,
    embedder: Embedder | None = None,
    llm: LLM | None = None,
    local_model: ChatModel | None = None,
    turn_log: TurnSink | None = None,
) -> App:
    """The App for `settings`; any part given here replaces the one the settings would build."""
    return App(settings, embedder=embedder, llm=llm, local_model=local_model, turn_log=turn_log)

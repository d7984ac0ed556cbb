"""The composition root: build every part from one settings object, once, at the entry point."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from rag.catalog import Catalog
from rag.protocols import Embedder
from rag.settings import CitechatSettings


class App:
    """Lazily wired parts for one data dir and collection; each is built on first use."""

    def __init__(self, settings: CitechatSettings, *, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._answerers: dict[str, Any] = {}  # by answer mode
        self._services: dict[str, Any] = {}
        if embedder is not None:  # tests and callers may bring their own model
            self.__dict__["embedder"] = embedder

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.settings.collection_dir / "catalog.sqlite")

    @cached_property
    def dense(self):  # -> DenseStore
        from rag.vectorstore import DenseStore, open_client

        client = open_client(self.settings.data_dir, self.settings.chroma.url)
        return DenseStore(client, self.settings.collection, self.settings.chroma.max_batch)

    @cached_property
    def embedder(self):  # -> MiniLMEmbedder
        from rag.embedder import MiniLMEmbedder

        cfg = self.settings.embed
        return MiniLMEmbedder(max_tokens=cfg.max_tokens, batch_size=cfg.batch_size,
                              threads=cfg.threads)

    @cached_property
    def ingestor(self):  # -> Ingestor
        from ingest.chunker import OffsetSentenceSplitter
        from ingest.pipeline import Ingestor
        from rag.li_embedding import EmbedderAdapter

        cfg = self.settings.ingest
        splitter = OffsetSentenceSplitter(
            chunk_chars=cfg.chunk_chars, overlap_sentences=cfg.overlap_sentences
        )
        model_id = getattr(self.embedder, "model_id", type(self.embedder).__name__)
        fingerprint = f"{model_id}|{cfg.chunk_chars}|{cfg.overlap_sentences}"
        return Ingestor(
            self.catalog,
            self.dense,
            EmbedderAdapter(self.embedder, model_name=model_id,
                            embed_batch_size=self.settings.embed.batch_size),
            splitter,
            batch_docs=cfg.batch_docs,
            fingerprint=fingerprint,
        )

    @cached_property
    def retriever(self):  # -> HybridRetriever
        from rag.retriever import HybridRetriever

        return HybridRetriever(self.catalog, self.dense, self.embedder, self.settings.retrieve)

    @property
    def answerer(self):  # -> ExtractiveAnswerer | LLMAnswerer
        """The answerer of the configured mode (`answer.mode`)."""
        return self.answerer_in(self.settings.answer.mode)

    @property
    def service(self):  # -> CitechatService
        """The service answering in the configured mode."""
        return self.service_in(self.settings.answer.mode)

    def answerer_in(self, mode: str):  # -> ExtractiveAnswerer | LLMAnswerer
        """The answerer for `mode` ("extractive" or "llm"), built on first use. The LLM one
        falls back to the extractive one when the model's answer fails verification."""
        if mode not in self._answerers:
            self._answerers[mode] = self._build_answerer(mode)
        return self._answerers[mode]

    def _build_answerer(self, mode: str):
        if mode == "llm":
            from rag.llm.answerer import LLMAnswerer

            return LLMAnswerer.from_settings(
                self.settings.llm, fallback=self.answerer_in("extractive"))
        from rag.extractive import ExtractiveAnswerer

        return ExtractiveAnswerer(
            embedder=self.embedder, **_threshold(self.settings.answer.min_support))

    def service_in(self, mode: str):  # -> CitechatService
        """The retrieve-then-answer service for `mode`, built on first use."""
        if mode not in self._services:
            from rag.service import CitechatService

            self._services[mode] = CitechatService(
                self.retriever, self.answerer_in(mode), answer_k=self.settings.answer.top_k,
                time_settings=self.settings.time,
            )
        return self._services[mode]


def _threshold(min_support: float) -> dict[str, float]:
    return {} if min_support < 0 else {"min_support": min_support}


def build_app(settings: CitechatSettings, *, embedder: Embedder | None = None) -> App:
    return App(settings, embedder=embedder)

"""The composition root: build every part from one settings object, once, at the entry point."""

from __future__ import annotations

from functools import cached_property

from rag.catalog import Catalog
from rag.protocols import Embedder
from rag.settings import CitechatSettings


class App:
    """Lazily wired parts for one data dir and collection; each is built on first use."""

    def __init__(self, settings: CitechatSettings, *, embedder: Embedder | None = None) -> None:
        self.settings = settings
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
        return MiniLMEmbedder(max_tokens=cfg.max_tokens, batch_size=cfg.batch_size, threads=cfg.threads)

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

    @cached_property
    def answerer(self):  # -> ExtractiveAnswerer | LLMAnswerer
        from rag.extractive import ExtractiveAnswerer

        cfg = self.settings.answer
        extractive = ExtractiveAnswerer(embedder=self.embedder, **_threshold(cfg.min_support))
        if cfg.mode != "llm":
            return extractive
        from rag.llm.answerer import LLMAnswerer

        return LLMAnswerer.from_settings(self.settings.llm, fallback=extractive)

    @cached_property
    def service(self):  # -> CitechatService
        from rag.service import CitechatService

        cfg = self.settings.answer
        return CitechatService(
            self.retriever, self.answerer, answer_k=cfg.top_k, mode=cfg.mode,
            time_settings=self.settings.time,
        )


def _threshold(min_support: float) -> dict[str, float]:
    return {} if min_support < 0 else {"min_support": min_support}


def build_app(settings: CitechatSettings, *, embedder: Embedder | None = None) -> App:
    return App(settings, embedder=embedder)

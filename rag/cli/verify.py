"""`citechat verify [--repair]`: the catalog and the vector store checked against each other."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from ingest.pipeline import command_line, ingestor_for
from ingest.repair import repair
from rag.app import App
from rag.cli.common import make_app, require_collection
from rag.core.errors import StoreError
from rag.core.protocols import Embedder
from rag.core.settings import CitechatSettings
from rag.stores.catalog import Catalog
from rag.stores.chroma import DenseStore, open_client
from rag.stores.chroma_local import set_aside
from rag.stores.lock import WriterLock
from rag.stores.salvage import salvage_catalog
from rag.stores.verify import Findings, check

HELP = """Check that every chunk in the catalog has its vector and every vector its chunk, that
no id or passage is stored twice, that the embedding model recorded with the vectors is the
one configured, that SQLite and its keyword index pass their integrity checks, and that a
sample of vectors can be found again by a search. Exit code 0 when all is well, 1 otherwise.
--repair drops orphan vectors, rebuilds the keyword index, re-embeds documents whose vectors
are missing, rebuilds a collection Chroma cannot read, salvages a damaged catalog (the damaged
file is kept beside it), and says what it did."""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("verify", parents=[common], help="check both stores against each other",
                       description=HELP)
    p.add_argument("--repair", action="store_true", help="fix what the check finds")
    p.add_argument("--wait", type=float, metavar="SECONDS", default=None,
                   help="with --repair: give up after this long if another writer is busy "
                   "(default: wait for it)")
    p.set_defaults(run=cmd_verify)


@dataclass
class _Parts:
    """What `ingestor_for` needs, built here so a damaged store can be rebuilt first."""

    settings: CitechatSettings
    catalog: Catalog
    dense: DenseStore
    embedder: Embedder


def cmd_verify(args: argparse.Namespace) -> int:
    app = make_app(args)
    require_collection(app.settings)
    model_id = getattr(app.embedder, "model_id", type(app.embedder).__name__)
    dim = int(app.embedder.embed(["dimension probe"]).shape[1])
    if not args.repair:
        found = _check(app.settings, model_id, dim)
        return _print(found)
    with WriterLock(app.settings.data_dir, command_line(), wait_s=args.wait):
        done = _repair(app, model_id, dim)
        found = _check(app.settings, model_id, dim)
    for line in done or ["nothing to repair"]:
        print(f"repaired: {line}")
    return _print(found)


def _check(settings: CitechatSettings, model_id: str, dim: int) -> Findings:
    try:
        catalog = Catalog(settings.collection_dir / "catalog.sqlite")
    except StoreError as exc:
        return Findings(integrity=[str(exc)])
    try:
        return check(catalog, _dense(settings), model_id, dim)
    except StoreError as exc:
        return Findings(broken=str(exc))
    finally:
        catalog.close()


def _repair(app: App, model_id: str, dim: int) -> list[str]:
    settings, done = app.settings, []
    path = settings.collection_dir / "catalog.sqlite"
    everything = False
    found = _check(settings, model_id, dim)
    if any("keyword index" not in p for p in found.integrity):
        saved = salvage_catalog(path)
        done.append(f"salvaged the catalog: {saved.kept} documents kept, {saved.lost_rows} "
                    f"unreadable rows lost (the damaged file: {saved.backup})")
        everything = True
    dense = _open_or_set_aside(settings, done)
    catalog = Catalog(path)
    if everything:
        done += _lost(dense, catalog)
    parts = _Parts(settings, catalog, dense, app.embedder)
    found = check(catalog, dense, model_id, dim)
    done += repair(found, catalog, dense, ingestor_for(parts), everything=everything)
    catalog.close()
    return done


def _lost(dense: DenseStore, catalog: Catalog) -> list[str]:
    """The documents a salvage could not keep, named from their vectors' metadata."""
    try:
        lost = sorted(dense.document_ids() - set(catalog.content_hashes()))
    except StoreError:
        return []  # the vectors are unreadable too: nothing to name them by
    if not lost:
        return []
    more = f" and {len(lost) - 10} more" if len(lost) > 10 else ""
    return [f"{len(lost)} documents were lost with the damaged pages; ingest their sources "
            f"again: {', '.join(lost[:10])}{more}"]


def _open_or_set_aside(settings: CitechatSettings, done: list[str]) -> DenseStore:
    try:
        return _dense(settings)
    except StoreError:
        if settings.chroma.url:
            raise
    moved = set_aside(settings.data_dir / "chroma")
    done.append(f"moved the vector store Chroma could not open to {moved}; every collection "
                "in it is re-embedded by its next `ingest` or `verify --repair`")
    return _dense(settings)


def _dense(settings: CitechatSettings) -> DenseStore:
    client = open_client(settings.data_dir, settings.chroma.url)
    return DenseStore(client, settings.collection, settings.chroma.max_batch)


def _print(found: Findings) -> int:
    print(("ok: " if found.ok else "problems: ") + found.lines()[0])
    for line in found.lines()[1:]:
        print(f"  {line}")
    if not found.ok:
        print("run `citechat verify --repair` to fix what can be fixed")
    return 0 if found.ok else 1

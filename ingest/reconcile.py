"""Both stores brought back in step at the start of every ingest, under the writer lock.

The catalog is the manifest, but a run can die between its two writes (`kill -9`, a full
disk, a lost server), and a `chroma/` folder can be deleted by hand. So before a run trusts
the catalog's content hashes it compares chunk ids with the vector store:

- vectors no catalog chunk owns were written by a run that died before its catalog commit;
  under the lock no other writer can be mid-batch, so they are dropped;
- catalog chunks without a vector (a `--sync` killed between its two deletes, a deleted
  `chroma/`) mark their documents for re-embedding, from the input when it holds them, else
  from the catalog's own text;
- documents marked pending (`Catalog.mark_pending`: a batch was being rewritten when the run
  died) never count as unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ingest.report import IngestReport
from rag.core.protocols import VectorStore
from rag.stores.catalog import Catalog


@runtime_checkable
class CheckedStore(VectorStore, Protocol):
    """A vector store that can list and drop vectors by id (`rag.stores.chroma.DenseStore`)."""

    def ids(self) -> list[str]: ...

    def delete_ids(self, ids: Sequence[str]) -> None: ...


def reconcile(catalog: Catalog, dense: VectorStore, report: IngestReport) -> set[str]:
    """Drop orphan vectors; return the documents whose vectors are missing or incomplete."""
    if not isinstance(dense, CheckedStore):
        return set()
    owners = catalog.chunk_owners()
    stored = set(dense.ids())
    orphans = sorted(stored - owners.keys())
    if orphans:
        dense.delete_ids(orphans)
        report.repaired.append(f"dropped {len(orphans)} vectors that no catalog entry owns "
                               "(written by a run that stopped before its commit)")
    return {owners[chunk] for chunk in owners.keys() - stored}


def reembedded_note(count: int) -> str:
    """The line a run reports after re-embedding documents whose vectors were missing.

    >>> reembedded_note(2)[:58]
    're-embedded 2 documents whose vectors were missing (a run '
    """
    return (f"re-embedded {count} documents whose vectors were missing (a run stopped between "
            "its two writes, or chroma/ was removed)")

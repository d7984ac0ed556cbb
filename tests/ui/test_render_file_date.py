"""The sources panel marks a date that is only the file's modification time."""

from rag.core.types import Answer, Chunk, Citation, ScoredChunk
from ui.render_sources import sources_html


def _chunk(doc_id: str, provenance: str) -> Chunk:
    return Chunk(chunk_id=f"{doc_id}::0000", doc_id=doc_id, text="Boats sailed on Tuesday.",
                 start=0, end=24, title=doc_id, publish_date="2026-11-30",
                 date_provenance=provenance)


def test_a_cited_file_date_is_marked_from_its_chunk():
    filed = _chunk("filed", "mtime")
    cite = Citation(n=1, chunk_id=filed.chunk_id, doc_id="filed", title="filed", url=None,
                    publish_date="2026-11-30", quote="Boats sailed on Tuesday.", start=0, end=24)
    answer = Answer(question="q", answer='"Boats sailed on Tuesday." [1]', citations=[cite])
    out = sources_html(answer, [ScoredChunk(chunk=filed, score=1.0)])
    assert "&#40;file date&#41;" in out  # the citation does not carry it; its chunk does


def test_closest_passages_mark_only_file_dates():
    refusal = Answer(question="q", answer="The documents don't say.", refused=True)
    out = sources_html(refusal, [ScoredChunk(chunk=_chunk("filed", "mtime"), score=1.0),
                                 ScoredChunk(chunk=_chunk("dated", "byline"), score=0.5)])
    assert out.count("&#40;file date&#41;") == 1

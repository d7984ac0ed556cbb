"""Faithfulness: per-sentence verdicts against the cited quote, citation validity, edge paths."""

from __future__ import annotations

import numpy as np

from evals.metrics.faithfulness import judge_answer, judge_pair, split_claims
from rag.core.errors import ModelError
from rag.core.types import Answer
from tests.fakes.eval_app import FakeCatalog, chunk, cited_answer

DOC = "Local news. Twelve people died in the floods on Sunday. Mayor Ann Lee visited Orlow."
OTHER = "Other news. The bridge will reopen on September 28, officials said."
CATALOG = FakeCatalog({"d1": DOC, "d2": OTHER})
C1, C2 = chunk("d1", DOC), chunk("d2", OTHER)
CHUNKS = {C1.chunk_id: C1, C2.chunk_id: C2}


def test_split_claims_inherits_the_next_marker():
    assert split_claims('12. "Twelve died." [1] Then more [2][3]. Tail.') == [
        ("12.", [1]), ("Twelve died.", [1]), ("Then more", [2, 3]), ("Tail.", [])]


def test_valid_extractive_answer_is_supported():
    answer = cited_answer("How many died?", "Twelve",
                          C1, "Twelve people died in the floods on Sunday.")
    result = judge_answer(answer, CATALOG, CHUNKS)
    assert result.status == "ok" and result.faithful
    assert result.supported_share == 1.0 and result.citation_validity == 1.0


def test_wrong_offsets_make_the_citation_invalid():
    good = cited_answer("Q", "Twelve", C1, "Twelve people died in the floods on Sunday.")
    moved = good.citations[0].model_copy(update={"start": 0})
    result = judge_answer(good.model_copy(update={"citations": [moved]}), CATALOG, CHUNKS)
    assert result.citation_validity == 0.0 and not result.faithful
    assert "quote not found" in result.sentences[0].reason


def test_marker_without_citation_and_uncited_sentence():
    answer = Answer(question="Q", answer="Twelve people died [4]. The mayor resigned.")
    result = judge_answer(answer, CATALOG, {})
    verdicts = [(s.verdict, s.reason) for s in result.sentences]
    assert verdicts == [("unsupported", "marker has no citation"), ("unsupported", "no citation")]


def test_wrong_number_is_unsupported_and_other_chunk_means_wrongly_cited():
    bad = cited_answer("Q", "Fourteen", C1, "Twelve people died in the floods on Sunday.")
    assert not judge_answer(bad, CATALOG, CHUNKS).faithful
    answer = Answer(
        question="Q", answer='The bridge will reopen on September 28 [1].',
        citations=cited_answer("Q", "x", C1, "Mayor Ann Lee visited Orlow.").citations,
    )
    sentence = judge_answer(answer, CATALOG, CHUNKS).sentences[0]
    assert sentence.verdict == "wrongly_cited" and sentence.better_chunk_id == C2.chunk_id


def test_refusal_is_na_not_one():
    result = judge_answer(Answer(question="Q", answer="No.", refused=True), CATALOG, CHUNKS)
    assert result.status == "n/a" and result.supported_share is None and result.faithful is None


class BrokenEmbedder:
    def embed(self, texts):
        raise ModelError("model file missing")


def test_judge_error_is_reported_not_hidden():
    answer = cited_answer("Q", "Twelve", C1, "Twelve people died in the floods on Sunday.")
    result = judge_answer(answer, CATALOG, CHUNKS, BrokenEmbedder())
    assert result.status == "judge_error" and "model file missing" in result.reason
    assert result.supported_share is None


def test_pair_hard_checks(fake_embedder):
    evidence = "Mayor Ann Lee said 12 homes were lost in March 2026."
    assert judge_pair("Ann Lee said 12 homes were lost.", evidence, fake_embedder).verdict \
        == "supported"
    for claim in ("Ann Lee said 15 homes were lost.", "Bo Reyes said 12 homes were lost.",
                  "Ann Lee said 12 homes were lost in May 2026.",
                  "Ann Lee said 12 homes were not lost."):
        assert judge_pair(claim, evidence).verdict == "unsupported", claim
    sim = judge_pair("x", "x", fake_embedder).similarity
    assert sim is not None and np.isfinite(sim)


def test_empty_quote_falls_back_to_the_cited_chunk_or_uncertain():
    base = cited_answer("Q", "Twelve", C1, "Twelve people died in the floods on Sunday.")
    empty = base.citations[0].model_copy(update={"quote": "", "start": 0, "end": 0})
    answer = base.model_copy(update={"citations": [empty]})
    assert judge_answer(answer, CATALOG, CHUNKS).sentences[-1].verdict == "supported"
    assert judge_answer(answer, CATALOG, {}).sentences[-1].verdict == "uncertain"


def test_as_of_note_is_checked_against_the_sources_publish_dates():
    base = cited_answer("Q", "Twelve", C1, "Twelve people died in the floods on Sunday.")
    dated = base.model_copy(update={
        "answer": base.answer + " (as of 6 Sep 2026)",
        "citations": [base.citations[0].model_copy(update={"publish_date": "2026-09-06"})]})
    assert judge_answer(dated, CATALOG, CHUNKS).faithful
    wrong = dated.model_copy(update={"answer": base.answer + " (as of 7 Sep 2026)"})
    last = judge_answer(wrong, CATALOG, CHUNKS).sentences[-1]
    assert last.verdict == "unsupported" and "2026-09-07" in last.reason


def test_a_date_in_a_sentence_may_be_the_cited_sources_publish_date():
    base = cited_answer("Q", "Twelve", C1, "Twelve people died in the floods on Sunday.")
    cited = base.citations[0].model_copy(update={"publish_date": "2026-09-06"})
    quote = f'"{cited.quote}" [1]'
    right = base.model_copy(update={"answer": f"Earlier report, 6 Sep 2026: {quote}",
                                    "citations": [cited]})
    wrong = right.model_copy(update={"answer": f"Earlier report, 2 Sep 2026: {quote}"})
    assert judge_answer(right, CATALOG, CHUNKS).faithful
    verdict = judge_answer(wrong, CATALOG, CHUNKS).sentences[0]
    assert verdict.verdict == "unsupported" and "2 Sep 2026" in verdict.reason

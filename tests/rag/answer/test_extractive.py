"""The extractive answerer on hand-made news snippets, with the hashing embedder from conftest."""

from __future__ import annotations

import re

import pytest

from rag.answer.answer_types import expected_type, spot_candidates
from rag.answer.extractive import ExtractiveAnswerer
from rag.core.types import REFUSAL, Chunk, ScoredChunk

LEAD = "Local news roundup.\n\n"  # text before the chunk, so chunk.start > 0


def doc_chunk(text: str, doc_id: str = "d1", rank: int = 0) -> tuple[ScoredChunk, str]:
    """A one-chunk document whose chunk starts after a lead paragraph; returns (chunk, doc text)."""
    doc_text = LEAD + text + "\n\nMore to come."
    chunk = Chunk(
        chunk_id=f"{doc_id}::0000",
        doc_id=doc_id,
        text=text,
        start=len(LEAD),
        end=len(LEAD) + len(text),
        title=f"Title {doc_id}",
        url=f"https://example.com/{doc_id}",
        publish_date="2024-05-01",
    )
    return ScoredChunk(chunk=chunk, score=1.0 / (rank + 1), keyword_rank=rank + 1), doc_text


BRIDGE = (
    "Mayor Lena Ortiz opened the new river bridge in Halden on Tuesday. "
    "Ortiz said the bridge cost $12 million and took three years to build. "
    "Traffic was light on the first morning."
)
RESCUE = (
    "Firefighters rescued 37 hikers from the flooded canyon on Sunday, the county said. "
    "No one was seriously hurt."
)
COUNCIL = (
    "The city council will vote on the stadium plan on March 14, officials said. "
    "Supporters say the stadium would bring jobs."
)
SUMMIT = (
    "The summit on ocean plastics will be held in Kenya next spring, organisers announced. "
    "Delegates from 40 countries are expected."
)
BREAD = "Bakers in the valley say sourdough sales doubled this winter. Rye flour is scarce."


@pytest.fixture
def answerer(fake_embedder) -> ExtractiveAnswerer:
    return ExtractiveAnswerer(embedder=fake_embedder)


def ask(answerer: ExtractiveAnswerer, question: str, *texts: str):
    chunks = [doc_chunk(t, f"d{i}", i)[0] for i, t in enumerate(texts)]
    return answerer.answer(question, chunks)


@pytest.mark.parametrize(
    ("question", "text", "short"),
    [
        ("Who opened the new river bridge in Halden?", BRIDGE, "Lena Ortiz"),
        ("How many hikers were rescued from the flooded canyon?", RESCUE, "37"),
        ("When will the city council vote on the stadium plan?", COUNCIL, "March 14"),
        ("Which country will host the summit on ocean plastics?", SUMMIT, "Kenya"),
        ("How much did the new river bridge in Halden cost?", BRIDGE, "$12 million"),
    ],
)
def test_picks_the_short_answer_of_the_asked_type(answerer, question, text, short):
    answer = ask(answerer, question, text, BREAD)

    assert not answer.refused
    assert answer.short_answer == short
    assert answer.answer.startswith(f"{short}. ")
    assert short in answer.citations[0].quote


def test_quote_offsets_index_the_document_text(answerer):
    chunk, doc_text = doc_chunk(BRIDGE)
    assert chunk.chunk.start > 0

    answer = answerer.answer("Who opened the new river bridge in Halden?", [chunk])

    assert answer.citations
    for citation in answer.citations:
        assert doc_text[citation.start : citation.end] == citation.quote
        assert citation.chunk_id == chunk.chunk.chunk_id
        assert citation.url == "https://example.com/d1"


def test_markers_map_one_to_one_to_citations(fake_embedder):
    answerer = ExtractiveAnswerer(embedder=fake_embedder, max_quotes=2)
    answer = ask(answerer, "How much did the Halden river bridge cost to build?", BRIDGE, RESCUE)

    markers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
    assert markers == [c.n for c in answer.citations] == list(range(1, len(markers) + 1))
    for citation in answer.citations:
        assert f'"{citation.quote}" [{citation.n}]' in answer.answer


def test_refuses_when_the_chunks_are_unrelated(answerer):
    answer = ask(answerer, "Who won the chess championship in Oslo?", BREAD, RESCUE)

    assert answer.refused
    assert answer.answer == REFUSAL
    assert answer.answer.startswith("The documents don't say")
    assert answer.citations == []
    assert answer.short_answer is None
    assert [r.doc_id for r in answer.retrieved] == ["d0", "d1"]


def test_refuses_with_no_chunks(answerer):
    answer = answerer.answer("Who opened the bridge?", [])

    assert answer.refused
    assert answer.citations == [] and answer.retrieved == []


def test_never_answers_with_a_phrase_from_the_question(answerer):
    text = (
        "Coach Maria Silva joined the Harbor City Hawks last week. "
        "Maria Silva praised the fans after her first practice."
    )
    answer = ask(answerer, "Which team did coach Maria Silva join last week?", text)

    assert answer.short_answer == "Harbor City Hawks"


def test_person_in_the_question_is_not_the_answer(answerer):
    text = "Arlen Brooks defeated Tomas Varga in the final on Saturday. Brooks cried; Varga waved."
    answer = ask(answerer, "Who did Arlen Brooks defeat in the final?", text)

    assert answer.short_answer == "Tomas Varga"


def test_quotes_a_sentence_without_short_answer_when_no_phrase_fits(answerer):
    text = "The ferry service stopped because of high winds along the coast. Buses ran instead."
    answer = ask(answerer, "Why did the ferry service stop along the coast?", text)

    assert not answer.refused
    assert answer.short_answer is None
    assert answer.answer.startswith(f'"{answer.citations[0].quote}" [1]')
    assert "high winds" in answer.citations[0].quote


def test_works_without_an_embedder():
    answer = ask(
        ExtractiveAnswerer(), "How many hikers were rescued from the flooded canyon?", RESCUE
    )

    assert answer.short_answer == "37"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who interviewed the minister?", "person"),
        ("Which country banned the import?", "place"),
        ("Where did the debate take place?", "place"),
        ("Which airline will weigh passengers?", "org"),
        ("How many people were hurt?", "number"),
        ("How much did the company pay to settle?", "money"),
        ("When is the deadline to file?", "date"),
        ("She made history this week when she won. Which state does she represent?", "place"),
        ("Which film scored the most nominations?", "title"),
        ("What is the estimated cost of the new stadium?", "money"),
        ("What is the confirmed death toll from the floods?", "number"),
        ("What is the latest pay rise the city has offered?", "amount"),
        ("What has the council decided about the stadium?", "thing"),
        ("How much prize money did the winner receive?", "money"),
        ("In what year was the airline founded?", "date"),
    ],
)
def test_expected_type(question, kind):
    assert expected_type(question).kind == kind


def test_spot_candidates_types_and_splits_titles():
    sentence = "South Carolina Gov. Nikki Haley said on May 4 that 2 million people in Kenya voted."
    found = {c.text: c.kind for c in spot_candidates(sentence, context="Haley said so.")}

    assert found["Nikki Haley"] == "person"
    assert found["South Carolina"] == "place"
    assert found["May 4"] == "date"
    assert found["Kenya"] == "place"
    assert found["2 million people"] == "number"


@pytest.mark.integration
def test_real_model_answers_and_refuses(minilm):
    answerer = ExtractiveAnswerer(embedder=minilm)

    found = ask(answerer, "Which country will host the summit on ocean plastics?", SUMMIT, BREAD)
    refused = ask(answerer, "Who won the chess championship in Oslo?", BREAD, RESCUE)

    assert found.short_answer == "Kenya" and not found.refused
    assert refused.refused


def test_the_answer_says_when_its_source_was_published(fake_embedder):
    chunk = Chunk(chunk_id="d::0000", doc_id="d", start=0, end=60, title="Toll",
                  publish_date="2026-09-10",
                  text="Fourteen people are now confirmed to have died in the floods.")
    answer = ExtractiveAnswerer(embedder=fake_embedder, min_support=0.0).answer(
        "How many people died in the floods?", [ScoredChunk(chunk=chunk, score=1.0)])
    assert answer.answer.endswith("(as of 10 Sep 2026)")


def test_spots_capitalised_and_teen_number_words():
    found = [c.text for c in spot_candidates("Fourteen people died. Twelve were hurt.")]
    assert found[:2] == ["Fourteen people", "Twelve were"]


def dated(text: str, doc_id: str, day: str, rank: int) -> ScoredChunk:
    chunk = Chunk(chunk_id=f"{doc_id}::0000", doc_id=doc_id, text=text, start=0, end=len(text),
                  title=doc_id, publish_date=day)
    return ScoredChunk(chunk=chunk, score=1.0 / (rank + 1))


TOLL_1 = "At least seven people have died in the Carrow floods, officials said on Thursday."
TOLL_2 = "Fourteen people are now known to have died in the Carrow floods, officials said."
HOSPITAL = "Doctors said 19 people were treated in hospital after the Carrow floods."


def test_a_later_report_of_the_same_figure_wins_and_the_change_is_cited(fake_embedder):
    answerer = ExtractiveAnswerer(embedder=fake_embedder, min_support=0.0)
    chunks = [dated(TOLL_1, "early", "2026-09-03", 0), dated(TOLL_2, "late", "2026-09-10", 1)]

    answer = answerer.answer("How many people have died in the Carrow floods?", chunks)

    assert answer.short_answer == "Fourteen"
    assert [c.doc_id for c in answer.citations] == ["late", "early"]
    assert 'Earlier report, 3 Sep 2026: "At least seven' in answer.answer
    assert answer.answer.endswith("(as of 10 Sep 2026)")


def test_the_earlier_figure_stands_when_the_later_one_is_not_a_restatement(fake_embedder):
    answerer = ExtractiveAnswerer(embedder=fake_embedder, min_support=0.0)
    chunks = [dated(TOLL_1, "early", "2026-09-03", 0), dated(HOSPITAL, "late", "2026-09-10", 1)]

    answer = answerer.answer("How many people have died in the Carrow floods?", chunks)

    assert answer.short_answer == "seven" and "Earlier report" not in answer.answer


def test_an_old_figure_after_from_is_not_the_answer(fake_embedder):
    text = "The city raised its pay offer to 4.5 per cent, up from 3 per cent last week."
    answer = ExtractiveAnswerer(embedder=fake_embedder, min_support=0.0).answer(
        "What pay offer has the city made?", [dated(text, "d", "2026-09-21", 0)])
    assert answer.short_answer == "4.5 per cent"


def test_a_year_question_is_answered_by_a_year_or_refused(fake_embedder):
    answerer = ExtractiveAnswerer(embedder=fake_embedder, min_support=0.0)
    no_year = "The airline announced its new jets on Thursday, its founders said."
    with_year = "The airline was founded in 1994 by two pilots, its founders said."

    refused = answerer.answer("In what year was the airline founded?",
                              [dated(no_year, "d", "2026-10-02", 0)])
    found = answerer.answer("In what year was the airline founded?",
                            [dated(with_year, "d", "2026-10-02", 0)])

    assert refused.refused and found.short_answer == "1994"


def test_a_number_question_with_no_number_in_the_passages_is_refused(fake_embedder):
    text = "Visitors praised the Kestlebury gallery's new painting room on Saturday."
    answer = ExtractiveAnswerer(embedder=fake_embedder, min_support=0.0).answer(
        "How many visitors did the Kestlebury gallery receive?",
        [dated(text, "d", "2026-10-08", 0)])
    assert answer.refused


def test_with_one_quote_a_revision_cites_only_the_latest_report(fake_embedder):
    answerer = ExtractiveAnswerer(embedder=fake_embedder, min_support=0.0, max_quotes=1)
    chunks = [dated(TOLL_1, "early", "2026-09-03", 0), dated(TOLL_2, "late", "2026-09-10", 1)]
    answer = answerer.answer("How many people have died in the Carrow floods?", chunks)
    assert answer.short_answer == "Fourteen" and [c.doc_id for c in answer.citations] == ["late"]
    assert "Earlier report" not in answer.answer

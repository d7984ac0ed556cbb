"""The local runtime with a real model (Qwen2.5-Coder-0.5B: the protocol, not answer quality):
text streams, P(YES) is a probability, and the same prompt gives the same output whatever the
model read before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.llm.local import LlamaCppModel
from rag.answer.reader import ReaderAnswerer, ReaderTuning
from rag.core.errors import ModelError
from rag.core.protocols import ModelPrompt
from tests.contracts.test_answerer_contract import ANSWERABLE, check_contract
from tests.fakes.hashing import HashingEmbedder
from tests.fakes.llm_models import sample_chunks

pytestmark = pytest.mark.integration

SYSTEM = "You answer questions about news using only the passages. Reply briefly."
CONTEXT = ("Passages:\n[1] (Harbour bridge reopens, 29 Sep 2026) Mayor Felix Amundsen cut a "
           "ribbon to reopen the Port Ellery Harbour Bridge.\n\nQuestion: Who cut the ribbon?\n")
ASK = ModelPrompt(SYSTEM, CONTEXT, "Answer:")
CHECK = ModelPrompt(SYSTEM, CONTEXT, "Do the passages contain the answer? Reply YES or NO:")


def test_it_streams_a_reply_and_gives_a_probability(small_model):
    pieces = list(small_model.stream(ASK, 16))
    assert len(pieces) > 1 and "".join(pieces).strip()
    assert 0.0 <= small_model.yes_probability(CHECK) <= 1.0


def test_the_same_prompt_gives_the_same_output_whatever_came_before(small_model,
                                                                    small_model_file):
    first_reply, first_p = small_model.complete(ASK, 16), small_model.yes_probability(CHECK)
    small_model.yes_probability(ModelPrompt(SYSTEM, "Passages:\n[1] Rain.\n", "YES or NO:"))
    assert small_model.complete(ASK, 16) == first_reply
    assert small_model.yes_probability(CHECK) == first_p
    fresh = LlamaCppModel(small_model_file)  # nothing cached: every segment read anew
    assert fresh.yes_probability(CHECK) == first_p and fresh.complete(ASK, 16) == first_reply


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no model file at .*local.model_path"):
        LlamaCppModel(tmp_path / "absent.gguf").yes_probability(CHECK)


def test_the_reader_over_the_real_model_keeps_the_answerer_contract(small_model):
    reader = ReaderAnswerer(small_model, ExtractiveAnswerer(embedder=HashingEmbedder()),
                            ReaderTuning(min_support=0.0))
    chunks = sample_chunks()
    answer = reader.answer(ANSWERABLE, chunks)
    check_contract(answer, chunks, {"local"})
    assert answer.model == small_model.name and answer.support is not None


def test_the_packaged_file_is_the_one_we_tested(small_model_file: Path):
    assert small_model_file.stat().st_size == 491_400_064


def test_the_model_judge_over_a_real_model_gives_the_same_verdict_run_after_run(small_model,
                                                                                 tmp_path):
    from evals.llm_judge.cache import JudgeCache
    from evals.model_judge.judge import ModelJudge

    evidence = ("Mayor Felix Amundsen cut a ribbon to reopen the Port Ellery Harbour Bridge on "
                "Monday. About 300 residents attended.")
    claim = "The mayor reopened the bridge with a ribbon."
    runs = [ModelJudge(small_model, cache=JudgeCache(tmp_path / f"c{n}.sqlite")).judge(
        claim, evidence) for n in range(2)]  # separate caches: the model is asked twice
    assert runs[0] == runs[1] and 0.0 <= (runs[0].p_supported or 0.0) <= 1.0

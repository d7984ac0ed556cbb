"""The LLM judge against a real llama.cpp server (Qwen2.5-Coder-0.5B, `llama_server` in
conftest.py).

A 0.5B model judges poorly; this proves the protocol end to end: the schema-constrained
reply parses, every status is a valid one, a re-run is served from the cache, and the server's
refusal of `json_schema` names the setting to change. Not accuracy.
"""

from __future__ import annotations

import re

import pytest

from evals.llm_judge.errors import FormatRejected
from evals.llm_judge.judge import Failed, LLMJudge
from rag.core.settings import load_settings

pytestmark = pytest.mark.integration

PASSAGE = ("At least twelve people are known to have died in the Carrow Valley floods, the "
           "regional emergency service said on Tuesday.")
PAIRS = [("Twelve people died in the Carrow Valley floods.", PASSAGE),
         ("Forty people died in the Carrow Valley floods.", PASSAGE),
         ("The mayor resigned on Friday.", PASSAGE)]


def _judge(url: str, tmp_path, **judge: object) -> LLMJudge:
    settings = load_settings(data_dir=tmp_path, judge={
        "base_url": url, "model": "qwen-0.5b", "max_retries": 1,
        "timeout_s": 300, "max_tokens": 768, "response_format": "json_object", **judge})
    return LLMJudge.from_settings(settings, env={})


def test_a_tiny_real_model_gives_parseable_verdicts(llama_server, tmp_path):
    judge = _judge(llama_server, tmp_path)
    verdicts = judge.judge_pairs(PAIRS)
    assert len(verdicts) == len(PAIRS) and judge.calls >= 1
    assert {v.verdict for v in verdicts} <= {"supported", "unsupported", "uncertain",
                                             "judge_error"}
    for v in verdicts:  # the grammar makes every reply parse; content may still be junk
        assert not re.search(r"is not JSON|breaks the schema|reply has ids|cut off", v.reason)
        assert v.verdict == "judge_error" or (v.claims and all(c.claim for c in v.claims))
    errors = any(v.verdict == "judge_error" for v in verdicts)
    again = _judge(llama_server, tmp_path)
    repeated = again.judge_pairs(PAIRS)
    if not errors:  # judge errors are not cached; everything else is
        assert again.calls == 0 and repeated == verdicts


def test_a_tiny_real_model_gives_parseable_claim_verdicts(llama_server, tmp_path):
    """The verdicts step alone (the tiny model's claims are often junk: judge_error)."""
    items = [("Twelve people died.", PASSAGE), ("Forty people died.", PASSAGE)]
    verdicts = _judge(llama_server, tmp_path).verdicts(items)
    assert set(verdicts) == set(items)
    for item, v in verdicts.items():
        if isinstance(v, Failed):
            assert not re.search(r"is not JSON|breaks the schema|reply has ids", v.reason)
        else:
            assert v.claim == item[0] and v.verdict in ("supported", "unsupported", "uncertain")


def test_llama_cpp_python_refuses_json_schema_with_a_clear_message(llama_server, tmp_path):
    with pytest.raises(FormatRejected, match="judge.response_format"):
        _judge(llama_server, tmp_path, response_format="json_schema").judge_pairs(PAIRS[:1])

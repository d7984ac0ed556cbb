"""The LLM judge over real HTTP against a fake OpenAI-compatible server: requests, parsing,
batching, judge_error, caching and endpoint errors."""

from __future__ import annotations

import json

import pytest

import evals.llm_judge.judge as judge_module
from evals.llm_judge.cache import cache_path
from evals.llm_judge.errors import FormatRejected
from evals.llm_judge.judge import LLMJudge
from rag.answer.llm.errors import EndpointUnreachable
from rag.core.settings import load_settings
from tests.fakes.judge_server import echo_claims, scripted, serve, verdicts_by

PASSAGE = "The Orlow council approved 120 new homes on Monday."


def make_judge(url: str, tmp_path, model: str = "fake-judge", **judge: object) -> LLMJudge:
    settings = load_settings(data_dir=tmp_path, judge={"base_url": url, "model": model,
                                                       "max_retries": 0, **judge})
    return LLMJudge.from_settings(settings, env={})


def in_passage(claim: str, passage: str) -> str:
    """supported if the claim is a substring of the passage; "maybe" claims are uncertain."""
    if "maybe" in claim:
        return "uncertain"
    return "supported" if claim.rstrip(".") in passage else "unsupported"


def test_valid_verdicts_are_mapped(tmp_path):
    pairs = [("The Orlow council approved 120 new homes", PASSAGE),
             ("The Orlow council approved 200 new homes", PASSAGE),
             ("Homes were maybe approved", PASSAGE)]
    with serve(scripted(in_passage)) as fake:
        verdicts = make_judge(fake.url, tmp_path).judge_pairs(pairs)
    assert [v.verdict for v in verdicts] == ["supported", "unsupported", "uncertain"]
    assert verdicts[1].claims[0].claim == pairs[1][0]
    assert verdicts[1].reason.startswith("fake says so")


def test_a_sentence_is_unsupported_if_any_claim_is(tmp_path):
    def two_claims(step, items, body):
        if step == "claims":
            return json.dumps({"sentences": [
                {"id": i["id"], "claims": ["The Orlow council approved 120 new homes",
                                           "The vote was unanimous"]} for i in items]})
        return verdicts_by(in_passage)(items)

    with serve(two_claims) as fake:
        [verdict] = make_judge(fake.url, tmp_path).judge_pairs([("Anything.", PASSAGE)])
    assert verdict.verdict == "unsupported"
    assert [c.verdict for c in verdict.claims] == ["supported", "unsupported"]


def test_the_request_is_deterministic_and_schema_constrained(tmp_path):
    with serve(scripted(in_passage)) as fake:
        make_judge(fake.url, tmp_path).judge_pairs([("The Orlow council met.", PASSAGE)])
    assert len(fake.requests) == 2
    for body in fake.requests:
        assert body["temperature"] == 0 and body["seed"] == 0
        assert body["model"] == "fake-judge"
        fmt = body["response_format"]
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
        schema = fmt["json_schema"]["schema"]
        assert schema["additionalProperties"] is False
    verdict_schema = fake.requests[1]["response_format"]["json_schema"]["schema"]
    entry = verdict_schema["properties"]["verdicts"]["items"]
    assert entry["properties"]["verdict"]["enum"] == ["supported", "unsupported", "uncertain"]
    assert entry["properties"]["id"]["enum"] == [1]


def test_json_object_format_sends_the_schema_with_bounded_strings(tmp_path):
    with serve(scripted(in_passage)) as fake:
        make_judge(fake.url, tmp_path, response_format="json_object").judge_pairs(
            [("The Orlow council met.", PASSAGE)])
    fmt = fake.requests[1]["response_format"]
    assert fmt["type"] == "json_object"
    assert fmt["schema"]["properties"]["verdicts"]["items"]["properties"]["reason"][
        "maxLength"] == 300


@pytest.mark.parametrize(("content", "why"), [
    ("{not json", "is not JSON"),
    (json.dumps({"verdicts": [{"id": 1, "verdict": "maybe", "reason": "x"}]}),
     "breaks the schema at verdicts.0.verdict"),
    (json.dumps({"verdicts": [{"id": 1, "verdict": "supported"}]}),
     "breaks the schema at verdicts.0.reason"),
    (json.dumps({"verdicts": [{"id": 1, "verdict": "supported", "reason": "", "x": 1}]}),
     "breaks the schema at verdicts.0.x"),
    (json.dumps({"verdicts": [{"id": 7, "verdict": "supported", "reason": ""}]}),
     "reply has ids [7], expected each of [1] once"),
    ("", "empty reply"),
])
def test_a_bad_reply_is_a_judge_error_with_its_reason(tmp_path, content, why):
    def reply(step, items, body):
        return echo_claims(items) if step == "claims" else content

    with serve(reply) as fake:
        [verdict] = make_judge(fake.url, tmp_path).judge_pairs([("The council met.", PASSAGE)])
    assert verdict.verdict == "judge_error"
    assert why in verdict.reason and verdict.reason.startswith("verdicts: ")


def test_bad_claims_are_a_judge_error_and_nothing_else_is_asked(tmp_path):
    def reply(step, items, body):
        return json.dumps({"sentences": [{"id": i["id"], "claims": [" ", "..."]}
                                         for i in items]})

    with serve(reply) as fake:
        [verdict] = make_judge(fake.url, tmp_path).judge_pairs([("The council met.", PASSAGE)])
    assert verdict.verdict == "judge_error" and "0 claims with words" in verdict.reason
    assert len(fake.requests) == 1


def test_23_claims_take_3_calls_of_at_most_10(tmp_path):
    pairs = [(f"Claim number {i} holds.", PASSAGE) for i in range(23)]
    with serve(scripted(in_passage)) as fake:
        verdicts = make_judge(fake.url, tmp_path).judge_pairs(pairs)
    assert fake.claims_batches() == [10, 10, 3]
    assert fake.verdict_batches() == [10, 10, 3]
    assert len(verdicts) == 23 and {v.verdict for v in verdicts} == {"unsupported"}


def test_a_failing_call_spoils_only_its_batch(tmp_path):
    calls = {"verdicts": 0}

    def reply(step, items, body):
        if step == "claims":
            return echo_claims(items)
        calls["verdicts"] += 1
        if calls["verdicts"] == 2:
            return 500, {"error": {"message": "boom"}}
        return verdicts_by(in_passage)(items)

    pairs = [(f"Claim {i}.", PASSAGE) for i in range(12)]
    with serve(reply) as fake:
        verdicts = make_judge(fake.url, tmp_path).judge_pairs(pairs)
    assert [v.verdict for v in verdicts] == ["unsupported"] * 10 + ["judge_error"] * 2
    assert "HTTP 500" in verdicts[-1].reason and "judge.max_retries" in verdicts[-1].reason


def test_a_rerun_is_served_from_the_disk_cache(tmp_path):
    pairs = [("The Orlow council approved 120 new homes", PASSAGE), ("Nobody came.", PASSAGE)]
    with serve(scripted(in_passage)) as fake:
        first = make_judge(fake.url, tmp_path).judge_pairs(pairs)
        made = len(fake.requests)
        judge = make_judge(fake.url, tmp_path)  # a new process would open the same file
        again = judge.judge_pairs(pairs)
        assert len(fake.requests) == made and judge.calls == 0
        assert again == first
        make_judge(fake.url, tmp_path, model="another-model").judge_pairs(pairs)
        assert len(fake.requests) == 2 * made
    assert cache_path(tmp_path).is_file()


def test_a_new_prompt_version_misses_the_cache(tmp_path, monkeypatch):
    pairs = [("Nobody came.", PASSAGE)]
    with serve(scripted(in_passage)) as fake:
        make_judge(fake.url, tmp_path).judge_pairs(pairs)
        monkeypatch.setattr(judge_module, "JUDGE_PROMPT_VERSION", "judge_v2")
        judge = make_judge(fake.url, tmp_path)
        judge.judge_pairs(pairs)
    assert judge.calls == 2 and len(fake.requests) == 4


def test_judge_errors_are_not_cached(tmp_path):
    replies = iter(["{broken", None])

    def reply(step, items, body):
        if step == "claims":
            return next(replies) or echo_claims(items)
        return verdicts_by(in_passage)(items)

    with serve(reply) as fake:
        assert make_judge(fake.url, tmp_path).judge_pairs([("Hi.", PASSAGE)])[0].verdict \
            == "judge_error"
        assert make_judge(fake.url, tmp_path).judge_pairs([("Hi.", PASSAGE)])[0].verdict \
            == "unsupported"


def test_an_endpoint_that_rejects_seed_is_asked_again_without(tmp_path):
    def reply(step, items, body):
        if "seed" in body:
            return 400, {"error": {"message": "Unrecognized request argument: seed"}}
        return scripted(in_passage)(step, items, body)

    with serve(reply) as fake:
        [verdict] = make_judge(fake.url, tmp_path).judge_pairs([("Nobody came.", PASSAGE)])
    assert verdict.verdict == "unsupported"
    assert ["seed" in b for b in fake.requests] == [True, False, False]


@pytest.mark.parametrize("status", [422, 500])  # llama-cpp-python's server says 500
def test_a_rejected_response_format_stops_with_the_setting_to_change(tmp_path, status):
    def reply(step, items, body):
        return status, {"error": {"message": "1 validation error: {'loc': ('body', "
                                  "'response_format', 'type'), 'msg': \"Input should be "
                                  "'text' or 'json_object'\"}"}}

    with serve(reply) as fake, pytest.raises(FormatRejected, match="judge.response_format"):
        make_judge(fake.url, tmp_path, max_retries=2).judge_pairs([("Nobody came.", PASSAGE)])
    assert len(fake.requests) == 1  # not retried


def test_an_unreachable_endpoint_names_the_judge_setting(tmp_path):
    with serve(scripted(in_passage)) as fake:
        url = fake.url  # closed when the block ends: nothing listens there any more
    with pytest.raises(EndpointUnreachable, match=r"judge\.base_url.*CITECHAT_JUDGE__BASE_URL"):
        make_judge(url, tmp_path).judge_pairs([("Nobody came.", PASSAGE)])

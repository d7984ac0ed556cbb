"""Endpoint failures become ModelError subclasses naming the setting to fix; the key never leaks.

The real `OpenAILike` client talks to a scripted HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import logging
import socket

import pytest
from pydantic import SecretStr

from rag.answer.llm.answerer import LLMAnswerer
from rag.answer.llm.calls import RetryPolicy
from rag.answer.llm.errors import (
    AuthenticationFailed,
    ContextTooLong,
    EndpointServerError,
    EndpointTimeout,
    EndpointUnreachable,
    MalformedResponse,
    ModelNotFound,
    RateLimited,
)
from rag.core.errors import ModelError
from rag.core.settings import LLMSettings
from tests.fakes.llm_models import (  # noqa: F401 (fixtures)
    Reply,
    chunks_fixture,
    completion,
    endpoint_fixture,
    error_body,
    sse,
)

KEY = "sk-test-SECRET-0123456789abcdef"
GOOD = "Twelve people are now known to have died in the Carrow Valley floods [1]."


def make_answerer(url: str, sleeps: list[float] | None = None, **settings) -> LLMAnswerer:
    options = {"base_url": url, "model": "fake", "api_key": SecretStr(KEY), "max_retries": 2,
               "backoff_s": 0.5, "timeout_s": 5.0, **settings}
    answerer = LLMAnswerer.from_settings(LLMSettings(**options), env={})
    answerer._sleep = (sleeps if sleeps is not None else []).append  # no real waiting
    return answerer


def ask(answerer: LLMAnswerer, chunks, stream: bool = False):
    if stream:
        streamed = answerer.stream("How many people died?", chunks)
        return "".join(streamed), streamed.result()
    return None, answerer.answer("How many people died?", chunks)


@pytest.mark.parametrize("stream", [False, True])
def test_a_good_reply_is_verified_and_the_request_is_well_formed(endpoint, chunks, stream):
    body = sse(["Twelve people are now known ", "to have died in the Carrow Valley floods [1]."])
    endpoint.reply(Reply(body=sse_or(body, GOOD, stream), sse=stream))
    tokens, answer = ask(make_answerer(endpoint.url), chunks, stream)
    assert answer.verification[0].verdict == "supported"
    assert answer.citations[0].chunk_id == "flood::0000"
    request = endpoint.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["json"]["model"] == "fake" and request["json"]["stream"] is stream
    assert request["headers"]["Authorization"] == f"Bearer {KEY}"
    assert [m["role"] for m in request["json"]["messages"]] == ["system", "user"]
    if stream:
        assert tokens == GOOD


def sse_or(body: str, text: str, stream: bool):
    return body if stream else completion(text)


def test_401_names_the_key_settings_and_never_shows_the_key(endpoint, chunks, caplog):
    caplog.set_level(logging.DEBUG)
    endpoint.reply(Reply(401, error_body(f"Incorrect API key provided: {KEY}.")))
    with pytest.raises(AuthenticationFailed) as raised:
        ask(make_answerer(endpoint.url), chunks)
    message = str(raised.value)
    assert "llm.api_key" in message and "OPENAI_API_KEY" in message and "401" in message
    assert KEY not in message and "***" in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert KEY not in caplog.text
    assert len(endpoint.requests) == 1  # no retry on 401


def test_the_key_is_not_in_repr_or_logs_of_a_successful_call(endpoint, chunks, caplog):
    caplog.set_level(logging.DEBUG)
    endpoint.reply(Reply(body=completion(GOOD)))
    answerer = make_answerer(endpoint.url)
    answer = answerer.answer("How many people died?", chunks)
    assert KEY not in caplog.text
    assert KEY not in repr(answerer._endpoint) and KEY not in answer.model_dump_json()


def test_404_names_the_model_setting(endpoint, chunks):
    endpoint.reply(Reply(404, error_body("model 'fake' not found")))
    with pytest.raises(ModelNotFound, match=r"model 'fake' not found .*llm\.model"):
        ask(make_answerer(endpoint.url), chunks)


@pytest.mark.parametrize(("status", "error"), [(429, RateLimited), (500, EndpointServerError),
                                               (503, EndpointServerError)])
def test_429_and_5xx_are_retried_a_bounded_number_of_times_with_backoff(
    endpoint, chunks, status, error
):
    sleeps: list[float] = []
    endpoint.reply(Reply(status, error_body("busy", "server_error")))
    with pytest.raises(error, match=r"3 attempts.*llm\.max_retries"):
        ask(make_answerer(endpoint.url, sleeps), chunks)
    assert len(endpoint.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_retry_after_is_honoured_and_a_later_success_wins(endpoint, chunks):
    sleeps: list[float] = []
    endpoint.reply(Reply(429, error_body("slow down"), headers={"retry-after": "2"}),
                   Reply(body=completion(GOOD)))
    _, answer = ask(make_answerer(endpoint.url, sleeps), chunks)
    assert sleeps == [2.0] and not answer.refused


def test_streaming_retries_before_the_first_token(endpoint, chunks):
    endpoint.reply(Reply(503, error_body("warming up")), Reply(body=sse([GOOD]), sse=True))
    tokens, answer = ask(make_answerer(endpoint.url), chunks, stream=True)
    assert tokens == GOOD and len(endpoint.requests) == 2


def test_an_unreachable_endpoint_names_the_base_url_setting(chunks):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(EndpointUnreachable, match=r"127\.0\.0\.1:\d+/v1.*llm\.base_url"):
        ask(make_answerer(f"http://127.0.0.1:{port}/v1"), chunks)


@pytest.mark.parametrize("stream", [False, True])
def test_a_slow_endpoint_times_out_with_the_timeout_setting_named(endpoint, chunks, stream):
    endpoint.reply(Reply(body=completion(GOOD), delay_s=2.0))
    with pytest.raises(EndpointTimeout, match=r"within 0\.5 s.*llm\.timeout_s"):
        ask(make_answerer(endpoint.url, timeout_s=0.5), chunks, stream)


@pytest.mark.parametrize("body", ["data: {not json\n\n", 'data: {"choices": 5}\n\n',
                                  'data: {"error": {"message": "boom"}}\n\n'])
def test_malformed_streamed_chunks_are_a_clear_error(endpoint, chunks, body):
    endpoint.reply(Reply(body=sse(["Twelve "]).replace("data: [DONE]\n\n", body), sse=True))
    with pytest.raises(MalformedResponse, match=r"llm\.base_url"):
        ask(make_answerer(endpoint.url), chunks, stream=True)


@pytest.mark.parametrize("body", ["<html>not an API</html>", '{"choices": []}'])
def test_a_malformed_reply_is_a_clear_error(endpoint, chunks, body):
    endpoint.reply(Reply(body=body))
    with pytest.raises(MalformedResponse, match="OpenAI-compatible"):
        ask(make_answerer(endpoint.url), chunks)


def test_a_context_overflow_reported_by_the_server_names_context_tokens(endpoint, chunks):
    endpoint.reply(Reply(400, error_body("the request exceeds the available context size")))
    with pytest.raises(ContextTooLong, match=r"llm\.context_tokens"):
        ask(make_answerer(endpoint.url), chunks)


def test_every_failure_is_a_model_error():
    for error in (AuthenticationFailed, ContextTooLong, EndpointServerError, EndpointTimeout,
                  EndpointUnreachable, MalformedResponse, ModelNotFound, RateLimited):
        assert issubclass(error, ModelError)


def test_retry_delays_double_and_are_capped():
    policy = RetryPolicy(max_retries=5, backoff_s=1.0, max_delay_s=5.0)
    assert [policy.delay(i) for i in range(4)] == [1.0, 2.0, 4.0, 5.0]
    assert policy.delay(0, retry_after=60) == 5.0

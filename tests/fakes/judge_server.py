"""A tiny OpenAI-compatible server on 127.0.0.1 for the LLM judge tests (real HTTP, canned JSON).

The server reads the judge's request (the step from the schema's name, the items from the user
message), and answers through a `reply` function: `(step, items, body) -> content`, or a
`(status, json_body)` tuple for an HTTP error. Every request body is kept in `requests`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[str, Any, dict], "str | tuple[int, dict]"]


def request_items(body: dict) -> tuple[str, Any]:
    """(step, items) of a judge request: "claims" → [{id, sentence}], "verdicts" → {passages,
    claims: [{id, claim, passage}]}."""
    fmt = body["response_format"]
    schema = fmt["json_schema"]["schema"] if fmt["type"] == "json_schema" else fmt["schema"]
    step = "claims" if "sentences" in schema["properties"] else "verdicts"
    content = body["messages"][-1]["content"]
    start = content.index(":\n", content.index("(JSON")) + 2
    items, _ = json.JSONDecoder().raw_decode(content[start:])
    return step, items


def echo_claims(items: list[dict]) -> str:
    """Each sentence is its own single claim."""
    return json.dumps({"sentences": [{"id": i["id"], "claims": [i["sentence"]]} for i in items]})


def verdicts_by(label: Callable[[str, str], str]) -> Callable[[dict], str]:
    """A verdicts reply from `label(claim, passage)`."""
    def reply(items: dict) -> str:
        return json.dumps({"verdicts": [
            {"id": c["id"], "verdict": label(c["claim"], items["passages"][c["passage"]]),
             "reason": f"fake says so about {c['claim'][:20]}"} for c in items["claims"]]})
    return reply


def scripted(label: Callable[[str, str], str]) -> Reply:
    """Echo claims, then verdicts from `label`: a well-behaved judge model."""
    verdicts = verdicts_by(label)
    return lambda step, items, body: echo_claims(items) if step == "claims" else verdicts(items)


class FakeJudgeServer:
    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.requests: list[dict] = []
        self.url = ""

    def verdict_batches(self) -> list[int]:
        """The number of claims in each verdicts request, in order."""
        return [len(request_items(b)[1]["claims"]) for b in self.requests
                if request_items(b)[0] == "verdicts"]

    def claims_batches(self) -> list[int]:
        return [len(request_items(b)[1]) for b in self.requests
                if request_items(b)[0] == "claims"]


def _handler(server: FakeJudgeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep the test output quiet
            pass

        def do_GET(self) -> None:  # /v1/models
            self._send(200, {"object": "list", "data": [{"id": "fake-judge", "object": "model"}]})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            server.requests.append(body)
            step, items = request_items(body)
            out = server.reply(step, items, body)
            if isinstance(out, tuple):
                self._send(*out)
                return
            self._send(200, {
                "id": "cmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": out}}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

        def _send(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def serve(reply: Reply) -> Iterator[FakeJudgeServer]:
    """Run a `FakeJudgeServer` on a free port; `.url` is its /v1 base URL."""
    fake = FakeJudgeServer(reply)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

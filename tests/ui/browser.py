"""What the browser tests share: headless Chromium (Debian's, never `playwright install`), a UI
served on a free loopback port in this process, and helpers to ask, time, and audit contrast.
`bench/bench_ui.py` drives the same helpers."""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.chat_model import ScriptedChatModel

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_MS = 30_000
QUESTION = "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"  # q058, sample.jsonl
CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text()

# Times the next answer from the Ask click (page clock, ms): `first` = any text in the answer
# bubble ("Searching…" counts), `words` = the first answer words (not a status line),
# `final` = the finished answer.
TIMING_JS = """() => {
  const chat = document.querySelector('#chat');
  const before = chat.querySelectorAll('.answer').length;
  const t = window.__timing = {start: performance.now(), first: null, words: null, final: null};
  const seen = () => {
    const answers = chat.querySelectorAll('.answer');
    const last = answers.length > before ? answers[answers.length - 1] : null;
    if (!last) return;
    const now = performance.now();
    if (t.first === null && last.textContent.trim()) t.first = now;
    if (t.words === null && !last.classList.contains('reading') && last.textContent.trim())
      t.words = now;
    if (t.final === null && (last.classList.contains('final') || last.classList.contains('error')))
      t.final = now;
  };
  new MutationObserver(seen).observe(chat, {subtree: true, childList: true, characterData: true});
  document.querySelector('#ask').click();
}"""


def chromium_path() -> str | None:
    """The Debian Chromium, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(app: Any, **launch: Any) -> tuple[Any, str]:
    """Launch the UI for `app` on a free loopback port in a thread; returns (demo, url)."""
    from ui.app import launch_ui

    port = free_port()
    demo = launch_ui(app, "127.0.0.1", port, block=False, **launch)
    return demo, f"http://127.0.0.1:{port}/"


def open_page(browser: Any, url: str, **context: Any) -> Any:
    """A new page (its own context: own storage) on `url`, ready to ask."""
    ctx = browser.new_context(viewport=context.pop("viewport", {"width": 1400, "height": 1000}),
                              **context)
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, wait_until="load")
    page.wait_for_selector("#question textarea")
    page.wait_for_function("document.querySelector('#header').innerText.includes('passage')")
    return page


def ask(page: Any, question: str, timeout_ms: int = TIMEOUT_MS) -> dict[str, float]:
    """Ask in the open page, wait for the finished answer; returns its times in ms."""
    page.fill("#question textarea", question)
    page.evaluate(TIMING_JS)
    page.wait_for_function("window.__timing && window.__timing.final !== null",
                           timeout=timeout_ms)
    page.wait_for_function("!document.querySelector('#question textarea').disabled")
    t = page.evaluate("window.__timing")
    return {name: t[name] - t["start"] for name in ("first", "words", "final")}


def contrast_failures(page: Any) -> list[dict[str, Any]]:
    """Every visible text whose computed colour on its computed background is under WCAG AA
    (4.5:1; 3:1 for large text), with what was measured."""
    return [r for r in page.evaluate(CONTRAST_JS) if r["ratio"] < r["need"]]


def open_tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def pick(page: Any, elem_id: str, option: str) -> None:
    """Choose `option` in the Gradio dropdown `#elem_id`."""
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


@dataclass
class SlowModel(ScriptedChatModel):
    """A scripted local model that writes a piece every `delay` seconds."""

    delay: float = 0.12

    def stream(self, prompt: Any, max_tokens: int) -> Iterator[str]:
        for piece in super().stream(prompt, max_tokens):
            time.sleep(self.delay)
            yield piece


@dataclass
class UploadGate:
    """An embedder wrapper that holds uploads (the upload thread) while `open` is clear."""

    inner: Any
    open: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.open.set()
        self.model_id = self.inner.model_id

    def embed(self, texts: Any) -> Any:
        if threading.current_thread().name.startswith("citechat-upload"):
            assert self.open.wait(60), "the test never opened the upload gate"
        return self.inner.embed(texts)


# --- the network audit: no socket to anything but loopback, from this process ----------------

_net: list[str] = []
_watching = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _watching:
        return
    if event == "socket.connect" and isinstance(args[1], tuple):
        host = str(args[1][0])
    elif event == "socket.getaddrinfo":
        host = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
    else:
        return
    if host not in LOOPBACK:
        _net.append(f"{event} {host}")


def watch_network(on: bool) -> list[str]:
    """Start or stop recording non-loopback sockets; returns what was recorded."""
    global _watching
    if not getattr(sys, "_citechat_ui_audit", False):  # audit hooks cannot be removed
        sys.addaudithook(_audit)
        sys._citechat_ui_audit = True  # type: ignore[attr-defined]
    _watching = on
    return _net


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()

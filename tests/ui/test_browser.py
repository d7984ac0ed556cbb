"""The chat UI in a real headless Chromium: streamed cited answers, uploads, thumbs, escaping, and
no request to any host but the local server (the browser's and this process's sockets both)."""

from __future__ import annotations

import re
import shutil
import socket
import sqlite3
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ingest.pipeline import ingestor_for

pytestmark = [
    pytest.mark.integration,
    # gradio's queue calls pandas APIs that pandas 3 deprecates; not ours to fix
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_MS = 30_000
QUESTION = "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"  # q058, sample.jsonl
FLOOD = "How many people had died in the Carrow Valley floods?"
AS_OF = "2026-09-07"  # flood reports: 09-03 and 09-06 before it, 09-10 and 09-22 after
HOSTILE = (
    "Quillbury council website notice\n\n"
    "The Quillbury council said on Tuesday that the code <script>window.__pwned=1</script> was "
    'planted on its website, together with <img src=x onerror="window.__pwned=1"> and '
    "${window.__pwned=1} in a comment form. The council's web team removed the code."
)
# Records first-answer-text and final-answer times (ms, page clock) for the next question.
TIMING_JS = """(question) => {
  const chat = document.querySelector('#chat');
  const before = chat.querySelectorAll('.answer').length;
  const t = window.__timing = {start: performance.now(), first: null, final: null};
  const seen = () => {
    const answers = chat.querySelectorAll('.answer');
    const last = answers.length > before ? answers[answers.length - 1] : null;
    if (last && t.first === null && last.textContent.trim()) t.first = performance.now();
    if (last && t.final === null && last.classList.contains('final')) t.final = performance.now();
  };
  new MutationObserver(seen).observe(chat, {subtree: true, childList: true, characterData: true});
  document.querySelector('#ask').click();
}"""

_net: list[str] = []
_watching = False


def chromium_path() -> str | None:
    """The Debian Chromium, if installed (never `playwright install`)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


def _install_audit_hook() -> None:
    """Audit hooks cannot be removed: install one per process, active only while `_watching`."""
    if not getattr(sys, "_citechat_ui_audit", False):
        sys.addaudithook(_audit)
        sys._citechat_ui_audit = True  # type: ignore[attr-defined]


def serve(app: Any, *, stream_delay: float = 0.02) -> tuple[Any, str]:
    """Launch the UI for `app` on a free loopback port in a thread; returns (demo, url)."""
    from ui.app import launch_ui

    port = free_port()
    demo = launch_ui(app, "127.0.0.1", port, block=False, stream_delay=stream_delay)
    return demo, f"http://127.0.0.1:{port}/"


def ask(page: Any, question: str) -> dict[str, float]:
    """Ask in the open page and wait for the final answer; returns first/final times in ms."""
    page.fill("#question textarea", question)
    page.evaluate(TIMING_JS, question)
    page.wait_for_function("window.__timing && window.__timing.final !== null")
    t = page.evaluate("window.__timing")
    return {"first_ms": t["first"] - t["start"], "final_ms": t["final"] - t["start"]}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(browser, make_module_app, sample_corpus, tmp_path_factory) -> Iterator[tuple[Any, str]]:
    global _watching
    app = make_module_app
    src = tmp_path_factory.mktemp("hostile")
    (src / "quillbury.txt").write_text(HOSTILE)
    assert not ingestor_for(app).ingest([sample_corpus, src]).failed
    _install_audit_hook()
    _watching = True
    demo, url = serve(app)
    try:
        yield app, url
    finally:
        demo.close()
        _watching = False


@pytest.fixture(scope="module")
def make_module_app(tmp_path_factory, minilm):
    from rag.app import build_app
    from rag.core.settings import load_settings

    data = tmp_path_factory.mktemp("ui-data")
    return build_app(load_settings(data_dir=data, collection="news"), embedder=minilm)


@pytest.fixture
def page(browser, served) -> Iterator[Any]:
    _, url = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    context.on("request", lambda r: None if r.url.split("/")[2].split(":")[0] in LOOPBACK
               else outside.append(r.url))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, wait_until="load")
    page.wait_for_selector("#question textarea")
    yield page
    context.close()
    assert outside == [], f"the page requested other hosts: {outside}"
    assert _net == [], f"the server opened non-loopback sockets: {_net}"


def test_answer_streams_with_citations_and_checkable_sources(page, served):
    app, _ = served
    expected = app.service.ask(QUESTION, app.settings.answer.top_k)  # what the UI must show
    assert expected.citations, "the sample question should be answerable"
    times = ask(page, QUESTION)
    answer = page.locator("#chat .answer.final").last
    assert " ".join(answer.inner_text().split()) == " ".join(expected.answer.split())
    assert answer.locator("a.cite").count() == len(expected.citations)
    first = expected.citations[0]
    assert page.locator("#sources #src-1 mark").inner_text().split() == first.quote.split()
    assert first.title.split() == page.locator("#sources #src-1 strong").inner_text().split()
    answer.locator("a.cite").first.click()
    assert page.evaluate("location.hash") == "#src-1"
    assert 0 < times["first_ms"] <= times["final_ms"] < TIMEOUT_MS
    ask(page, "How many people had died in the Carrow Valley floods?")
    assert page.locator("#sources #src-1 mark").inner_text().split() != first.quote.split()
    page.locator("#chat .answer.final").first.click()  # an earlier answer: its sources again
    page.wait_for_function(
        "(q) => document.querySelector('#sources #src-1 mark').innerText.includes(q)",
        arg=first.quote[:30])


def _last_feedback(app: Any) -> tuple[Any, ...]:
    db = sqlite3.connect(app.settings.data_dir / "feedback.sqlite")
    try:
        return db.execute("SELECT id, rating, comment, question, citations_json, k FROM feedback "
                          "ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        db.close()


def _wait_status(page: Any, text: str) -> None:
    page.wait_for_function(
        "(t) => document.querySelector('#status').innerText.includes(t)", arg=text)


def test_thumbs_with_comment_are_saved_and_new_chat_clears(page, served):
    app, _ = served
    ask(page, QUESTION)
    page.fill("#comment textarea", "checked the quote")
    page.click("#thumbs-up")
    _wait_status(page, "saved 👍")
    row_id, rating, comment, question, citations, k = _last_feedback(app)
    assert (rating, comment, question) == (1, "checked the quote", QUESTION)
    assert "harbour-bridge" in citations and k == app.settings.answer.top_k
    page.locator("#chat button[aria-label='Dislike']").last.click()  # the chat's own thumbs
    _wait_status(page, "saved 👎")
    assert _last_feedback(app)[:2] == (row_id + 1, -1)
    page.click("#new-chat")
    page.wait_for_function("document.querySelectorAll('#chat .answer').length === 0")
    assert "appear here" in page.locator("#sources").inner_text()


def test_upload_a_file_then_ask_about_it(page, tmp_path):
    doc = tmp_path / "glenmoor-bees.txt"
    doc.write_text("Glenmoor beekeepers count losses\n\nBeekeepers in Glenmoor lost 412 hives "
                   "during the cold snap in February, the Glenmoor Apiary Society said.")
    page.get_by_text("Settings and documents").click()
    page.set_input_files("#upload input[type=file]", str(doc))
    page.wait_for_selector("#upload >> text=glenmoor-bees.txt", timeout=90_000)
    page.click("#add-docs")
    page.wait_for_function(
        "document.querySelector('#upload-summary textarea').value.includes('added 1')",
        timeout=90_000)
    ask(page, "How many hives did the Glenmoor beekeepers lose?")
    assert "lost 412 hives" in page.locator("#sources").inner_text()  # cited or closest


def test_hostile_document_and_question_show_as_text(page):
    ask(page, "What code was planted on the Quillbury council website?")
    ask(page, 'What about <img src=x onerror="window.__pwned=2">?')
    time.sleep(0.5)  # give an injected handler every chance to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src='x']").count() == 0
    page.locator("#chat .answer.final").first.click()  # shows that answer's sources again
    sources = page.locator("#sources").inner_text()
    assert "<script>window.__pwned=1</script>" in sources
    assert '<img src=x onerror="window.__pwned=1">' in sources
    assert "${window.__pwned=1}" in sources
    assert '<img src=x onerror="window.__pwned=2">' in page.locator("#chat").inner_text()


def _source_dates(page: Any) -> list[str]:
    metas = page.locator("#sources .src-meta").all_inner_texts()
    return [day for meta in metas for day in re.findall(r"\d{4}-\d{2}-\d{2}", meta)]


def test_as_of_filter_keeps_later_documents_out_of_the_sources(page):
    ask(page, FLOOD)
    assert max(_source_dates(page)) > AS_OF  # unfiltered, the later reports are found
    page.locator("#filters").get_by_text("Filters", exact=True).click()
    page.locator("#as-of").locator("input, textarea").fill(AS_OF)
    ask(page, FLOOD)
    page.wait_for_selector("#sources .filters")
    assert page.locator("#sources .filters").inner_text() == f"Filters: as of {AS_OF}"
    dates = _source_dates(page)
    assert dates and all(day <= AS_OF for day in dates), dates

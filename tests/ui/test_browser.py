"""The chat in a real headless Chromium: cited answers with chips that open their source,
explained refusals, follow-up rewrite and undo, copy as plain text, real token streaming from a
(scripted) local model, Stop and Esc, ratings, hostile text shown as text, and no request to
any host but the local server (the browser's and this process's sockets both)."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ingest.pipeline import ingestor_for
from tests.ui.browser import (
    QUESTION,
    SlowModel,
    ask,
    browser,  # noqa: F401 (fixture)
    open_page,
    pick,
    serve,
    watch_network,
)

pytestmark = [
    pytest.mark.integration,
    # gradio's queue calls pandas APIs that pandas 3 deprecates; not ours to fix
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

FLOOD = "How many people had died in the Carrow Valley floods?"
AS_OF = "2026-09-07"  # flood reports: 09-03 and 09-06 before it, 09-10 and 09-22 after
HOSTILE = (
    "Quillbury council website notice\n\n"
    "The Quillbury council said on Tuesday that the code <script>window.__pwned=1</script> was "
    'planted on its website, together with <img src=x onerror="window.__pwned=1"> and '
    "${window.__pwned=1} in a comment form. The council's web team removed the code."
)


@pytest.fixture(scope="module")
def served(browser, tmp_path_factory, minilm, sample_corpus) -> Iterator[tuple[Any, str]]:  # noqa: F811
    """The sample corpus (and a hostile document) with the real embedder, answering
    extractively by default; "local" is a scripted model that writes slowly."""
    from rag.app import build_app
    from rag.core.settings import load_settings

    data = tmp_path_factory.mktemp("ui-data")
    settings = load_settings(data_dir=data, collection="news", answer={"mode": "extractive"})
    model = SlowModel(reply="Felix Amundsen [1]", delay=0.4)  # about 2 s an answer
    app = build_app(settings, embedder=minilm, local_model=model)
    src = tmp_path_factory.mktemp("hostile")
    (src / "quillbury.txt").write_text(HOSTILE)
    assert not ingestor_for(app).ingest([sample_corpus, src]).failed
    watch_network(True)
    demo, url = serve(app)
    try:
        yield app, url
    finally:
        demo.close()
        watch_network(False)


@pytest.fixture
def page(browser, served) -> Iterator[Any]:  # noqa: F811
    _, url = served
    outside: list[str] = []
    page = open_page(browser, url)
    page.context.on("request", lambda r: None if r.url.split("/")[2].split(":")[0] in
                    ("127.0.0.1", "localhost") else outside.append(r.url))
    yield page
    page.context.close()
    assert outside == [], f"the page requested other hosts: {outside}"
    assert watch_network(True) == [], "the server opened non-loopback sockets"


def _words(text: str) -> str:
    return " ".join(text.split()[:-1])  # whole words only


def _last_answer(page: Any) -> Any:
    return page.locator("#chat .answer").last


def test_answer_chips_open_the_right_source_with_a_preview(page, served):
    app, _ = served
    expected = app.service_in("extractive").ask(QUESTION, app.settings.answer.top_k)
    assert len(expected.citations) >= 2, "the sample question should cite two passages"
    times = ask(page, QUESTION)
    answer = page.locator("#chat .answer.final").last
    assert " ".join(answer.inner_text().split()).endswith(" ".join(expected.answer.split()))
    chips = answer.locator("a.cite")
    assert chips.count() == len(expected.citations)
    second = expected.citations[1]
    assert second.quote[:40] in chips.nth(1).get_attribute("title")  # the hover preview
    chips.nth(1).click()
    assert page.evaluate("location.hash") == "#src-2"
    card = page.locator("#sources .source.hit")
    assert card.count() == 1 and _words(second.quote[:60]) in " ".join(card.inner_text().split())
    cards = page.locator("#sources .source")
    assert cards.count() == len({c.chunk_id for c in expected.citations})  # one per passage
    assert "relevance" in cards.first.inner_text()
    assert 0 < times["first"] <= times["final"]
    ask(page, FLOOD)
    page.locator("#chat .answer.final").first.locator("a.cite").first.click()  # earlier answer
    page.wait_for_function(
        "(q) => document.querySelector('#sources .source.hit') && "
        "document.querySelector('#sources .source.hit').innerText.includes(q)",
        arg=expected.citations[0].quote[:30])


def test_a_refusal_explains_why_and_lists_the_nearest_passages(page):
    page.locator("#filters").get_by_text("Filters", exact=True).click()
    page.locator("#as-of input").fill("2026-08-01")
    ask(page, FLOOD)
    answer = _last_answer(page).inner_text()
    assert "The documents don't say." in answer
    assert "Every document here is dated after 2026-08-01" in answer
    sources = page.locator("#sources").inner_text()
    assert "Nearest passages outside the date and filters (not read)" in sources
    assert page.locator("#sources .not-used").count() >= 1
    page.locator("#as-of input").fill("")
    pick(page, "source", "Valley Wire")  # the source list comes from the collection
    ask(page, "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?")
    assert "source Valley Wire" in page.locator("#sources .filters").inner_text()


def test_as_of_keeps_later_documents_out_of_the_sources(page):
    page.locator("#filters").get_by_text("Filters", exact=True).click()
    page.locator("#as-of input").fill(AS_OF)
    ask(page, FLOOD)
    assert page.locator("#sources .filters").inner_text() == f"Filters: as of {AS_OF}"
    metas = page.locator("#sources .src-meta").all_inner_texts()
    dates = [day for meta in metas for day in re.findall(r"\d{4}-\d{2}-\d{2}", meta)]
    assert dates and all(day <= AS_OF for day in dates), dates


def test_a_follow_up_shows_its_rewrite_and_can_be_asked_as_typed(page):
    ask(page, QUESTION)
    ask(page, "When did it reopen?")
    assert "Searched for: When did it reopen (Port Ellery Harbour Bridge)?" in \
        _last_answer(page).inner_text()
    undo = page.locator("#as-typed")
    assert "When did it reopen?" in undo.inner_text()
    undo.click()
    page.wait_for_function("() => { const a = [...document.querySelectorAll('#chat .answer')];"
                           " const last = a[a.length - 1]; return a.length === 2 && "
                           "last.classList.contains('final') && "
                           "!last.innerText.includes('Searched for'); }")
    page.wait_for_function("!document.querySelector('#question textarea').disabled")
    assert page.locator("#chat .answer").count() == 2  # replaced, not added
    assert not page.locator("#as-typed").is_visible()


def test_copy_gives_the_answer_as_plain_text_with_numbered_sources(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    ask(page, QUESTION)
    page.click("#copy")
    page.wait_for_function("document.querySelector('#status').innerText.includes('Copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Felix Amundsen.") and "\n\nSources:\n[1] " in copied
    assert "<" not in copied and "&quot;" not in copied and "\n[2] " in copied


def test_a_local_model_streams_its_words_and_stop_or_esc_ends_them(page):
    page.locator("#answer-settings").get_by_text("Answer settings", exact=True).click()
    page.get_by_label("local", exact=True).check()
    page.evaluate("""() => { window.__drafts = [];
      new MutationObserver(() => document.querySelectorAll('#chat .answer.streaming')
        .forEach((a) => window.__drafts.push(a.innerText))).observe(
        document.querySelector('#chat'), {subtree: true, childList: true, characterData: true});
    }""")
    ask(page, QUESTION)
    drafts = [d for d in page.evaluate("window.__drafts") if "Reading" not in d and d.strip()]
    assert len(set(drafts)) >= 3 and any(d.startswith("Fe") and "Amundsen" not in d
                                         for d in drafts)  # the words came as written
    assert "Felix Amundsen" in page.locator("#chat .answer.final").last.inner_text()
    for stop in (lambda: page.click("#stop"), lambda: page.keyboard.press("Escape")):
        page.fill("#question textarea", QUESTION)
        page.click("#ask")
        page.wait_for_selector("#stop", state="visible")
        assert page.locator("#question textarea").is_disabled()
        assert not page.locator("#ask").is_visible()
        page.wait_for_selector("#chat .answer.streaming:not(.reading)")
        stop()
        page.wait_for_selector("#chat .answer.stopped")
        page.wait_for_function("!document.querySelector('#question textarea').disabled")
        assert "incomplete" in _last_answer(page).inner_text()
        assert page.locator("#ask").is_visible()
    page.get_by_label("extractive", exact=True).check()


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


def test_ratings_with_a_comment_are_saved_and_new_chat_clears(page, served):
    app, _ = served
    ask(page, QUESTION)
    page.fill("#comment textarea", "checked the quote")
    page.click("#thumbs-up")
    _wait_status(page, "saved “helpful”")
    row_id, rating, comment, question, citations, k = _last_feedback(app)
    assert (rating, comment, question) == (1, "checked the quote", QUESTION)
    assert "harbour-bridge" in citations and k == app.settings.answer.top_k
    page.locator("#chat button[aria-label='Dislike']").last.click()  # the chat's own thumbs
    _wait_status(page, "saved “not helpful”")
    assert _last_feedback(app)[:2] == (row_id + 1, -1)
    page.click("#new-chat")
    page.wait_for_function("document.querySelectorAll('#chat .answer').length === 0")
    assert "appear here" in page.locator("#sources").inner_text()


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

"""Managing collections, documents and conversations in a real headless Chromium: the current
collection at the top, create/switch, delete and re-date documents, an upload embedding in the
background while another session answers, history that survives a reload, and the login."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.pipeline import ingestor_for
from tests.fakes.hashing import HashingEmbedder
from tests.ui.browser import (
    QUESTION,
    UploadGate,
    ask,
    browser,  # noqa: F401 (fixture)
    open_page,
    open_tab,
    pick,
    serve,
)
from ui.auth import hash_password

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


def _app(data: Path, embedder: Any, corpus: Path | None) -> Any:
    from rag.app import build_app
    from rag.core.settings import load_settings

    settings = load_settings(data_dir=data, collection="news", answer={"mode": "extractive"})
    app = build_app(settings, embedder=embedder)
    if corpus is not None:
        assert not ingestor_for(app).ingest([corpus]).failed
    return app


@pytest.fixture(scope="module")
def gate() -> UploadGate:
    return UploadGate(HashingEmbedder())


@pytest.fixture(scope="module")
def served(browser, tmp_path_factory, sample_corpus, gate) -> Iterator[tuple[Any, str]]:  # noqa: F811
    app = _app(tmp_path_factory.mktemp("manage"), gate, sample_corpus)
    demo, url = serve(app)
    yield app, url
    demo.close()


def _header(page: Any) -> str:
    return " ".join(page.locator("#header").inner_text().split())


def _documents(page: Any) -> int:
    return int(re.search(r"(\d+) documents?", _header(page)).group(1))


def test_collections_are_created_switched_and_shown_at_the_top(browser, served):  # noqa: F811
    _, url = served
    page = open_page(browser, url)
    assert _header(page).startswith("citechat Collection news 39 documents")
    open_tab(page, "Documents")
    page.locator("#new-collection").get_by_text("New collection", exact=True).click()
    page.fill("#collection-name input, #collection-name textarea", "city-desk")
    page.click("#create-collection")
    page.wait_for_function("document.querySelector('#header').innerText.includes('city-desk')")
    assert "0 documents" in _header(page)
    assert page.locator("#collection input").input_value() == "city-desk"
    pick(page, "collection", "news")
    page.wait_for_function("document.querySelector('#header').innerText.includes('39 doc')")
    page.context.close()


def test_documents_are_searched_deleted_and_re_dated(browser, served):  # noqa: F811
    app, url = served
    page = open_page(browser, url)
    before = _documents(page)
    open_tab(page, "Documents")
    page.fill("#doc-search input, #doc-search textarea", "e-scooter")
    page.click("#doc-search-go")
    page.wait_for_function("document.querySelector('#documents').innerText.includes('Showing 1')")
    assert "feed field" in page.locator("#documents").inner_text()  # how it was dated
    doc = page.locator("#documents .doc-id").first.inner_text()
    page.locator("#doc-picker input").click()
    page.get_by_role("option").first.click()
    page.locator("#doc-date input").fill("2026-09-01")
    page.click("#doc-set-date")
    page.wait_for_function("document.querySelector('#doc-status').innerText.includes('Dated 1')")
    assert "set by hand" in page.locator("#documents").inner_text()
    assert app.catalog.list_documents(doc, 1)[0].publish_date == "2026-09-01"
    page.click("#doc-delete")
    page.click("#doc-delete-confirm")
    page.wait_for_function("document.querySelector('#doc-status').innerText.includes('Deleted 1')")
    assert _documents(page) == before - 1
    assert app.catalog.list_documents(doc, 1) == [] and doc not in {
        c.chunk.doc_id for c in app.retriever.retrieve("e-scooter trial Dunmere", 10)}
    page.context.close()


def test_an_upload_embeds_in_the_background_while_another_session_answers(
        browser, served, gate, tmp_path):  # noqa: F811
    _, url = served
    uploader, asker = open_page(browser, url), open_page(browser, url)
    before = _documents(uploader)
    doc = tmp_path / "glenmoor-bees.txt"
    doc.write_text("Glenmoor beekeepers count losses\n\nBeekeepers in Glenmoor lost 412 hives "
                   "during the cold snap in February, the Glenmoor Apiary Society said. " * 30)
    gate.open.clear()
    try:
        open_tab(uploader, "Documents")
        uploader.set_input_files("#upload input[type=file]", str(doc))
        uploader.wait_for_selector("#upload >> text=glenmoor-bees.txt", timeout=60_000)
        uploader.click("#add-docs")
        uploader.wait_for_function("document.querySelector('#upload-progress').innerText"
                                   ".includes('embedding 0/')")
        ask(asker, QUESTION)  # the other session is answered meanwhile
        assert "Amundsen" in asker.locator("#chat .answer.final").last.inner_text()
        assert "embedding 0/" in uploader.locator("#upload-progress").inner_text()
    finally:
        gate.open.set()
    uploader.wait_for_function("document.querySelector('#upload-progress').innerText"
                               ".includes('embedded (')", timeout=60_000)
    progress = uploader.locator("#upload-progress").inner_text()
    assert "Finished: added 1" in progress and "/tmp" not in progress
    uploader.wait_for_function(f"document.querySelector('#header').innerText"
                               f".includes('{before + 1} documents')")
    open_tab(uploader, "Chat")
    ask(uploader, "How many hives did the Glenmoor beekeepers lose?")
    assert "412 hives" in uploader.locator("#sources").inner_text()
    for page in (uploader, asker):
        page.context.close()


def test_history_survives_a_reload_and_can_be_renamed_and_deleted(browser, served):  # noqa: F811
    _, url = served
    page = open_page(browser, url)
    ask(page, QUESTION)
    ask(page, "When did it reopen?")
    page.reload()
    page.wait_for_function("document.querySelectorAll('#chat .answer.final').length === 2")
    assert "Searched for: When did it reopen" in page.locator("#chat").inner_text()
    assert "Amundsen" in page.locator("#sources").inner_text()  # the latest answer's sources
    open_tab(page, "History")
    entry = page.locator("#history label").first
    assert "Who cut the ribbon" in entry.inner_text() and "2 answers" in entry.inner_text()
    entry.click()
    page.fill("#rename-text input, #rename-text textarea", "Bridge ribbon")
    page.click("#rename")
    page.wait_for_function("document.querySelector('#history').innerText.includes('Bridge "
                           "ribbon')")
    other = open_page(browser, url)  # another browser: its own, empty history
    assert other.locator("#chat .answer").count() == 0
    other.context.close()
    page.click("#delete-conversation")
    page.wait_for_function("document.querySelector('#history-status').innerText"
                           ".includes('Deleted')")
    page.reload()
    page.wait_for_selector("#question textarea")
    assert page.locator("#chat .answer").count() == 0
    page.context.close()


def test_a_shared_instance_asks_for_a_login(browser, tmp_path):  # noqa: F811
    app = _app(tmp_path / "data", HashingEmbedder(), None)
    demo, url = serve(app, users={"ann": hash_password("correct horse")})
    try:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("input[type=password]")
        assert page.locator("#question").count() == 0
        for password in ("wrong password", "correct horse"):
            page.locator("input[type=text]").first.fill("ann")  # a failed login clears it
            page.fill("input[type=password]", password)
            page.keyboard.press("Enter")
            if password.startswith("wrong"):
                page.wait_for_selector("text=Incorrect Credentials")
        page.wait_for_selector("#question textarea")
        page.wait_for_function("document.querySelector('#header').innerText.includes('ann')")
        assert "signed in as ann" in page.locator("#header").inner_text()
        page.close()
    finally:
        demo.close()

"""Accessible and portable, checked in a real headless Chromium: WCAG AA contrast on computed
styles in the light and dark themes, every control named in words, Enter / Shift+Enter, and a
usable 390 px wide layout (screenshot kept with the test's files)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from ingest.pipeline import ingestor_for
from tests.fakes.hashing import HashingEmbedder
from tests.ui.browser import (
    QUESTION,
    ask,
    browser,  # noqa: F401 (fixture)
    contrast_failures,
    open_page,
    open_tab,
    serve,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

REFUSED = "What colour is the mayor's car?"
# Names of visible buttons, links and tabs, as a screen reader would announce them.
CONTROL_NAMES_JS = """() => [...document.querySelectorAll('button, [role=button], [role=tab], a')]
  .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .map((e) => (e.getAttribute('aria-label') || e.innerText || e.getAttribute('title') || '')
  .trim())"""


@pytest.fixture(scope="module")
def url(browser, tmp_path_factory, sample_corpus) -> Iterator[str]:  # noqa: F811
    from rag.app import build_app
    from rag.core.settings import load_settings

    settings = load_settings(data_dir=tmp_path_factory.mktemp("a11y"), collection="news",
                             answer={"mode": "extractive"})
    app = build_app(settings, embedder=HashingEmbedder())
    assert not ingestor_for(app).ingest([sample_corpus]).failed
    demo, address = serve(app)
    yield address
    demo.close()


def _everything_shown(page: Any) -> None:
    """An answer, a follow-up with its rewrite, a refusal, the filters and settings open."""
    ask(page, QUESTION)
    ask(page, "When did it reopen?")
    ask(page, REFUSED)
    page.locator("#filters").get_by_text("Filters", exact=True).click()
    page.locator("#answer-settings").get_by_text("Answer settings", exact=True).click()
    page.locator("#chat .answer.final").first.locator("a.cite").first.click()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_meets_wcag_aa_contrast(browser, url, theme):  # noqa: F811
    page = open_page(browser, f"{url}?__theme={theme}", color_scheme=theme)
    assert ("dark" in page.evaluate("document.body.className")) is (theme == "dark")
    _everything_shown(page)
    failures = contrast_failures(page)
    for tab in ("History", "Documents"):
        open_tab(page, tab)
        page.wait_for_timeout(300)
        failures += contrast_failures(page)
    assert failures == [], failures
    page.context.close()


def test_every_control_is_named_in_words(browser, url):  # noqa: F811
    page = open_page(browser, url)
    ask(page, QUESTION)
    names = page.evaluate(CONTROL_NAMES_JS)
    open_tab(page, "Documents")
    names += page.evaluate(CONTROL_NAMES_JS)
    unnamed = [n for n in names if not re.search(r"[A-Za-z0-9]", n)]
    assert names and unnamed == [], unnamed  # no empty or emoji-only control
    assert "Pick a date" in names  # the date pickers' calendar buttons
    page.context.close()


def test_enter_sends_and_shift_enter_starts_a_new_line(browser, url):  # noqa: F811
    page = open_page(browser, url)
    box = page.locator("#question textarea")
    box.click()
    page.keyboard.type("Who cut the ribbon")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("at the Port Ellery Harbour Bridge?")
    assert box.input_value() == "Who cut the ribbon\nat the Port Ellery Harbour Bridge?"
    assert page.locator("#chat .answer").count() == 0
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat .answer.final")
    assert "Amundsen" in page.locator("#chat .answer.final").inner_text()
    page.context.close()


def test_a_390_px_screen_shows_the_answer_and_its_sources_first(browser, url, tmp_path):  # noqa: F811
    page = open_page(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True,
                     device_scale_factor=2)
    ask(page, QUESTION)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    card = page.locator("#chat .answer.final .card").first
    assert card.is_visible() and "Port Ellery" in card.inner_text()
    panel = page.locator("#sources").bounding_box()
    assert card.bounding_box()["y"] < panel["y"]  # the top sources come before the panel
    card.click()
    assert page.evaluate("location.hash") == "#src-1"
    page.wait_for_function("document.querySelector('#sources .source.hit') !== null")
    page.locator("#chat .answer.final").first.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "ui-390px.png"))
    assert (tmp_path / "ui-390px.png").stat().st_size > 10_000
    page.context.close()

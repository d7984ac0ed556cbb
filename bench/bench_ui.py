"""Measure the chat UI: time to first streamed token and to the full answer in headless Chromium,
then a bounded load test (parallel sessions via gradio_client), and take the docs screenshot.

    python bench/bench_ui.py [--embedder minilm|hashing] [--questions 10] [--sessions 20]
        [--turns 3] [--screenshot docs/ui-answer.png]

Everything runs on loopback over a temporary data dir with the sample corpus
(evals/datasets/sample_corpus) ingested. Prints one
Markdown table per measurement (pasted into docs/ui-bench.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "tests" / "ui"), str(REPO / "tests"), str(REPO)]

from test_browser import CHROMIUM_ARGS, QUESTION, ask, chromium_path, serve  # noqa: E402

from evals.command import packaged, sample_corpus  # noqa: E402
from ingest.pipeline import ingestor_for  # noqa: E402
from tests.fakes.hashing import HashingEmbedder  # noqa: E402

SAMPLE_EVAL = packaged("datasets/sample.jsonl")


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
    return (f"{statistics.median(values):.0f} | {p90:.0f} | {values[0]:.0f} | {values[-1]:.0f}")


def browser_timings(url: str, questions: list[str], screenshot: Path | None) -> dict[str, Any]:
    """Ask each question in a fresh page; returns the first/final times in ms."""
    from playwright.sync_api import sync_playwright

    first, final = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for question in questions:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(url, wait_until="load")
            page.wait_for_selector("#question textarea")
            t = ask(page, question)
            first.append(t["first_ms"])
            final.append(t["final_ms"])
            page.close()
        if screenshot:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, wait_until="load")
            page.wait_for_selector("#question textarea")
            ask(page, QUESTION)
            page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return {"first": first, "final": final}


def load_test(url: str, questions: list[str], sessions: int, turns: int,
              limit_s: float = 120.0) -> dict[str, Any]:
    """`sessions` parallel clients, each asking `turns` questions; bounded by `limit_s`."""
    from gradio_client import Client

    def session(i: int) -> list[float]:
        client = Client(url, analytics_enabled=False, verbose=False, download_files=False)
        times = []
        for turn in range(turns):
            started = time.perf_counter()
            client.predict(questions[(i + turn) % len(questions)], api_name="/take")
            messages, sources = client.predict(8, "extractive", api_name="/chat")
            text = messages[-1]["content"][0]["text"]
            if 'class="answer' not in text or "final" not in text:
                raise RuntimeError(f"unexpected answer: {text[:200]}")
            times.append((time.perf_counter() - started) * 1000)
        return times

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        futures = [pool.submit(session, i) for i in range(sessions)]
        done, not_done = wait(futures, timeout=limit_s)
    wall = time.perf_counter() - started
    errors = [repr(f.exception()) for f in done if f.exception()] + ["timeout"] * len(not_done)
    latencies = [t for f in done if not f.exception() for t in f.result()]
    return {"wall_s": wall, "errors": errors, "latencies": latencies,
            "answers": len(latencies), "sessions": sessions, "turns": turns}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()

    from rag.app import build_app
    from rag.core.settings import load_settings
    from rag.stores.embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder() if args.embedder == "minilm" else HashingEmbedder()
    data = Path(tempfile.mkdtemp(prefix="citechat-ui-bench-"))
    app = build_app(load_settings(data_dir=data, collection="news"), embedder=embedder)
    ingestor_for(app).ingest([sample_corpus()])
    demo, url = serve(app)
    questions = _questions(args.questions)
    try:
        service = []
        for q in questions:
            service.append(app.service.ask(q).latency_ms)
        b = browser_timings(url, questions, args.screenshot)
        load = load_test(url, questions, args.sessions, args.turns)
    finally:
        demo.close()
    load1, load5, _ = os.getloadavg()
    print(f"\n{args.embedder} embedder, {os.cpu_count()} CPUs (load average {load1:.1f} / "
          f"{load5:.1f} at the end), {len(questions)} questions\n")
    print("| measure (ms) | median | p90 | min | max |\n|---|---|---|---|---|")
    print(f"| service.ask (retrieve + extractive answer) | {_stats(service)} |")
    print(f"| browser: first streamed token | {_stats(b['first'])} |")
    print(f"| browser: full answer | {_stats(b['final'])} |")
    print(f"\nload: {load['sessions']} sessions x {load['turns']} questions, "
          f"{load['answers']} answers in {load['wall_s']:.1f} s, errors: {len(load['errors'])}")
    if load["latencies"]:
        print(f"| per-answer latency under load | {_stats(load['latencies'])} |")
    for err in load["errors"][:5]:
        print("error:", err)
    return 1 if load["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

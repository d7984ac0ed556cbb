"""HTML extraction figures: text F1, exact-day date accuracy, load failures, emptied documents
and pages/s, for citechat's loader (load + clean, as ingest stores the text) and, as the
reference, trafilatura alone.

    python bench/extraction.py                          # the check set (bench/extraction_pages.py)
    python bench/extraction.py --code /tmp/before       # the same with another checkout's code
    python bench/extraction.py --pages DIR --gold G.jsonl   # pages kept aside: {"file", "text",
                                                        # "date"} per line, the pages in DIR

Text F1 is over bags of lower-cased words (as the ScrapingHub article-extraction benchmark
scores), gold = headline + article paragraphs. A page dated by file time counts as wrong (the
files are stamped 2001-01-01). `--code` puts another checkout first on the import path, so the
figures before a change come from the code before it (`git archive HEAD ingest rag | tar -x -C
/tmp/before`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FILE_TIME = 978_307_200  # 2001-01-01: never a gold date, so a file-time date is always wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="import ingest/ and rag/ from this folder")
    parser.add_argument("--pages", type=Path, help="a folder of saved pages (with --gold)")
    parser.add_argument("--gold", type=Path, help="JSONL: file, text, date per page")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes (best is kept)")
    parser.add_argument("--skip", default="", metavar="T1,T2",
                        help="leave out these page templates (e.g. the ones a loader fails on)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sys.path[:0] = [str(args.code or REPO), str(REPO)]
    with tempfile.TemporaryDirectory() as tmp:
        pages = _load_set(args, Path(tmp))
        figures = {"citechat": _score(pages, _citechat, args.repeat),
                   "trafilatura alone": _score(pages, _trafilatura, args.repeat)}
        figures["pages"] = len(pages)
        if not args.pages:
            figures["texts"] = _score_texts(_write(_texts(), Path(tmp) / "texts"))
    print(json.dumps(figures, indent=1) if args.json else _table(figures))
    return 0


def _load_set(args: argparse.Namespace, tmp: Path) -> list[dict[str, Any]]:
    if args.pages:
        gold = [json.loads(line) for line in args.gold.read_text().splitlines() if line.strip()]
        return [{**g, "path": args.pages / g["file"]} for g in gold]
    sys.path.insert(0, str(REPO / "bench"))
    from extraction_pages import build_pages

    skipped = set(filter(None, args.skip.split(",")))
    return _write([p for p in build_pages() if str(p["file"]).split("--")[0] not in skipped], tmp)


def _texts() -> list[dict[str, Any]]:
    from extraction_pages import build_texts

    texts: list[dict[str, Any]] = build_texts()
    return texts


def _write(pages: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        page["path"] = folder / str(page["file"])
        page["path"].write_bytes(page["html"])
        os.utime(page["path"], (FILE_TIME, FILE_TIME))
    return pages


def _score_texts(texts: list[dict[str, Any]]) -> dict[str, Any]:
    """Per shape of plain-text article: dated right, dated by file time, titled by file name."""
    from ingest.documents import SourceDocument
    from ingest.loaders import load_sources

    shapes: dict[str, dict[str, int]] = {}
    for text in texts:
        doc = next(d for d in load_sources([text["path"]]) if isinstance(d, SourceDocument))
        row = shapes.setdefault(text["shape"], Counter())
        row["files"] += 1
        row["dated right"] += doc.publish_date == text["date"]
        row["file time"] += doc.date_provenance == "mtime"
        row["title = file name"] += doc.title == text["path"].stem
    return shapes


def _citechat(path: Path) -> tuple[str | None, str | None]:
    """What ingest stores: the loaded document's cleaned text and its date."""
    from ingest.clean import clean_text
    from ingest.documents import SourceDocument
    from ingest.loaders import load_sources

    found = [d for d in load_sources([path]) if isinstance(d, SourceDocument)]
    if not found:
        return None, None  # a load failure
    return clean_text(found[0].text) or "", found[0].publish_date


def _trafilatura(path: Path) -> tuple[str | None, str | None]:
    from trafilatura import bare_extraction

    found = bare_extraction(path.read_bytes(), with_metadata=True, include_comments=False,
                            include_tables=True)
    return (found.text or "", found.date) if found is not None else (None, None)


def _score(pages: list[dict[str, Any]], extract: Any, repeat: int) -> dict[str, float]:
    results = [extract(page["path"]) for page in pages]
    best = min(_timed(pages, extract) for _ in range(repeat))
    f1s = [_f1(text or "", page["text"]) for (text, _), page in zip(results, pages, strict=True)]
    right = [found == page["date"] for (_, found), page in zip(results, pages, strict=True)]
    return {
        "text_f1": round(sum(f1s) / len(f1s), 3),
        "date_accuracy": round(sum(right) / len(right), 3),
        "load_failures": sum(text is None for text, _ in results),
        "emptied": sum(text == "" for text, _ in results),
        "pages_per_s": round(len(pages) / best, 1),
    }


def _timed(pages: list[dict[str, Any]], extract: Any) -> float:
    started = time.perf_counter()
    for page in pages:
        extract(page["path"])
    return time.perf_counter() - started


def _f1(found: str, gold: str) -> float:
    from rag.text.sentences import words

    got, want = Counter(words(found)), Counter(words(gold))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _table(figures: dict[str, Any]) -> str:
    lines = [f"{figures['pages']} pages", "| extractor | text F1 | date exact-day | load failures "
             "| emptied | pages/s |", "|---|---|---|---|---|---|"]
    for name in ("citechat", "trafilatura alone"):
        f = figures[name]
        lines.append(f"| {name} | {f['text_f1']} | {f['date_accuracy']} | {f['load_failures']} "
                     f"| {f['emptied']} | {f['pages_per_s']} |")
    if "texts" in figures:
        lines += ["", "| text shape | files | dated right | dated by file time | title = file "
                  "name |", "|---|---|---|---|---|"]
        lines += [f"| {shape} | {r['files']} | {r['dated right']} | {r['file time']} | "
                  f"{r['title = file name']} |" for shape, r in figures["texts"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

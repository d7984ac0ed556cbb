"""Reports for `citechat eval faithfulness`: one line per sentence (verdicts.jsonl), report.md
and a self-contained report.html (no external request), every text escaped."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path

from evals.rag_answers import AnswerJudgement

_CSS = ("body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        "td,th{border-bottom:1px solid #ddd;padding:.3em .5em;vertical-align:top;text-align:left}"
        "table{border-collapse:collapse}.supported{color:#166534}.unsupported{color:#991b1b}"
        ".uncertain{color:#92400e}")


def summary(results: Sequence[AnswerJudgement]) -> dict[str, float | int | None]:
    sentences = [s for r in results for s in r.sentences]
    judged = [r for r in results if r.sentences]
    return {
        "answers": len(results), "sentences": len(sentences),
        "faithful answers": round(sum(r.faithful for r in judged) / len(judged), 3)
        if judged else None,
        "supported sentences": round(sum(s.verdict == "supported" for s in sentences)
                                     / len(sentences), 3) if sentences else None,
        "uncertain sentences": sum(s.verdict == "uncertain" for s in sentences),
    }


def render_markdown(results: Sequence[AnswerJudgement], judge: str) -> str:
    lines = [f"# Faithfulness of {len(results)} answers (judge: {judge})", ""]
    lines += [f"- {k}: {'n/a' if v is None else v}" for k, v in summary(results).items()]
    lines += ["", "| id | sentence | verdict | P(supported) | evidence |", "|---|---|---|---:|---|"]
    for r in results:
        for s in r.sentences:
            lines.append(f"| {r.id} | {_cell(s.sentence)} | {s.verdict} | {s.p_supported:.2f} "
                         f"| {_cell(s.evidence_span)} |")
    return "\n".join(lines) + "\n"


def render_html(results: Sequence[AnswerJudgement], judge: str) -> str:
    facts = "".join(f"<li>{escape(k)}: {escape('n/a' if v is None else str(v))}</li>"
                    for k, v in summary(results).items())
    rows = "".join(
        f"<tr><td>{escape(r.id)}</td><td>{escape(s.sentence)}</td>"
        f'<td class="{escape(s.verdict)}">{escape(s.verdict)}</td><td>{s.p_supported:.2f}</td>'
        f"<td>{escape(s.evidence_span)}</td></tr>" for r in results for s in r.sentences)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Faithfulness</title>"
            f"<style>{_CSS}</style></head><body><h1>Faithfulness of {len(results)} answers "
            f"(judge: {escape(judge)})</h1><ul>{facts}</ul><table><tr><th>id</th>"
            f"<th>sentence</th><th>verdict</th><th>P(supported)</th><th>evidence</th></tr>"
            f"{rows}</table></body></html>\n")


def write_results(results: Sequence[AnswerJudgement], judge: str, out: Path) -> list[Path]:
    """verdicts.jsonl (one line per sentence), report.md and report.html in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"id": r.id, **s.model_dump()}, ensure_ascii=False)
             for r in results for s in r.sentences]
    paths = [out / "verdicts.jsonl", out / "report.md", out / "report.html"]
    paths[0].write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths[1].write_text(render_markdown(results, judge), encoding="utf-8")
    paths[2].write_text(render_html(results, judge), encoding="utf-8")
    return paths


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")

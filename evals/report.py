"""The markdown report: verdict, config diff, metric table, regressions first, then the rest.

Pure functions of an `EvalRun` and an optional `GateReport`; `write_reports` also writes the
self-contained HTML report (`evals/report_html.py`) and the run itself as JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from evals.gate import Flip, GateReport
from evals.report_html import render_html
from evals.report_rows import fmt, llm_verdict, metric_rows, selftest_lines, verdict
from evals.results import EvalRun, QuestionResult


def metric_table(run: EvalRun, gate: GateReport | None) -> list[str]:
    lines = ["| metric | n | baseline | now | change | 95% interval | floor | status |",
             "|---|---:|---:|---:|---:|---|---:|---|"]
    for row in metric_rows(run, gate):
        arrow = "" if row.higher_is_better else " (lower is better)"
        interval = "" if row.low is None else f"{row.low:+.3f} .. {row.high:+.3f}"
        lines.append(
            f"| {row.name}{arrow} | {run.aggregates[row.name].n} | {fmt(row.baseline)} | "
            f"{fmt(row.now)} | {fmt(row.change, True)} | {interval} | {fmt(row.floor)} | "
            f"{row.status} |"
        )
    return lines


def judge_comparison(questions: Sequence[QuestionResult]) -> list[str]:
    """Sentences of failing answers that either judge faults: offline vs LLM verdict."""
    lines = ["| id | sentence | offline | LLM judge |", "|---|---|---|---|"]
    for q in questions:
        if q.passed or q.llm_judge is None:
            continue
        llm = {s.sentence: s for s in q.llm_judge.sentences}
        for s in q.faithfulness.sentences:
            other = llm.get(s.sentence)
            if s.verdict == "supported" and (other is None or other.verdict == "supported"):
                continue
            theirs = "-" if other is None else f"{other.verdict}: {other.reason}"
            lines.append(f"| {q.id} | {_one_line(s.sentence, 160)} | "
                         f"{_one_line(f'{s.verdict}: {s.reason}', 120)} | "
                         f"{_one_line(theirs, 160)} |")
        if q.llm_judge.status == "judge_error" and not q.llm_judge.sentences:
            lines.append(f"| {q.id} | - | - | judge_error: {_one_line(q.llm_judge.reason)} |")
    return lines if len(lines) > 2 else []


def tag_table(questions: Sequence[QuestionResult]) -> list[str]:
    by_tag: dict[str, list[bool]] = defaultdict(list)
    for q in questions:
        for tag in q.tags or ["(none)"]:
            by_tag[tag].append(q.passed)
    lines = ["| tag | questions | pass rate |", "|---|---:|---:|"]
    lines += [f"| {tag} | {len(v)} | {sum(v) / len(v):.3f} |" for tag, v in sorted(by_tag.items())]
    return lines


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe_flip(flip: Flip) -> list[str]:
    """Old vs new answer, why it fails now, and a failing sentence beside its cited snippet."""
    new = flip.new
    lines = [f"### {flip.id}: {_one_line(flip.question, 160)}", "",
             f"- gold: {new.gold_answer or ('(refusal)' if new.expect_refusal else 'n/a')}",
             f"- baseline answer: {_one_line(flip.old.answer.answer)}",
             f"- now: {_one_line(new.answer.answer)}",
             f"- fails because: {'; '.join(new.fail_reasons)}"]
    for s in new.faithfulness.sentences:
        if s.verdict in ("unsupported", "wrongly_cited"):
            lines += [f"- {s.verdict} sentence: > {_one_line(s.sentence)}",
                      f"  - cited {s.markers}: > {_one_line(s.cited_text) or '(nothing)'}",
                      f"  - {s.reason}"]
            other = llm_verdict(new, s.sentence)
            if other is not None:
                lines.append(f"  - LLM judge: {other.verdict} — {_one_line(other.reason)}")
            break
    return [*lines, ""]


def render_markdown(run: EvalRun, gate: GateReport | None) -> str:
    """The whole report as markdown."""
    lines = [f"# Eval report: {run.dataset} — {verdict(gate)}", "",
             f"{len(run.questions)} questions · dataset {run.dataset_sha} · config "
             f"{run.config_hash} · {run.created}", ""]
    if gate is not None:
        lines += ["## Verdict", ""] + [f"- {r}" for r in gate.reasons or ["no regression found"]]
        lines += [f"- McNemar (per-question pass/fail): {gate.mcnemar_b} pass→fail, "
                  f"{gate.mcnemar_c} fail→pass, p = {gate.mcnemar_p:.4f}", ""]
        lines += ["## Config changes (baseline → now)", ""]
        lines += ([f"- `{k}`: {old!r} → {new!r}" for k, old, new in gate.config_changes]
                  or ["- none"]) + [""]
    lines += ["## Metrics", "", *metric_table(run, gate), ""]
    if run.judge_selftests:
        lines += [*[f"- {line}" for line in selftest_lines(run)], ""]
    if gate is not None:
        lines += [f"## Regressions: {len(gate.regressions)} question(s) flipped pass → fail", ""]
        for flip in gate.regressions:
            lines += describe_flip(flip)
        fixed = ", ".join(f.id for f in gate.fixes) or "none"
        lines += [f"## Fixed (fail → pass): {fixed}", ""]
        if gate.only_in_baseline or gate.only_now:
            lines += [f"- only in baseline: {', '.join(gate.only_in_baseline) or '-'}",
                      f"- new questions: {', '.join(gate.only_now) or '-'}", ""]
    failing = [q for q in run.questions if not q.passed]
    lines += [f"## Failing now: {len(failing)}", "", "| id | reasons |", "|---|---|"]
    lines += [f"| {q.id} | {_one_line('; '.join(q.fail_reasons), 200)} |" for q in failing]
    comparison = judge_comparison(failing)
    if comparison:
        lines += ["", "### Failing sentences: offline vs LLM judge", "", *comparison]
    lines += ["", "## Pass rate by tag", "", *tag_table(run.questions), ""]
    if run.warnings:
        lines += ["## Dataset warnings", "", *[f"- {w}" for w in run.warnings], ""]
    return "\n".join(lines)


def write_reports(
    run: EvalRun, gate: GateReport | None, out: Path, baseline: EvalRun | None = None
) -> list[Path]:
    """Write report.md, report.html (charts beside `baseline` when given) and run.json under
    `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.md", out / "report.html", out / "run.json"]
    paths[0].write_text(render_markdown(run, gate), encoding="utf-8")
    paths[1].write_text(render_html(run, gate, baseline), encoding="utf-8")
    paths[2].write_text(run.model_dump_json(indent=1), encoding="utf-8")
    return paths

"""The self-contained HTML report: inline CSS and hand-made SVG charts, no external assets.

Every piece of text from answers or questions goes through `html.escape`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from html import escape

from evals.gate import Flip, GateReport
from evals.report_charts import (
    RANK_BUCKETS,
    columns,
    confusion_table,
    gold_rank,
    histogram,
    question_grid,
    svg_open,
)
from evals.report_rows import fmt, llm_verdict, metric_rows, selftest_lines, verdict
from evals.results import EvalRun, QuestionResult

_CSS = """body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}
td.num{text-align:right;font-variant-numeric:tabular-nums}.PASS{background:#d8f3dc}
.FAIL{background:#ffd6d6}.badge{padding:2px 10px;border-radius:4px}
.below_floor,.regressed{color:#b00020;font-weight:bold}
.flip{display:grid;grid-template-columns:1fr 1fr;gap:1em;border:1px solid #ddd;padding:.6em;
margin:.8em 0}
blockquote{margin:.3em 0;padding:.3em .6em;border-left:3px solid #999;background:#f6f6f6}
.bad{border-left-color:#b00020}"""


def bar_chart(series: Sequence[tuple[str, float | None, float | None]], title: str) -> str:
    """Horizontal bars in [0, 1]: grey = baseline, blue = now. Returns an <svg> element."""
    row_h, label_w, bar_w = 22, 190, 360
    height = 30 + row_h * len(series)
    parts = [svg_open(label_w + bar_w + 70, height, title),
             f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    for i, (name, old, new) in enumerate(series):
        y = 28 + i * row_h
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(name)}</text>')
        if old is not None:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{old * bar_w:.1f}" height="8" '
                         'fill="#bbb"><title>baseline</title></rect>')
        if new is not None:
            parts.append(f'<rect x="{label_w}" y="{y + 9}" width="{new * bar_w:.1f}" height="8" '
                         'fill="#3a6ea5"><title>now</title></rect>')
            parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}" font-size="11">'
                         f'{new:.3f}</text>')
    return "".join(parts) + "</svg>"


def _metric_table(run: EvalRun, gate: GateReport | None) -> str:
    head = "".join(f"<th>{h}</th>" for h in
                   ("metric", "n", "baseline", "now", "change", "95% interval", "floor", "status"))
    body = []
    for r in metric_rows(run, gate):
        interval = "" if r.low is None else f"{r.low:+.3f} .. {r.high:+.3f}"
        name = r.name + ("" if r.higher_is_better else " ↓")
        cells = [escape(name), str(run.aggregates[r.name].n), fmt(r.baseline), fmt(r.now),
                 fmt(r.change, True), interval, fmt(r.floor)]
        body.append("<tr>" + "".join(f'<td class="num">{c}</td>' if i else f"<td>{c}</td>"
                                     for i, c in enumerate(cells))
                    + f'<td class="{r.status}">{r.status}</td></tr>')
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _flip(flip: Flip) -> str:
    new, old = flip.new, flip.old
    bad = next((s for s in new.faithfulness.sentences
                if s.verdict in ("unsupported", "wrongly_cited")), None)
    beside = ""
    if bad is not None:
        other = llm_verdict(new, bad.sentence)
        llm = "" if other is None else \
            f"<br>LLM judge: <b>{escape(other.verdict)}</b> — {escape(other.reason)}"
        beside = (f'<div><b>{bad.verdict}</b><blockquote class="bad">{escape(bad.sentence)}'
                  f'</blockquote></div><div><b>cited {bad.markers}</b><blockquote>'
                  f'{escape(bad.cited_text) or "(nothing)"}</blockquote>{escape(bad.reason)}'
                  f"{llm}</div>")
    gold = new.gold_answer or ("(refusal)" if new.expect_refusal else "n/a")
    return (f'<div class="flip"><div style="grid-column:1/3"><b>{escape(flip.id)}</b>: '
            f'{escape(flip.question)}<br>gold: {escape(gold)} · fails because: '
            f'{escape("; ".join(new.fail_reasons))}</div>'
            f'<div><b>baseline</b><blockquote>{escape(old.answer.answer)}</blockquote></div>'
            f'<div><b>now</b><blockquote>{escape(new.answer.answer)}</blockquote></div>'
            f"{beside}</div>")


def _tag_series(questions: Sequence[QuestionResult]) -> list[tuple[str, None, float]]:
    by: dict[str, list[bool]] = defaultdict(list)
    for q in questions:
        for tag in q.tags or ["(none)"]:
            by[tag].append(q.passed)
    return [(t, None, sum(v) / len(v)) for t, v in sorted(by.items())]


def _charts(run: EvalRun, baseline: EvalRun | None) -> list[str]:
    """Per-question baseline vs now, gold-document rank, score histograms, judge confusion."""
    old = baseline.questions if baseline else []

    def ranks(qs: Sequence[QuestionResult]) -> list[int]:
        found = [gold_rank(q) for q in qs]
        return [found.count(b) for b in RANK_BUCKETS]

    def f1(qs: Sequence[QuestionResult]) -> list[int]:
        return histogram([q.correctness.f1 for q in qs if q.correctness.status != "n/a"])

    def support(qs: Sequence[QuestionResult]) -> list[int]:
        return histogram([q.faithfulness.supported_share for q in qs
                          if q.faithfulness.supported_share is not None])

    bins = [f"{i / 10:.1f}" for i in range(10)]
    parts = ["<h2>Per question</h2>", question_grid(run.questions, old),
             "<h2>Rank of the first gold document</h2>",
             columns(RANK_BUCKETS, ranks(old) if old else None, ranks(run.questions),
                     "questions by gold rank (grey baseline, blue now)"),
             "<h2>Score histograms</h2>",
             columns(bins, f1(old) if old else None, f1(run.questions), "token F1 (bin start)"),
             columns(bins, support(old) if old else None, support(run.questions),
                     "supported share of answer sentences (bin start)"),
             "<h2>Judge self-test</h2>"]
    parts += [confusion_table(r) for r in run.judge_selftests]
    return parts


def render_html(run: EvalRun, gate: GateReport | None, baseline: EvalRun | None = None) -> str:
    """The whole report as one HTML page; `baseline` adds its side to the charts."""
    v = verdict(gate)
    rows = metric_rows(run, gate)
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>eval {escape(run.dataset)}"
             f"</title><style>{_CSS}</style></head><body>",
             f"<h1>Eval report: {escape(run.dataset)} <span class='badge {v}'>{v}</span></h1>",
             f"<p>{len(run.questions)} questions · dataset {run.dataset_sha} · config "
             f"{run.config_hash} · {escape(run.created)}</p>"]
    if gate is not None:
        reasons = gate.reasons or ["no regression found"]
        parts.append("<ul>" + "".join(f"<li>{escape(r)}</li>" for r in reasons) + "</ul>")
        parts.append(f"<p>McNemar: {gate.mcnemar_b} pass→fail, {gate.mcnemar_c} fail→pass, "
                     f"p = {gate.mcnemar_p:.4f}</p><h2>Config changes</h2><ul>"
                     + ("".join(f"<li><code>{escape(k)}</code>: {escape(repr(a))} → "
                                f"{escape(repr(b))}</li>" for k, a, b in gate.config_changes)
                        or "<li>none</li>") + "</ul>")
    parts += ["<h2>Metrics</h2>", _metric_table(run, gate),
              "".join(f"<p>{escape(line)}</p>" for line in selftest_lines(run)),
              bar_chart([(r.name, r.baseline, r.now) for r in rows if r.now is not None
                         and r.now <= 1], "baseline (grey) vs now (blue)")]
    if gate is not None:
        parts.append(f"<h2>Regressions: {len(gate.regressions)} flipped pass → fail</h2>")
        parts += [_flip(f) for f in gate.regressions]
        fixed = ", ".join(f.id for f in gate.fixes) or "none"
        parts.append(f"<h2>Fixed</h2><p>{escape(fixed)}</p>")
    parts += _charts(run, baseline)
    parts.append("<h2>Pass rate by tag</h2>"
                 + bar_chart(_tag_series(run.questions), "pass rate by tag (now)"))
    failing = [q for q in run.questions if not q.passed]
    parts.append(f"<h2>Failing now: {len(failing)}</h2><table><tr><th>id</th><th>reasons</th></tr>"
                 + "".join(f"<tr><td>{escape(q.id)}</td><td>{escape('; '.join(q.fail_reasons))}"
                           "</td></tr>" for q in failing) + "</table>")
    if run.warnings:
        parts.append("<h2>Dataset warnings</h2><ul>"
                     + "".join(f"<li>{escape(w)}</li>" for w in run.warnings) + "</ul>")
    return "".join(parts) + "</body></html>"

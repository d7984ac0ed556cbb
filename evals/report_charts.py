"""Hand-made SVG charts for the HTML report (pure functions, no plotting library, no assets).

Each returns one `<svg>` element; every label goes through `html.escape`. Colours: grey =
baseline, blue = now; per question green = passes, grey = fails, red = pass → fail, blue =
fail → pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from evals.judge_selftest import SelfTestResult
from evals.results import QuestionResult

OLD, NEW = "#bbb", "#3a6ea5"
_STATE = {"pass": "#52b788", "fail": "#ccc", "pass → fail": "#b00020", "fail → pass": NEW}
RANK_BUCKETS = ("1", "2", "3", "4", "5", "6+", "miss")


def question_grid(now: Sequence[QuestionResult], old: Sequence[QuestionResult] = ()) -> str:
    """One square per question, coloured by its pass/fail now against the baseline."""
    before = {q.id: q.passed for q in old}
    size, per_row = 14, 40
    rows = -(-len(now) // per_row) or 1
    parts = [svg_open(per_row * size + 10, 40 + rows * size + 24, "questions: baseline vs now"),
             '<text x="0" y="16" font-weight="bold">each question: baseline → now</text>']
    for i, q in enumerate(now):
        state = _state(before.get(q.id), q.passed)
        x, y = (i % per_row) * size, 26 + (i // per_row) * size
        parts.append(f'<rect x="{x}" y="{y}" width="{size - 2}" height="{size - 2}" '
                     f'fill="{_STATE[state]}"><title>{escape(q.id)}: {state}</title></rect>')
    legend_y = 26 + rows * size + 14
    for j, (state, colour) in enumerate(_STATE.items()):
        parts.append(f'<rect x="{j * 120}" y="{legend_y - 9}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{j * 120 + 14}" y="{legend_y}" '
                     f'font-size="11">{state}</text>')
    return "".join(parts) + "</svg>"


def _state(before: bool | None, now: bool) -> str:
    if before is None or before == now:
        return "pass" if now else "fail"
    return "fail → pass" if now else "pass → fail"


def gold_rank(q: QuestionResult) -> str | None:
    """The rank bucket of the first gold document among the retrieved ones (None: no gold)."""
    r = q.retrieval
    if r.status == "n/a" or r.mrr is None:
        return None
    if r.mrr == 0:
        return "miss"
    rank = round(1 / r.mrr)
    return str(rank) if rank <= 5 else "6+"


def histogram(values: Sequence[float], bins: int = 10) -> list[int]:
    """Counts of values in [0, 1] over `bins` equal bins (1.0 falls in the last)."""
    counts = [0] * bins
    for v in values:
        counts[min(int(v * bins), bins - 1)] += 1
    return counts


def columns(labels: Sequence[str], old: Sequence[int] | None, new: Sequence[int],
            title: str) -> str:
    """Grouped vertical bars of counts: grey = baseline (when given), blue = now."""
    col_w, plot_h = 44, 120
    top = max([*new, *(old or []), 1])
    parts = [svg_open(col_w * len(labels) + 20, plot_h + 60, title),
             f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    for i, label in enumerate(labels):
        x = 10 + i * col_w
        for offset, counts, colour in ((0, old, OLD), (16, new, NEW)):
            if counts is None:
                continue
            h = counts[i] / top * plot_h
            parts.append(f'<rect x="{x + offset}" y="{30 + plot_h - h:.1f}" width="14" '
                         f'height="{h:.1f}" fill="{colour}"><title>{counts[i]}</title></rect>')
        parts.append(f'<text x="{x}" y="{plot_h + 46}" font-size="11">{escape(label)}</text>'
                     f'<text x="{x + 16}" y="{28 + plot_h - new[i] / top * plot_h:.1f}" '
                     f'font-size="10">{new[i]}</text>')
    return "".join(parts) + "</svg>"


def confusion_table(result: SelfTestResult) -> str:
    """The self-test's labels against the judge's verdicts, as an HTML table."""
    predicted = ("supported", "not supported", "judge_error")
    head = "".join(f"<th>judged {p}</th>" for p in predicted)
    rows = "".join(
        f"<tr><th>labelled {label}</th>"
        + "".join(f'<td class="num">{result.confusion.get(label, {}).get(p, 0)}</td>'
                  for p in predicted) + "</tr>"
        for label in ("supported", "unsupported"))
    return (f"<table><caption>judge self-test ({escape(result.judge)}): balanced accuracy "
            f"{result.balanced_accuracy:.3f}</caption><tr><th></th>{head}</tr>{rows}</table>")


def svg_open(width: int, height: int, label: str) -> str:
    """The opening <svg> tag of a chart, labelled for screen readers."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="{escape(label)}">')

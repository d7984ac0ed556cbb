"""The UI's look and small browser behaviours: the theme, CSS for both colour schemes (every
text/background pair at least 4.5:1, checked in the browser tests) and the page script
(Esc stops an answer, a clicked `[n]` highlights its source, icon-only buttons get names)."""

from __future__ import annotations

from typing import Any

LIGHT = {
    "chip-bg": "#dbeafe", "chip-fg": "#1e3a8a", "chip-border": "#93c5fd", "muted": "#52525b",
    "meta": "#3f3f46", "refusal": "#78350f", "refusal-border": "#b45309", "mark-bg": "#fde68a",
    "mark-fg": "#1c1917", "filters-bg": "#eff6ff", "filters-fg": "#1e3a8a", "link": "#1d4ed8",
    "card-bg": "#f4f4f5", "card-fg": "#18181b", "guess": "#92400e", "bad": "#991b1b",
    "good": "#166534", "hit": "#2563eb", "border": "#d4d4d8",
}
DARK = {
    "chip-bg": "#1e3a8a", "chip-fg": "#dbeafe", "chip-border": "#3b82f6", "muted": "#c4c4cc",
    "meta": "#d4d4d8", "refusal": "#fcd34d", "refusal-border": "#f59e0b", "mark-bg": "#854d0e",
    "mark-fg": "#fef9c3", "filters-bg": "#172554", "filters-fg": "#dbeafe", "link": "#93c5fd",
    "card-bg": "#27272a", "card-fg": "#f4f4f5", "guess": "#fbbf24", "bad": "#fca5a5",
    "good": "#86efac", "hit": "#93c5fd", "border": "#52525b",
}


def _variables(colours: dict[str, str]) -> str:
    return " ".join(f"--cc-{name}: {value};" for name, value in colours.items())


CSS = f"""
:root {{ {_variables(LIGHT)} }}
.dark {{ {_variables(DARK)} }}
.collection-bar {{ display: flex; flex-wrap: wrap; gap: .2em .6em; align-items: baseline; }}
.collection-bar .label, .collection-bar .counts, .collection-bar .who {{ color: var(--cc-meta); }}
.collection-bar .who {{ margin-left: auto; }}
.collection-bar .brand {{ font-size: 1.25em; margin-right: .6em; }}
.answer a.cite {{ display: inline-block; padding: 0 .45em; margin: 0 .1em; border-radius: 999px;
  background: var(--cc-chip-bg); color: var(--cc-chip-fg); border: 1px solid var(--cc-chip-border);
  font-weight: 600; font-size: .85em; line-height: 1.5; text-decoration: none; }}
.answer a.cite:hover, .answer a.cite:focus-visible {{ outline: 2px solid var(--cc-hit); }}
.answer.refusal {{ border-left: 4px solid var(--cc-refusal-border); padding-left: .6em;
  color: var(--cc-refusal); }}
.answer .why {{ margin-top: .4em; color: var(--cc-meta); font-size: .92em; }}
.answer.refusal .why {{ color: var(--cc-refusal); }}
.answer .rewrite {{ font-size: .85em; color: var(--cc-muted); margin-bottom: .3em; }}
.answer.reading, .answer.stopped .why {{ color: var(--cc-muted); font-style: italic; }}
.answer .cards {{ display: none; }}
.answer .card {{ display: block; padding: .3em .5em; margin: 0 0 .3em 0; border-radius: 6px;
  background: var(--cc-card-bg); color: var(--cc-card-fg); text-decoration: none;
  font-size: .85em; }}
.sources ol {{ padding-left: 0; list-style: none; }}
.sources .source {{ margin: 0 0 1em 0; padding: .5em .7em; border: 1px solid var(--cc-border);
  border-radius: 6px; scroll-margin-top: 1em; }}
.sources .source.hit, .sources .source:target {{ outline: 3px solid var(--cc-hit); }}
.sources .not-used {{ border-style: dashed; }}
.sources .src-meta {{ font-size: .85em; color: var(--cc-meta); }}
.sources .src-meta a, .documents a {{ color: var(--cc-link); }}
.sources .rel {{ display: block; font-size: .8em; color: var(--cc-muted); }}
.sources .src-text {{ white-space: pre-wrap; margin: .4em 0 0 0; }}
.sources mark {{ background: var(--cc-mark-bg); color: var(--cc-mark-fg); }}
.sources .refusal-note {{ color: var(--cc-refusal); font-weight: 600; }}
.sources .filters {{ font-size: .85em; margin: 0 0 .6em 0; padding: .2em .5em;
  background: var(--cc-filters-bg); color: var(--cc-filters-fg); border-radius: 4px; }}
.documents table, .documents thead, .documents tbody, .documents tr {{ border: 0 !important; }}
.documents table {{ width: 100%; border-collapse: collapse; font-size: .9em; }}
.documents th, .documents td {{ text-align: left; padding: .3em .4em; border: 0 !important;
  border-bottom: 1px solid var(--cc-border) !important; vertical-align: top; }}
.documents .doc-id, .documents .shown {{ font-size: .8em; color: var(--cc-muted); }}
.documents tr.guess td:nth-child(3), .documents tr.guess td:nth-child(4) {{
  color: var(--cc-guess); font-weight: 600; }}
.uploads ul {{ padding-left: 1.1em; }}
.uploads .failed, .uploads .refused {{ color: var(--cc-bad); }}
.uploads .embedded {{ color: var(--cc-good); }}
.dark button[role="tab"].selected {{ color: var(--cc-link); }}
@media (max-width: 700px) {{
  #top {{ flex-direction: column !important; }}
  #top > * {{ width: 100% !important; min-width: 100% !important; }}
  .answer .cards {{ display: block; margin: 0 0 .5em 0; }}
  .collection-bar .who {{ margin-left: 0; }}
}}
"""

# Runs once when the page loads (Gradio's `js`).
PAGE_JS = """
() => {
  const hit = (id) => {
    const target = id && document.getElementById(id);
    const card = target && target.closest('#sources .source');
    if (!card || card.classList.contains('hit')) return;
    document.querySelectorAll('#sources .source.hit').forEach((e) => e.classList.remove('hit'));
    card.classList.add('hit');
    card.scrollIntoView({block: 'nearest'});
  };
  let clicked = {id: '', at: 0};
  document.addEventListener('click', (e) => {
    const link = e.target.closest && e.target.closest('a.cite, a.card');
    if (!link) return;
    clicked = {id: link.getAttribute('href').slice(1), at: Date.now()};
    setTimeout(() => hit(clicked.id), 0);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    const stop = document.querySelector('#stop');
    if (stop && stop.offsetParent !== null && !stop.disabled) { e.preventDefault(); stop.click(); }
  });
  const name = () => document.querySelectorAll('button.calendar:not([aria-label])')
    .forEach((b) => b.setAttribute('aria-label', 'Pick a date'));
  new MutationObserver(() => {
    name();
    if (Date.now() - clicked.at < 8000) hit(clicked.id);  // the panel now shows that answer
  }).observe(document.body, {subtree: true, childList: true});
  name();
}
"""

# Copies the text it is given (the answer as plain text) to the clipboard.
COPY_JS = """
async (text) => {
  if (!text) return;
  try { await navigator.clipboard.writeText(text); }
  catch (err) {
    const area = document.createElement('textarea');
    area.value = text; area.style.position = 'fixed'; area.style.left = '-9999px';
    document.body.appendChild(area); area.select(); document.execCommand('copy'); area.remove();
  }
}
"""


def theme() -> Any:
    """Gradio's default theme with system fonts (no web font is fetched) and a primary colour
    that keeps white button text at 4.5:1 or more in both schemes."""
    import gradio as gr

    return gr.themes.Default(
        primary_hue="blue", font=[gr.themes.Font("system-ui"), "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    ).set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_dark="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_hover_dark="*primary_600",
        button_primary_text_color="white", button_primary_text_color_dark="white",
        button_cancel_background_fill="#b91c1c", button_cancel_background_fill_dark="#b91c1c",
        button_cancel_background_fill_hover="#991b1b",
        button_cancel_background_fill_hover_dark="#991b1b",
        button_cancel_text_color="white", button_cancel_text_color_dark="white",
        color_accent="*primary_700",
        body_text_color_subdued="*neutral_600", body_text_color_subdued_dark="*neutral_400",
        block_info_text_color="*neutral_600", block_info_text_color_dark="*neutral_400",
    )

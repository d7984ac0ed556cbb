"""The Chat tab: conversation, input with Ask/Stop, answer actions, filters, sources panel.

While an answer is written the input is disabled and Stop (or Esc) is offered; Regenerate
asks the latest question again, "Ask as typed" asks a rewritten follow-up as it was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from ui.filters import AS_OF, SINCE, SOURCE, UNTIL
from ui.handlers import EXTRACTIVE, answer_modes
from ui.layout import ANY_SOURCE, Shell, date_field
from ui.render_sources import empty_sources_html
from ui.session import Session
from ui.style import COPY_JS

CHAT_CONCURRENCY = 8  # answers for one collection are computed one at a time (its lock)


def _index(data: gr.EventData) -> int:
    index = getattr(data, "index", 0)
    return int(index[0] if isinstance(index, list | tuple) else index)


def chat_tab(shell: Shell) -> None:
    """Build the chat tab inside the current Blocks and wire its events."""
    modes = answer_modes(shell.app)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            shell.chatbot = gr.Chatbot(label="Chat", show_label=False, elem_id="chat",
                                       height=520, buttons=[], latex_delimiters=[],
                                       allow_tags=False)
            with gr.Row(equal_height=True):
                question = gr.Textbox(label="Question", show_label=False, elem_id="question",
                                      placeholder="Ask about the news… (Enter sends, "
                                      "Shift+Enter for a new line)", lines=1, max_lines=6,
                                      scale=6, autofocus=True)
                ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=80)
                stop = gr.Button("Stop", variant="stop", elem_id="stop", scale=1, min_width=80,
                                 visible=False)
            with gr.Row():
                regenerate = gr.Button("Regenerate", elem_id="regenerate", size="sm")
                shell.as_typed = gr.Button("Ask as typed", elem_id="as-typed", size="sm",
                                           visible=False)
                copy = gr.Button("Copy answer", elem_id="copy", size="sm")
                up = gr.Button("Helpful", elem_id="thumbs-up", size="sm")
                down = gr.Button("Not helpful", elem_id="thumbs-down", size="sm")
                new = gr.Button("New chat", elem_id="new-chat", size="sm")
            comment = gr.Textbox(label="Comment (optional, saved with Helpful / Not helpful)",
                                 elem_id="comment", max_lines=3)
            shell.status = gr.Markdown(elem_id="status")
            copied = gr.Textbox(visible="hidden", elem_id="copy-text")
        with gr.Column(scale=2, min_width=300):
            with gr.Accordion("Filters", open=False, elem_id="filters"):
                filters = _filter_fields(shell)
            with gr.Accordion("Answer settings", open=False, elem_id="answer-settings"):
                k = gr.Slider(1, 20, value=shell.app.settings.answer.top_k, step=1, elem_id="k",
                              label="Passages the answer reads (k)")
                mode = gr.Radio(modes, value=shell.app.mode if shell.app.mode in modes
                                else EXTRACTIVE, label="Answer mode", elem_id="mode",
                                info="local: a model on this machine reads the passages; "
                                "extractive: quotes only, no model; llm: an OpenAI-compatible "
                                "endpoint")
            shell.sources = gr.HTML(empty_sources_html(), elem_id="sources",
                                    label="Sources", padding=False)
    _wire_asking(shell, question, ask, stop, regenerate, [k, mode, *filters])
    _wire_actions(shell, copy, copied, up, down, new, comment)


def _filter_fields(shell: Shell) -> list[Any]:
    """As of, since, until (date pickers) and source (from the collection), in the order
    `ChatHandlers.chat` takes them."""
    fields = [
        date_field(AS_OF, "as-of", "answer as on this day: later documents are not read "
                   "(empty: today)"),
        date_field(SINCE, "since", "only documents published on/after (drops undated ones)"),
        date_field(UNTIL, "until", "only documents published on/before (keeps undated ones)"),
        gr.Dropdown([ANY_SOURCE], value="", label=SOURCE, elem_id="source",
                    info="the sources in this collection"),
    ]
    shell.source_filter = fields[-1]
    shell.date_hint = gr.Markdown(elem_id="date-hint")
    return fields


def _wire_asking(shell: Shell, question: Any, ask: Any, stop: Any, regenerate: Any,
                 settings: list[Any]) -> None:
    handlers, session = shell.chat, shell.session
    pending = gr.State({"text": "", "as_typed": False})
    busy = [question, ask, stop, regenerate, shell.as_typed]

    def begin(text: str) -> list[Any]:
        return [gr.update(value="", interactive=False), gr.update(visible=False),
                gr.update(visible=True), gr.update(interactive=False),
                gr.update(interactive=False), {"text": text, "as_typed": False}]

    def redo(as_typed: bool) -> Callable[[Session], list[Any]]:
        def take(state: Session) -> list[Any]:
            asked = handlers.take_back(state)
            text = asked.question if asked else ""
            return [*begin(text)[:-1], {"text": text, "as_typed": as_typed},
                    list(state.messages)]
        return take

    def chat(p: dict[str, Any], state: Session, k: float, mode: str, as_of: str | None,
             since: str | None, until: str | None, source: str | None,
             ) -> Iterator[tuple[Any, ...]]:
        yield from handlers.chat(p["text"], state, int(k), mode, as_of=as_of or "",
                                 since=since or "", until=until or "", source=source or "",
                                 as_typed=bool(p["as_typed"]))

    def end(state: Session) -> list[Any]:
        last = state.turns[-1] if state.turns and state.run is None else None
        offer = last is not None and last.rewritten and state.last is not None
        label = f"Ask “{last.typed}” as typed" if offer and last else "Ask as typed"
        return [gr.update(interactive=True), gr.update(visible=True), gr.update(visible=False),
                gr.update(interactive=True), gr.update(visible=offer, value=label,
                                                       interactive=True),
                gr.update(choices=shell.convs.choices(state), value=state.conversation_id)]

    after = [*busy, shell.history]
    answer_out = [shell.chatbot, shell.sources, session]
    chats = []
    starts = [(question.submit, begin, [question], "public"),
              (ask.click, begin, [question], "undocumented"),
              (regenerate.click, redo(False), [session], "undocumented"),
              (shell.as_typed.click, redo(True), [session], "undocumented")]
    for trigger, first, inputs, visibility in starts:
        outputs = [*busy, pending] + ([shell.chatbot] if first is not begin else [])
        event = trigger(first, inputs, outputs, queue=False, api_visibility=visibility,
                        api_name="take" if visibility == "public" else None).then(
            chat, [pending, session, *settings], answer_out, api_visibility=visibility,
            api_name="chat" if visibility == "public" else None,
            concurrency_id="chat", concurrency_limit=CHAT_CONCURRENCY,
            show_progress="hidden")  # the chat says what it is doing itself
        chats.append(event)
        event.then(end, [session], after, queue=False, api_visibility="private")
    # As Gradio's ChatInterface does: one listener only cancels (the `.then(end)` above runs
    # after a cancel too), another marks what was written as stopped.
    stop.click(None, None, None, cancels=chats, api_visibility="private")
    stop.click(handlers.stop, [session], answer_out, queue=False, api_visibility="private")


def _wire_actions(shell: Shell, copy: Any, copied: Any, up: Any, down: Any, new: Any,
                  comment: Any) -> None:
    handlers, session = shell.chat, shell.session

    def select(state: Session, data: gr.SelectData) -> str:
        return handlers.select(_index(data), state)

    shell.chatbot.select(select, [session], [shell.sources], api_visibility="private",
                         show_progress="hidden")

    def copy_text(state: Session) -> tuple[str, str]:
        text = handlers.copy_text(state)
        return text, ("Copied the answer and its sources as plain text." if text
                      else "Ask a question first.")

    copy.click(copy_text, [session], [copied, shell.status], queue=False,
               api_visibility="private").then(None, [copied], None, js=COPY_JS)

    def rate_latest(up_: bool) -> Callable[[Session, str], tuple[str, str]]:
        return lambda state, text: (handlers.rate(state, up_, text), "")

    up.click(rate_latest(True), [session, comment], [shell.status, comment],
             api_visibility="private")
    down.click(rate_latest(False), [session, comment], [shell.status, comment],
               api_visibility="private")

    def like(state: Session, text: str, data: gr.LikeData) -> str:
        if data.liked not in (True, False):
            return ""
        return handlers.rate(state, data.liked is True, text, _index(data))

    shell.chatbot.like(like, [session, comment], [shell.status], api_visibility="private")

    def new_chat(state: Session) -> list[Any]:
        state.clear()
        return [[], empty_sources_html(), state, "", "", gr.update(visible=False),
                gr.update(choices=shell.convs.choices(state), value=None)]

    outputs = [shell.chatbot, shell.sources, session, comment, shell.status, shell.as_typed,
               shell.history]
    new.click(new_chat, [session], outputs, api_visibility="private")
    shell.chatbot.clear(new_chat, [session], outputs, api_visibility="private")

"""The History tab: this browser's (or user's) conversations in the current collection, to
reopen, rename or delete. Choosing one opens it in the Chat tab."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ui.handlers import turn_sources
from ui.layout import Shell
from ui.render_sources import empty_sources_html
from ui.session import Session


def history_tab(shell: Shell) -> None:
    """Build the history tab inside the current Blocks and wire its events."""
    convs, session = shell.convs, shell.session
    gr.Markdown("Conversations are kept on the server, per browser (or per user when there "
                "is a login), for the collection you are in.")
    shell.history.render()
    with gr.Row():
        title = gr.Textbox(label="New name", elem_id="rename-text", max_lines=1, scale=3)
        rename = gr.Button("Rename", elem_id="rename", scale=1)
        delete = gr.Button("Delete conversation", elem_id="delete-conversation",
                           variant="stop", scale=1)
    status = gr.Markdown(elem_id="history-status")

    def open_(state: Session, cid: str | None) -> list[Any]:
        if not convs.open(state, cid):
            return [gr.update(), gr.update(), state, gr.update(),
                    "That conversation is not in your history."]
        latest = turn_sources(state.turns[-1]) if state.turns else empty_sources_html()
        return [list(state.messages), latest, state, gr.Tabs(selected="chat"), ""]

    shell.history.input(open_, [session, shell.history],
                        [shell.chatbot, shell.sources, session, shell.tabs, status],
                        api_visibility="private")

    def rename_(state: Session, cid: str | None, text: str) -> list[Any]:
        line = convs.rename(state, cid, text)
        return [line, gr.update(choices=convs.choices(state), value=cid), ""]

    rename.click(rename_, [session, shell.history, title], [status, shell.history, title],
                 api_visibility="private")

    def delete_(state: Session, cid: str | None) -> list[Any]:
        line = convs.delete(state, cid)
        shown = list(state.messages)
        return [line, gr.update(choices=convs.choices(state), value=None), shown,
                empty_sources_html() if not shown else gr.update(), state]

    delete.click(delete_, [session, shell.history],
                 [status, shell.history, shell.chatbot, shell.sources, session],
                 api_visibility="private")

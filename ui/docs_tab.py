"""The Documents tab: the collection's documents with search, delete and set-date, new
collections, and uploads that ingest in the background with per-file progress."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from rag.core.errors import CitechatError
from ui.layout import Shell, date_field, user_of
from ui.render_docs import progress_html
from ui.render_sources import empty_sources_html
from ui.session import Session
from ui.uploads import ALLOWED_EXTENSIONS


def docs_tab(shell: Shell) -> None:
    """Build the documents tab inside the current Blocks and wire its events."""
    with gr.Row():
        search = gr.Textbox(label="Search titles, ids and sources", elem_id="doc-search",
                            max_lines=1, scale=4)
        find = gr.Button("Search", elem_id="doc-search-go", scale=1)
    shell.doc_table.render()
    shell.doc_picker.render()
    with gr.Row():
        delete = gr.Button("Delete selected", variant="stop", elem_id="doc-delete")
        confirm = gr.Button("Yes, delete", variant="stop", elem_id="doc-delete-confirm",
                            visible=False)
        day = date_field("Publication date", "doc-date", "for documents dated by file time "
                         "(or wrongly): the day they were published", scale=2)
        redate = gr.Button("Set date of selected", elem_id="doc-set-date")
    status = gr.Markdown(elem_id="doc-status")
    with gr.Accordion("Add documents", open=True, elem_id="add-documents"):
        files = gr.File(file_count="multiple", file_types=list(ALLOWED_EXTENSIONS),
                        label="Files (.txt .md .html .pdf .docx .jsonl, 20 MB each)",
                        elem_id="upload")
        add = gr.Button("Add to collection", elem_id="add-docs", variant="primary")
        progress = gr.HTML(progress_html([]), elem_id="upload-progress")
    with gr.Accordion("New collection", open=False, elem_id="new-collection"), gr.Row():
        name = gr.Textbox(label="Name (3-64 letters, digits, _ or -)", max_lines=1,
                          elem_id="collection-name", scale=3)
        create = gr.Button("Create and switch", elem_id="create-collection", scale=1)
    _wire_documents(shell, search, find, delete, confirm, day, redate, status)
    _wire_uploads(shell, files, add, progress)
    _wire_create(shell, name, create, status)


def _wire_documents(shell: Shell, search: Any, find: Any, delete: Any, confirm: Any, day: Any,
                    redate: Any, status: Any) -> None:
    docs, session = shell.docs, shell.session

    def listing(state: Session, text: str) -> list[Any]:
        table, choices = docs.listing(state.collection, text)
        return [table, gr.update(choices=choices, value=[])]

    for trigger in (search.submit, find.click):
        trigger(listing, [session, search], [shell.doc_table, shell.doc_picker],
                api_visibility="private")

    def change(action: str) -> Any:
        """Delete or re-date the chosen documents, then redraw the header and the list as
        searched (a re-dated selection stays chosen)."""
        def run(state: Session, ids: list[str], when: str | None, text: str,
                request: gr.Request) -> list[Any]:
            try:
                line = docs.delete(state.collection, ids) if action == "delete" else \
                    docs.set_date(state.collection, ids, when)
            except CitechatError as exc:
                return [str(exc), *(gr.update() for _ in changed[1:])]
            table, choices = docs.listing(state.collection, text)
            kept = [] if action == "delete" else ids
            return [line, docs.header(state.collection, user_of(request)), table,
                    gr.update(choices=choices, value=kept)]
        return run

    changed = [status, shell.header, shell.doc_table, shell.doc_picker]
    def ask_first(ids: list[str]) -> list[Any]:
        if not ids:
            return [gr.update(visible=False), "Choose the documents to delete first."]
        label = f"Yes, delete {len(ids)} document{'s' if len(ids) != 1 else ''} for good"
        return [gr.update(visible=True, value=label),
                "Deleting removes the documents and their passages from search."]

    delete.click(ask_first, [shell.doc_picker], [confirm, status], api_visibility="private")
    confirm.click(change("delete"), [session, shell.doc_picker, day, search], changed,
                  api_visibility="private").then(lambda: gr.update(visible=False), None,
                                                 [confirm], api_visibility="private")
    redate.click(change("date"), [session, shell.doc_picker, day, search], changed,
                 api_visibility="private")


def _wire_uploads(shell: Shell, files: Any, add: Any, progress: Any) -> None:
    docs, session = shell.docs, shell.session
    refreshed = shell.collection_outputs()

    def start(paths: list[str] | None, state: Session) -> list[Any]:
        job = docs.upload(state.collection, paths)
        shown = progress_html([], "Choose one or more files first.") if job is None else \
            progress_html([], "Saving …")
        return [job, shown, None]

    def watch(job: str | None) -> Iterator[str]:
        for html, _ in docs.watch(job):
            yield html

    def done(state: Session, request: gr.Request) -> list[Any]:
        return shell.refresh(state, user_of(request))

    job = gr.State(None)
    add.click(start, [files, session], [job, progress, files], api_visibility="private").then(
        watch, [job], [progress], concurrency_limit=None, api_visibility="private").then(
        done, [session], refreshed, api_visibility="private")


def _wire_create(shell: Shell, name: Any, create: Any, status: Any) -> None:
    docs, session = shell.docs, shell.session
    refreshed = shell.collection_outputs()

    def create_(text: str, state: Session, request: gr.Request) -> list[Any]:
        try:
            collection = docs.create(text)
        except CitechatError as exc:
            return [str(exc), gr.update(), gr.update(), state, gr.update(),
                    *(gr.update() for _ in refreshed)]
        state.collection = collection
        state.clear()
        return [f"Created **{collection}**; you are in it now.", "", [], state,
                empty_sources_html(), *shell.refresh(state, user_of(request))]

    create.click(create_, [name, session],
                 [status, name, shell.chatbot, session, shell.sources, *refreshed],
                 api_visibility="private")

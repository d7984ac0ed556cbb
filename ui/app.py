"""The Gradio UI: layout and event wiring only; the work is in the Gradio-free handlers
(`ui.handlers`, `ui.documents`, `ui.conversations`) and the pure renderers (`ui.render*`).

>>> demo = launch_ui(build_app(load_settings()), "127.0.0.1", 7860)  # doctest: +SKIP

Offline by design: analytics off, no share link, system fonts only (the page requests nothing
from any host but the one serving it). A login (`users`) is asked for when users are given;
`rag.cli.ui` requires one off loopback.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import gradio as gr  # noqa: E402

from rag.app import App  # noqa: E402
from rag.core.errors import CitechatError  # noqa: E402
from ui.auth import Login  # noqa: E402
from ui.chat_tab import chat_tab  # noqa: E402
from ui.conversations import ConversationHandlers, owner_for  # noqa: E402
from ui.docs_tab import docs_tab  # noqa: E402
from ui.documents import DocumentHandlers  # noqa: E402
from ui.feedback import FeedbackStore  # noqa: E402
from ui.handlers import ChatHandlers, turn_sources  # noqa: E402
from ui.history import ConversationStore  # noqa: E402
from ui.history_tab import history_tab  # noqa: E402
from ui.jobs import UploadJobs  # noqa: E402
from ui.layout import Shell, user_of  # noqa: E402
from ui.render_sources import empty_sources_html  # noqa: E402
from ui.session import AppPool, Session  # noqa: E402
from ui.style import CSS, PAGE_JS, theme  # noqa: E402
from ui.uploads import MAX_BYTES  # noqa: E402

log = logging.getLogger(__name__)
SECRET_FILE = "ui-browser-key"


def build_ui(app: App, app_factory: Callable[[str], App] | None = None) -> gr.Blocks:
    """The UI over `app`; `app_factory(collection)` builds the App when the user switches
    collection (default: the same settings with another collection name)."""
    pool = AppPool(app, app_factory)
    data_dir = app.settings.data_dir
    history = ConversationStore.for_data_dir(data_dir)
    # delete_cache: Gradio's own temp copies of uploads go after an hour (ours are kept).
    with gr.Blocks(title="citechat", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        shell = Shell(
            app=app, chat=ChatHandlers(pool, FeedbackStore.for_data_dir(data_dir), history),
            docs=DocumentHandlers(pool, UploadJobs(pool)), convs=ConversationHandlers(history),
            session=gr.State(Session(collection=pool.default)), tabs=None,
            collection=None, header=None,
        )
        browser = gr.BrowserState(None, storage_key="citechat-browser",
                                  secret=browser_secret(data_dir))
        _collection_bar(shell, pool)
        shell.history = gr.Radio([], label="Conversations", elem_id="history", render=False)
        shell.doc_table = gr.HTML(elem_id="documents", render=False, padding=False)
        shell.doc_picker = gr.Dropdown([], multiselect=True, label="Selected documents",
                                       elem_id="doc-picker", render=False)
        with gr.Tabs(elem_id="tabs") as shell.tabs:
            with gr.Tab("Chat", id="chat", elem_id="tab-chat"):
                chat_tab(shell)
            with gr.Tab("History", id="history", elem_id="tab-history"):
                history_tab(shell)
            with gr.Tab("Documents", id="documents", elem_id="tab-documents"):
                docs_tab(shell)
        _wire_collection(demo, shell, browser)
    return demo  # type: ignore[no-any-return]  # gradio's Blocks context is untyped


def _collection_bar(shell: Shell, pool: AppPool) -> None:
    with gr.Row(equal_height=True, elem_id="top"):
        shell.header = gr.HTML(elem_id="header", padding=False, scale=4, min_width=300)
        shell.collection = gr.Dropdown(pool.choices(), value=pool.default, label="Collection",
                                       elem_id="collection", scale=1, min_width=200)


def _wire_collection(demo: Any, shell: Shell, browser: Any) -> None:
    session, chat_out = shell.session, [shell.chatbot, shell.sources]

    def on_load(browser_id: str | None, state: Session, request: gr.Request) -> list[Any]:
        user = user_of(request)
        state.owner, browser_id = owner_for(user, browser_id)
        shell.convs.restore(state)
        latest = turn_sources(state.turns[-1]) if state.turns else empty_sources_html()
        return [browser_id, state, list(state.messages), latest,
                *shell.refresh(state, user)]

    shell_outputs = shell.collection_outputs()
    demo.load(on_load, [browser, session], [browser, session, *chat_out, *shell_outputs],
              api_visibility="private")

    def switch(name: str, state: Session, request: gr.Request) -> list[Any]:
        try:
            state, _ = shell.chat.switch(name, state)
        except CitechatError as exc:
            raise gr.Error(str(exc)) from None
        shell.convs.restore(state)
        latest = turn_sources(state.turns[-1]) if state.turns else empty_sources_html()
        return [list(state.messages), latest, state, *shell.refresh(state, user_of(request))]

    shell.collection.input(switch, [shell.collection, session],
                           [*chat_out, session, *shell_outputs], api_visibility="private")


def browser_secret(data_dir: Path) -> str:
    """The key that encrypts the browser's id in its local storage, kept under the data dir so
    browsers keep their history across restarts (made on first use, readable by you only)."""
    path = data_dir / SECRET_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(16)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(key)
        return key


def warm(app: App) -> None:
    """Load the model and open the stores now, so the first question is not the slow one."""
    try:
        app.service.retrieve("warm up", 1)
    except CitechatError as exc:  # e.g. an empty or unreachable store: the UI will say so later
        log.warning("warm-up failed: %s", exc)


def launch_ui(
    app: App, host: str = "127.0.0.1", port: int = 7860, *, block: bool = True,
    app_factory: Callable[[str], App] | None = None, users: dict[str, str] | None = None,
) -> gr.Blocks:
    """Serve the UI on `host:port` (no share link, no analytics; a login when `users` are
    given); with `block=False` return at once (tests), else serve until interrupted."""
    demo = build_ui(app, app_factory)
    warm(app)
    demo.queue(default_concurrency_limit=4)
    demo.launch(
        server_name=host, server_port=port, share=False, prevent_thread_lock=not block,
        inbrowser=False, quiet=True, show_error=False, theme=theme(), css=CSS, js=PAGE_JS,
        ssr_mode=False, pwa=False, mcp_server=False, enable_monitoring=False, run_history=False,
        footer_links=[], max_file_size=MAX_BYTES,
        auth=Login(users) if users else None,
        auth_message="citechat: sign in with the name and password you were given.",
    )
    return demo

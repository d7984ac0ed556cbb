"""The Gradio chat UI: layout and event wiring only; the work is in `ui.handlers` and `ui.render`.

>>> demo = launch_ui(build_app(load_settings()), "127.0.0.1", 7860)  # doctest: +SKIP

Offline by design: analytics off, no share link, system fonts only (the page requests nothing
from any host but the one serving it), LLM mode offered only when an endpoint is configured
(`llm.base_url`, or an API key for OpenAI's).
"""

import logging
import os
from collections.abc import Callable, Iterator
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import gradio as gr  # noqa: E402

from rag.app import App  # noqa: E402
from rag.core.errors import CitechatError  # noqa: E402
from ui import render  # noqa: E402
from ui.feedback import FeedbackStore  # noqa: E402
from ui.filters import AS_OF, SINCE, SOURCE, UNTIL  # noqa: E402
from ui.handlers import EXTRACTIVE, ChatHandlers, answer_modes  # noqa: E402
from ui.session import AppPool, Session  # noqa: E402
from ui.uploads import ALLOWED_EXTENSIONS, MAX_BYTES  # noqa: E402

log = logging.getLogger(__name__)
CHAT_CONCURRENCY = 8  # streams interleave; the answer itself runs under the collection's lock


def theme() -> gr.themes.Base:
    """The default theme with system fonts, so no web font is fetched."""
    return gr.themes.Default(
        font=[gr.themes.Font("system-ui"), "sans-serif"], font_mono=["ui-monospace", "monospace"]
    )


def _index(data: gr.EventData) -> int:
    index = getattr(data, "index", 0)
    return int(index[0] if isinstance(index, list | tuple) else index)


def build_ui(
    app: App, app_factory: Callable[[str], App] | None = None, *, stream_delay: float = 0.02
) -> gr.Blocks:
    """The chat UI over `app`; `app_factory(collection)` builds the App when the user switches
    collection (default: the same settings with another collection name)."""
    pool = AppPool(app, app_factory)
    handlers = ChatHandlers(pool, FeedbackStore.for_data_dir(app.settings.data_dir),
                            stream_delay=stream_delay)
    modes = answer_modes(app.settings)
    default_mode = app.mode if app.mode in modes else EXTRACTIVE
    # delete_cache: Gradio's own temp copies of uploads go after an hour (ours are kept).
    with gr.Blocks(title="citechat", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        session = gr.State(Session(collection=pool.default))
        pending = gr.State("")
        gr.Markdown("## citechat\nAnswers quote the news they come from; click [n] to check.")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", elem_id="chat", height=520, latex_delimiters=[],
                                     allow_tags=False, buttons=["copy"])
                with gr.Row():
                    question = gr.Textbox(show_label=False, placeholder="Ask about the news…",
                                          elem_id="question", scale=6, autofocus=True)
                    ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                with gr.Row():
                    up = gr.Button("👍 Helpful", elem_id="thumbs-up", size="sm")
                    down = gr.Button("👎 Not helpful", elem_id="thumbs-down", size="sm")
                    new = gr.Button("New chat", elem_id="new-chat", size="sm")
                comment = gr.Textbox(label="Comment (optional, saved with 👍/👎 of the answer)",
                                     elem_id="comment")
                status = gr.Markdown(elem_id="status")
            with gr.Column(scale=2):
                filters = filter_fields()
                sources = gr.HTML(render.empty_sources_html(), elem_id="sources")
        with gr.Accordion("Settings and documents", open=False, elem_id="settings"):
            with gr.Row():
                k = gr.Slider(1, 20, value=app.settings.answer.top_k, step=1, elem_id="k",
                              label="Passages the answer reads (k)")
                mode = gr.Radio(modes, value=default_mode, label="Answer mode", elem_id="mode",
                                info="local: a model on this machine reads the passages; "
                                "extractive: quotes only, no model; llm: an OpenAI-compatible "
                                "endpoint (README: modes)")
                collection = gr.Dropdown(pool.choices(), value=pool.default, label="Collection",
                                         elem_id="collection")
            files = gr.File(file_count="multiple", file_types=list(ALLOWED_EXTENSIONS),
                            label="Add documents to this collection", elem_id="upload")
            add = gr.Button("Add to collection", elem_id="add-docs")
            upload_summary = gr.Textbox(label="Upload result", elem_id="upload-summary",
                                        interactive=False, lines=3)

        def take(text: str) -> tuple[str, str]:
            return "", text

        def chat(text: str, state: Session, k_: float, mode_: str, as_of: str, since: str,
                 until: str, source: str) -> Iterator[tuple[Any, ...]]:
            yield from handlers.chat(text, state, int(k_), mode_, as_of=as_of, since=since,
                                     until=until, source=source)

        for trigger, visibility in ((question.submit, "public"), (ask.click, "undocumented")):
            trigger(take, [question], [question, pending], queue=False, api_name="take",
                    api_visibility=visibility).then(
                chat, [pending, session, k, mode, *filters], [chatbot, sources, session],
                api_name="chat",
                api_visibility=visibility, concurrency_id="chat",
                concurrency_limit=CHAT_CONCURRENCY,
            )

        def rate_latest(up_: bool) -> Callable[[Session, str], tuple[str, str]]:
            return lambda state, text: (handlers.rate(state, up_, text), "")

        up.click(rate_latest(True), [session, comment], [status, comment], api_name="rate_up")
        down.click(rate_latest(False), [session, comment], [status, comment],
                   api_name="rate_down")

        def like(state: Session, text: str, data: gr.LikeData) -> str:
            if data.liked not in (True, False):
                return ""
            return handlers.rate(state, data.liked is True, text, _index(data))

        chatbot.like(like, [session, comment], [status], api_visibility="undocumented")

        def select(state: Session, data: gr.SelectData) -> str:
            return handlers.sources_for(_index(data), state)

        chatbot.select(select, [session], [sources], api_visibility="undocumented")

        def new_chat(state: Session) -> tuple[Any, ...]:
            state.clear()
            return [], render.empty_sources_html(), state, "", ""

        new.click(new_chat, [session], [chatbot, sources, session, comment, status])
        chatbot.clear(new_chat, [session], [chatbot, sources, session, comment, status],
                      api_visibility="undocumented")  # the chat's own trash button

        def switch(name: str, state: Session) -> tuple[Any, ...]:
            try:
                state, line = handlers.switch(name, state)
            except CitechatError as exc:
                raise gr.Error(str(exc)) from None
            return [], render.empty_sources_html(), state, line

        collection.input(switch, [collection, session], [chatbot, sources, session, status])

        def upload(paths: list[str] | None, state: Session,
                   progress: gr.Progress = gr.Progress()) -> tuple[str, None]:  # noqa: B008
            progress(0, desc="saving files")

            def report(done: int, total: int, name: str) -> None:
                progress((min(done, total), total), desc=f"ingesting {name}")

            return handlers.upload(paths, state, report), None

        add.click(upload, [files, session], [upload_summary, files])
        demo.load(lambda: gr.Dropdown(choices=pool.choices()), None, [collection],
                  api_visibility="undocumented")
    return demo  # type: ignore[no-any-return]  # gradio's Blocks context is untyped


def filter_fields() -> list[gr.Textbox]:
    """The folded Filters fields, in the order `ChatHandlers.chat` takes them: as of, since,
    until, source (checked there, so a bad value becomes a message in the chat)."""
    with gr.Accordion("Filters", open=False, elem_id="filters"):
        return [
            _date_box(AS_OF, "as-of", "answer as on this day: later documents are not read "
                      "(empty: today)"),
            _date_box(SINCE, "since", "only documents published on/after (drops undated ones)"),
            _date_box(UNTIL, "until", "only documents published on/before (keeps undated ones)"),
            gr.Textbox(label=f"{SOURCE} (exact name)", elem_id="source", max_lines=1,
                       placeholder="e.g. Valley Wire",
                       info="as shown in the sources panel: the JSONL 'source' field or the "
                       "page's site name, not a web address; case matters"),
        ]


def _date_box(label: str, elem_id: str, info: str) -> gr.Textbox:
    return gr.Textbox(label=label, elem_id=elem_id, info=info, placeholder="YYYY-MM-DD",
                      max_lines=1)


def warm(app: App) -> None:
    """Load the model and open the stores now, so the first question is not the slow one."""
    try:
        app.service.retrieve("warm up", 1)
    except CitechatError as exc:  # e.g. an empty or unreachable store: the UI will say so later
        log.warning("warm-up failed: %s", exc)


def launch_ui(
    app: App, host: str = "127.0.0.1", port: int = 7860, *, block: bool = True,
    app_factory: Callable[[str], App] | None = None, stream_delay: float = 0.02,
) -> gr.Blocks:
    """Serve the UI on `host:port` (no share link, no analytics); with `block=False` return at
    once (tests), else serve until interrupted."""
    demo = build_ui(app, app_factory, stream_delay=stream_delay)
    warm(app)
    demo.queue(default_concurrency_limit=1)
    demo.launch(
        server_name=host, server_port=port, share=False, prevent_thread_lock=not block,
        inbrowser=False, quiet=True, show_error=False, theme=theme(), css=render.CSS,
        ssr_mode=False, pwa=False, mcp_server=False, enable_monitoring=False, run_history=False,
        footer_links=["api"], max_file_size=MAX_BYTES,
    )
    return demo

"""The Gradio UI, a thin layer over Gradio-free handlers and pure renderers.

`app` (the collection bar and tabs, launch), `chat_tab` / `history_tab` / `docs_tab` (each
tab's wiring), `handlers` (asking, stopping, copying, rating), `answering` (answers written in
a thread of their own), `conversations` + `history` (conversations kept per browser or user),
`documents` + `jobs` + `uploads` (documents view, background uploads), `refusal` (why the
documents don't say), `render*` and `plain` (HTML and plain text), `style`, `auth` (optional
login), `session` (per-tab state, one App per collection). Follow-ups are made standalone by
`rag.answer.conversation`, the same module `citechat chat` uses; `citechat ui` itself is wired
in `rag.cli.ui`."""

"""The Gradio chat UI: `app` (layout and wiring), `handlers` (what events do), `render` (HTML,
escaped), `session` (per-tab state, one App per collection), `feedback` (ratings store),
`uploads`, `filters`. Follow-ups are made standalone by `rag.answer.conversation`, the same
module `citechat chat` uses; `citechat ui` itself is wired in `rag.cli.ui`."""

"""The Gradio chat UI: `app` (layout and wiring), `handlers` (what events do), `render` (HTML,
escaped), `conversation` (follow-ups), `feedback` (ratings store), `uploads`, `cli`."""

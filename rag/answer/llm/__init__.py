"""Generative answers through any OpenAI-compatible endpoint, with every citation verified.

Modules, in the order an answer flows through them:

- `prompt`     numbered, fenced sources and the versioned rules (`prompts/answer_v2.txt`);
- `client`     the LlamaIndex `OpenAILike` model built from `LLMSettings` (secrets resolved late);
- `calls`      one bounded retry loop; endpoint failures mapped to the `errors` classes;
- `citations`  `[n]` markers parsed into data;
- `verify`     each sentence checked against the chunks (pure functions);
- `compose`    the shown answer: re-cited, marked or dropped, citations numbered;
- `answerer`   `LLMAnswerer.answer` / `.stream`, tying the steps together;
- `chat`       follow-ups rewritten into standalone questions; `cli` and `render` for the terminal.

Nothing is imported or contacted at import time of this package.
"""

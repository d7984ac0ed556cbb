"""The optional LLM faithfulness judge: any OpenAI-compatible endpoint, JSON-schema replies.

`prompts` (templates and schemas) → `client` (one call, bounded retries, errors that name the
`judge.*` setting to fix) → `cache` (SQLite, keyed by model, prompt version and input) →
`judge` (claims, then verdicts, ≤ `max_claims_per_call` per call). The per-answer metric is
`evals/metrics/llm_faithfulness.py`; see evals/README.md, "LLM judge".
"""

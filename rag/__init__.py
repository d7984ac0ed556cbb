"""citechat retrieval and answering, in layers; each sub-package imports only those below it:

    core      types, errors, protocols (the seams), settings, filters
    text      sentences, one lexicon (word lists as package data), one stemmer, dates
    stores    the catalog (SQLite + FTS5), Chroma, the embedding model, LlamaIndex adapters
    retrieve  hybrid retrieval and date-aware re-ranking
    answer    extractive and LLM answerers, verification, conversations
    service   `CitechatService`: the one path every surface goes through
    app       `build_app(settings)`: the composition root
    llamaindex  citechat's retriever and query engine as LlamaIndex components
    cli       `citechat …`: the only package that imports `ui` and `evals`

`ingest` sits beside `retrieve` and `answer` (it may use core, text and stores); `ui` and
`evals` sit above `app`. The contract is in pyproject.toml ([tool.importlinter]) and runs in CI.
"""

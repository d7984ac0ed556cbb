"""Where chunks live and how they are embedded: the SQLite catalog (documents, chunks, BM25),
Chroma (dense vectors), the local embedding model, and LlamaIndex adapters."""

"""citechat ingestion: load files or JSONL, clean, chunk with offsets, embed, upsert
idempotently."""

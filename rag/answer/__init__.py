"""Answerers (extractive; LLM with verification) and conversations over them."""

"""Regression evals for citechat: datasets, one metric per module, a runner, a gate and reports.

Entry point: `citechat eval` (see `rag/cli/eval.py` and `evals/README.md`).
"""

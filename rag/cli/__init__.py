"""`citechat …`: the command line (`rag.cli.main:main`), one module per group of subcommands.

It is the only package that imports every side: `ui` (`citechat ui`) and `evals`
(`citechat eval`) are reached from here and from nowhere else in `rag`.
"""

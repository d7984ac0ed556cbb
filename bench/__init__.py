"""citechat benchmarks (see bench/README.md); `bench/run_bench.py` is the entry point."""

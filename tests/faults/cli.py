"""`citechat` itself, with the hashing embedder in place of MiniLM (for fault runs over data
the worker wrote): `python -m tests.faults.cli verify --data-dir D --repair`."""

from __future__ import annotations

import sys


def main() -> int:
    from rag.cli import common
    from rag.cli.main import main as citechat
    from tests.fakes.hashing import HashingEmbedder

    real = common.build_app
    common.build_app = lambda settings: real(settings, embedder=HashingEmbedder())
    return citechat(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())

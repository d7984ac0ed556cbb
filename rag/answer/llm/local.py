"""A GGUF model run in-process by llama.cpp (llama-cpp-python), behind the `ChatModel` seam.

Loaded once, lazily, on first use; one call at a time (a lock: on a 2-core machine generation is
compute-bound, so callers queue rather than share the cores). Threads = cores. OpenMP waits
passively (`OMP_WAIT_POLICY=PASSIVE`): busy-waiting threads collapse generation on a shared CPU.

Deterministic: temperature 0 (greedy), and the prompt is evaluated in three fixed segments —
system, context, task — so a context already in the model's cache (from the support check) is
reused without changing a single logit: the same inputs give the same output run after run.

>>> model = LlamaCppModel(Path("qwen.gguf"))                           # doctest: +SKIP
>>> model.yes_probability(ModelPrompt("…", "Passages: …", "YES or NO?"))  # doctest: +SKIP
0.93
"""

from __future__ import annotations

import codecs
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rag.core.errors import ModelError
from rag.core.protocols import ModelPrompt

if TYPE_CHECKING:
    from llama_cpp import Llama

log = logging.getLogger(__name__)
_YES = ("YES", "Yes", "yes", " YES", " Yes", " yes")
_NO = ("NO", "No", "no", " NO", " No", " no")


class LlamaCppModel:
    """`stream` and `yes_probability` over one GGUF file (see the module docstring)."""

    def __init__(
        self, path: Path | Callable[[], Path], *, threads: int = 0, context_tokens: int = 2048,
        name: str = "",
    ) -> None:
        self._path = path
        self._threads = threads or len(os.sched_getaffinity(0))
        self._context = context_tokens
        self._name = name or (path.stem if isinstance(path, Path) else "local")
        self._llama: Llama | None = None
        self._lock = threading.Lock()
        self._cached: list[int] = []  # the tokens whose state the model holds, by segment
        self._segments: list[int] = []  # token counts at which those segments end
        self.last_logprobs: list[float] = []  # of each token of the latest reply (diagnostics)

    @property
    def name(self) -> str:
        return self._name

    def stream(self, prompt: ModelPrompt, max_tokens: int) -> Iterator[str]:
        """Greedy generation, yielding text as soon as it decodes; ends at the model's
        end-of-turn token or after `max_tokens`."""
        with self._lock:
            llama = self._load()
            self._read(llama, prompt)
            decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
            self.last_logprobs = []
            for _ in range(max_tokens):
                logits = self._logits(llama).astype(np.float64)
                token = int(np.argmax(logits))
                top = logits[token]
                self.last_logprobs.append(float(-np.log(np.exp(logits - top).sum())))
                if _end_of_turn(llama, token):
                    break
                piece = decoder.decode(llama.detokenize([token], special=False))
                self._eval(llama, [token])
                if piece:
                    yield piece
            tail = decoder.decode(b"", final=True)
            if tail:
                yield tail

    def complete(self, prompt: ModelPrompt, max_tokens: int) -> str:
        return "".join(self.stream(prompt, max_tokens))

    def yes_probability(self, prompt: ModelPrompt) -> float:
        with self._lock:
            llama = self._load()
            self._read(llama, prompt)
            logits = self._logits(llama).astype(np.float64)
            yes, no = self._answer_tokens(llama)
            top = logits.max()
            p_yes = float(np.exp(logits[yes] - top).sum())
            p_no = float(np.exp(logits[no] - top).sum())
            return p_yes / (p_yes + p_no) if p_yes + p_no > 0 else 0.5

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return len(self._load().tokenize(text.encode(), add_bos=False, special=False))

    # ------------------------------------------------------------------ internals

    def _load(self) -> Llama:
        if self._llama is not None:
            return self._llama
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before the OpenMP runtime starts
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelError(
                "the local model runtime is not installed: run `make demo`, or "
                "CMAKE_ARGS=\"-DGGML_NATIVE=OFF\" pip install 'citechat[local]' (a portable build; "
                "a native one can die with 'Illegal instruction'), or set answer.mode = "
                "\"extractive\""
            ) from None
        path = self._path if isinstance(self._path, Path) else self._path()
        if not path.is_file():
            raise ModelError(f"no model file at {path}: check local.model_path "
                             "(CITECHAT_LOCAL__MODEL_PATH)")
        try:
            self._llama = Llama(model_path=str(path), n_ctx=self._context,
                                n_threads=self._threads, n_threads_batch=self._threads,
                                n_batch=256, verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"cannot load the model {path}: {exc}") from None
        log.info("loaded %s (%d threads, %d context tokens)", path.name, self._threads,
                 self._context)
        return self._llama

    def _read(self, llama: Llama, prompt: ModelPrompt) -> None:
        """Make the model's state hold `prompt`, reusing whole cached segments."""
        parts = self._tokens(llama, prompt)
        if sum(len(p) for p in parts) + 8 > self._context:
            raise ModelError(
                f"the prompt needs {sum(len(p) for p in parts)} tokens but the model context is "
                f"{self._context}: raise local.context_tokens or lower local.max_passages")
        ends = list(np.cumsum([len(p) for p in parts]))
        tokens = [t for p in parts for t in p]
        keep = 0
        for end in self._segments:
            if end <= len(tokens) and self._cached[:end] == tokens[:end]:
                keep = end
        llama.n_tokens = keep
        self._cached, self._segments = tokens[:keep], [e for e in self._segments if e <= keep]
        for start, end in zip([0, *ends[:-1]], ends, strict=True):
            if end > keep:
                self._eval(llama, tokens[max(start, keep):end])
                self._segments.append(end)

    def _eval(self, llama: Llama, tokens: list[int]) -> None:
        if tokens:
            llama.eval(tokens)
            self._cached.extend(tokens)

    def _tokens(self, llama: Llama, prompt: ModelPrompt) -> list[list[int]]:
        """The prompt as the model's chat template renders it, in three token segments."""
        text = render_chat(llama, prompt)
        first = prompt.context or prompt.task
        cut1 = text.index(first) if first else len(text)
        cut2 = cut1 + len(prompt.context)
        pieces = (text[:cut1], text[cut1:cut2], text[cut2:])
        return [llama.tokenize(piece.encode(), add_bos=i == 0, special=True) if piece else []
                for i, piece in enumerate(pieces)]

    @staticmethod
    def _logits(llama: Llama) -> np.ndarray[Any, np.dtype[np.float32]]:
        pointer = llama._ctx.get_logits()  # type: ignore[no-untyped-call, unused-ignore]
        return np.ctypeslib.as_array(pointer, shape=(llama.n_vocab(),))

    def _answer_tokens(self, llama: Llama) -> tuple[list[int], list[int]]:
        def first(words: tuple[str, ...]) -> list[int]:
            return sorted({llama.tokenize(w.encode(), add_bos=False)[0] for w in words})

        return first(_YES), first(_NO)


def _end_of_turn(llama: Llama, token: int) -> bool:
    import llama_cpp

    return bool(llama_cpp.llama_vocab_is_eog(llama._model.vocab, token))


def render_chat(llama: Llama, prompt: ModelPrompt) -> str:
    """The model's own chat template (from the GGUF) over a system and a user message."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    meta = llama.metadata
    template = meta.get("tokenizer.chat_template")
    user = prompt.context + prompt.task
    if not template:  # an old GGUF without a template: a plain layout
        return f"{prompt.system}\n\n{user}\n\n"
    vocab = llama._model
    formatter = Jinja2ChatFormatter(
        template=template,
        eos_token=vocab.token_get_text(vocab.token_eos()),
        bos_token=vocab.token_get_text(vocab.token_bos()),
    )
    messages: list[Any] = [{"role": "system", "content": prompt.system},
                           {"role": "user", "content": user}]
    rendered = formatter(messages=messages).prompt
    bos = vocab.token_get_text(vocab.token_bos())
    return str(rendered.removeprefix(bos) if bos else rendered)  # Any without llama_cpp

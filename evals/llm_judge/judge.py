"""The LLM judge: split sentences into claims, then judge each claim against its passage.

Steps (ragas-style, each batched ≤ `max_per_call` items per model call and cached per item):
`claims(sentences)` → `verdicts((claim, passage) pairs)` → `judge_pairs` sums a sentence up:
every claim supported → `supported`; any unsupported → `unsupported`; else `uncertain`. A reply
that is not JSON or breaks the schema makes every item of its call `judge_error`, with the reason;
so does an endpoint failure on one call (timeout, 5xx after retries). An endpoint that cannot be
used at all (unreachable, bad key, no such model, response_format refused) stops the run.

>>> judge = LLMJudge(chat, JudgeCache())                                  # doctest: +SKIP
>>> judge.judge_pairs([("Ten people died.", "Twelve people died.")])[0].verdict  # doctest: +SKIP
'unsupported'
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from evals.llm_judge.cache import JudgeCache, cache_key, cache_path
from evals.llm_judge.errors import FormatRejected, JudgeOutputError
from evals.llm_judge.prompts import (
    JUDGE_PROMPT_VERSION,
    MAX_CLAIMS_PER_SENTENCE,
    Step,
    messages,
    schema_for,
)
from rag.answer.llm.errors import AuthenticationFailed, EndpointUnreachable, ModelNotFound
from rag.core.errors import ModelError
from rag.core.settings import CitechatSettings

if TYPE_CHECKING:
    from evals.llm_judge.client import JsonChat

log = logging.getLogger(__name__)
ClaimLabel = Literal["supported", "unsupported", "uncertain"]
PairLabel = Literal["supported", "unsupported", "uncertain", "judge_error"]
# Failures no retry or other input can fix: the run stops with the message.
FATAL: tuple[type[ModelError], ...] = (EndpointUnreachable, AuthenticationFailed, ModelNotFound,
                                       FormatRejected)
Item = TypeVar("Item", bound=Hashable)
_WORD = re.compile(r"\w")  # a claim without a letter or digit ("...") is no claim


class ClaimVerdict(BaseModel):
    """One claim of a sentence, the model's verdict and its short reason."""

    model_config = ConfigDict(frozen=True)

    claim: str
    verdict: ClaimLabel
    reason: str = ""


class PairVerdict(BaseModel):
    """A sentence judged against one passage: its claims' verdicts summed up."""

    model_config = ConfigDict(frozen=True)

    verdict: PairLabel
    claims: list[ClaimVerdict] = []
    reason: str = ""


class Failed(BaseModel):
    """An item the judge could not judge, and why."""

    model_config = ConfigDict(frozen=True)

    reason: str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ClaimsEntry(_Strict):
    id: int
    claims: list[str]


class _ClaimsReply(_Strict):
    sentences: list[_ClaimsEntry]


class _VerdictEntry(_Strict):
    id: int
    verdict: ClaimLabel
    reason: str


class _VerdictsReply(_Strict):
    verdicts: list[_VerdictEntry]


class LLMJudge:
    """Claims and verdicts through a `JsonChat`, cached; `calls` counts model calls made."""

    def __init__(self, chat: JsonChat, cache: JudgeCache, *, max_per_call: int = 10,
                 system_role: bool = True) -> None:
        self.chat = chat
        self.cache = cache
        self.max_per_call = max_per_call
        self.system_role = system_role
        self.calls = 0

    @classmethod
    def from_settings(
        cls, settings: CitechatSettings, env: Mapping[str, str] | None = None
    ) -> LLMJudge:
        """The judge of `settings.judge` (endpoint fallbacks: `resolve_judge_endpoint`), with
        its cache under `<data dir>/judge-cache/`."""
        from evals.llm_judge.client import OpenAIJsonChat, resolve_judge_endpoint

        judge = settings.judge
        endpoint = resolve_judge_endpoint(judge, settings.llm, env)
        return cls(OpenAIJsonChat(endpoint, judge), JudgeCache(cache_path(settings.data_dir)),
                   max_per_call=judge.max_claims_per_call, system_role=judge.system_role)

    @property
    def model(self) -> str:
        return self.chat.model

    def describe(self) -> dict[str, Any]:
        """What decides the judgements, for the eval config (and its hash and diff)."""
        return {"mode": "llm", "model": self.model, "prompt_version": JUDGE_PROMPT_VERSION,
                "max_claims_per_call": self.max_per_call}

    def judge_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[PairVerdict]:
        """Judge each (sentence, passage) pair; never raises for a bad reply (`judge_error`)."""
        claims = self.claims([s for s, _ in pairs])
        items = [(c, p) for s, p in pairs for c in _listed(claims[s])]
        verdicts = self.verdicts(items)
        return [_sum_up(claims[s], p, verdicts) for s, p in pairs]

    def claims(self, sentences: Sequence[str]) -> dict[str, list[str] | Failed]:
        """Each distinct sentence → its claims (1 to 5), or why they could not be had."""
        return self._step("claims", list(dict.fromkeys(sentences)),
                          lambda s: {"sentence": s}, self._ask_claims, _claims_from_cache)

    def verdicts(
        self, items: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], ClaimVerdict | Failed]:
        """Each distinct (claim, passage) → the verdict on the claim, or why there is none."""
        return self._step("verdicts", list(dict.fromkeys(items)),
                          lambda i: {"claim": i[0], "passage": i[1]}, self._ask_verdicts,
                          lambda i, v: ClaimVerdict(claim=i[0], **v))

    def _step(
        self, step: Step, items: list[Item], key_input: Callable[[Item], dict[str, str]],
        ask: Callable[[list[Item]], list[Any]], from_cache: Callable[[Item, Any], Any],
    ) -> dict[Item, Any]:
        """Cached items from the cache; the rest asked in batches of ≤ `max_per_call`."""
        out: dict[Item, Any] = {}
        keys = {i: cache_key(self.model, JUDGE_PROMPT_VERSION, step, key_input(i)) for i in items}
        pending = []
        for item in items:
            hit = self.cache.get(keys[item])
            if hit is None:
                pending.append(item)
            else:
                out[item] = from_cache(item, hit)
        for start in range(0, len(pending), self.max_per_call):
            batch = pending[start:start + self.max_per_call]
            try:
                raw = ask(batch)
            except JudgeOutputError as exc:
                raw = [Failed(reason=f"{step}: {exc}")] * len(batch)
            except FATAL:
                raise
            except ModelError as exc:
                raw = [Failed(reason=f"{step}: {exc}")] * len(batch)
            self.cache.put(self.model, step, {keys[i]: v for i, v in zip(batch, raw, strict=True)
                                              if not isinstance(v, Failed)},
                           JUDGE_PROMPT_VERSION)
            out |= {i: v if isinstance(v, Failed) else from_cache(i, v)
                    for i, v in zip(batch, raw, strict=True)}
        return out

    def _ask_claims(self, batch: list[str]) -> list[list[str]]:
        ids = list(range(1, len(batch) + 1))
        payload = [{"id": i, "sentence": s} for i, s in zip(ids, batch, strict=True)]
        reply = self._call("claims", payload, ids, _ClaimsReply)
        entries = {e.id: [c.strip() for c in e.claims if _WORD.search(c)]
                   for e in reply.sentences}
        for i, claims in entries.items():
            if not 1 <= len(claims) <= MAX_CLAIMS_PER_SENTENCE:
                raise JudgeOutputError(f"sentence {i} has {len(claims)} claims with words in "
                                       f"them, expected 1 to {MAX_CLAIMS_PER_SENTENCE}")
        return [entries[i] for i in ids]

    def _ask_verdicts(self, batch: list[tuple[str, str]]) -> list[dict[str, str]]:
        ids = list(range(1, len(batch) + 1))
        names = {p: f"P{n}" for n, p in enumerate(dict.fromkeys(p for _, p in batch), start=1)}
        payload = {"passages": {name: p for p, name in names.items()},
                   "claims": [{"id": i, "claim": c, "passage": names[p]}
                              for i, (c, p) in zip(ids, batch, strict=True)]}
        reply = self._call("verdicts", payload, ids, _VerdictsReply)
        entries = {e.id: {"verdict": e.verdict, "reason": e.reason.strip()}
                   for e in reply.verdicts}
        return [entries[i] for i in ids]

    def _call(self, step: Step, payload: Any, ids: list[int], model: type[_Strict]) -> Any:
        self.calls += 1
        log.info("LLM judge: %s call %d (%d items)", step, self.calls, len(ids))
        content = self.chat.complete(f"judge_{step}",
                                     messages(step, payload, system_role=self.system_role),
                                     schema_for(step, ids))
        return parse_reply(content, model, ids)


def parse_reply(content: str, model: type[_Strict], ids: list[int]) -> Any:
    """The validated reply; `JudgeOutputError` saying what is wrong with it otherwise."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise JudgeOutputError(f"reply is not JSON ({exc.msg} at char {exc.pos}): "
                               f"{content[:80]!r}") from None
    try:
        reply = model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise JudgeOutputError(f"reply breaks the schema at {where}: {first['msg']}") from None
    entries = getattr(reply, "sentences", None) or getattr(reply, "verdicts", [])
    got = [e.id for e in entries]
    if sorted(got) != ids:
        raise JudgeOutputError(f"reply has ids {got}, expected each of {ids} once")
    return reply


def _claims_from_cache(_: str, value: Any) -> list[str]:
    return [str(c) for c in value]


def _sum_up(
    claims: list[str] | Failed, passage: str,
    verdicts: Mapping[tuple[str, str], ClaimVerdict | Failed],
) -> PairVerdict:
    if isinstance(claims, Failed):
        return PairVerdict(verdict="judge_error", reason=claims.reason)
    judged = [verdicts[(c, passage)] for c in claims]
    failed = [v for v in judged if isinstance(v, Failed)]
    if failed:
        return PairVerdict(verdict="judge_error", reason=failed[0].reason)
    ok = [v for v in judged if isinstance(v, ClaimVerdict)]
    labels = {v.verdict for v in ok}
    verdict: PairLabel = ("unsupported" if "unsupported" in labels
                          else "supported" if labels == {"supported"} else "uncertain")
    first = next((v for v in ok if v.verdict == verdict), ok[0])
    return PairVerdict(verdict=verdict, claims=ok, reason=first.reason)


def _listed(claims: list[str] | Failed) -> list[str]:
    """The claims of a sentence, or none when splitting it failed."""
    return claims if isinstance(claims, list) else []

"""The LLM judge's prompts (package data) and the JSON schemas its replies must follow.

Two steps, each a template in `evals/prompts/` with `=== system ===` / `=== user ===` sections:
`judge_claims_v1` (split answer sentences into claims) and `judge_verdicts_v1` (judge each claim
against its passage). `JUDGE_PROMPT_VERSION` names both: change a template → bump it, so the
judgement cache misses and the eval config shows the change.

>>> [m["role"] for m in messages("claims", [{"id": 1, "sentence": "Ten died."}])]
['system', 'user']
>>> verdicts_schema([1, 2])["properties"]["verdicts"]["maxItems"]
2
"""

from __future__ import annotations

import json
from typing import Any, Literal

from rag.text.sections import read_sections

JUDGE_PROMPT_VERSION = "judge_v1"
Step = Literal["claims", "verdicts"]
TEMPLATES: dict[Step, str] = {"claims": "judge_claims_v1", "verdicts": "judge_verdicts_v1"}
VERDICTS = ("supported", "unsupported", "uncertain")
MAX_CLAIMS_PER_SENTENCE = 5


def load_template(name: str) -> dict[str, str]:
    """The sections of `evals/prompts/<name>.txt`, keyed by section name."""
    return read_sections("evals", "prompts", f"{name}.txt")


def messages(step: Step, items: Any, *, system_role: bool = True) -> list[dict[str, str]]:
    """Chat messages for one call: the template with `items` (JSON) in the user message.

    Without a system role (Gemma) the rules go first in the user message.
    """
    template = load_template(TEMPLATES[step])
    user = template["user"].replace("{items}", json.dumps(items, ensure_ascii=False, indent=1))
    if not system_role:
        return [{"role": "user", "content": template["system"] + "\n\n" + user}]
    return [{"role": "system", "content": template["system"]}, {"role": "user", "content": user}]


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def _array_of(item: dict[str, Any], n: int) -> dict[str, Any]:
    return {"type": "array", "minItems": n, "maxItems": n, "items": item}


def claims_schema(ids: list[int], max_chars: int | None = None) -> dict[str, Any]:
    """`{"sentences": [{"id", "claims": [str, 1..5]}]}`, exactly one entry per id."""
    claim = {"type": "string", **({"maxLength": max_chars} if max_chars else {})}
    entry = _object({"id": {"type": "integer", "enum": ids},
                     "claims": {"type": "array", "minItems": 1,
                                "maxItems": MAX_CLAIMS_PER_SENTENCE, "items": claim}})
    return _object({"sentences": _array_of(entry, len(ids))})


def verdicts_schema(ids: list[int], max_chars: int | None = None) -> dict[str, Any]:
    """`{"verdicts": [{"id", "verdict", "reason"}]}`, exactly one entry per id."""
    reason = {"type": "string", **({"maxLength": max_chars} if max_chars else {})}
    entry = _object({"id": {"type": "integer", "enum": ids},
                     "verdict": {"type": "string", "enum": list(VERDICTS)}, "reason": reason})
    return _object({"verdicts": _array_of(entry, len(ids))})


def schema_for(step: Step, ids: list[int], max_chars: int | None = None) -> dict[str, Any]:
    return (claims_schema if step == "claims" else verdicts_schema)(ids, max_chars)

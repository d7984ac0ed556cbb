"""The eval dataset format: one `EvalItem` per JSONL line, validated with file:line:field errors.

>>> item = EvalItem(id="q1", question="Who won?", answers=[["Kestrels", "the Kestrels"]])
>>> item.answerable
True
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rag.core.errors import CitechatError


class DatasetError(CitechatError):
    """An eval dataset file is missing or a line is malformed."""


class EvalItem(BaseModel):
    """One eval question; `answers` is a list of alias groups, each group must be matched."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="Unique id within the dataset.")
    question: str = Field(min_length=1)
    as_of: date | None = Field(default=None, description="When the question is asked.")
    answers: list[list[str]] = Field(
        default_factory=list, description="Alias groups: every group must be matched by one alias."
    )
    gold_answer: str | None = Field(default=None, description="The canonical answer, for reports.")
    gold_docs: list[str] = Field(default_factory=list, description="Doc ids holding the answer.")
    gold_quotes: list[str] = Field(
        default_factory=list, description="Verbatim strings that must be found in the corpus."
    )
    expect_refusal: bool = False
    tags: list[str] = Field(default_factory=list)
    comment: str = Field(default="", description="Free text (a reviewer's note); not scored.")

    @field_validator("answers")
    @classmethod
    def _groups_not_empty(cls, groups: list[list[str]]) -> list[list[str]]:
        for i, group in enumerate(groups):
            if not group or not all(isinstance(a, str) and a.strip() for a in group):
                raise ValueError(f"group {i} must be a non-empty list of non-empty strings")
        return groups

    @model_validator(mode="after")
    def _consistent(self) -> EvalItem:
        if self.expect_refusal and self.answers:
            raise ValueError("an item with expect_refusal=true must have no answers")
        return self

    @property
    def answerable(self) -> bool:
        return not self.expect_refusal


def load_dataset(path: Path) -> list[EvalItem]:
    """Read and validate a JSONL dataset; raise DatasetError naming file, line and field."""
    if not path.is_file():
        raise DatasetError(f"eval dataset {path}: no such file")
    items: list[EvalItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = parse_line(line, f"{path}:{number}")
        if item.id in seen:
            raise DatasetError(
                f"{path}:{number}: field 'id': {item.id!r} repeats line {seen[item.id]}"
            )
        seen[item.id] = number
        items.append(item)
    if not items:
        raise DatasetError(f"eval dataset {path} has no questions")
    return items


def parse_line(line: str, where: str) -> EvalItem:
    """Parse one JSONL line; `where` ("file:line") prefixes every error message."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    try:
        return EvalItem.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(line)"
            problems.append(f"field '{field}': {err['msg']}")
        raise DatasetError(f"{where}: " + "; ".join(problems)) from None

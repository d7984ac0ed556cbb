"""Package data in sections: prompts and word lists are text files of `=== name ===` parts,
read with importlib.resources (so they work from a wheel), once per process.

>>> sorted(read_sections("rag.answer", "prompts", "reader_v1.txt"))[:3]
['answer', 'context', 'passage']
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SECTION = re.compile(r"^=== (\w+) ===[ \t]*\n", re.M)


@cache
def read_sections(
    package: str, folder: str, name: str, *, comments: bool = False
) -> dict[str, str]:
    """The sections of `<package>/<folder>/<name>`, keyed by heading, outer blank lines trimmed;
    with `comments`, `#` to the end of a line is dropped first (word lists, not prompts)."""
    text = resources.files(package).joinpath(folder, name).read_text(encoding="utf-8")
    if comments:
        text = re.sub(r"#[^\n]*", "", text)
    parts = _SECTION.split(text)
    return {key: body.strip("\n") for key, body in zip(parts[1::2], parts[2::2], strict=True)}

"""What an ingest run did, for the CLI's summary and the UI's upload list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.documents import LoadFailure, SkippedFiles


@dataclass
class IngestReport:
    """What an ingest run did; `failed` lists each file or record that could not be read,
    `skipped` the files of unsupported types found in folders, `kept_uncleaned` the documents
    cleaning would have emptied (kept as loaded), `file_dated` those dated by file time,
    `notes` what loading had to change (invalid characters replaced, documents stored in
    parts), `repaired` what the run did to bring the two stores back in step."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    failed: list[LoadFailure] = field(default_factory=list)
    sync_skipped: bool = False
    skipped: list[SkippedFiles] = field(default_factory=list)
    kept_uncleaned: list[str] = field(default_factory=list)
    file_dated: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"removed {self.removed}, failed {len(self.failed)} ({self.chunks} chunks written)"
        )

    def warnings(self) -> list[str]:
        """What the user should know and may want to fix, one line each (none: empty)."""
        lines = [str(s) for s in self.skipped]
        lines += [f"{origin}: every line looked like boilerplate (menus, credits); kept its text "
                  "as loaded, check it" for origin in self.kept_uncleaned]
        if self.file_dated:
            lines.append(file_dated_warning(self.file_dated))
        return lines + self.notes + self.repaired


def file_dated_warning(origins: Sequence[str], shown: int = 3) -> str:
    """'N documents dated by file time' with examples and the two ways to date them.

    >>> file_dated_warning(["a.txt", "b.txt"], shown=1)[:73]
    '2 documents dated by file time (no date found in them: a.txt and 1 more);'
    """
    count = len(origins)
    names = ", ".join(origins[:shown]) + (f" and {count - shown} more" if count > shown else "")
    noun, pronoun = ("document", "it") if count == 1 else ("documents", "them")
    return (f"{count} {noun} dated by file time (no date found in {pronoun}: {names}); give the "
            "date with --publish-date YYYY-MM-DD, or where the files keep it with "
            "--date-from filename:%Y-%m-%d or --date-from front-matter:KEY")

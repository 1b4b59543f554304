"""Differences between two states of a post's text, for the history page and edit conflicts.

A state is a mapping of field name to text (`post_state()` builds one from a post or a revision).
`diff_states()` returns only the fields that differ, each as a unified diff of lines the templates
show escaped (never marked safe).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

DIFFED_FIELDS = ("title", "slug", "summary", "body", "tags")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "hunk"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    field: str
    lines: tuple[DiffLine, ...]


def post_state(*, title="", slug="", summary="", body="", tags=()) -> dict[str, str]:
    """The text of a post in the form the diff compares (tags as sorted, comma-separated names)."""
    return {
        "title": title or "",
        "slug": slug or "",
        "summary": summary or "",
        "body": body or "",
        "tags": ", ".join(sorted(tags, key=str.lower)),
    }


def _kind(line: str) -> str:
    if line.startswith("@@"):
        return "hunk"
    if line.startswith("+"):
        return "added"
    if line.startswith("-"):
        return "removed"
    return "context"


def diff_text(old: str, new: str, *, context: int = 2) -> tuple[DiffLine, ...]:
    """A unified diff of two texts, without the file header lines."""
    lines = difflib.unified_diff(
        old.replace("\r\n", "\n").splitlines(),
        new.replace("\r\n", "\n").splitlines(),
        lineterm="",
        n=context,
    )
    return tuple(DiffLine(_kind(line), line) for line in list(lines)[2:])


def diff_states(old: Mapping[str, str], new: Mapping[str, str]) -> list[FieldDiff]:
    """The fields whose text differs between `old` and `new`, in a fixed order."""
    diffs = []
    for name in DIFFED_FIELDS:
        before, after = old.get(name, ""), new.get(name, "")
        if before.replace("\r\n", "\n") != after.replace("\r\n", "\n"):
            diffs.append(FieldDiff(name, diff_text(before, after)))
    return diffs

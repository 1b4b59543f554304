"""Finding the code in Markdown, so that rewriting never touches it.

One scanner for the pipeline's math extension (formulas are never looked for inside code) and for
the importers (their conversions never change code): `split_code_blocks()` cuts a text into runs
of code blocks (fenced, and indented outside lists) and prose; `protect_code()` also hides inline
code spans behind placeholders, which `restore_code()` puts back.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_STX, _ETX = "\x02", "\x03"
_PLACEHOLDER = re.compile(_STX + r"code(\d+)" + _ETX)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


def protect_code(text: str) -> tuple[str, list[str]]:
    """Replace code blocks and code spans by placeholders; return the text and the stash."""
    stash: list[str] = []

    def keep(code: str) -> str:
        stash.append(code)
        return f"{_STX}code{len(stash) - 1}{_ETX}"

    out = [
        keep(segment) if is_code else _CODE_SPAN.sub(lambda m: keep(m.group(0)), segment)
        for is_code, segment in split_code_blocks(text)
    ]
    return "\n".join(out), stash


def restore_code(text: str, stash: list[str]) -> str:
    return _PLACEHOLDER.sub(lambda m: stash[int(m.group(1))], text)


def rewrite_prose(text: str, rewrite: Callable[[str], str]) -> str:
    """Apply `rewrite` to everything but code."""
    protected, stash = protect_code(text)
    return restore_code(rewrite(protected), stash)


def split_code_blocks(text: str) -> list[tuple[bool, str]]:
    """`text` as (is_code, text) runs of whole lines: fenced blocks and indented code blocks
    (outside lists) are code, the rest is prose."""
    runs: list[tuple[bool, list[str]]] = []

    def add(is_code: bool, line: str) -> None:
        if runs and runs[-1][0] == is_code:
            runs[-1][1].append(line)
        else:
            runs.append((is_code, [line]))

    fence = ""
    in_list = False
    previous_blank = True
    in_indented_code = False
    for line in text.split("\n"):
        blank = not line.strip()
        if fence:
            add(True, line)
            if line.lstrip(" ").startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            previous_blank = blank
            continue
        opening = _FENCE_OPEN.match(line)
        if opening:
            fence = opening.group(1)
            add(True, line)
            in_indented_code = False
            previous_blank = False
            continue
        indented = line.startswith("    ") or line.startswith("\t")
        if indented and not in_list and (previous_blank or in_indented_code):
            in_indented_code = True
            add(True, line)
        elif blank and in_indented_code:
            add(True, line)
        else:
            in_indented_code = False
            if _LIST_ITEM.match(line):
                in_list = True
            elif not blank and not indented:
                in_list = False
            add(False, line)
        previous_blank = blank
    return [(is_code, "\n".join(group)) for is_code, group in runs]

"""Stored HTML → short plain text for meta descriptions, feeds' text fields and llms.txt.

Footnote and citation marks, heading anchors, footnotes and the reference list are dropped;
display math is dropped; inline math keeps only its visible characters (a Greek letter reads as
the letter, never as "$\\alpha$" or "<math>"); entities are decoded; whitespace is collapsed to
single spaces.
"""

from __future__ import annotations

from posts.html_text import Node, is_marker, is_references, parse

DESCRIPTION_LENGTH = 160
ELLIPSIS = "…"
TRAILING = " ,;:.-\u2013\u2014"  # punctuation not left before the ellipsis (with en and em dash)


def _visible_math(node: Node, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif child.tag != "annotation":
            _visible_math(child, out)


def _collect(node: Node, out: list[str], code: bool = False) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
            continue
        if is_marker(child) or is_references(child):
            continue
        if child.tag == "math":
            if child.attrs.get("display") != "block":
                _visible_math(child, out)
            continue
        if (child.tag == "pre" and not code) or "math-display" in child.classes:
            out.append(" ")
            continue
        if child.tag == "div" and "footnote" in child.classes:
            continue
        _collect(child, out, code)
        out.append(" " if child.tag not in ("em", "strong", "a", "code", "span", "sup") else "")


def html_to_plain(html: str, *, code: bool = False) -> str:
    """Readable text of `html` on one line; code blocks are left out unless `code` is true."""
    out: list[str] = []
    _collect(parse(html or ""), out, code)
    return " ".join("".join(out).split())


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    cut = cut[: cut.rindex(" ")] if " " in cut else cut[: limit - len(ELLIPSIS)]
    return cut.rstrip(TRAILING) + ELLIPSIS


def description(html: str, limit: int = DESCRIPTION_LENGTH) -> str:
    return shorten(html_to_plain(html), limit)

"""Reading sanitized HTML back: plain text, prose word count and the first paragraph.

The input is the sanitizer's output, which is well formed, so a small tree built with the
standard library's `html.parser` is enough.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "figure",
        "figcaption",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "details",
        "summary",
        "hr",
        "br",
    ]
)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def serialize(node: Node | str) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    inner = "".join(serialize(child) for child in node.children)
    if node.tag == "#root":
        return inner
    attrs = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in node.attrs.items())
    if node.tag in VOID_TAGS:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def is_marker(node: Node) -> bool:
    """Footnote and citation marks, heading anchors, back-links: not part of the prose."""
    classes = node.classes
    footnote_mark = node.attrs.get("id", "").startswith("fnref")
    if node.tag == "sup" and ("citation" in classes or footnote_mark):
        return True
    if node.tag == "a" and classes & {"anchor", "footnote-ref", "footnote-backref", "backref"}:
        return True
    return node.tag == "span" and "missing-ref" in classes and "citation" in classes


def is_references(node: Node) -> bool:
    return node.tag == "section" and "references" in node.classes


def _math_source(node: Node) -> str:
    for inner in node.iter():
        if inner.tag == "annotation":
            return "".join(c for c in inner.children if isinstance(c, str))
    return ""


def _collect(node: Node | str, out: list[str], *, prose_only: bool) -> None:
    if isinstance(node, str):
        out.append(node)
        return
    if is_marker(node) or is_references(node):
        return
    if node.tag == "math":
        if prose_only:
            out.append(" " if node.attrs.get("display") == "block" else " formula ")
        else:
            out.append(f" {_math_source(node)} ")
        return
    if prose_only and (
        node.tag == "pre"
        or (node.tag == "div" and "math-display" in node.classes)
        or (node.tag == "code" and "math-fallback" in node.classes)
        or (node.tag == "span" and "figure-number" in node.classes)
    ):
        out.append(" ")
        return
    block = node.tag in BLOCK_TAGS
    if block:
        out.append("\n")
    for child in node.children:
        _collect(child, out, prose_only=prose_only)
    if block:
        out.append("\n")


def plain_text(root: Node) -> str:
    """All readable text: prose, code and formulas (as TeX); no marks, no reference list."""
    out: list[str] = []
    _collect(root, out, prose_only=False)
    paragraphs = "".join(out).split("\n")
    return "\n".join(" ".join(line.split()) for line in paragraphs if line.strip())


def prose_word_count(root: Node) -> int:
    """Words of prose: code blocks, display math, figure numbers and the reference list do not
    count; an inline formula counts as one word."""
    out: list[str] = []
    _collect(root, out, prose_only=True)
    return len("".join(out).split())


def _without_markers(node: Node) -> Node:
    children: list[Node | str] = []
    for child in node.children:
        if isinstance(child, Node):
            if is_marker(child):
                continue
            child = _without_markers(child)
        children.append(child)
    return Node(node.tag, dict(node.attrs), children)


def first_paragraph(root: Node) -> str:
    """The first top-level paragraph with prose in it, without footnote or citation marks."""
    for child in root.children:
        if isinstance(child, Node) and child.tag == "p":
            cleaned = _without_markers(child)
            out: list[str] = []
            _collect(cleaned, out, prose_only=True)
            if "".join(out).strip():
                return serialize(cleaned)
    return ""

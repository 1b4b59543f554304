"""Reading sanitized HTML back as text: the stored plain text, the prose word count, the first
paragraph, and short one-line descriptions for meta tags, feeds and llms.txt.

The input is the sanitizer's output, which is well formed, so a small tree built with the
standard library's `html.parser` is enough. Every walk over the tree is a loop with its own stack,
never a recursion, so no nesting depth can raise `RecursionError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from posts.markup.sanitize import VOID_ELEMENTS

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
        """This node and every element below it, in document order."""
        pending: list[Node] = [self]
        while pending:
            node = pending.pop()
            yield node
            pending.extend(child for child in reversed(node.children) if isinstance(child, Node))


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
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


PARSE_CHUNK = 65_536


def parse(html: str, *, check: Callable[[], None] | None = None) -> Node:
    """The tree of `html`; `check` (if given) is called between chunks of the input, so that a
    time limit can stop a long parse (it raises)."""
    builder = _TreeBuilder()
    for start in range(0, len(html), PARSE_CHUNK):
        if check is not None:
            check()
        builder.feed(html[start : start + PARSE_CHUNK])
    builder.close()
    return builder.root


class _Literal(str):
    """Output already serialized (an end tag), as opposed to text to escape."""


def serialize(node: Node | str) -> str:
    out: list[str] = []
    pending: list[Node | str] = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, _Literal):
            out.append(item)
        elif isinstance(item, str):
            out.append(escape(item, quote=False))
        elif item.tag == "#root":
            pending.extend(reversed(item.children))
        else:
            attrs = "".join(
                f' {name}="{escape(value, quote=True)}"' for name, value in item.attrs.items()
            )
            out.append(f"<{item.tag}{attrs}>")
            if item.tag not in VOID_ELEMENTS:
                pending.append(_Literal(f"</{item.tag}>"))
                pending.extend(reversed(item.children))
    return "".join(out)


def is_marker(node: Node) -> bool:
    """Footnote and citation marks, heading anchors, back-links: not part of the prose."""
    classes = node.classes
    footnote_mark = node.attrs.get("id", "").startswith(("fnref", "c-fnref"))
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


def _math_visible(node: Node) -> str:
    """What a reader sees of a formula, as one line of text: its characters with scripts as
    Unicode super- and subscripts ("x ∈ ℝⁿ", "a + b²"), spaces around relations and binary
    operators; its TeX source where that cannot be written so (a fraction of sums, a matrix...)."""
    try:
        text = _as_text(node)
    except (_NotPlain, RecursionError):  # deeply nested: the TeX reads better anyway
        return _math_source(node).strip()
    return " ".join(text.split())


class _NotPlain(Exception):
    pass


_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-\u2212=()nijkmtTxyabcdefghlopsruvwz\u22a4\u2032\u2033*\u2217\u2020",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱʲᵏᵐᵗᵀˣʸᵃᵇᶜᵈᵉᶠᵍʰˡᵒᵖˢʳᵘᵛʷᶻᵀ\u2032\u2033**†",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip(
        "0123456789+-\u2212=()aehijklmnoprstuvx\u03b2\u03b3\u03c1\u03c6\u03c7",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
# Spaced on both sides when read as text: relations and binary operators.
_SPACED = frozenset(
    "=<>+\u2212\u00b1\u2213\u00d7\u00b7\u2264\u2265\u2260\u2248\u2261\u223c"
    "\u221d\u2208\u2209\u2282\u2286\u2283\u2287\u2192\u2190\u21a6\u21d2"
    "\u21d4\u27f9\u27fa\u2218\u2297\u2295\u2299\u222a\u2229\u2243\u2245"
)
_BIG_OPERATORS = frozenset("\u2211\u220f\u222b\u22c3\u22c2\u2210\u222e")
_ACCENT_MARKS = {
    "\u02c6": "\u0302",
    "\u0302": "\u0302",
    "\u00af": "\u0304",
    "\u02dc": "\u0303",
    "\u02d9": "\u0307",
    "\u00a8": "\u0308",
    "\u20d7": "\u20d7",
}


def _script(node: Node | str, table: dict[str, str]) -> str:
    text = _as_text(node).replace(" ", "")
    if not text or any(char not in table for char in text):
        raise _NotPlain
    return "".join(table[char] for char in text)


def _as_text(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    tag = node.tag
    kids = [c for c in node.children if not isinstance(c, str) or c.strip()]
    if tag == "annotation" or tag == "mphantom":
        return ""
    if tag in {"mi", "mn", "mtext", "ms"}:
        return "".join(c for c in node.children if isinstance(c, str))
    if tag == "mo":
        text = "".join(c for c in node.children if isinstance(c, str)).strip()
        if text in _SPACED:
            return f" {text} "
        return f"{text} " if text == "," else text
    if tag == "mspace":
        return " "
    if tag in {"math", "semantics", "mrow", "mstyle", "mpadded", "menclose"}:
        return "".join(_as_text(c) for c in kids)
    if tag in {"msup", "msub", "msubsup"} and len(kids) == (3 if tag == "msubsup" else 2):
        base = _as_text(kids[0])
        if tag == "msup":
            scripts = _script(kids[1], _SUPERSCRIPTS)
        elif tag == "msub":
            scripts = _script(kids[1], _SUBSCRIPTS)
        else:
            scripts = _script(kids[1], _SUBSCRIPTS) + _script(kids[2], _SUPERSCRIPTS)
        # "∑ᵢ₌₁ⁿ xᵢ", not "∑ᵢ₌₁ⁿxᵢ"
        return base + scripts + (" " if base.strip() in _BIG_OPERATORS else "")
    if tag == "mover" and len(kids) == 2 and node.attrs.get("accent") == "true":
        base, mark = _as_text(kids[0]), _as_text(kids[1]).strip()
        if len(base) == 1 and mark in _ACCENT_MARKS:
            return base + _ACCENT_MARKS[mark]
    if tag == "mfrac" and len(kids) == 2:
        top, bottom = _as_text(kids[0]).strip(), _as_text(kids[1]).strip()
        if top and bottom and " " not in top + bottom:
            return f"{top}/{bottom}"
    if tag == "msqrt":
        inner = "".join(_as_text(c) for c in kids).strip()
        if inner and " " not in inner:
            return f"\u221a{inner}" if len(inner) == 1 else f"\u221a({inner})"
    raise _NotPlain


def _is_display(node: Node) -> bool:
    return node.tag == "math" and node.attrs.get("display") == "block"


@dataclass(frozen=True)
class Reading:
    """One way of reading a tree as text: what a formula reads as, and what is left out.

    Marks (footnote and citation numbers, anchors, back-links) and the reference list are left
    out of every reading.
    """

    formula: Callable[[Node], str]
    leaves_out: Callable[[Node], bool] = lambda node: False


# Everything, formulas as their TeX (the stored plain text that search and llms.txt read).
ALL_TEXT = Reading(formula=lambda node: f" {_math_source(node)} ")
# Prose only: an inline formula counts as one word, code, display math and figure numbers none.
PROSE = Reading(
    formula=lambda node: " " if _is_display(node) else " formula ",
    leaves_out=lambda node: (
        node.tag == "pre"
        or (node.tag == "div" and "math-display" in node.classes)
        or (node.tag == "code" and "math-fallback" in node.classes)
        or (node.tag == "span" and "figure-number" in node.classes)
    ),
)


def _visible_leaves_out(node: Node, *, code: bool) -> bool:
    return (
        (node.tag == "pre" and not code)
        or "math-display" in node.classes
        or (node.tag == "div" and "footnote" in node.classes)
    )


def _visible(*, code: bool) -> Reading:
    """What a reader sees in a short description: inline formulas as their characters, no
    display math, no footnotes; code blocks only when `code` is true."""
    return Reading(
        formula=lambda node: "" if _is_display(node) else _math_visible(node),
        leaves_out=lambda node: _visible_leaves_out(node, code=code),
    )


VISIBLE = _visible(code=False)
VISIBLE_WITH_CODE = _visible(code=True)


def read(node: Node | str, reading: Reading) -> str:
    """The text of `node` under `reading`; block elements end lines."""
    out: list[str] = []
    _collect(node, out, reading)
    return "".join(out)


def _collect(node: Node | str, out: list[str], reading: Reading) -> None:
    pending: list[Node | str] = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            out.append(item)
        elif is_marker(item) or is_references(item):
            continue
        elif item.tag == "math":
            out.append(reading.formula(item))
        elif reading.leaves_out(item):
            out.append(" ")
        elif item.tag in BLOCK_TAGS:
            out.append("\n")
            pending.append("\n")
            pending.extend(reversed(item.children))
        else:
            pending.extend(reversed(item.children))


def plain_text(root: Node) -> str:
    """All readable text: prose, code and formulas (as TeX); no marks, no reference list."""
    lines = read(root, ALL_TEXT).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def prose_word_count(root: Node) -> int:
    """Words of prose: code blocks, display math, figure numbers and the reference list do not
    count; an inline formula counts as one word."""
    return len(read(root, PROSE).split())


def _without_markers(node: Node) -> Node:
    """A copy of `node` without footnote and citation marks."""
    copy = Node(node.tag, dict(node.attrs))
    pending: list[tuple[Node, Node]] = [(node, copy)]
    while pending:
        original, duplicate = pending.pop()
        for child in original.children:
            if isinstance(child, Node):
                if is_marker(child):
                    continue
                inner = Node(child.tag, dict(child.attrs))
                pending.append((child, inner))
                child = inner
            duplicate.children.append(child)
    return copy


def first_paragraph(root: Node) -> str:
    """The first top-level paragraph with prose in it, without footnote or citation marks."""
    for child in root.children:
        if isinstance(child, Node) and child.tag == "p":
            cleaned = _without_markers(child)
            if read(cleaned, PROSE).strip():
                return serialize(cleaned)
    return ""


# Short descriptions: one line of what a reader sees, cut at a word boundary.

DESCRIPTION_LENGTH = 160
ELLIPSIS = "…"
TRAILING = " ,;:.-\u2013\u2014"  # punctuation not left before the ellipsis (with en and em dash)


def html_to_plain(html: str, *, code: bool = False) -> str:
    """Readable text of `html` on one line; code blocks are left out unless `code` is true."""
    reading = VISIBLE_WITH_CODE if code else VISIBLE
    return " ".join(read(parse(html or ""), reading).split())


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

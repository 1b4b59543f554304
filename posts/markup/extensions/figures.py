"""Figures: a captioned image on its own becomes a numbered `<figure>`; `@fig:label` refers to it.

    ![A diagram](/media/arch.png "The architecture. (Image source: [Vaswani et al.](https://...))")
    {#fig:arch}

A paragraph holding nothing but an image with a title (optionally followed by `{#fig:label}`, on
the same line or the next) becomes

    <figure id="fig-arch"><a class="figure-zoom" href="src"><img src alt loading="lazy"></a>
      <figcaption><span class="figure-number">Figure 1.</span> The architecture. ...</figcaption>
    </figure>

The title is the caption and is Markdown (links, emphasis, math, citations). An unlabelled figure
gets the id `fig-N`. A labelled image without a title is a figure with only its number. An image
without a title, or inside a sentence, stays an ordinary inline image.

Sizing: the braces after a figure may also give its width as a share of the text column and its
alignment, in any order with the label, e.g. `{#fig:arch width=60% align=left}` or
`{width=50%}` (which makes a figure of an image without a title too). The width is rounded to a
multiple of 5 between 10% and 100% and becomes a class (`figure-w60`), the alignment
(`left`, `right`, `center`, the default) a class (`figure-left`): the stylesheet sizes figures,
so no `style` attribute is needed (the Content-Security-Policy forbids them).

`@fig:label` anywhere in prose becomes `<a class="figure-ref" href="#fig-label">Figure N</a>`,
numbered after the whole document is parsed, so references may come before the figure. Unknown
labels are shown as `<span class="missing-ref">@fig:label?</span>` with a warning; a label used
twice warns and the second figure keeps its number-based id.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .context import RenderContext

LABEL = r"[A-Za-z0-9][\w-]*"

_STANDALONE_IMAGE = re.compile(
    r"""^\s*!\[(?P<alt>(?:[^\[\]\\]|\\.)*)\]
    \(\s*(?:<(?P<src1>[^<>\n]*)>|(?P<src2>[^\s()<>]+))
    (?:\s+(?:"(?P<title1>(?:[^"\\]|\\.)*)"|'(?P<title2>(?:[^'\\]|\\.)*)'))?\s*\)
    (?:\s*\{(?P<attributes>[^{}\n]*)\})?\s*$""",
    re.X | re.S,
)
_FIGURE_ATTRIBUTE = re.compile(
    r"\#fig:(?P<label>" + LABEL + r")|width=(?P<width>\d{1,3})%|align=(?P<align>left|right|center)"
)
_BACKSLASH_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!\"'$])")


class FigureExtension(Extension):
    def __init__(self, context: RenderContext, **kwargs):
        self.context = context
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Just before plain paragraphs (10), after reference definitions (15).
        md.parser.blockprocessors.register(FigureBlockProcessor(md.parser), "figure", 12)
        md.inlinePatterns.register(FigureRefInlineProcessor(), "figure_ref", 165)
        # After inline processing (20): captions are rendered, references can be resolved.
        md.treeprocessors.register(FigureNumberer(md, self.context), "figure_numbers", 15)


# Every class figure sizing writes (the sanitizer's allow-list includes them).
FIGURE_CLASSES = frozenset(
    [f"figure-w{width}" for width in range(10, 100, 5)] + ["figure-left", "figure-right"]
)


def figure_attributes(text: str | None) -> dict[str, str] | None:
    """`{#fig:label width=60% align=left}` (without the braces) as its parts; None if any part
    is something else (then the braces are not a figure's)."""
    found: dict[str, str] = {}
    for word in (text or "").split():
        match = _FIGURE_ATTRIBUTE.fullmatch(word)
        if match is None:
            return None
        found.update({key: value for key, value in match.groupdict().items() if value})
    return found


def figure_classes(attributes: dict[str, str]) -> str:
    classes = []
    if "width" in attributes:
        width = min(100, max(10, round(int(attributes["width"]) / 5) * 5))
        if width < 100:
            classes.append(f"figure-w{width}")
    if attributes.get("align") in ("left", "right"):
        classes.append(f"figure-{attributes['align']}")
    return " ".join(classes)


class FigureBlockProcessor(BlockProcessor):
    def test(self, parent: Element, block: str) -> bool:
        match = _STANDALONE_IMAGE.match(block)
        if not match:
            return False
        attributes = figure_attributes(match.group("attributes"))
        if attributes is None:
            return False
        return (
            match.group("title1") is not None
            or match.group("title2") is not None
            or (bool(attributes) and match.group("attributes") is not None)
        )

    def run(self, parent: Element, blocks: list[str]) -> bool:
        match = _STANDALONE_IMAGE.match(blocks.pop(0))
        assert match is not None  # test() said so
        attributes = figure_attributes(match.group("attributes")) or {}
        title = (
            match.group("title1") if match.group("title1") is not None else match.group("title2")
        )
        figure = SubElement(parent, "figure")
        if attributes.get("label"):
            figure.set("data-label", attributes["label"])
        if figure_classes(attributes):
            figure.set("class", figure_classes(attributes))
        src = _unescape(match.group("src1") or match.group("src2") or "")
        alt = _unescape(match.group("alt"))
        # Click to zoom: without JavaScript a plain link to the full image (js/figure-zoom.js
        # shows it over the page instead).
        zoom = SubElement(figure, "a", {"class": "figure-zoom", "href": src})
        if not alt:
            zoom.set("aria-label", "The full-size image")
        img = SubElement(zoom, "img")
        img.set("src", src)
        img.set("alt", alt)
        img.set("loading", "lazy")
        caption = SubElement(figure, "figcaption")
        caption.text = _unescape(title or "").strip()
        return True


def _unescape(text: str) -> str:
    return _BACKSLASH_ESCAPE.sub(r"\1", text)


class FigureRefInlineProcessor(InlineProcessor):
    def __init__(self) -> None:
        super().__init__(r"(?<![\w@.\\])@fig:(" + LABEL + r")")

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        label = m.group(1).rstrip("-_")
        ref = Element("a", {"class": "figure-ref", "data-label": label})
        return ref, m.start(0), m.start(0) + len("@fig:") + len(label)


class FigureNumberer(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext):
        super().__init__(md)
        self.context = context

    def run(self, root: Element) -> None:
        numbers: dict[str, int] = {}
        count = 0
        for figure in root.iter("figure"):
            if figure.find("figcaption") is None:
                continue  # a raw HTML figure the writer built by hand
            count += 1
            label = figure.attrib.pop("data-label", "")
            if label and label in numbers:
                self.context.warn(f'Duplicate figure label "fig:{label}"')
                label = ""
            if label:
                numbers[label] = count
            figure.set("id", f"fig-{label}" if label else f"fig-{count}")
            self._number_caption(figure.find("figcaption"), count)
        self.context.figure_count = count

        for ref in list(root.iter("a")):
            if ref.get("class") != "figure-ref" or "data-label" not in ref.attrib:
                continue
            label = ref.attrib.pop("data-label")
            if label in numbers:
                ref.set("href", f"#fig-{label}")
                ref.text = f"Figure {numbers[label]}"
            else:
                self.context.warn(f'Unknown figure label "fig:{label}"')
                ref.tag = "span"
                ref.attrib.clear()
                ref.set("class", "missing-ref")
                ref.text = f"@fig:{label}?"

    @staticmethod
    def _number_caption(caption: Element | None, number: int) -> None:
        if caption is None:
            return
        label = Element("span", {"class": "figure-number"})
        label.text = f"Figure {number}."
        has_caption = bool((caption.text or "").strip()) or len(caption) > 0
        label.tail = (" " + (caption.text or "")) if has_caption else ""
        caption.text = None
        caption.insert(0, label)

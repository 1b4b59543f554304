"""Heading anchors: stable unique ids, a visible `#` link after each heading, and the heading list.

The id is the heading's text, slugified (lower case, Unicode letters and digits kept, everything
else collapsed to `-`); math counts as its TeX source. Ids already used elsewhere in the document
(figures, references, footnotes, or an earlier heading) are avoided by appending -2, -3...
A writer's explicit id (`## Title {#my-id}`, attribute lists) is kept if free.

The headings found, in order, are stored in `RenderContext.headings` for the table of contents.
"""

from __future__ import annotations

import re
import unicodedata
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .context import ETX, HTML_PLACEHOLDER_RE, STX, RenderContext

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ESCAPED_CHAR = re.compile(STX + r"(\d+)" + ETX)
_TAG = re.compile(r"<[^>]*>")
_NOT_SLUG = re.compile(r"[^\w]+")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    slug = _NOT_SLUG.sub("-", text).strip("-_")
    return slug or "section"


class HeadingAnchorExtension(Extension):
    def __init__(self, context: RenderContext, **kwargs):
        self.context = context
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # After attribute lists (8) so explicit ids are seen; before unescaping (0).
        md.treeprocessors.register(HeadingAnchors(md, self.context), "heading_anchors", 6)


class HeadingAnchors(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext):
        super().__init__(md)
        self.context = context

    def heading_label(self, element: Element) -> str:
        """The heading's text with its formulas still stashed (restored later as MathML)."""
        text = "".join(element.itertext())
        text = HTML_PLACEHOLDER_RE.sub(self._stashed_text, text)
        text = _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1))), text)
        return " ".join(text.split())

    def _stashed_text(self, match: re.Match[str]) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        index = int(match.group(1))
        raw = str(blocks[index]) if index < len(blocks) else ""
        return _TAG.sub("", raw)

    def run(self, root: Element) -> None:
        headings = [el for el in root.iter() if el.tag in HEADING_TAGS]
        heading_ids = {id(el) for el in headings}
        taken = {el.get("id") for el in root.iter() if el.get("id") and id(el) not in heading_ids}
        for heading in headings:
            label = self.heading_label(heading)
            text = self.context.formula_source(label)
            fixed = heading.attrib.pop("data-fixed-id", "")
            if fixed:
                anchor_id = fixed
            else:
                anchor_id = self._unique(heading.get("id") or slugify(text), taken)
                heading.set("id", anchor_id)
            taken.add(anchor_id)
            link = Element(
                "a",
                {"class": "anchor", "href": f"#{anchor_id}", "aria-label": "Link to this section"},
            )
            link.text = "#"
            if len(heading):
                heading[-1].tail = (heading[-1].tail or "") + " "
            else:
                heading.text = (heading.text or "") + " "
            heading.append(link)
            self.context.headings.append((int(heading.tag[1]), anchor_id, text, label))

    @staticmethod
    def _unique(candidate: str, taken: set[str]) -> str:
        if candidate not in taken:
            return candidate
        number = 2
        while f"{candidate}-{number}" in taken:
            number += 1
        return f"{candidate}-{number}"

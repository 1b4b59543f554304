"""A heading for the footnotes: Python-Markdown ends the document with

    <div class="footnote"><hr><ol>...</ol></div>

and this replaces the rule with `<h2>Notes</h2>`, so the notes are a named section (in the table of
contents, with an anchor, like the References after them) rather than a list after a line.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

NOTES_HEADING = "Notes"


class FootnoteHeadingExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the footnotes are placed (50) and numbered (15), before heading anchors (6).
        md.treeprocessors.register(FootnoteHeading(md), "footnote_heading", 13)


class FootnoteHeading(Treeprocessor):
    def run(self, root: Element) -> None:
        for block in root.iter("div"):
            if block.get("class") != "footnote":
                continue
            heading = Element("h2")
            heading.text = NOTES_HEADING
            heading.tail = "\n"
            rule = next((child for child in block if child.tag == "hr"), None)
            if rule is not None:
                block.remove(rule)
            block.insert(0, heading)
            return

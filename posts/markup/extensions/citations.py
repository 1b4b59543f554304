"""Citations: `[@key]`, `[@a; @b]`, `[@key, p. 3]` become numbered links; a reference list follows.

Each cited key gets a number in order of first use (body first, then footnotes). Every citation is

    <sup class="citation"><a href="#ref-key" id="cite-key-1">[1]</a></sup>

and the k-th citation of the same key reuses its number with the id `cite-key-k`. The reference
list links back once, to the first place (`#cite-key-1`). A locator is shown inside the brackets:
`[1, p. 3]`.

The list is appended at the very end of the document, after the footnotes:

    <section class="references" id="references"><h2>References</h2><ol>
      <li id="ref-key">authors (year). “title.” venue. links ↩</li>...</ol></section>

(The section carries the id `references`; the heading inside links to it, and it appears in the
table of contents.) A key missing from the bibliography is shown as
`<span class="missing-ref citation">[@key?]</span>` and warned about. Only a bracket that starts
with `@` is a citation, so e-mail addresses and `[text]` stay as they are; code is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote
from xml.etree.ElementTree import Element, SubElement

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .context import RenderContext

KEY = r"[A-Za-z0-9_][\w:.\-]*"
_CITATION_GROUP = r"\[(\s*@" + KEY + r"(?:[^\[\]\n]|\n(?!\s*\n))*)\]"
_CITE_ITEM = re.compile(r"^\s*@(" + KEY + r")\s*(?:,\s*(.*?))?\s*$", re.S)
MAX_AUTHORS_SHOWN = 6


class CitationExtension(Extension):
    def __init__(self, context: RenderContext, **kwargs):
        self.context = context
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # After code spans (190) and backslash escapes (180), before links (160).
        md.inlinePatterns.register(CitationInlineProcessor(self.context), "citation", 175)
        # After inline processing (20) and figure numbering (15), before heading anchors (6).
        md.treeprocessors.register(CitationNumberer(md, self.context), "citation_numbers", 14)


def parse_citation(group: str) -> list[tuple[str, str]] | None:
    """`"@a; @b, p. 3"` -> `[("a", ""), ("b", "p. 3")]`; None if it is not a citation."""
    items = []
    for part in group.split(";"):
        match = _CITE_ITEM.match(part)
        if not match:
            return None
        key = match.group(1).rstrip(".:-")
        items.append((key, " ".join((match.group(2) or "").split())))
    return items


class CitationInlineProcessor(InlineProcessor):
    def __init__(self, context: RenderContext):
        super().__init__(_CITATION_GROUP)
        self.context = context

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        items = parse_citation(m.group(1))
        if items is None:
            return None, None, None
        known = [(key, locator) for key, locator in items if key in self.context.bibliography]
        container = Element("sup", {"class": "citation"}) if known else Element("span")
        for key, locator in items:
            if key in self.context.bibliography:
                SubElement(container, "a", {"data-cite": key, "data-locator": locator})
            else:
                self.context.warn(f'Unknown reference key "{key}"')
                missing = SubElement(container, "span", {"class": "missing-ref citation"})
                missing.text = f"[@{key}?]"
        if not known and len(container) == 1:
            container = container[0]
        return container, m.start(0), m.end(0)


class CitationNumberer(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext):
        super().__init__(md)
        self.context = context

    def run(self, root: Element) -> None:
        numbers: dict[str, int] = {}
        uses: dict[str, int] = {}
        for link in root.iter("a"):
            key = link.attrib.pop("data-cite", None)
            if key is None:
                continue
            locator = link.attrib.pop("data-locator", "")
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                self.context.citations.append(key)
            uses[key] = uses.get(key, 0) + 1
            link.set("href", f"#ref-{key}")
            link.set("id", f"cite-{key}-{uses[key]}")
            link.text = f"[{numbers[key]}, {locator}]" if locator else f"[{numbers[key]}]"
        if numbers:
            root.append(self._reference_list(numbers))

    def _reference_list(self, numbers: dict[str, int]) -> Element:
        section = Element("section", {"class": "references", "id": "references"})
        section.text = "\n"
        heading = SubElement(section, "h2", {"data-fixed-id": "references"})
        heading.text = "References"
        heading.tail = "\n"
        entries = SubElement(section, "ol")
        entries.text = "\n"
        for key in sorted(numbers, key=numbers.__getitem__):
            item = SubElement(entries, "li", {"id": f"ref-{key}"})
            _describe(item, self.context.bibliography[key])
            # One back-link, to the first citation: a row of arrows (one per use) reads as noise.
            back = SubElement(
                item,
                "a",
                {"class": "backref", "href": f"#cite-{key}-1", "aria-label": "Back to the text"},
            )
            back.text = "\u21a9"
            item.tail = "\n"
        section.tail = "\n"
        return section


def format_authors(authors: str) -> str:
    """`"Vaswani, Ashish; Shazeer, Noam"` -> `"Ashish Vaswani, Noam Shazeer"`; more than six
    authors are cut to the first three and "et al."; a name without a comma is kept as written."""
    names = []
    for person in (part.strip() for part in (authors or "").split(";")):
        if not person:
            continue
        surname, _, given = person.partition(",")
        names.append(f"{given.strip()} {surname.strip()}".strip() if given.strip() else surname)
    if len(names) > MAX_AUTHORS_SHOWN:
        return ", ".join(names[:3]) + " et al."
    if len(names) > 2:
        return ", ".join(names[:-1]) + ", and " + names[-1]
    return " and ".join(names)


def _field(entry: Any, name: str) -> str:
    value = entry.get(name) if isinstance(entry, Mapping) else getattr(entry, name, "")
    return "" if value is None else str(value).strip()


def _describe(item: Element, entry: Any) -> None:
    """Authors (year). "Title." Venue. [arXiv] [doi] [link]"""
    parts: list[Element] = []

    def span(cls: str, text: str, tag: str = "span", end: str = "") -> None:
        element = Element(tag, {"class": cls})
        element.text = text
        element.tail = end  # the stop after the year and the venue: outside their elements
        parts.append(element)

    authors = format_authors(_field(entry, "authors"))
    year = _field(entry, "year")
    title = _field(entry, "title")
    venue = _field(entry, "venue")
    if authors:
        span("ref-authors", authors)
    if year:
        span("ref-year", f"({year})", end=".")
    if title:
        span("ref-title", f"\u201c{title.rstrip('.')}.\u201d")
    arxiv_id, doi, url = _field(entry, "arxiv_id"), _field(entry, "doi"), _field(entry, "url")
    if venue:
        # "arXiv preprint arXiv:1803.02999", as BibTeX styles print a preprint: no stop between.
        preprint = arxiv_id and venue.lower().endswith("preprint")
        span("ref-venue", venue, tag="cite", end="" if preprint or venue[-1] in ".?!" else ".")
    if arxiv_id:
        link = Element("a", {"href": f"https://arxiv.org/abs/{quote(arxiv_id, safe='/.')}"})
        link.text = f"arXiv:{arxiv_id}"
        parts.append(link)
    if doi:
        link = Element("a", {"href": f"https://doi.org/{quote(doi, safe='/.:;()-_')}"})
        link.text = f"doi:{doi}"
        parts.append(link)
    if url:
        link = Element("a", {"href": url})
        link.text = "link"
        parts.append(link)
    for part in parts:
        part.tail = (part.tail or "") + " "
        item.append(part)

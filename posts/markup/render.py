"""The Markdown pipeline: one pure function from a writer's Markdown to the parts a page shows.

`render_markdown()` is called when a post (or a tag, series or update note) is saved; the result is
stored, so no page ever renders Markdown per request. Bump `PIPELINE_VERSION` whenever the output
changes and run `manage.py rerender_posts`.

Steps: formulas are cut out and converted to MathML (`posts.markup.extensions.math`,
`posts.markup.mathml`); Python-Markdown parses the rest with tables, fenced code highlighted by
Pygments (CSS classes under `.highlight`, see `posts.markup.code_styles`), footnotes, definition
lists,
abbreviations, attribute lists and Markdown inside HTML blocks; our extensions add figures,
citations and heading anchors; the formulas go back in; everything passes the allow-list in
`posts.markup.sanitize`. Plain text, word count and the summary paragraph are read from the
sanitized HTML (`posts.markup.text`).

Order at the end of a post: body, footnotes (under a "Notes" heading), then the References section
(one back-link per reference, to its first citation).

Reading time: `word_count / WORDS_PER_MINUTE` minutes plus `SECONDS_PER_FIGURE` per figure, rounded
up to whole minutes, at least 1. `word_count` counts prose only: not code blocks, not display
math, not the reference list; an inline formula counts as one word.

Any input string gives a `Rendered`; nothing here raises. Problems the writer should fix (unknown
reference keys or figure labels, formulas that could not be rendered, a construct an extension
failed on) are in `warnings` and shown visibly in the HTML; a failure degrades only the construct
it happened in (`posts.markup.guard`).

Time is bounded: rendering (conversion, sanitizing, reading the text back) stops at
`RENDER_SECONDS` (2 s) of CPU time, whatever the length (a 3 MB post with inline figures renders
in about 1 s; megabytes of bare tables or prose are refused). A text
that needs longer is not rendered: `Rendered.problem` says why (the post form refuses it with that
message) and `html` is the text in a marked `<pre>`. The link patterns' quadratic scans are
replaced by linear ones (`posts.markup.extensions.links`), so only
adversarial text comes near the limit; see docs/benchmarks.md.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Protocol

import markdown

from posts.markup import text as html_text
from posts.markup.extensions.citations import CitationExtension
from posts.markup.extensions.context import RenderContext
from posts.markup.extensions.figures import FigureExtension
from posts.markup.extensions.headings import HeadingAnchorExtension
from posts.markup.extensions.links import LinearLinksExtension
from posts.markup.extensions.math import MathExtension
from posts.markup.extensions.notes import FootnoteHeadingExtension
from posts.markup.extensions.unclosed_tags import UnclosedTagsExtension
from posts.markup.guard import MARKER_CLASS, Deadline, RenderTooSlow, guard
from posts.markup.sanitize import sanitize_html, writer_id
from posts.markup.scanner import rewrite_prose

PIPELINE_VERSION = "10"  # 8: \utilde and \underrightarrow & co under their base; 9: a stop
# after a reference's year and venue; 10: none between "arXiv preprint" and its arXiv id

WORDS_PER_MINUTE = 200
SECONDS_PER_FIGURE = 12
TOC_LEVELS = (2, 3, 4)

# The render's limit in CPU seconds, for a text of any length up to the request size limit.
RENDER_SECONDS = 2.0


class BibEntry(Protocol):
    """What the pipeline needs of a bibliography entry (`posts.models.Reference` provides it).

    `authors` is "Surname, Given; Surname2, Given2" -- people separated by semicolons, each
    "Surname, Given names" (a name without a comma, e.g. an organisation, is used as written).
    Empty strings (or None for `year`) mean "unknown"; such parts are left out of the entry.
    """

    key: str
    authors: str
    title: str
    venue: str
    year: int | None
    arxiv_id: str
    doi: str
    url: str


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str  # plain text, a formula as its TeX
    html: str = ""  # for the table of contents: escaped text, a formula as MathML


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str = ""
    headings: tuple[Heading, ...] = ()
    text: str = ""
    first_paragraph_html: str = ""
    word_count: int = 0
    reading_minutes: int = 0
    figure_count: int = 0
    citations: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # Why the text could not be rendered (too slow); empty when it was. Forms refuse such text.
    problem: str = ""


CITATION_KEY = re.compile(r"@([A-Za-z0-9_][\w:.\-]*)")
CITATION_GROUP = re.compile(r"\[(@[^\]]+)\]")


def cited_keys(text: str) -> set[str]:
    """Every bibliography key cited as `[@key]` or `[@a; @b]` in `text` (a superset is fine: the
    caller uses it to fetch bibliography rows)."""
    return {
        key.rstrip(".:-")
        for group in CITATION_GROUP.findall(text)
        for key in CITATION_KEY.findall(group)
    }


def _extensions(context: RenderContext) -> list:
    return [
        "tables",
        "fenced_code",
        "footnotes",
        "def_list",
        "abbr",
        "attr_list",
        "md_in_html",
        "codehilite",
        LinearLinksExtension(),
        UnclosedTagsExtension(),
        MathExtension(context),
        FigureExtension(context),
        CitationExtension(context),
        FootnoteHeadingExtension(),
        HeadingAnchorExtension(context),
    ]


_EXTENSION_CONFIGS = {
    "tables": {"use_align_attribute": True},
    "codehilite": {
        "css_class": "highlight",
        "guess_lang": False,
        "use_pygments": True,
        "noclasses": False,
    },
}


def _clean_input(text: str) -> str:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    # Lone surrogates cannot be encoded; NUL is not allowed in HTML.
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def _as_written(text: str) -> str:
    return f'<pre class="{MARKER_CLASS}">{escape(text, quote=False)}</pre>'


# An image pasted into the text as a `data:` URL (outside code). The sanitizer keeps only http(s)
# and relative sources, so those bytes never reach a page, yet Python-Markdown's inline patterns
# would scan them all (a pasted screenshot is hundreds of KB): the URL is cut to `data:` first.
_EMBEDDED_IMAGE = re.compile(r"(!\[[^\]\n]{0,500}\]\(\s*)data:[^\s)]{64,}")


def _cut_embedded_images(text: str, context: RenderContext) -> str:
    cut = 0

    def shorten(match: re.Match[str]) -> str:
        nonlocal cut
        cut += 1
        return match.group(1) + "data:"

    text = rewrite_prose(text, lambda prose: _EMBEDDED_IMAGE.sub(shorten, prose))
    if cut:
        what = (
            "An image pasted into the text as a data: URL"
            if cut == 1
            else (f"{cut} images pasted into the text as data: URLs")
        )
        context.warn(
            f"{what} cannot be shown: add each picture to the media library (paste or drop it "
            "into the editor) and link that."
        )
    return text


def _convert(text: str, context: RenderContext, deadline: Deadline) -> str:
    """Markdown to HTML; raises `RenderTooSlow` past `deadline`."""
    text = _cut_embedded_images(text, context)
    md = markdown.Markdown(
        extensions=_extensions(context), extension_configs=_EXTENSION_CONFIGS, output_format="html"
    )
    context.deadline = deadline
    guard(md, context, deadline)
    try:
        body = md.convert(text)
    except RenderTooSlow:
        raise
    except Exception:  # what the guards could not contain, e.g. a tree too deep to serialize
        context.warn("The text could not be parsed as Markdown; it is shown as plain text.")
        return _as_written(text)
    return context.restore_formulas(body)


def too_slow_problem(text: str, seconds: float) -> str:
    return (
        f"This text takes too long to render (over {seconds:g} s), so it was not rendered. "
        f"{slow_constructs(text)} Simplify or split those parts (a literal bracket is \\[)."
    )


def slow_constructs(text: str) -> str:
    """The constructs Python-Markdown is slow on, as far as counting them can tell."""
    found = []
    unclosed = text.count("[") - text.count("]")
    if unclosed > 100:
        found.append(f"{unclosed} more “[” than “]”")
    if text.count("](") - text.count(")") > 100:
        found.append("many link destinations “](” without a closing “)”")
    lines = text.splitlines()
    widest = max((line.count("|") for line in lines), default=0)
    if widest > 200:
        found.append(f"a table row with {widest} columns")
    rows = sum(1 for line in lines if line.lstrip().startswith("|"))
    if rows > 5000:
        found.append(f"{rows} table rows (tables are the slowest part: split long ones)")
    if not found:
        return "It has constructs Markdown handles slowly (unclosed brackets, huge tables)."
    return "It has " + ", ".join(found) + "."


def render_markdown(text: str, *, bibliography: Mapping[str, BibEntry] | None = None) -> Rendered:
    text = _clean_input(text)
    limit = RENDER_SECONDS
    deadline = Deadline(limit)  # for every step: conversion, sanitizing, reading the text back
    try:
        return _render(text, RenderContext(bibliography=bibliography or {}), deadline)
    except RenderTooSlow:
        problem = too_slow_problem(text, limit)
        rendered = _render(text, RenderContext(warnings=[problem]), None)
        return dataclasses.replace(rendered, problem=problem)


def _render(text: str, context: RenderContext, deadline: Deadline | None) -> Rendered:
    """`text` rendered within `deadline`, or (when None) shown as written."""
    if deadline is None:
        html = sanitize_html(_as_written(text))
    else:
        html = sanitize_html(_convert(text, context, deadline))
        deadline.check_now()
    tree = html_text.parse(html, check=deadline.check_now if deadline else None)
    words = html_text.prose_word_count(tree)
    seconds = words / WORDS_PER_MINUTE * 60 + context.figure_count * SECONDS_PER_FIGURE
    headings = tuple(
        Heading(
            level, writer_id(anchor), title, context.restore_formulas(escape(label, quote=False))
        )
        for level, anchor, title, label in context.headings
    )
    first = html_text.first_paragraph(tree)
    if deadline is not None:
        deadline.check_now()
    return Rendered(
        html=html,
        toc_html=toc_html(headings),
        headings=headings,
        text=html_text.plain_text(tree),
        first_paragraph_html=sanitize_html(first) if first else "",
        word_count=words,
        reading_minutes=max(1, math.ceil(seconds / 60)),
        figure_count=context.figure_count,
        citations=tuple(context.citations),
        warnings=tuple(context.warnings),
    )


def toc_html(headings: tuple[Heading, ...]) -> str:
    """Nested lists of links to the h2-h4 headings; empty when there are fewer than two."""
    entries = [h for h in headings if h.level in TOC_LEVELS]
    if len(entries) < 2:
        return ""
    out: list[str] = []
    depth = 0  # number of open <ul>
    levels: list[int] = []  # heading level of each open list
    for heading in entries:
        if not levels:
            out.append('<ul class="toc">')
            levels.append(heading.level)
            depth = 1
        elif heading.level > levels[-1]:
            out.append("<ul>")
            levels.append(heading.level)
            depth += 1
        else:
            while len(levels) > 1 and heading.level < levels[-1]:
                out.append("</li></ul>")
                levels.pop()
                depth -= 1
            out.append("</li>")
        label = heading.html or escape(heading.text)
        out.append(f'<li><a href="#{escape(heading.id)}">{label}</a>')
    out.append("</li></ul>" * depth)
    return sanitize_html("".join(out))

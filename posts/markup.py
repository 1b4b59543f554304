"""The Markdown pipeline: one pure function from a writer's Markdown to the parts a page shows.

`render_markdown()` is called when a post (or a tag, series or update note) is saved; the result is
stored, so no page ever renders Markdown per request. Bump `PIPELINE_VERSION` whenever the output
changes and run `manage.py rerender_posts`.

This first version is a placeholder with the final interface; the full pipeline (math, figures,
references, sanitizing) replaces its body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import markdown
import nh3

PIPELINE_VERSION = "0"

WORDS_PER_MINUTE = 200


class BibEntry(Protocol):
    """What the pipeline needs of a bibliography entry (`posts.models.Reference` provides it)."""

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
    text: str


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


CITATION_KEY = re.compile(r"@([A-Za-z0-9_][\w:.\-]*)")
CITATION_GROUP = re.compile(r"\[(@[^\]]+)\]")


def cited_keys(text: str) -> set[str]:
    """Every bibliography key cited as `[@key]` or `[@a; @b]` in `text`."""
    return {key for group in CITATION_GROUP.findall(text) for key in CITATION_KEY.findall(group)}


def render_markdown(text: str, *, bibliography: Mapping[str, BibEntry] | None = None) -> Rendered:
    html = nh3.clean(markdown.markdown(text, extensions=["extra", "toc"]))
    plain = nh3.clean(html, tags=set())
    words = len(plain.split())
    first = re.search(r"<p>.*?</p>", html, re.S)
    return Rendered(
        html=html,
        text=plain,
        first_paragraph_html=first.group(0) if first else "",
        word_count=words,
        reading_minutes=max(1, round(words / WORDS_PER_MINUTE)),
    )

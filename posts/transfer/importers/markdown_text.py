"""Rewriting imported Markdown: image references and the `<!--more-->` excerpt.

Conversions never touch code (`posts.markup.scanner.rewrite_prose`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from posts.markup.scanner import protect_code, restore_code, rewrite_prose

# ![alt](src "title") -- the destination optionally in <>, the title in double or single quotes.
MARKDOWN_IMAGE = re.compile(
    r"""!\[(?P<alt>(?:[^\[\]\\]|\\.)*)\]\(\s*
    (?:<(?P<src1>[^<>\n]*)>|(?P<src2>[^\s()<>]+))
    (?P<title>\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))?\s*\)""",
    re.X,
)
HTML_IMAGE_SRC = re.compile(r"""(<img\b[^<>]*?\ssrc=)(["'])(?P<src>[^"'<>]*)\2""", re.I)


@dataclass(frozen=True)
class ImageReference:
    src: str
    alt: str
    title: str


def _unquote_title(raw: str | None) -> str:
    if not raw:
        return ""
    raw = raw.strip()[1:-1]
    return re.sub(r"\\(.)", r"\1", raw)


def image_references(text: str) -> list[ImageReference]:
    """Every image in Markdown or raw HTML outside code, in order."""
    protected, _stash = protect_code(text)
    found = []
    for match in MARKDOWN_IMAGE.finditer(protected):
        src = match.group("src1") if match.group("src1") is not None else match.group("src2")
        alt = re.sub(r"\\(.)", r"\1", match.group("alt"))
        found.append(ImageReference(src, alt, _unquote_title(match.group("title"))))
    for match in HTML_IMAGE_SRC.finditer(protected):
        found.append(ImageReference(match.group("src"), "", ""))
    return found


def replace_image_sources(text: str, new_sources: dict[str, str]) -> str:
    """Point every image whose src is a key of `new_sources` at the new URL (outside code)."""

    def markdown_image(match: re.Match[str]) -> str:
        src = match.group("src1") if match.group("src1") is not None else match.group("src2")
        if src not in new_sources:
            return match.group(0)
        start, end = match.span("src1" if match.group("src1") is not None else "src2")
        offset = match.start(0)
        whole = match.group(0)
        return whole[: start - offset] + new_sources[src] + whole[end - offset :]

    def html_image(match: re.Match[str]) -> str:
        src = match.group("src")
        if src not in new_sources:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{new_sources[src]}{match.group(2)}"

    def rewrite(prose: str) -> str:
        return HTML_IMAGE_SRC.sub(html_image, MARKDOWN_IMAGE.sub(markdown_image, prose))

    return rewrite_prose(text, rewrite)


def local_path(src: str) -> str | None:
    """The path part of a relative or site-absolute image URL; None for other sites, data: URLs."""
    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return unquote(parts.path)


_MORE = re.compile(r"[ \t]*<!--\s*more\s*-->[ \t]*\n?", re.I)


def split_excerpt(body: str) -> tuple[str, str]:
    """`(excerpt, body without the marker)` for a body with `<!--more-->`; else `("", body)`."""
    protected, stash = protect_code(body)
    match = _MORE.search(protected)
    if not match:
        return "", body
    excerpt = restore_code(protected[: match.start()], stash).strip()
    rest = protected[: match.start()] + protected[match.end() :]
    return excerpt, restore_code(rest, stash)

"""Code-aware rewriting of Markdown text, image references, and the `<!--more-->` excerpt.

Conversions must never touch code: `protect_code()` swaps fenced code blocks and inline code spans
for placeholders, `restore_code()` puts them back after the prose has been rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_STX, _ETX = "\x02", "\x03"
_PLACEHOLDER = re.compile(_STX + r"code(\d+)" + _ETX)
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


def protect_code(text: str) -> tuple[str, list[str]]:
    """Replace code blocks and code spans by placeholders; return the text and the stash."""
    stash: list[str] = []

    def keep(code: str) -> str:
        stash.append(code)
        return f"{_STX}code{len(stash) - 1}{_ETX}"

    out: list[str] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence:
            marker = fence.group(2)
            end = index + 1
            while end < len(lines) and not re.match(
                r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}\s*$", lines[end]
            ):
                end += 1
            out.append(keep("\n".join(lines[index : end + 1])))
            index = end + 1
            continue
        out.append(lines[index])
        index += 1
    prose = "\n".join(out)
    return _CODE_SPAN.sub(lambda m: keep(m.group(0)), prose), stash


def restore_code(text: str, stash: list[str]) -> str:
    return _PLACEHOLDER.sub(lambda m: stash[int(m.group(1))], text)


def rewrite_prose(text: str, rewrite: Callable[[str], str]) -> str:
    """Apply `rewrite` to everything but code."""
    protected, stash = protect_code(text)
    return restore_code(rewrite(protected), stash)


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

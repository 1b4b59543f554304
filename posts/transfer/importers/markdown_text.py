"""Rewriting imported Markdown: image references, figures, links and the `<!--more-->` excerpt.

Conversions never touch code (`posts.markup.scanner.rewrite_prose`). `Notes` is what a conversion
did and left, for the migration report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
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


def split_excerpt(body: str, separator: str | None = None) -> tuple[str, str]:
    """`(excerpt, body without the marker)` for a body with `<!--more-->` (or the site's or the
    post's own `excerpt_separator`); else `("", body)`. Jekyll's default separator, a blank
    line, is this site's default too (the first paragraph), so it needs no summary."""
    protected, stash = protect_code(body)
    match = None
    if separator and separator.strip():
        pattern = re.compile(r"[ \t]*" + re.escape(separator.strip()) + r"[ \t]*\n?")
        match = pattern.search(protected)
    match = match or _MORE.search(protected)
    if not match:
        return "", body
    excerpt = restore_code(protected[: match.start()], stash).strip()
    rest = protected[: match.start()] + protected[match.end() :]
    return excerpt, restore_code(rest, stash)


@dataclass
class Notes:
    """What the conversion of one file did (`converted`, counted by kind) and what it left as is,
    with the reason (`left`: one line each, for the report)."""

    converted: Counter = field(default_factory=Counter)
    left: list[str] = field(default_factory=list)

    def did(self, what: str, times: int = 1) -> None:
        if times:
            self.converted[what] += times

    def leave(self, why: str) -> None:
        self.left.append(why)


# The width of the text column (46rem) in CSS pixels, to turn pixel widths into shares of it.
COLUMN_PIXELS = 736


def width_percent(value: str) -> int | None:
    """ "60%", "300px", "300" as a share of the text column in percent; None if not a width."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%|px)?\s*", value or "")
    if not match:
        return None
    number = float(match.group(1))
    percent = number if match.group(2) == "%" else number / COLUMN_PIXELS * 100
    return max(10, min(100, round(percent / 5) * 5)) if number > 0 else None


def figure_markdown(
    src: str, *, alt: str = "", caption: str = "", width: int | None = None, align: str = ""
) -> str:
    """This site's figure syntax: `![alt](src "caption"){width=60% align=left}`.

    A figure without caption, width or alignment is a plain image. Backslashes in the caption
    are kept as they are: the caption's math is read from the source before Markdown is."""
    caption = " ".join(caption.split())
    alt = alt or re.sub(r"[*_`\[\]$]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", caption))
    alt = " ".join(alt.split()).replace("[", "\\[").replace("]", "\\]")
    if " " in src:
        src = f"<{src}>"
    title = ""
    if caption:
        title = ' "' + caption.replace('"', '\\"') + '"'
    sizing = []
    if width is not None and width < 100:
        sizing.append(f"width={width}%")
    if align in ("left", "right"):
        sizing.append(f"align={align}")
    attributes = "{" + " ".join(sizing) + "}" if sizing else ""
    return f"![{alt}]({src}{title}){attributes}"


# Links to other posts, found by a dialect's converter and resolved by the importer once every
# file of the batch is read (`{% post_url %}`, `{% link %}`, `{{< ref >}}`): the marker holds the
# kind and the target; an unresolved marker goes back to the original text.
_LINK_MARKER = re.compile(
    "\x02link (?P<kind>[\\w-]+) (?P<target>[^\x02\x03]*)\x01(?P<text>[^\x02\x03]*)\x03"
)


def _without_markers(text: str) -> str:
    return re.sub("[\x01\x02\x03]", "", text)


def link_marker(kind: str, target: str, original: str) -> str:
    return f"\x02link {kind} {_without_markers(target)}\x01{_without_markers(original)}\x03"


def resolve_link_markers(text: str, resolve) -> str:
    """Replace each link marker by `resolve(kind, target)`, or its original text if that is None."""

    def replace(match: re.Match[str]) -> str:
        url = resolve(match.group("kind"), match.group("target"))
        return match.group("text") if url is None else url

    return _LINK_MARKER.sub(replace, text)


def link_markers(text: str) -> list[tuple[str, str]]:
    return [(m.group("kind"), m.group("target")) for m in _LINK_MARKER.finditer(text)]


_ALONE_ON_ITS_LINE = r"^[ \t]*(?P<tag>{tag})[ \t]*$"


def hide_from_readers(text: str, tag_pattern: str) -> tuple[str, int]:
    """Wrap each construct matching `tag_pattern` that stands alone on its line in an HTML
    comment: it stays in the post's Markdown for the writer (and in the report) but never
    reaches a reader (the sanitizer drops comments). One inside a sentence is left visible."""
    pattern = re.compile(_ALONE_ON_ITS_LINE.format(tag=tag_pattern), re.M)

    def hide(match: re.Match[str]) -> str:
        if "--" in match.group("tag"):
            return match.group(0)  # a comment cannot hold it
        return f"<!-- {match.group('tag')} -->"

    return pattern.subn(hide, text)

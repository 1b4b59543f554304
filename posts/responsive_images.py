"""Give library images in rendered HTML their `srcset`, `sizes`, `width` and `height`.

A pure function over the pipeline's (already sanitized) output, run when a post is saved:
`<img src="/media/images/2024/05/x.png" alt="...">` becomes
`<img src="..." alt="..." width="2000" height="1000" srcset="... 480w, ... 2000w" sizes="...">`,
so the browser picks a small file on a phone and reserves the image's box before it loads.
Images that are not in the given mapping, or that already carry a `srcset`, are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape, unescape

# The post column is at most about 50em wide; wider screens still get a ~960 px image.
SIZES = "(max-width: 960px) 100vw, 960px"

_IMG = re.compile(r"<img\b([^<>]*?)\s*/?>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"', re.IGNORECASE)
_HAS = re.compile(r"\s(srcset|width|height)=", re.IGNORECASE)


@dataclass(frozen=True)
class ResponsiveImage:
    width: int
    height: int
    srcset: str


def image_sources(html: str) -> list[str]:
    """Every `<img src>` in `html`, unescaped, in order."""
    sources = []
    for tag in _IMG.finditer(html):
        src = _SRC.search(tag.group(0))
        if src:
            sources.append(unescape(src.group(1)))
    return sources


def add_responsive_attributes(html: str, images: Mapping[str, ResponsiveImage]) -> str:
    """Add size and `srcset` attributes to every `<img>` whose src is a key of `images`."""
    if not images:
        return html

    def replace(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        image = images.get(unescape(src.group(1))) if src else None
        if image is None or _HAS.search(tag):
            return tag
        extra = (
            f' width="{image.width}" height="{image.height}"'
            f' srcset="{escape(image.srcset)}" sizes="{SIZES}"'
        )
        return f"<img{match.group(1)}{extra}>"

    return _IMG.sub(replace, html)

"""Absolute URLs on the public site address (`settings.SITE_URL`), for feeds, sitemaps and metadata.

Pages read through a feed reader or a crawler leave the site, so every link must carry the host.
"""

from __future__ import annotations

import functools
from urllib.parse import urljoin

from django.conf import settings

from posts.markup.text import parse, serialize

URL_ATTRIBUTES = ("href", "src", "poster")


def absolute_url(path: str) -> str:
    """`/posts/x/` → `https://example.org/posts/x/`; an absolute URL is returned unchanged."""
    return _joined(settings.SITE_URL, path)


@functools.lru_cache(maxsize=8192)  # a page's metadata needs several; each is the same every time
def _joined(site_url: str, path: str) -> str:
    return urljoin(site_url + "/", path)


def _absolute_srcset(value: str, base: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
    return ", ".join(candidates)


def absolutize_html(html: str, base: str) -> str:
    """Rewrite relative `href`, `src`, `poster` and `srcset` URLs in `html` against `base`.

    `html` is the sanitizer's output (stored `body_html`), so it parses cleanly; fragment links
    such as footnote marks become `base#fn:1`.
    """
    root = parse(html)
    for node in root.iter():
        for name in URL_ATTRIBUTES:
            if name in node.attrs:
                node.attrs[name] = urljoin(base, node.attrs[name].strip())
        if "srcset" in node.attrs:
            node.attrs["srcset"] = _absolute_srcset(node.attrs["srcset"], base)
    return serialize(root)

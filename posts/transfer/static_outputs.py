"""What a static copy of the site needs beyond the crawled pages (used by `static_export`):

- **Redirect pages** at every old URL of a public post (its `PostAlias` rows: renamed posts,
  imported `permalink`, `redirect_from` and `aliases`): a page with the canonical link and a
  refresh to the post's URL at the base URL (its path prefix included). An old URL ending in
  `.html` is that file; any other is a folder with `index.html`.
- **Feeds as `.xml` files**: a feed served at a folder URL (`/feeds/atom/`) would be written as
  `feeds/atom/index.html`, which static hosts serve as HTML; it is written as `feeds/atom.xml`
  and every link to it in the exported files points there.
- **robots.txt** with its rules under the base URL's path and no admin rule.
- **Search without a server**: `search-index.json` (title, URL, date, tags, summary and text of
  each public post) and, on the exported search page only, a `<meta name="static-search-index">`
  and `static/js/static-search.js`, a small hand-written script that answers `?q=` from the
  index with the live search's rules. The live site keeps its server search. A prebuilt index
  and a local script were chosen over an external search service: the export stays
  self-contained and private, and needs no account or third-party script.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape

from posts.models import Post, PostAlias

FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/xml", "text/xml")
SEARCH_INDEX = "search-index.json"


def base_path(base_url: str) -> str:
    """The path prefix of the base URL, without a final slash ("" at a host's root)."""
    return urlsplit(base_url).path.rstrip("/")


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def redirect_page(target: str) -> bytes:
    """A page that sends the reader (and search engines, by its canonical link) to `target`."""
    url = escape(target)
    return (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Moved</title>'
        f'<link rel="canonical" href="{url}">'
        f'<meta name="robots" content="noindex">'
        f'<meta http-equiv="refresh" content="0; url={url}">'
        f'<p>This page has moved to <a href="{url}">{url}</a>.</p></html>'
    ).encode()


def alias_file(path: str) -> PurePosixPath | None:
    """Where the redirect page of an old URL goes; None for a path that is not a plain one."""
    parts = [part for part in path.split("/") if part]
    if not parts or any(part in (".", "..") or "\\" in part for part in parts):
        return None
    if parts[-1].endswith((".html", ".htm")):
        return PurePosixPath(*parts)
    return PurePosixPath(*parts, "index.html")


def alias_pages(base_url: str):
    """(file, page) for every old URL of a public post."""
    aliases = PostAlias.objects.filter(post__in=Post.objects.published()).select_related("post")
    for alias in aliases.order_by("path"):
        file = alias_file(alias.path)
        if file is not None:
            yield file, redirect_page(absolute(base_url, alias.post.get_absolute_url()))


def feed_file(path: str, content_type: str) -> str | None:
    """The `.xml` path a feed at a folder URL is written at (`/feeds/atom/` → `/feeds/atom.xml`)."""
    if path.endswith("/") and path != "/" and content_type.startswith(FEED_TYPES):
        return path.rstrip("/") + ".xml"
    return None


def point_links_at_feed_files(content: bytes, renamed: dict[str, str], base_url: str) -> bytes:
    """Links to the feeds' folder URLs, relative or absolute, point at their `.xml` files."""
    prefix = base_path(base_url)
    for old, new in renamed.items():
        for before, after in (
            (absolute(base_url, old), absolute(base_url, new)),
            (prefix + old, prefix + new),
        ):
            pattern = re.compile(rb"(?<=[\"'>\s])" + re.escape(before.encode()) + rb"(?=[\"'<\s])")
            content = pattern.sub(after.encode(), content)
    return content


def robots_txt(content: bytes, base_url: str) -> bytes:
    """robots.txt for the copy: rules under the base URL's path, none for the admin (which a
    static copy has not)."""
    prefix = base_path(base_url).encode()
    admin = ("/" + settings.ADMIN_URL.strip("/") + "/").encode()
    lines = []
    for line in content.split(b"\n"):
        rule = re.match(rb"((?:Dis)?[Aa]llow:\s*)(/\S*)", line)
        if rule and rule.group(2) == admin:
            continue
        if rule and rule.group(2) != b"/":
            line = rule.group(1) + prefix + rule.group(2)
        lines.append(line)
    return b"\n".join(lines)


def search_index(base_url: str) -> bytes:
    prefix = base_path(base_url)
    posts = Post.objects.published().prefetch_related("tags").order_by("-published_at")
    entries = [
        {
            "title": post.title,
            "url": prefix + post.get_absolute_url(),
            "date": post.published_at.isoformat(),
            "date_label": _day(timezone.localtime(post.published_at)),
            "tags": [tag.name for tag in post.tags.all()],
            "summary": _text(post.summary_html),
            "text": post.body_text,
        }
        for post in posts
    ]
    return json.dumps({"posts": entries}, ensure_ascii=False, separators=(",", ":")).encode()


def _day(moment) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def with_static_search(page: bytes) -> bytes:
    """The search page, answering `?q=` from the prebuilt index (root-relative URLs: the export
    prefixes them with the base URL's path like every other link)."""
    tags = (
        f'<meta name="static-search-index" content="/{SEARCH_INDEX}">'
        f'<script src="{escape(static("js/static-search.js"))}" defer></script>'
    ).encode()
    return page.replace(b"</head>", tags + b"</head>", 1)

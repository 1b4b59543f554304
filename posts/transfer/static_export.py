"""Static export: render every public URL through the real URL resolver and write it as files.

URLs are discovered, not listed: every parameterless URL pattern, then every link found in the
pages, feeds, sitemap, robots.txt and llms.txt fetched so far (same site only, no query strings).
So a page added to `urls.py` and linked from anywhere is exported without a special case.

Every file is written inside OUTDIR: a link starting with `//` is another host's (never crawled),
and an output path that resolves outside OUTDIR (`..` segments, a symlink) is refused and reported.
What a static host needs besides (redirect pages at old URLs, feeds as `.xml` files, a search
that works without the server) is in `static_outputs`.
"""

from __future__ import annotations

import re
import shutil
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from posts.transfer import static_outputs
from posts.transfer.static_outputs import redirect_page

TEXT_TYPES = ("text/", "application/xml", "application/rss", "application/atom", "application/json")
ROOT_RELATIVE = re.compile(rb'((?:href|src|action|content)=["\'])/(?!/)')
# Root-relative links; `//host/...` is protocol-relative, another site's.
LINKS = re.compile(rb'(?:href|src)=["\'](/(?!/)[^"\'#?\s]*)')


def site_origin():
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def excluded(path):
    prefixes = tuple("/" + url.lstrip("/") for url in _private_prefixes())
    return path.startswith(prefixes) or path == "/healthz"


def _private_prefixes():
    return (settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)


def static_patterns(resolver=None, prefix="/"):
    """Every URL pattern without parameters, outside the admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(" in route or "^" in route:
            continue
        path = prefix + route
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from static_patterns(entry, path)
        elif isinstance(entry, URLPattern) and not excluded(path):
            yield path


def links_in(content: bytes, origin: str):
    """Same-site paths linked from a page, feed or text file."""
    absolute = re.compile(re.escape(origin.encode()) + rb'(/(?!/)[^"\'<>#?\s)\]{}]*)')
    for match in [*LINKS.finditer(content), *absolute.finditer(content)]:
        yield match.group(1).decode()


def rewrite(content: bytes, origin: str, base_url: str) -> bytes:
    """Point absolute links at `base_url`; prefix root-relative ones if it has a path."""
    base = base_url.rstrip("/")
    content = content.replace(origin.encode(), base.encode())
    prefix = urlsplit(base).path
    if prefix:
        content = ROOT_RELATIVE.sub(lambda m: m.group(1) + prefix.encode() + b"/", content)
    return content


def file_for(path: str) -> PurePosixPath:
    """Where a URL path lives in the tree: directories get index.html."""
    relative = path.lstrip("/")
    if not relative or relative.endswith("/"):
        return PurePosixPath(relative) / "index.html"
    return PurePosixPath(relative)


def inside(outdir: Path, relative: str) -> Path | None:
    """`outdir / relative` resolved (`..` and symlinks followed), or None if outside `outdir`."""
    root = outdir.resolve()
    target = (root / relative).resolve()
    return target if target != root and target.is_relative_to(root) else None


@dataclass
class Export:
    outdir: Path
    base_url: str
    written: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # URL paths whose file would land outside `outdir`; nothing is written for them.
    refused: list[str] = field(default_factory=list)
    renamed_feeds: dict[str, str] = field(default_factory=dict)
    redirects: int = 0

    def run(self):
        origin = site_origin()
        client = Client(HTTP_HOST=urlsplit(origin).netloc)
        secure = origin.startswith("https://")
        queue = deque(["/", *static_patterns()])
        seen = set(queue)
        while queue:
            path = queue.popleft()
            response = client.get(path, secure=secure)
            if response.status_code in (301, 302, 308):
                location = response["Location"]
                target = location
                if location.startswith("/") and not location.startswith("//"):
                    target = static_outputs.absolute(self.base_url, location)
                self._write(path, rewrite(redirect_page(target), origin, self.base_url))
                found = [urlsplit(location).path] if location.startswith(("/", origin)) else []
            elif response.status_code == 200:
                content = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                feed = static_outputs.feed_file(path, response.get("Content-Type", ""))
                if feed:
                    self.renamed_feeds[path] = feed
                if path == reverse("posts:search"):
                    content = static_outputs.with_static_search(content)
                self._write(feed or path, self._rewrite_text(response, content, origin))
                found = links_in(content, origin) if self._is_text(response) else []
            else:
                self.missing.append(path)
                found = []
            for link in found:
                if link not in seen and not excluded(link):
                    seen.add(link)
                    queue.append(link)
        not_found = client.get("/this-page-does-not-exist-404/", secure=secure)
        self._write_file("404.html", self._rewrite_text(not_found, not_found.content, origin))
        self._write_static_outputs()
        self._copy_static()
        self._copy_media()
        return self

    def _write_static_outputs(self):
        """Redirect pages at old URLs, links to the renamed feeds, the search index."""
        for file, page in static_outputs.alias_pages(self.base_url):
            if not (self.outdir / file).exists():  # never over a page (or the crawl's redirect)
                self._write_file(str(file), page)
            self.redirects += 1
        robots = self.outdir / "robots.txt"
        if robots.is_file():
            robots.write_bytes(static_outputs.robots_txt(robots.read_bytes(), self.base_url))
        if self.renamed_feeds:
            files = {self.outdir / file_for(path) for path in self.written}
            for file in [*files, self.outdir / "404.html"]:
                if file.suffix in (".html", ".xml", ".txt") and file.is_file():
                    content = file.read_bytes()
                    changed = static_outputs.point_links_at_feed_files(
                        content, self.renamed_feeds, self.base_url
                    )
                    if changed != content:
                        file.write_bytes(changed)
        self._write_file(static_outputs.SEARCH_INDEX, static_outputs.search_index(self.base_url))

    @staticmethod
    def _is_text(response):
        return response.get("Content-Type", "").startswith(TEXT_TYPES)

    def _rewrite_text(self, response, content, origin):
        return rewrite(content, origin, self.base_url) if self._is_text(response) else content

    def _write(self, path, content):
        if self._write_file(str(file_for(path)), content):
            self.written.append(path)
        else:
            self.refused.append(path)

    def _write_file(self, relative, content) -> bool:
        """Write `content` at `relative` in OUTDIR; False (nothing written) if that is outside."""
        target = inside(self.outdir, relative)
        if target is None:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return True

    def _copy_static(self):
        target = self.outdir / urlsplit(settings.STATIC_URL).path.strip("/")
        if isinstance(staticfiles_storage, ManifestFilesMixin):
            # Pages link to fingerprinted names, which exist only after collectstatic.
            shutil.copytree(settings.STATIC_ROOT, target, dirs_exist_ok=True)
            return
        for finder in finders.get_finders():
            for relative, storage in finder.list([]):
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(relative) as source:
                    destination.write_bytes(source.read())

    def _copy_media(self):
        if Path(settings.MEDIA_ROOT).is_dir():
            target = self.outdir / urlsplit(settings.MEDIA_URL).path.strip("/")
            shutil.copytree(settings.MEDIA_ROOT, target, dirs_exist_ok=True)

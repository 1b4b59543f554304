"""One Markdown file of a Hugo or Jekyll site (or of an export of this site) → a `SourcePost`.

`find_sources()` walks the paths given to the command: a Jekyll site's posts are the files under
`_posts/` and `_drafts/`, a Hugo site's are under `content/` (section pages `_index.md` are not
posts); in a folder that is neither (an export of this site), every `.md` file is a post. A file
named explicitly is always read.

A site is recognised by its configuration file (`_config.yml` for Jekyll; `hugo.toml`,
`config.toml`... for Hugo) in the file's folder or above, or else by a `_posts` or `content` folder
on the way. Its folder is the site root: the base of each post's stable source id and of
site-absolute image paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from django.utils.text import slugify

from posts.markup.scanner import rewrite_prose
from posts.transfer.front_matter import (
    BadSource,
    as_bool,
    as_list,
    first_text,
    parse_date,
    split_front_matter,
)

from . import hugo, jekyll
from .markdown_text import split_excerpt

JEKYLL, HUGO, PLAIN = "jekyll", "hugo", "plain"
DIALECTS = (JEKYLL, HUGO, PLAIN)
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_CONFIG_FILES = {
    JEKYLL: ("_config.yml", "_config.yaml", "_config.toml"),
    HUGO: ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json"),
}
_EXTRA_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


@dataclass(frozen=True)
class Site:
    root: Path
    dialect: str


@dataclass
class SourcePost:
    source_id: str  # the path relative to the site root: stable across re-imports
    path: Path
    site: Site
    title: str
    slug: str
    body: str
    published_at: datetime | None
    updated_at: datetime | None = None
    draft: bool = False
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    series: str = ""
    series_part: int | None = None
    warnings: list[str] = field(default_factory=list)


def find_site(path: Path, fallback_root: Path, dialect: str | None = None) -> Site:
    """The site `path` belongs to; `dialect` forces the dialect (the root is still looked for)."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        for name, files in _CONFIG_FILES.items():
            if any((folder / f).is_file() for f in files):
                return Site(folder, dialect or name)
    for folder in (start, *start.parents):
        if folder.name in {"_posts", "_drafts"}:
            return Site(folder.parent, dialect or JEKYLL)
        if folder.name == "content":
            return Site(folder.parent, dialect or HUGO)
    return Site(fallback_root, dialect or PLAIN)


def _is_post(path: Path, site: Site) -> bool:
    try:
        parts = path.relative_to(site.root).parts
    except ValueError:
        return True
    if any(part.startswith(".") for part in parts):
        return False
    if site.dialect == JEKYLL:
        return "_posts" in parts or "_drafts" in parts
    if site.dialect == HUGO:
        return "content" in parts[:1] and path.name != "_index.md"
    return True


def find_sources(paths: list[Path], dialect: str | None = None) -> list[tuple[Path, Site]]:
    """Every post file under `paths` with its site, in a stable order, each once."""
    found: dict[Path, Site] = {}
    for given in paths:
        given = given.resolve()
        if given.is_file():
            found.setdefault(given, find_site(given, given.parent, dialect))
            continue
        site = find_site(given, given, dialect)
        for path in sorted(given.rglob("*")):
            is_markdown = path.suffix.lower() in MARKDOWN_SUFFIXES and path.is_file()
            if is_markdown and _is_post(path, site):
                found.setdefault(path, site)
    return list(found.items())


def read_source(path: Path, site: Site, zone: tzinfo) -> SourcePost:
    """Read and convert one file; raise `BadSource` with the reason when it cannot be a post."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BadSource("the file is not UTF-8 text") from exc
    except OSError as exc:
        raise BadSource(f"cannot read the file ({exc.strerror})") from exc
    meta, body = split_front_matter(text.replace("\r\n", "\n"))
    title = first_text(meta, "title")
    if not title:
        raise BadSource("no title in the front matter")

    relative = path.relative_to(site.root) if path.is_relative_to(site.root) else Path(path.name)
    filename_date = None
    if site.dialect == JEKYLL:
        filename_date, default_slug = jekyll.date_and_slug_from_filename(path.stem)
        body, warnings = jekyll.convert(body)
    elif site.dialect == HUGO:
        default_slug = hugo.slug_from_path(path)
        body, warnings = hugo.convert(body)
    else:
        default_slug, warnings = path.stem, []

    slug = slugify(first_text(meta, "slug") or default_slug)
    if not slug:
        raise BadSource("no usable slug (give one in the front matter)")

    draft = as_bool(meta.get("draft", False)) or "_drafts" in relative.parts
    if "published" in meta and not as_bool(meta["published"]):
        draft = True  # Jekyll's `published: false`
    date_value = meta.get("date") or meta.get("publishDate") or filename_date
    published_at = parse_date(date_value, zone) if date_value else None
    if published_at is None and not draft:
        raise BadSource("no date (a published post needs one)")
    lastmod = meta.get("lastmod") or meta.get("last_modified_at")

    summary = first_text(meta, "summary", "description", "excerpt")
    if site.dialect != PLAIN:
        excerpt, body = split_excerpt(body)
        summary = summary or excerpt
        body = rewrite_prose(body, lambda prose: _EXTRA_BLANK_LINES.sub("\n\n", prose))

    series = meta.get("series")
    if isinstance(series, list):
        series = series[0] if series else ""
    series_part = meta.get("series_part")
    if series_part is not None and not isinstance(series_part, int):
        raise BadSource(f"series_part must be a whole number, not {series_part!r}")

    return SourcePost(
        source_id=relative.as_posix(),
        path=path,
        site=site,
        title=title,
        slug=slug,
        body=body.strip("\n") + "\n",
        published_at=published_at,
        updated_at=parse_date(lastmod, zone) if lastmod else None,
        draft=draft,
        summary=summary,
        tags=as_list(as_list(meta.get("tags")) + as_list(meta.get("categories"))),
        aliases=[_alias_path(a) for a in as_list(meta.get("aliases") or meta.get("redirect_from"))],
        series=str(series or "").strip(),
        series_part=series_part,
        warnings=warnings,
    )


def _alias_path(alias: str) -> str:
    alias = alias.strip()
    if "://" in alias:
        alias = "/" + alias.split("://", 1)[1].partition("/")[2]
    return alias if alias.startswith("/") else "/" + alias

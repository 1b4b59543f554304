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
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath

import yaml
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
from posts.xml_text import forbidden_in

from . import hugo, jekyll
from .markdown_text import Notes, split_excerpt

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
    config: dict = field(default_factory=dict, compare=False, hash=False)


def read_config(folder: Path, dialect: str) -> dict:
    """The site's configuration (`_config.yml`, `hugo.toml`...), or {} if unreadable."""
    for name in _CONFIG_FILES.get(dialect, ()):
        path = folder / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text) if name.endswith(".toml") else yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError):
            return {}
        return data if isinstance(data, dict) else {}
    return {}


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
    notes: Notes = field(default_factory=Notes)
    author: str = ""
    update_notes: list[tuple[datetime, str]] = field(default_factory=list)
    link_keys: list[str] = field(default_factory=list)
    cover: str = ""  # an export's share-card picture: an image path, copied like the body's

    @property
    def warnings(self) -> list[str]:
        return self.notes.left


def find_site(path: Path, fallback_root: Path, dialect: str | None = None) -> Site:
    """The site `path` belongs to; `dialect` forces the dialect (the root is still looked for)."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        for name, files in _CONFIG_FILES.items():
            if any((folder / f).is_file() for f in files):
                return Site(folder, dialect or name, read_config(folder, name))
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
    problem = forbidden_in([("file", text)])  # pasted into the body, usually: say where
    if problem:
        raise BadSource(problem)
    meta, body = split_front_matter(text.replace("\r\n", "\n"))
    title = first_text(meta, "title")
    if not title:
        raise BadSource("no title in the front matter")

    relative = path.relative_to(site.root) if path.is_relative_to(site.root) else Path(path.name)
    notes = Notes()
    filename_date = None
    if site.dialect == JEKYLL:
        filename_date, default_slug = jekyll.date_and_slug_from_filename(path.stem)
        body, _left = jekyll.convert(body, notes, site.config)
    elif site.dialect == HUGO:
        default_slug = hugo.slug_from_path(path)
        body, _left = hugo.convert(body, notes)
    elif first_text(meta, "slug"):
        default_slug = path.stem  # an export of this site: its file is named after the slug
    else:  # a folder of Markdown files, often named as Jekyll names posts
        filename_date, default_slug = jekyll.date_and_slug_from_filename(path.stem)

    url_slug = first_text(meta, "slug") or default_slug
    slug = slugify(url_slug)
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
        separator = meta.get("excerpt_separator") or site.config.get("excerpt_separator")
        excerpt, body = split_excerpt(body, separator if isinstance(separator, str) else None)
        summary = summary or excerpt
        body = rewrite_prose(body, lambda prose: _EXTRA_BLANK_LINES.sub("\n\n", prose))

    series = meta.get("series")
    if isinstance(series, list):
        series = series[0] if series else ""
    series_part = meta.get("series_part")
    if series_part is not None and not isinstance(series_part, int):
        raise BadSource(f"series_part must be a whole number, not {series_part!r}")

    categories = as_list(meta.get("categories") or meta.get("category"))
    aliases = [_alias_path(a) for a in as_list(meta.get("aliases") or meta.get("redirect_from"))]
    if site.dialect == JEKYLL and published_at is not None and not draft:
        aliases.append(_jekyll_url(meta, site, relative, published_at, url_slug, categories))
    elif site.dialect == HUGO and not draft:
        aliases.append(_hugo_url(meta, site, relative, published_at, url_slug))
    aliases = [alias for alias in dict.fromkeys(aliases) if alias]

    return SourcePost(
        source_id=relative.as_posix(),
        path=path,
        site=site,
        title=title,
        slug=slug,
        # An export's body exactly (`markdown_file` adds one final newline); a Hugo or Jekyll
        # file's with one final newline.
        body=body.removesuffix("\n") if site.dialect == PLAIN else body.strip("\n") + "\n",
        published_at=published_at,
        updated_at=parse_date(lastmod, zone) if lastmod else None,
        draft=draft,
        summary=summary,
        tags=as_list(as_list(meta.get("tags")) + categories),
        aliases=aliases,
        series=str(series or "").strip(),
        series_part=series_part,
        notes=notes,
        author=first_text(meta, "author") if site.dialect == PLAIN else "",
        update_notes=_update_notes(meta.get("update_notes"), zone),
        link_keys=link_keys(relative.as_posix(), slug),
        cover=first_text(meta, "cover") if site.dialect == PLAIN else "",
    )


def _update_notes(value, zone: tzinfo) -> list[tuple[datetime, str]]:
    """`update_notes: [{date: 2019-09-07, note: "..."}]` (an export of this site)."""
    if not value:
        return []
    if not isinstance(value, list):
        raise BadSource("update_notes must be a list of {date, note}")
    notes = []
    for item in value:
        if not isinstance(item, dict) or not str(item.get("note", "")).strip():
            raise BadSource("each update note needs a date and a note")
        notes.append((parse_date(item.get("date"), zone), str(item["note"]).strip()))
    return notes


def _jekyll_url(meta, site, relative: Path, published_at, url_slug, categories) -> str:
    """Where Jekyll served the post: its `permalink`, else the site's permalink style."""
    folders = [p for p in relative.parts[:-1] if p not in ("_posts", "_drafts")]
    pattern = first_text(meta, "permalink") or first_text(site.config, "permalink") or "date"
    path = jekyll.permalink_path(
        pattern, when=published_at, title=url_slug, categories=folders + categories
    )
    return _alias_path(path)


def _hugo_url(meta, site, relative: Path, published_at, url_slug) -> str:
    """Where Hugo served the post: its `url`, else the section's permalink, else /section/slug/."""
    explicit = first_text(meta, "url")
    if explicit:
        return _alias_path(explicit)
    parts = relative.parts[1:] if relative.parts[:1] == ("content",) else relative.parts
    section = parts[0] if len(parts) > 1 else ""
    permalinks = site.config.get("permalinks")
    pattern = permalinks.get(section) if isinstance(permalinks, dict) else None
    if isinstance(pattern, str) and published_at is not None:
        path = pattern.replace(":slug", url_slug).replace(":filename", url_slug)
        path = jekyll.permalink_path(path, when=published_at, title=url_slug, categories=[])
        path = path.replace(":section", section)
        return _alias_path(path)
    return "/" + "/".join(p for p in (section, url_slug.lower()) if p) + "/"


_LINK_SUFFIX = re.compile(r"\.(?:md|markdown|mdown|mkd|html)$", re.I)


def link_key(target: str) -> str:
    """A link target (`2019-01-31-name`, `_posts/2019-01-31-name.md`, `/posts/x/index.md`...) as
    the key that finds its post: lower case, no leading slash, suffix or `index`."""
    key = target.strip().strip("'\"").split("#", 1)[0].lower().lstrip("./").strip("/")
    key = _LINK_SUFFIX.sub("", key)
    key = re.sub(r"(?:^|/)_?index$", "", key)
    return key


def link_keys(source_id: str, slug: str) -> list[str]:
    """Every key another post may use to link to the post read from `source_id`."""
    path = PurePosixPath(source_id)
    keys = [link_key(source_id)]
    parts = path.parts
    for marker in ("_posts", "_drafts", "content"):
        if marker in parts:
            keys.append(link_key("/".join(parts[parts.index(marker) + 1 :])))
    if "_posts" not in parts and "_drafts" not in parts:  # Jekyll links name the dated file
        keys.append(link_key(path.parent.name if path.stem in ("index", "_index") else path.name))
        keys.append(slug.lower())
    return [key for key in dict.fromkeys(keys) if key]


def _alias_path(alias: str) -> str:
    alias = alias.strip()
    if "://" in alias:
        alias = "/" + alias.split("://", 1)[1].partition("/")[2]
    return alias if alias.startswith("/") else "/" + alias

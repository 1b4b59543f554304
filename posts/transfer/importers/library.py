"""Saving imported posts: match re-imports, copy images into the media library, report.

`Importer.run(paths)` reads every source first, so that links between posts
(`{% post_url %}`, `{% link %}`, `{{< ref >}}`, old URLs) resolve across the whole batch and to
posts imported before (`LinkTable`). Then, for each file in its own transaction, it copies the
images the post references into the library (one copy per content hash), rewrites their URLs, and
creates or updates the post (matched by `Post.import_source`, else by slug), its tags, series,
update notes and aliases, as one revision ("Imported from ..."), so the post's history starts at
the import. An export of this site (`export_markdown`) also brings its bibliography
(`references.bib`), tag and series descriptions and image metadata (`site_data`); they are read
before the posts, so citations render. A file that fails is reported with its reason; the others
go on. With `dry_run` the whole run is rolled back and no file is written: the report says what
would happen.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from posts.images import InvalidImage, inspect_image
from posts.markup.sanitize import ID_PREFIX
from posts.markup.scanner import rewrite_prose
from posts.models import Image, Post, PostAlias, Series, TaggedPost, UpdateNote
from posts.transfer import site_data
from posts.transfer.front_matter import BadSource
from posts.xml_text import forbidden_in

from .markdown_text import (
    ImageReference,
    image_references,
    link_markers,
    local_path,
    replace_image_sources,
    resolve_link_markers,
)
from .sources import JEKYLL, PLAIN, SourcePost, find_sources, link_key, link_keys, read_source

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


@dataclass
class Outcome:
    source: str
    status: str
    detail: str = ""
    warnings: list[str] = field(default_factory=list)
    converted: Counter = field(default_factory=Counter)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    images_copied: int = 0
    images_reused: int = 0
    site_data: list[str] = field(default_factory=list)  # e.g. "12 references", one line each

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def converted(self) -> Counter:
        total: Counter = Counter()
        for outcome in self.outcomes:
            total.update(outcome.converted)
        return total

    def left(self) -> Counter:
        """What was left as is, by kind (the part of each warning before its colon)."""
        return Counter(w.split(":", 1)[0] for o in self.outcomes for w in o.warnings)


class _Rollback(Exception):
    pass


def post_url(slug: str, published_at) -> str:
    day = timezone.localdate(published_at)
    return reverse("posts:detail", kwargs={"date": day.strftime("%Y-%m-%d"), "slug": slug})


class LinkTable:
    """Where links to posts go: by the keys of their source files (case-insensitive) and by
    their old URLs. Posts imported before come first; the batch being imported overrides them."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        self.by_old_url: dict[str, str] = {}
        self.drafts: set[str] = set()

    def add(self, keys, url: str | None, old_urls=()) -> None:
        for key in keys:
            if url is None:
                self.drafts.add(key)
                self.by_key.pop(key, None)
            else:
                self.by_key[key] = url
                self.drafts.discard(key)
        for old in old_urls:
            if url is not None:
                self.by_old_url[old] = url
                self.by_old_url.setdefault(old.lower(), url)

    @classmethod
    def for_batch(cls, sources: list[SourcePost]) -> LinkTable:
        table = cls()
        imported = (
            Post.objects.exclude(import_source="")
            .only("slug", "import_source", "status", "published_at", "created_at")
            .prefetch_related("aliases")
        )
        for post in imported:
            url = post.get_absolute_url() if post.is_public else None
            old = [alias.path for alias in post.aliases.all()]
            table.add(link_keys(post.import_source, post.slug), url, old)
        for source in sources:
            public = not source.draft and source.published_at is not None
            url = post_url(source.slug, source.published_at) if public else None
            table.add(source.link_keys, url, source.aliases)
        return table

    def resolve(self, kind: str, target: str) -> str | None:
        url = self.by_key.get(link_key(target))
        return url + _fragment(target.partition("#")[2]) if url else None

    def old_url(self, path: str) -> str | None:
        bare, _, anchor = path.partition("#")
        url = self.by_old_url.get(bare) or self.by_old_url.get(bare.lower())
        return url + _fragment(anchor) if url else None


def _fragment(anchor: str) -> str:
    """`#name` of a heading in another post: this site prefixes the ids of a post's headings and
    figures (`posts.markup.sanitize.ID_PREFIX`), so a link from another page needs it too."""
    if not anchor:
        return ""
    return "#" + (anchor if anchor.startswith(ID_PREFIX) else ID_PREFIX + anchor)


_OLD_LINK = re.compile(
    r"""(?P<lead>\]\(\s*<?|\]:[ \t]+<?|\bhref=["'])(?P<path>/[^\s)>"'#]*(?:#[^\s)>"']*)?)"""
)


def resolve_links(source: SourcePost, table: LinkTable) -> None:
    """Resolve the post's link markers and point links at old URLs of posts at their new URLs."""
    for kind, target in link_markers(source.body + source.summary):
        if table.resolve(kind, target) is not None:
            source.notes.did("links to other posts resolved")
        elif link_key(target) in table.drafts:
            source.notes.leave(f"link to a draft, pointed at its old URL: {kind} {target}")
        else:
            source.notes.leave(
                f"unresolved link (no such post), pointed at its old URL: {kind} {target}"
            )

    def old_links(prose: str) -> str:
        def replace(match: re.Match[str]) -> str:
            url = table.old_url(match.group("path"))
            if url is None:
                return match.group(0)
            source.notes.did("links to old URLs pointed at the new ones")
            return match.group("lead") + url

        return _OLD_LINK.sub(replace, prose)

    for name in ("body", "summary"):
        text = resolve_link_markers(getattr(source, name), table.resolve)
        setattr(source, name, rewrite_prose(text, old_links) if text else text)


class Importer:
    def __init__(self, author, *, dry_run: bool = False, dialect: str | None = None):
        self.author = author
        self.dry_run = dry_run
        self.dialect = dialect
        self.zone = timezone.get_default_timezone()
        self._planned_images: dict[str, str] = {}  # hash -> URL, for images a dry run would add
        self._image_metadata: dict[str, dict] = {}  # storage path -> alt, caption, source

    def run(self, paths: list[Path]) -> Report:
        report = Report()
        try:
            with transaction.atomic():
                found = find_sources(paths, self.dialect)
                for site in {site.root: site for _, site in found}.values():
                    if site.dialect == PLAIN:
                        data = site_data.import_site_data(site.root)
                    elif site.dialect == JEKYLL:
                        data = site_data.import_jekyll_bibliography(site.root, site.config)
                    else:
                        continue
                    report.site_data += data.summary
                    self._image_metadata.update(data.images)
                sources, failures = [], {}
                for path, site in found:
                    try:
                        sources.append(read_source(path, site, self.zone))
                    except BadSource as exc:
                        failures[path] = str(exc)
                table = LinkTable.for_batch(sources)
                by_path = {source.path: source for source in sources}
                for path, site in found:
                    name = self._name(path, site)
                    if path in failures:
                        report.outcomes.append(Outcome(name, FAILED, failures[path]))
                        continue
                    report.outcomes.append(self._import_source(by_path[path], name, table, report))
                if self.dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        return report

    @staticmethod
    def _name(path, site) -> str:
        return str(
            path.relative_to(site.root).as_posix() if path.is_relative_to(site.root) else path
        )

    def _import_source(self, source: SourcePost, name: str, table: LinkTable, report) -> Outcome:
        try:
            resolve_links(source, table)
            with transaction.atomic():
                warnings = self._copy_images(source, report)
                status, detail = self._save_post(source)
        except BadSource as exc:
            return Outcome(name, FAILED, str(exc))
        except DatabaseError as exc:  # e.g. two files claiming the same part of a series
            return Outcome(name, FAILED, f"could not be saved: {exc}")
        return Outcome(name, status, detail, source.warnings + warnings, source.notes.converted)

    # Images -----------------------------------------------------------------------------------

    def _copy_images(self, source: SourcePost, report: Report) -> list[str]:
        warnings: list[str] = []
        new_sources: dict[str, str] = {}
        references = image_references(source.body)
        if source.cover:
            references.append(ImageReference(source.cover, "", ""))
        for reference in references:
            if reference.src in new_sources:
                continue
            path = local_path(reference.src)
            if path is None:
                continue  # an image on another site, or a data: URL
            file = self._find_image_file(path, source)
            if file is None:
                warnings.append(f"image not found, reference kept: {reference.src}")
                continue
            try:
                url = self._library_url(file, path, reference, source, report)
            except InvalidImage as exc:
                warnings.append(f"image {reference.src} not copied: {exc}")
                continue
            new_sources[reference.src] = url
        source.cover = new_sources.get(source.cover, "") if source.cover else ""
        source.body = replace_image_sources(source.body, new_sources)
        if source.summary:
            source.summary = replace_image_sources(source.summary, new_sources)
        return warnings

    @staticmethod
    def _find_image_file(path: str, source: SourcePost) -> Path | None:
        """The file an image path points to, never outside the site's folder."""
        root = source.site.root.resolve()
        relative = path.lstrip("/")
        if path.startswith("/"):
            candidates = [root / relative, root / "static" / relative]
        else:
            candidates = [source.path.parent / path]
            if source.site.dialect == JEKYLL:
                candidates.append(root / relative)
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_relative_to(root) and resolved.is_file():
                return resolved
        return None

    def _library_url(self, file: Path, path: str, reference, source, report: Report) -> str:
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        existing = Image.objects.filter(sha256=digest).first()
        if existing is not None:
            report.images_reused += 1
            return existing.url
        if digest in self._planned_images:
            report.images_reused += 1
            return self._planned_images[digest]
        media_base = Image._meta.get_field("file").storage.url("")
        keep = path.startswith(media_base) and path[len(media_base) :].startswith("images/")
        fields = {
            "alt": _alt_text(reference, file),
            "caption": reference.title,
            "uploaded_by": self.author,
        }
        if keep:  # an export of this site: the image's own metadata, if it came with it
            fields.update(self._image_metadata.get(path[len(media_base) :], {}))
        if self.dry_run:
            with file.open("rb") as handle:
                inspect_image(handle)
            report.images_copied += 1
            self._planned_images[digest] = reference.src
            return reference.src
        if keep:
            image = Image.create_from_bytes(data, path[len(media_base) :], keep_path=True, **fields)
        else:
            image = Image.create_from_bytes(data, file.name, **fields)
        report.images_copied += 1
        return image.url

    # Posts ------------------------------------------------------------------------------------

    def _find_post(self, source: SourcePost) -> Post | None:
        post = Post.objects.filter(import_source=source.source_id).first()
        if post is None:
            post = Post.objects.filter(slug=source.slug).first()
            if post is not None and post.import_source not in ("", source.source_id):
                raise BadSource(
                    f'the slug "{source.slug}" belongs to a post imported from {post.import_source}'
                )
        elif post.slug != source.slug and Post.objects.filter(slug=source.slug).exists():
            raise BadSource(f'the slug "{source.slug}" is taken by another post')
        return post

    def _save_post(self, source: SourcePost) -> tuple[str, str]:
        for name, value in (("title", source.title), ("slug", source.slug)):
            limit = Post._meta.get_field(name).max_length
            if len(value) > limit:
                raise BadSource(f"the {name} is longer than {limit} characters")
        _refuse_forbidden_characters(source)
        post = self._find_post(source)
        series = self._series(source)
        values = {
            "title": source.title,
            "slug": source.slug,
            "body": source.body,
            "summary": source.summary,
            "status": Post.Status.DRAFT if source.draft else Post.Status.PUBLISHED,
            "published_at": source.published_at,
            "series": series,
            "series_part": source.series_part if series else None,
            "author": self._author(source, post),
        }
        if source.site.dialect == PLAIN:
            values["cover"] = self._cover(source)
        if post is not None and self._unchanged(post, values, source):
            if not post.import_source:
                Post.objects.filter(pk=post.pk).update(import_source=source.source_id)
            return UNCHANGED, post.get_absolute_url()
        created = post is None
        if created:
            post = Post()
        with reversion.create_revision():
            for name, value in values.items():
                setattr(post, name, value)
            post.import_source = source.source_id
            post.save()
            self._set_tags(post, source.tags)
            if source.update_notes or source.site.dialect == PLAIN:
                self._set_update_notes(post, source)
            for alias in source.aliases:
                if alias == post.get_absolute_url():
                    continue  # the post's own URL here
                owner = PostAlias.objects.filter(path=alias).values_list("post_id", flat=True)
                owner = owner.first()
                if owner is None:
                    PostAlias.objects.create(post=post, path=alias)
                    source.notes.did("old URLs kept (they redirect)")
                elif owner != post.pk:
                    source.warnings.append(f"alias {alias} already belongs to another post")
            if source.updated_at is not None:
                Post.objects.filter(pk=post.pk).update(updated_at=source.updated_at)
                post.updated_at = source.updated_at
            reversion.add_to_revision(post)
            for link in TaggedPost.objects.filter(content_object=post):
                reversion.add_to_revision(link)
            reversion.set_user(self.author)
            reversion.set_comment(f"Imported from {source.source_id}.")
        return (CREATED if created else UPDATED), post.get_absolute_url()

    @staticmethod
    def _cover(source: SourcePost) -> Image | None:
        base = Image._meta.get_field("file").storage.url("")
        if not source.cover.startswith(base):
            return None
        return Image.objects.filter(file=source.cover[len(base) :]).first()

    @staticmethod
    def _set_tags(post: Post, names: list[str]) -> None:
        """The tags in the order given: pages list a post's tags in the order they were added."""
        if [tag.name.lower() for tag in post.tags.all()] == [n.lower() for n in names]:
            return
        post.tags.clear()
        for name in names:
            post.tags.add(name)

    def _author(self, source: SourcePost, post: Post | None):
        """The export's author if this site has that user; else the post's, else the importer's."""
        if source.author:
            user = get_user_model().objects.filter(username=source.author).first()
            if user is not None:
                return user
            source.notes.leave(f"unknown author, {self.author} used instead: {source.author}")
        return post.author if post is not None else self.author

    @staticmethod
    def _set_update_notes(post: Post, source: SourcePost) -> None:
        wanted = [(when.date(), note) for when, note in source.update_notes]
        have = list(post.update_notes.order_by("date", "id").values_list("date", "note"))
        if have == wanted:
            return
        post.update_notes.all().delete()
        for day, note in wanted:
            UpdateNote.objects.create(post=post, date=day, note=note)  # `revised_on`: a receiver
        source.notes.did("update notes", len(wanted))

    def _series(self, source: SourcePost) -> Series | None:
        if not source.series:
            return None
        slug = slugify(source.series)
        if not slug:
            return None
        series = Series.objects.filter(title=source.series).first()
        series = series or Series.objects.filter(slug=slug).first()
        if series is None:
            series = Series.objects.create(title=source.series, slug=slug)
        return series

    @staticmethod
    def _unchanged(post: Post, values: dict, source: SourcePost) -> bool:
        if any(getattr(post, name) != value for name, value in values.items()):
            return False
        if source.update_notes or source.site.dialect == PLAIN:
            notes = list(post.update_notes.order_by("date", "id").values_list("date", "note"))
            if notes != [(when.date(), note) for when, note in source.update_notes]:
                return False
        if {t.lower() for t in post.tags.names()} != {t.lower() for t in source.tags}:
            return False
        if source.updated_at is not None and post.updated_at != source.updated_at:
            return False
        own = set(post.aliases.values_list("path", flat=True))
        return all(alias in own for alias in source.aliases)


def _refuse_forbidden_characters(source: SourcePost) -> None:
    """The front matter's text holds none of the characters XML 1.0 forbids (the file's own text
    was checked when it was read, `read_source`; a YAML or JSON escape can still make one, even a
    lone surrogate, which the database cannot store); the admin refuses them too
    (`posts.xml_text.reject_forbidden`)."""
    problem = forbidden_in(
        [
            ("title", source.title),
            ("summary", source.summary),
            ("series", source.series),
            *(("tag", tag) for tag in source.tags),
            *(("update note", note) for _when, note in source.update_notes),
        ]
    )
    if problem:
        raise BadSource(problem)


def _alt_text(reference, file: Path) -> str:
    """The reference's alt text, else its caption, else words from the file name."""
    text = reference.alt.strip() or reference.title.strip()
    if not text:
        stem = posixpath.splitext(file.name)[0]
        text = " ".join(stem.replace("_", " ").replace("-", " ").split()).capitalize() or "Image"
    return text[:300]

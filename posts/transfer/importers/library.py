"""Saving imported posts: match re-imports, copy images into the media library, report.

`Importer.run(paths)` reads every source, and for each file in its own transaction copies the
images it references into the library (one copy per content hash), rewrites their URLs, and
creates or updates the post (matched by `Post.import_source`, else by slug), its tags, series and
aliases. A file that fails is reported with its reason; the others go on. With `dry_run` the whole
run is rolled back and no file is written: the report says what would happen.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from posts.images import InvalidImage, inspect_image
from posts.models import Image, Post, PostAlias, Series
from posts.transfer.front_matter import BadSource

from .markdown_text import image_references, local_path, replace_image_sources
from .sources import JEKYLL, SourcePost, find_sources, read_source

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


@dataclass
class Outcome:
    source: str
    status: str
    detail: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    images_copied: int = 0
    images_reused: int = 0

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


class _Rollback(Exception):
    pass


class Importer:
    def __init__(self, author, *, dry_run: bool = False, dialect: str | None = None):
        self.author = author
        self.dry_run = dry_run
        self.dialect = dialect
        self.zone = timezone.get_default_timezone()
        self._planned_images: dict[str, str] = {}  # hash -> URL, for images a dry run would add

    def run(self, paths: list[Path]) -> Report:
        report = Report()
        try:
            with transaction.atomic():
                for path, site in find_sources(paths, self.dialect):
                    report.outcomes.append(self._import_file(path, site, report))
                if self.dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        return report

    def _import_file(self, path, site, report: Report) -> Outcome:
        name = path.relative_to(site.root).as_posix() if path.is_relative_to(site.root) else path
        try:
            source = read_source(path, site, self.zone)
            with transaction.atomic():
                warnings = self._copy_images(source, report)
                status, detail = self._save_post(source)
        except BadSource as exc:
            return Outcome(str(name), FAILED, str(exc))
        except DatabaseError as exc:  # e.g. two files claiming the same part of a series
            return Outcome(str(name), FAILED, f"could not be saved: {exc}")
        return Outcome(str(name), status, detail, source.warnings + warnings)

    # Images -----------------------------------------------------------------------------------

    def _copy_images(self, source: SourcePost, report: Report) -> list[str]:
        warnings: list[str] = []
        new_sources: dict[str, str] = {}
        for reference in image_references(source.body):
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
        }
        if post is not None and self._unchanged(post, values, source):
            if not post.import_source:
                Post.objects.filter(pk=post.pk).update(import_source=source.source_id)
            return UNCHANGED, post.get_absolute_url()
        created = post is None
        if created:
            post = Post(author=self.author)
        for name, value in values.items():
            setattr(post, name, value)
        post.import_source = source.source_id
        post.save()
        post.tags.set(source.tags)
        for alias in source.aliases:
            owner = PostAlias.objects.filter(path=alias).values_list("post_id", flat=True).first()
            if owner is None:
                PostAlias.objects.create(post=post, path=alias)
            elif owner != post.pk:
                source.warnings.append(f"alias {alias} already belongs to another post")
        if source.updated_at is not None:
            Post.objects.filter(pk=post.pk).update(updated_at=source.updated_at)
        return (CREATED if created else UPDATED), post.get_absolute_url()

    def _series(self, source: SourcePost) -> Series | None:
        if not source.series:
            return None
        slug = slugify(source.series)
        if not slug:
            return None
        series = Series.objects.filter(slug=slug).first()
        if series is None:
            series = Series.objects.create(title=source.series, slug=slug)
        return series

    @staticmethod
    def _unchanged(post: Post, values: dict, source: SourcePost) -> bool:
        if any(getattr(post, name) != value for name, value in values.items()):
            return False
        if {t.lower() for t in post.tags.names()} != {t.lower() for t in source.tags}:
            return False
        if source.updated_at is not None and post.updated_at != source.updated_at:
            return False
        own = set(post.aliases.values_list("path", flat=True))
        return all(alias in own for alias in source.aliases)


def _alt_text(reference, file: Path) -> str:
    """The reference's alt text, else its caption, else words from the file name."""
    text = reference.alt.strip() or reference.title.strip()
    if not text:
        stem = posixpath.splitext(file.name)[0]
        text = " ".join(stem.replace("_", " ").replace("-", " ").split()).capitalize() or "Image"
    return text[:300]

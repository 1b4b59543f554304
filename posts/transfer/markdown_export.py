"""Every post out as Markdown with YAML front matter, and the library images it uses.

Layout of the export folder:

    posts/<slug>.md                 front matter (title, slug, author, date, lastmod, draft, tags,
                                    summary, aliases, series, series_part, update_notes, cover)
                                    and the Markdown body as written
    media/images/2019/09/x.png      each library image a post references, at its storage path
    references.bib, tags.yml,       the bibliography, tag and series descriptions and the images'
    series.yml, images.yml          alt text, captions and sources (`posts.transfer.site_data`)

Image references are rewritten to `/media/<storage path>`, a site-absolute path that exists inside
the export, so `import_markdown OUTDIR` finds the files and (into a site whose library does not
have them yet) stores them at the same paths: the posts come back with the same rendered HTML.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from posts.models import Image, Post, TaggedPost
from posts.transfer import site_data
from posts.transfer.front_matter import markdown_file
from posts.transfer.importers.markdown_text import image_references, replace_image_sources

EXPORT_MEDIA_PREFIX = "/media/"


@dataclass
class ExportReport:
    posts: int = 0
    drafts: int = 0
    images: int = 0
    references: int = 0
    tags: int = 0
    series: int = 0


def front_matter(post: Post) -> dict:
    meta: dict = {"title": post.title, "slug": post.slug, "author": post.author.get_username()}
    if post.published_at is not None:
        meta["date"] = post.published_at.isoformat()
    meta["lastmod"] = post.updated_at.isoformat()
    meta["draft"] = post.status != Post.Status.PUBLISHED
    # In the order they were added, which post pages show; the tags themselves are created in
    # their own order again (tags.yml), which lists show.
    links = TaggedPost.objects.filter(content_object=post).order_by("pk")
    meta["tags"] = list(links.values_list("tag__name", flat=True))
    if post.summary.strip():
        meta["summary"] = post.summary.strip()
    aliases = sorted(alias.path for alias in post.aliases.all())
    if aliases:
        meta["aliases"] = aliases
    if post.series is not None:
        meta["series"] = post.series.title
        if post.series_part is not None:
            meta["series_part"] = post.series_part
    notes = [{"date": note.date, "note": note.note} for note in post.update_notes.all()]
    if notes:
        meta["update_notes"] = notes
    return meta


def _library_files(text: str, storage, base: str) -> dict[str, str]:
    """Image references in `text` that point into the library: src → storage name."""
    found = {}
    for reference in image_references(text):
        src = reference.src.split("?", 1)[0].split("#", 1)[0]
        if src.startswith(base) and storage.exists(src[len(base) :]):
            found[reference.src] = src[len(base) :]
    return found


def export_posts(outdir: Path) -> ExportReport:
    storage = Image._meta.get_field("file").storage
    base = storage.url("")
    report = ExportReport()
    (outdir / "posts").mkdir(parents=True, exist_ok=True)
    copied: set[str] = set()
    posts = Post.objects.select_related("series", "author", "cover").prefetch_related(
        "aliases", "update_notes"
    )
    for post in posts.order_by("published_at", "pk"):
        files = _library_files(post.body + "\n\n" + post.summary, storage, base)
        if post.cover is not None:  # the picture of its share card
            files[post.cover.url] = post.cover.file.name
        new_sources = {src: EXPORT_MEDIA_PREFIX + name for src, name in files.items()}
        for name in set(files.values()) - copied:
            target = outdir / "media" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            copied.add(name)
        meta = front_matter(post)
        if post.cover is not None:
            meta["cover"] = EXPORT_MEDIA_PREFIX + post.cover.file.name
        if "summary" in meta:
            meta["summary"] = replace_image_sources(meta["summary"], new_sources)
        body = replace_image_sources(post.body, new_sources)
        (outdir / "posts" / f"{post.slug}.md").write_text(
            markdown_file(meta, body, exact=True), "utf-8"
        )
        report.posts += 1
        report.drafts += post.status != Post.Status.PUBLISHED
    report.images = len(copied)
    counts = site_data.write_site_data(outdir, list(Image.objects.filter(file__in=copied)))
    report.references, report.tags, report.series = (
        counts["references"],
        counts["tags"],
        counts["series"],
    )
    return report

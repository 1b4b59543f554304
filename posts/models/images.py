"""The media library: images a writer uploads once and references from any post by URL.

An `Image` keeps the uploaded file under `MEDIA_ROOT/images/<year>/<month>/` without its metadata
(`posts.images.without_metadata`: no EXIF GPS position or camera, orientation applied, colour
profile kept), its alt text, caption and source, its pixel size, a SHA-256 of the uploaded content
(so imports of the same file reuse an image instead of copying it twice) and the smaller renditions
made once when it is saved (`srcset`). Posts use an image through the Markdown from
`Image.markdown()`; an image whose file name appears in a post is protected from deletion
(`ImageInUse`, raised by `Image.delete()` and by `Image.objects.filter(...).delete()` before
anything is deleted). Deleting an unused image removes its files. An SVG is stored as its
sanitiser left it, and its one rendition is a PNG (`raster_name()`, for social cards and feeds);
browsers scale the drawing itself, so it has no `srcset`.
"""

from __future__ import annotations

import io
import os
import posixpath
import tempfile

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext_lazy as _

from posts.images import (
    SVG,
    InvalidImage,
    ResponsiveImage,
    add_responsive_attributes,
    has_metadata,
    image_sources,
    inspect_image,
    make_renditions,
    oriented_size,
    rasterize_svg,
    without_metadata,
)

UPLOAD_TO = "images/%Y/%m/"


def validate_image_file(value) -> None:
    """Model-field validator: the upload must pass `inspect_image` (a form error otherwise)."""
    try:
        inspect_image(value)
    except InvalidImage as exc:
        raise ValidationError(str(exc), code="invalid_image") from exc


class ImageInUse(ProtectedError):
    """Raised when deleting an image that a post still shows."""


class ImageQuerySet(models.QuerySet):
    def delete(self):
        """Refused, deleting nothing, when any of the images is used by a post."""
        for image in self:
            refuse_if_used(image)
        return super().delete()


class Image(models.Model):
    file = models.ImageField(upload_to=UPLOAD_TO, max_length=300, validators=[validate_image_file])
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("What the image shows, for readers who cannot see it. Required."),
    )
    caption = models.TextField(
        blank=True, help_text=_("Markdown (inline): shown under the image as the figure caption.")
    )
    source = models.CharField(
        max_length=500,
        blank=True,
        help_text=_('Attribution: a URL, or text such as "Vaswani et al., 2017".'),
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text=_("Copies made at upload: [{width, height, name}], narrowest first."),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_images",
        editable=False,
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.alt or self.file.name

    def save(self, *args, **kwargs):
        new_file = bool(self.file) and not self.file._committed
        if new_file:
            self.file.seek(0)
            data = self.file.read()
            self.file.seek(0)
            extension = self._describe(data)
            name = named_for_content(posixpath.basename(self.file.name), extension)
            # An SVG keeps only its sanitised drawing; a bitmap loses its metadata.
            stored = self._cleaned if self._cleaned is not None else without_metadata(data)
            if stored is data:
                self.file.name = name
            else:
                self.file = ContentFile(stored, name=name)
        super().save(*args, **kwargs)
        if new_file:
            self._store_renditions(stored)

    def delete(self, *args, **kwargs):
        refuse_if_used(self)
        return super().delete(*args, **kwargs)

    @classmethod
    def create_from_bytes(cls, data: bytes, name: str, *, keep_path: bool = False, **fields):
        """Add an image outside a form (imports); raises `InvalidImage` for a bad file.

        `name` is a file name, stored under this month's folder; with `keep_path` it is a storage
        path such as "images/2019/09/x.png", kept as it is when no other file has it (so an export
        imported into an empty site keeps its image URLs).
        """
        if not keep_path:
            image = cls(file=ContentFile(data, name=posixpath.basename(name)), **fields)
            image.save()
            return image
        image = cls(**fields)
        extension = image._describe(data)
        stored = image._cleaned if image._cleaned is not None else without_metadata(data)
        image.file = image.file.storage.save(
            named_for_content(name, extension), ContentFile(stored)
        )
        image.save()
        image._store_renditions(stored)
        return image

    @property
    def url(self) -> str:
        return self.file.url

    def _describe(self, data: bytes) -> str:
        """Fill size and hash from the file's bytes; return the extension its format calls for."""
        info = inspect_image(io.BytesIO(data))  # InvalidImage here: a caller skipped validation
        self._cleaned = info.cleaned
        if info.format == SVG:
            self.width, self.height = info.width, info.height
        else:
            self.width, self.height = oriented_size(data)
        self.sha256 = info.sha256
        self.renditions = []
        return info.extension

    _cleaned: bytes | None = None

    @property
    def is_svg(self) -> bool:
        return self.file.name.lower().endswith(".svg")

    def _store_renditions(self, data: bytes) -> None:
        stem, extension = posixpath.splitext(self.file.name)
        storage = self.file.storage
        renditions = []
        if self.is_svg:
            width = settings.MEDIA_SVG_RASTER_WIDTH
            height = max(1, round(self.height * width / max(1, self.width)))
            name = storage.save(f"{stem}-{width}w.png", ContentFile(rasterize_svg(data, width)))
            renditions.append({"width": width, "height": height, "name": name, "raster": True})
        widths = tuple(settings.MEDIA_RENDITION_WIDTHS)
        bitmaps = [] if self.is_svg else make_renditions(data, widths)
        for width, height, encoded in bitmaps:
            name = storage.save(f"{stem}-{width}w{extension}", ContentFile(encoded))
            renditions.append({"width": width, "height": height, "name": name})
        self.renditions = renditions
        Image.objects.filter(pk=self.pk).update(renditions=renditions)

    def strip_stored_metadata(self) -> bool:
        """Clean the files of an image stored before uploads lost their metadata, in place: same
        names, so the URLs posts use keep working. True when a file was rewritten."""
        storage = self.file.storage
        with storage.open(self.file.name) as file:
            data = file.read()
        stored = without_metadata(data)
        renditions_clean = all(
            not has_metadata(_read(storage, rendition["name"])) for rendition in self.renditions
        )
        if stored is data and renditions_clean:
            return False
        _replace(storage, self.file.name, stored)
        widths = tuple(rendition["width"] for rendition in self.renditions)
        remade = {width: encoded for width, _height, encoded in make_renditions(stored, widths)}
        for rendition in self.renditions:
            _replace(storage, rendition["name"], remade[rendition["width"]])
        return True

    def remove_files_on_commit(self) -> None:
        """Delete the original and its renditions from storage once the deletion is committed."""
        storage, names = self.file.storage, self.file_names()

        def remove() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(remove)

    def file_names(self) -> list[str]:
        """The original's and every rendition's storage name."""
        return [self.file.name, *(r["name"] for r in self.renditions)]

    def srcset(self) -> str:
        """`srcset` candidates: every rendition and the original, by width."""
        storage = self.file.storage
        candidates = [
            f"{storage.url(r['name'])} {r['width']}w"
            for r in self.renditions
            if not r.get("raster")
        ]
        candidates.append(f"{self.url} {self.width}w")
        return ", ".join(candidates)

    def thumbnail_url(self) -> str:
        """The narrowest rendition (or the original when it is small already, or an SVG)."""
        if self.renditions and not self.is_svg:
            return self.file.storage.url(self.renditions[0]["name"])
        return self.url

    def raster_name(self) -> str:
        """The storage name of a bitmap of this image: the original, or an SVG's PNG."""
        for rendition in self.renditions:
            if rendition.get("raster"):
                return rendition["name"]
        return self.file.name

    def markdown(self) -> str:
        """What a writer pastes into a post: a figure when there is a caption or a source."""
        alt = self.alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        title = figure_caption(self.caption, self.source)
        if not title:
            return f"![{alt}]({self.url})"
        title = title.replace("\\", "\\\\").replace('"', '\\"')
        return f'![{alt}]({self.url} "{title}")'

    def posts_using(self):
        """Posts whose body or summary contains this image's file (or a rendition's)."""
        Post = apps.get_model("posts", "Post")
        condition = models.Q()
        for name in self.file_names():
            condition |= models.Q(body__contains=name) | models.Q(summary__contains=name)
        return Post.objects.filter(condition).order_by("title")


def _read(storage, name: str) -> bytes:
    with storage.open(name) as file:
        return file.read()


def _replace(storage, name: str, content: bytes) -> None:
    """Overwrite the stored file `name` atomically (a reader gets the old or the new file)."""
    path = storage.path(name)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".strip-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def named_for_content(name: str, extension: str) -> str:
    """The name follows the content: a PNG uploaded as "x.html" is stored as "x.png"."""
    stem, current = posixpath.splitext(name)
    if current.lower() in {extension, ".jpeg"}:
        return name
    return (stem or "image") + extension


def figure_caption(caption: str, source: str) -> str:
    """`Caption (Image source: source)`, the Lil'Log convention; a URL source becomes a link."""
    caption = " ".join(caption.split())
    source = source.strip()
    if source.startswith(("http://", "https://")):
        source = f"<{source}>"
    if source:
        return f"{caption} (Image source: {source})".strip()
    return caption


def refuse_if_used(image: Image) -> None:
    posts = list(image.posts_using())
    if posts:
        titles = ", ".join(f"“{post.title}”" for post in posts)
        raise ImageInUse(
            f"The image “{image}” is used by {titles}; remove it from "
            f"{'that post' if len(posts) == 1 else 'those posts'} first.",
            set(posts),
        )


def with_responsive_images(html: str) -> str:
    """`html` with `srcset`, `sizes`, `width` and `height` on each library image (one query)."""
    base = Image._meta.get_field("file").storage.url("")
    names = {src[len(base) :]: src for src in image_sources(html) if src.startswith(base)}
    if not names:
        return html
    found = {}
    for image in Image.objects.filter(file__in=names):
        found[names[image.file.name]] = ResponsiveImage(image.width, image.height, image.srcset())
    return add_responsive_attributes(html, found)

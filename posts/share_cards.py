"""A post's face when it is shared: one 1200 x 630 PNG per post, made when the post is saved.

The card shows the post's cover (`Post.cover`, a media-library image the writer picks) or, without
one, the first figure of the body: a library image (an SVG through its PNG rendition) or a file
of the site's static files (the demo's drawings); the picture is fitted whole on a white canvas.
A post without figures gets a title card in the site's colours: its name, the title, the author
and the date. `refresh_card()` (run by `posts.signals` once each save is committed) names the
card after what it shows, so an unchanged post keeps its file and a changed one gets a new file
(the old one is removed once the change is committed). `posts.seo.for_post` puts it into `og:image`,
`twitter:image` and the JSON-LD.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from html import unescape
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont, ImageOps

from posts.images import InvalidImage, inspect_image, rasterize_svg
from posts.models import Image, Post

WIDTH, HEIGHT = 1200, 630
MARGIN = 48
CARD_VERSION = "1"  # change to make every card again
FOLDER = "cards"

# The site's palette (static/css/site.css, light scheme).
BACKGROUND = (255, 255, 255)
INK = (28, 30, 33)
MUTED = (95, 102, 112)
ACCENT = (10, 88, 202)

_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]
# A figure's image, inside the zoom link the pipeline wraps it in.
_FIRST_FIGURE = re.compile(
    r'<figure\b[^>]*>\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*?\ssrc="([^"]*)"', re.IGNORECASE
)


def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def first_figure_src(body_html: str) -> str:
    match = _FIRST_FIGURE.search(body_html)
    return unescape(match.group(1)) if match else ""


def picture_source(post: Post) -> str:
    """What the card shows, as a stable name: "image:<pk>", a figure's src, or "" (title)."""
    if post.cover_id:
        return f"image:{post.cover_id}"
    return first_figure_src(post.body_html)


def picture_bytes(source: str) -> bytes | None:
    """A bitmap (PNG, JPEG, ...) of the picture named by `source`, or None if it is not ours."""
    media = default_storage.url("")
    static = "/" + settings.STATIC_URL.lstrip("/")
    if source.startswith("image:"):
        image = Image.objects.filter(pk=source.removeprefix("image:")).first()
        return _library_bitmap(image)
    if source.startswith(media):
        name = source[len(media) :]
        image = Image.objects.filter(file=name).first()
        return _library_bitmap(image)
    if source.startswith(static):
        path = finders.find(source[len(static) :])
        if not path or not Path(path).is_file():
            return None
        data = Path(path).read_bytes()
        info = inspect_image(io.BytesIO(data))
        return rasterize_svg(info.cleaned, WIDTH) if info.cleaned is not None else data
    return None  # another site's image: never fetched


def _library_bitmap(image: Image | None) -> bytes | None:
    if image is None:
        return None
    with image.file.storage.open(image.raster_name()) as file:
        return file.read()


def picture_card(data: bytes) -> bytes:
    """The picture fitted whole, centred on a white 1200 x 630 canvas."""
    with PillowImage.open(io.BytesIO(data)) as opened:
        picture = ImageOps.exif_transpose(opened).convert("RGBA")
    picture = ImageOps.contain(
        picture, (WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN), PillowImage.Resampling.LANCZOS
    )
    canvas = PillowImage.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    at = ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2)
    canvas.paste(picture, at, picture)
    return _png(canvas)


def title_card(title: str, byline: str, site_name: str) -> bytes:
    """The site's name, the title (as large as fits in four lines) and the byline."""
    canvas = PillowImage.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, 20, HEIGHT), fill=ACCENT)
    left = MARGIN + 24
    draw.text((left, MARGIN), site_name, font=_font(34, bold=True), fill=ACCENT)
    for size in (72, 64, 56, 48, 42):
        font = _font(size, bold=True)
        columns = max(8, int((WIDTH - left - MARGIN) / (size * 0.6)))
        lines = textwrap.wrap(title, columns) or [""]
        if len(lines) <= 4 and all(
            draw.textlength(line, font=font) <= WIDTH - left - MARGIN for line in lines
        ):
            break
    lines = lines[:4]
    line_height = round(size * 1.2)
    top = (HEIGHT - line_height * len(lines)) // 2
    for n, line in enumerate(lines):
        draw.text((left, top + n * line_height), line, font=font, fill=INK)
    draw.text((left, HEIGHT - MARGIN - 34), byline, font=_font(30), fill=MUTED)
    return _png(canvas)


def _png(canvas) -> bytes:
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def byline(post: Post) -> str:
    date = post.published_at.strftime("%B %-d, %Y") if post.published_at else "Draft"
    return f"{post.author_name} · {date}" if post.author_id else date


def card_name(post: Post) -> str:
    """Named after everything the card shows, so the name changes exactly when the card does."""
    what = "\n".join(
        [CARD_VERSION, settings.SITE_NAME, post.title, byline(post), picture_source(post)]
    )
    digest = hashlib.sha256(what.encode()).hexdigest()[:16]
    return f"{FOLDER}/{post.pk}-{digest}.png"


def make_card(post: Post) -> bytes:
    source = picture_source(post)
    if source:
        try:
            data = picture_bytes(source)
            if data is not None:
                return picture_card(data)
        except (InvalidImage, OSError, PillowImage.DecompressionBombError):
            pass  # an unreadable picture: the title card instead
    return title_card(post.title, byline(post), settings.SITE_NAME)


def refresh_card_of(post_pk: int) -> bool:
    """Refresh the card of the post as it is stored now; True if the card changed."""
    post = Post.objects.select_related("author").filter(pk=post_pk).first()
    return post is not None and refresh_card(post)


def refresh_card(post: Post) -> bool:
    """Make the post's card if what it shows changed and record its name on the post; True if
    the card changed (pages that name it are then stale)."""
    name = card_name(post)
    if post.card == name and default_storage.exists(name):
        return False
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(make_card(post)))
    old = post.card
    Post.objects.filter(pk=post.pk).update(card=name)
    post.card = name
    if old and old != name:
        transaction.on_commit(lambda: default_storage.delete(old))
    return True

"""Checking uploaded image files and making their smaller renditions, with Pillow.

`inspect_image()` reads an upload and says what it is, or raises `InvalidImage` with a message a
writer can act on: the type is read from the content (the file name is ignored), only JPEG, PNG,
GIF, WebP and SVG are accepted, and files larger than
`MEDIA_MAX_UPLOAD_BYTES` or with more pixels than `MEDIA_MAX_IMAGE_PIXELS` (decompression bombs:
a small file that declares a huge canvas) are refused before any pixel is decoded.

`without_metadata()` is what the library stores: the image without its EXIF (a phone's GPS
position, the camera's make and serial), XMP, comments and text chunks. The EXIF orientation is
applied to the pixels first, so the image still stands upright; the ICC colour profile is kept; a
JPEG is re-encoded with its own quantisation tables and subsampling. An image with none of that
is returned byte for byte.

An SVG is kept only as `sanitize_svg()` leaves it: Cloudflare's svg-hush (through py-svg-hush)
removes scripts, event handlers, `foreignObject`, external references and anything else outside
its allow-list. Its pixel size is read from the cleaned drawing, and `rasterize_svg()` (resvg)
draws a PNG of it where a bitmap is needed (social cards, feeds).

`make_renditions()` returns resized copies at the configured widths, never wider than the
original, in the original's format and colour profile. Animated GIFs get none (resizing would
lose the animation).

`add_responsive_attributes()` gives library images in rendered HTML their `srcset`, `sizes`,
`width` and `height` (a pure function over the sanitized output, run when a post is saved), so
the browser picks a small file on a phone and reserves the image's box before it loads.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape, unescape
from typing import BinaryIO
from xml.etree import ElementTree

import py_svg_hush
import resvg_py
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image as PillowImage
from PIL import ImageOps, ImageSequence, JpegImagePlugin, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")  # bitmaps, read by Pillow
SVG = "SVG"
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp", SVG: ".svg"}
# An SVG without a size of its own is drawn at the browsers' default size for replaced elements.
SVG_DEFAULT_SIZE = (300, 150)
_SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 82, "method": 4},
    "GIF": {"optimize": True},
}


class InvalidImage(ValueError):
    """The file is not an image this site accepts; the message says why."""


@dataclass(frozen=True)
class ImageInfo:
    format: str  # one of ACCEPTED_FORMATS
    width: int
    height: int
    size: int  # bytes
    sha256: str
    animated: bool
    cleaned: bytes | None = None  # an SVG: the sanitised drawing, what is stored

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def _file_size(size: int) -> str:
    return filesizeformat(size).replace("\xa0", " ")


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in text


def _read_all(file: BinaryIO) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if hasattr(file, "seek"):
        file.seek(0)
    return data


def inspect_image(file: BinaryIO) -> ImageInfo:
    """Check an uploaded file; return what it is or raise `InvalidImage`."""
    limit = settings.MEDIA_MAX_UPLOAD_BYTES
    declared_size = getattr(file, "size", None)
    if declared_size is not None and declared_size > limit:
        raise InvalidImage(
            f"The file is {_file_size(declared_size)}; the largest image accepted is "
            f"{_file_size(limit)}."
        )
    data = _read_all(file)
    if len(data) > limit:
        raise InvalidImage(
            f"The file is {_file_size(len(data))}; the largest image accepted is "
            f"{_file_size(limit)}."
        )
    if not data:
        raise InvalidImage("The file is empty.")
    max_pixels = settings.MEDIA_MAX_IMAGE_PIXELS
    if _looks_like_svg(data[:1024]):
        cleaned = sanitize_svg(data)
        width, height = svg_size(cleaned)
        if width * height > max_pixels:
            raise InvalidImage(
                f"The drawing declares {width} x {height} px, more pixels than this site accepts "
                f"({max_pixels:,} at most)."
            )
        return ImageInfo(
            format=SVG,
            width=width,
            height=height,
            size=len(cleaned),
            sha256=hashlib.sha256(data).hexdigest(),
            animated=False,
            cleaned=cleaned,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            image = PillowImage.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = image.size
            if width * height > max_pixels:
                raise PillowImage.DecompressionBombError("over the site's pixel limit")
            image.load()  # decodes every pixel: catches truncated or corrupt files
            image_format = image.format
            animated = bool(getattr(image, "is_animated", False))
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning) as exc:
        raise InvalidImage(
            "The image declares more pixels than this site accepts "
            f"({max_pixels:,} at most); it may be a decompression bomb."
        ) from exc
    except UnidentifiedImageError as exc:
        raise InvalidImage(
            "This file is not a JPEG, PNG, GIF or WebP image (its content was checked, not its "
            "name)."
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidImage("The image file is damaged or incomplete and cannot be read.") from exc
    if image_format not in ACCEPTED_FORMATS:  # pragma: no cover - `formats=` already limits it
        raise InvalidImage("Only JPEG, PNG, GIF and WebP images are accepted.")
    return ImageInfo(
        format=image_format,
        width=width,
        height=height,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        animated=animated,
    )


def sanitize_svg(data: bytes) -> bytes:
    """The drawing without scripts, event handlers, `foreignObject` or external references
    (svg-hush's allow-list); `InvalidImage` when it is not a well-formed SVG."""
    try:
        cleaned = py_svg_hush.filter_svg(data)
        root = ElementTree.fromstring(cleaned)
    except (ValueError, ElementTree.ParseError) as exc:
        raise InvalidImage("This SVG file is not well-formed XML and cannot be read.") from exc
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        raise InvalidImage("This file is not an SVG drawing (its root element is not <svg>).")
    return cleaned


_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def svg_size(cleaned: bytes) -> tuple[int, int]:
    """Pixel size of a sanitised SVG: its width and height in px, else its viewBox's."""
    root = ElementTree.fromstring(cleaned)
    width = _LENGTH.match(root.get("width", ""))
    height = _LENGTH.match(root.get("height", ""))
    if width and height:
        return max(1, round(float(width.group(1)))), max(1, round(float(height.group(1))))
    box = root.get("viewBox", "").replace(",", " ").split()
    try:
        box_width, box_height = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return SVG_DEFAULT_SIZE
    if box_width <= 0 or box_height <= 0:
        return SVG_DEFAULT_SIZE
    if width:
        w = float(width.group(1))
        return max(1, round(w)), max(1, round(w * box_height / box_width))
    return max(1, round(box_width)), max(1, round(box_height))


def rasterize_svg(cleaned: bytes, width: int) -> bytes:
    """A PNG of a sanitised SVG, `width` pixels wide, on a white background."""
    try:
        return bytes(
            resvg_py.svg_to_bytes(
                svg_string=cleaned.decode("utf-8"), width=width, background="#ffffff"
            )
        )
    except Exception as exc:  # resvg raises its own error types for drawings it cannot draw
        raise InvalidImage("This SVG drawing could not be rendered.") from exc


def oriented_size(data: bytes) -> tuple[int, int]:
    """Width and height as a browser shows the image (EXIF orientation applied)."""
    with PillowImage.open(io.BytesIO(data)) as image:
        return ImageOps.exif_transpose(image).size


# What an image may say about itself besides its pixels: EXIF, XMP, IPTC/Photoshop, comments.
_METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "photoshop", "iptc", "comment", "comments")
# What is kept: how the pixels are to be shown (the ICC profile is passed on explicitly).
_KEPT_INFO = ("transparency", "background", "dpi", "duration", "loop", "disposal")


def carries_metadata(image: PillowImage.Image) -> bool:
    return (
        bool(image.getexif())
        or any(key in image.info for key in _METADATA_KEYS)
        or bool(getattr(image, "text", None))  # PNG tEXt/iTXt/zTXt chunks
    )


def has_metadata(data: bytes) -> bool:
    with PillowImage.open(io.BytesIO(data)) as image:
        return carries_metadata(image)


def without_metadata(data: bytes) -> bytes:
    """`data` as stored: no EXIF, XMP, comments or text; orientation applied; colour profile kept.
    Unchanged when there is nothing to remove."""
    with PillowImage.open(io.BytesIO(data)) as original:
        if not carries_metadata(original):
            return data
        image_format = original.format
        options = {**_SAVE_OPTIONS.get(image_format, {}), **_encoding_of(original, data)}
        options = {key: value for key, value in options.items() if value is not None}
        icc_profile = original.info.get("icc_profile")
        if icc_profile:
            options["icc_profile"] = icc_profile
        out = io.BytesIO()
        if getattr(original, "is_animated", False):
            frames = [_bare(frame.copy(), frame.info) for frame in ImageSequence.Iterator(original)]
            durations = [frame.info.get("duration", 0) for frame in frames]
            frames[0].save(
                out, format=image_format, save_all=True, append_images=frames[1:],
                duration=durations, **options,
            )  # fmt: skip
        else:
            upright = ImageOps.exif_transpose(original)
            _bare(upright, original.info).save(out, format=image_format, **options)
        return out.getvalue()


def _bare(image: PillowImage.Image, info: Mapping) -> PillowImage.Image:
    """`image` with only the display information kept (Pillow writes `info["xmp"]` otherwise)."""
    image.info = {key: info[key] for key in _KEPT_INFO if key in info}
    return image


def _encoding_of(original: PillowImage.Image, data: bytes) -> dict:
    """Save options that keep the original's quality: a JPEG's own tables, a WebP's losslessness."""
    if original.format == "JPEG":
        # No `quality`: with `qtables` Pillow would scale the tables by it; these are used as is.
        options = {
            "quality": None,
            "qtables": original.quantization,
            "progressive": "progressive" in original.info,
        }
        subsampling = JpegImagePlugin.get_sampling(original)
        if subsampling >= 0:
            options["subsampling"] = subsampling
        return options
    if original.format == "WEBP":
        return {"lossless": True} if b"VP8L" in _webp_chunk_names(data) else {"quality": 90}
    return {}


def _webp_chunk_names(data: bytes) -> list[bytes]:
    names, offset = [], 12  # after "RIFF", the size and "WEBP"
    while offset + 8 <= len(data):
        name, size = (
            data[offset : offset + 4],
            int.from_bytes(data[offset + 4 : offset + 8], "little"),
        )
        names.append(name)
        offset += 8 + size + (size & 1)
    return names


def make_renditions(data: bytes, widths: tuple[int, ...]) -> list[tuple[int, int, bytes]]:
    """Smaller copies of an accepted image: `(width, height, encoded bytes)` for each width that is
    narrower than the original. Same format as the original; none for an animated GIF."""
    with PillowImage.open(io.BytesIO(data)) as original:
        image_format = original.format
        if getattr(original, "is_animated", False) or image_format not in _SAVE_OPTIONS:
            return []
        upright = ImageOps.exif_transpose(original)
        icc_profile = original.info.get("icc_profile")
        profile = {"icc_profile": icc_profile} if icc_profile else {}  # colours as the original's
        if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        elif upright.mode == "P":
            upright = upright.convert("RGBA")
        renditions = []
        for width in sorted(set(widths)):
            if width >= upright.width:
                continue
            height = max(1, round(upright.height * width / upright.width))
            resized = upright.resize((width, height), PillowImage.Resampling.LANCZOS)
            out = io.BytesIO()
            resized.save(out, format=image_format, **_SAVE_OPTIONS[image_format], **profile)
            renditions.append((width, height, out.getvalue()))
        return renditions


# The post column is at most about 50em wide; wider screens still get a ~960 px image.
SIZES = "(max-width: 960px) 100vw, 960px"

_IMG = re.compile(r"<img\b([^<>]*?)\s*/?>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"', re.IGNORECASE)
_HAS = re.compile(r"\s(srcset|width|height)=", re.IGNORECASE)


@dataclass(frozen=True)
class ResponsiveImage:
    width: int
    height: int
    srcset: str


def image_sources(html: str) -> list[str]:
    """Every `<img src>` in `html`, unescaped, in order."""
    sources = []
    for tag in _IMG.finditer(html):
        src = _SRC.search(tag.group(0))
        if src:
            sources.append(unescape(src.group(1)))
    return sources


def add_responsive_attributes(html: str, images: Mapping[str, ResponsiveImage]) -> str:
    """Add size and `srcset` attributes to every `<img>` whose src is a key of `images`."""
    if not images:
        return html

    def replace(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        image = images.get(unescape(src.group(1))) if src else None
        if image is None or _HAS.search(tag):
            return tag
        extra = (
            f' width="{image.width}" height="{image.height}"'
            f' srcset="{escape(image.srcset)}" sizes="{SIZES}"'
        )
        return f"<img{match.group(1)}{extra}>"

    return _IMG.sub(replace, html)

"""Real image files made with Pillow, for the media library and import tests."""

import functools
import io
import struct
import zlib

from PIL import Image as PillowImage


def image_bytes(width=2000, height=1000, fmt="PNG", color=(30, 120, 200)) -> bytes:
    """An image with a gradient (so encoders cannot shrink it to nothing)."""
    mode = "RGB"
    image = PillowImage.new(mode, (width, height), color)
    for x in range(0, width, max(1, width // 50)):
        for y in range(0, height, max(1, height // 50)):
            image.putpixel((x, y), ((x * 7) % 256, (y * 3) % 256, 90))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def decompression_bomb_png(width=100_000, height=100_000) -> bytes:
    """A tiny valid-looking PNG whose header declares a huge canvas (10 gigapixels)."""
    small = image_bytes(8, 8)
    ihdr_start = 8  # after the PNG signature: length(4) type(4) data(13) crc(4)
    data = bytearray(small)
    header = struct.pack(">II", width, height) + bytes(data[ihdr_start + 16 : ihdr_start + 21])
    data[ihdr_start + 8 : ihdr_start + 21] = header
    crc = zlib.crc32(b"IHDR" + header) & 0xFFFFFFFF
    data[ihdr_start + 21 : ihdr_start + 25] = struct.pack(">I", crc)
    return bytes(data)


# A drawing with every way an SVG carries code or reaches out: a script element, event handlers, a
# javascript: link, an external image and stylesheet, and a foreignObject holding HTML.
HOSTILE_SVG = (
    b'<?xml version="1.0"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="200" height="100" viewBox="0 0 200 100" onload="alert(1)">'
    b"<script>alert(2)</script>"
    b'<rect width="200" height="100" fill="#3366cc" onclick="alert(3)"/>'
    b'<a xlink:href="javascript:alert(4)"><text x="10" y="50">Attention</text></a>'
    b'<image href="https://tracker.example/pixel.png" width="1" height="1"/>'
    b'<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">'
    b"<iframe src='https://evil.example/'></iframe></div></foreignObject>"
    b"</svg>"
)

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def photo_exif(orientation=1):
    """EXIF as a phone writes it: camera make, GPS position (Paris) and the orientation."""
    exif = PillowImage.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    return exif


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (made once: its header carries the time it was made)."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def marked_image(width=400, height=200, mode="RGB"):
    """Red, with a green block in the top-left corner (to see where a rotation put it)."""
    image = PillowImage.new(
        mode, (width, height), (200, 20, 20) + ((255,) if mode == "RGBA" else ())
    )
    block = PillowImage.new(
        mode, (width // 4, height // 4), (20, 200, 20) + ((128,) if mode == "RGBA" else ())
    )
    image.paste(block, (0, 0))
    return image


def phone_photo(orientation=6, fmt="JPEG") -> bytes:
    """A photo with GPS, camera make, XMP, an orientation that needs a 90° turn, and a profile."""
    out = io.BytesIO()
    marked_image().save(
        out, format=fmt, exif=photo_exif(orientation), icc_profile=srgb_profile(),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPS 48.8584 2.2945</x:xmpmeta>',
        **({"quality": 92} if fmt == "JPEG" else {}),
    )  # fmt: skip
    return out.getvalue()

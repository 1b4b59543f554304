"""Real image files made with Pillow, for the media library and import tests."""

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


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)

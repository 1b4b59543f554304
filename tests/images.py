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

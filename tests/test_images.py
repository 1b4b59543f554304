import io

import pytest
from PIL import Image as PillowImage
from PIL import PngImagePlugin

from posts.images import (
    InvalidImage,
    inspect_image,
    make_renditions,
    rasterize_svg,
    svg_size,
    without_metadata,
)
from tests.images import (
    HOSTILE_SVG,
    SVG_WITH_SCRIPT,
    decompression_bomb_png,
    image_bytes,
    marked_image,
    phone_photo,
    photo_exif,
    srgb_profile,
)


@pytest.mark.parametrize(
    ("fmt", "expected"), [("PNG", "PNG"), ("JPEG", "JPEG"), ("GIF", "GIF"), ("WEBP", "WEBP")]
)
def test_accepted_formats_are_read_from_the_content(fmt, expected):
    info = inspect_image(io.BytesIO(image_bytes(64, 32, fmt)))
    assert (info.format, info.width, info.height) == (expected, 64, 32)
    assert len(info.sha256) == 64


def test_a_text_file_named_png_is_refused():
    with pytest.raises(InvalidImage, match="not a JPEG, PNG, GIF or WebP image"):
        inspect_image(io.BytesIO(b"just some notes, not pixels\n" * 10))


def test_another_image_format_is_refused():
    with pytest.raises(InvalidImage, match="not a JPEG, PNG, GIF or WebP"):
        inspect_image(io.BytesIO(image_bytes(10, 10, "BMP")))


def test_an_svg_is_accepted_without_its_script():
    info = inspect_image(io.BytesIO(SVG_WITH_SCRIPT))
    assert (info.format, info.width, info.height, info.extension) == ("SVG", 10, 10, ".svg")
    assert b"<script" not in info.cleaned
    assert b"alert" not in info.cleaned
    assert b"<rect" in info.cleaned


def test_an_svg_keeps_its_drawing_and_loses_every_way_to_run_code_or_reach_out():
    cleaned = inspect_image(io.BytesIO(HOSTILE_SVG)).cleaned.decode()
    lowered = cleaned.lower()
    for forbidden in (
        "<script",
        "onload",
        "onclick",
        "javascript:",
        "foreignobject",
        "iframe",
        "tracker.example",
        "evil.example",
        "http://",
        "https://",
    ):
        assert forbidden not in lowered.replace("http://www.w3.org/2000/svg", ""), forbidden
    assert "<rect" in cleaned and "Attention" in cleaned


@pytest.mark.parametrize(
    ("svg", "size"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="640px" height="220"/>', (640, 220)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"/>', (40, 20)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="80" viewBox="0 0 40 20"/>', (80, 40)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="50%"/>', (300, 150)),
    ],
)
def test_an_svgs_pixel_size_comes_from_its_size_or_view_box(svg, size):
    assert svg_size(svg) == size


@pytest.mark.parametrize(
    "data",
    [b"<svg xmlns='http://www.w3.org/2000/svg'><rect", b"<?xml version='1.0'?><svg><unclosed>"],
)
def test_a_broken_svg_is_refused(data):
    with pytest.raises(InvalidImage, match="SVG"):
        inspect_image(io.BytesIO(data))


def test_an_svg_declaring_a_huge_canvas_is_refused(settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 1_000_000
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>'
    with pytest.raises(InvalidImage, match="more pixels than this site accepts"):
        inspect_image(io.BytesIO(svg))


def test_an_svg_is_rasterised_to_a_png_of_the_asked_width():
    cleaned = inspect_image(io.BytesIO(HOSTILE_SVG)).cleaned
    with PillowImage.open(io.BytesIO(rasterize_svg(cleaned, 1200))) as png:
        assert (png.format, png.size) == ("PNG", (1200, 600))
        assert png.convert("RGB").getpixel((600, 10)) == (0x33, 0x66, 0xCC)  # the rect is drawn


def test_an_oversized_file_is_refused(settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 2000
    data = image_bytes(400, 400)
    assert len(data) > 2000
    with pytest.raises(InvalidImage, match=r"the largest image accepted is 2\.0 KB"):
        inspect_image(io.BytesIO(data))


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = decompression_bomb_png()
    assert len(bomb) < 1000
    with pytest.raises(InvalidImage, match="decompression bomb"):
        inspect_image(io.BytesIO(bomb))


def test_the_site_pixel_limit_applies_below_pillows_own(settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 100 * 100
    with pytest.raises(InvalidImage, match="10,000 at most"):
        inspect_image(io.BytesIO(image_bytes(101, 100)))
    assert inspect_image(io.BytesIO(image_bytes(100, 100))).width == 100


def test_a_truncated_image_is_refused():
    data = image_bytes(300, 300, "JPEG")
    with pytest.raises(InvalidImage, match="damaged or incomplete"):
        inspect_image(io.BytesIO(data[: len(data) // 2]))


def test_an_empty_file_is_refused():
    with pytest.raises(InvalidImage, match="empty"):
        inspect_image(io.BytesIO(b""))


def _widths(renditions):
    return [(w, h) for w, h, _data in renditions]


def test_renditions_at_each_narrower_width_keep_the_aspect_ratio_and_format():
    renditions = make_renditions(image_bytes(2000, 1000, "JPEG"), (480, 960, 1600))
    assert _widths(renditions) == [(480, 240), (960, 480), (1600, 800)]
    for width, height, data in renditions:
        with PillowImage.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert image.size == (width, height)


def test_renditions_never_upscale():
    assert _widths(make_renditions(image_bytes(700, 350), (480, 960, 1600))) == [(480, 240)]
    assert make_renditions(image_bytes(480, 100), (480, 960)) == []


def test_an_animated_gif_keeps_only_its_original():
    frames = [PillowImage.new("P", (1000, 500), color) for color in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    assert make_renditions(out.getvalue(), (480,)) == []


# Stored images carry no metadata (where a photo was taken, with what), stand upright and keep
# their colour profile.


def _opened(data):
    return PillowImage.open(io.BytesIO(data))


def _green(pixel):
    return pixel[1] > 150 and pixel[0] < 80


def test_a_phone_photo_loses_its_gps_camera_and_xmp_but_stays_upright_with_its_profile():
    original = phone_photo(orientation=6)  # shown turned 90° clockwise
    assert b"PhoneMaker" in original and b"48.8584" in original

    stored = without_metadata(original)

    image = _opened(stored)
    assert dict(image.getexif()) == {}
    assert "xmp" not in image.info and "exif" not in image.info
    assert b"PhoneMaker" not in stored and b"48.8584" not in stored
    assert image.info["icc_profile"] == srgb_profile()
    assert image.size == (200, 400)  # the orientation is in the pixels now
    assert _green(image.getpixel((190, 10))) and not _green(image.getpixel((10, 10)))
    assert image.quantization == _opened(original).quantization  # the JPEG's own quality


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_exif(fmt):
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo() if fmt == "PNG" else None
    if info:
        info.add_text("Comment", "taken at home, 48.8584 2.2945")
    marked_image(mode="RGBA").save(
        out, format=fmt, exif=photo_exif(), icc_profile=srgb_profile(), lossless=True,
        **({"pnginfo": info} if info else {}),
    )  # fmt: skip

    stored = without_metadata(out.getvalue())

    image = _opened(stored)
    assert dict(image.getexif()) == {} and b"PhoneMaker" not in stored and b"48.8584" not in stored
    assert image.info["icc_profile"] == srgb_profile()
    assert image.mode == "RGBA" and image.getpixel((10, 10)) == (20, 200, 20, 128)


def test_an_animated_gif_loses_its_comment_and_keeps_its_frames():
    colours = [(200, 20, 20), (20, 200, 20), (20, 20, 200)]
    frames = [PillowImage.new("RGB", (60, 30), colour).convert("P") for colour in colours]
    out = io.BytesIO()
    frames[0].save(
        out, format="GIF", save_all=True, append_images=frames[1:], duration=120, loop=0,
        comment=b"shot at 48.8584 2.2945",
    )  # fmt: skip

    stored = without_metadata(out.getvalue())

    image = _opened(stored)
    assert b"48.8584" not in stored
    assert image.n_frames == 3 and image.info["duration"] == 120 and image.info["loop"] == 0
    image.seek(2)
    assert image.convert("RGB").getpixel((5, 5))[2] > 150


def test_an_image_without_metadata_is_stored_byte_for_byte():
    data = image_bytes(300, 200, fmt="JPEG")
    assert without_metadata(data) is data
    clean = without_metadata(phone_photo())
    assert without_metadata(clean) is clean

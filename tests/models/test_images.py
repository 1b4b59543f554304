import hashlib
import io
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PillowImage

from posts.models.images import Image, ImageInUse
from tests.images import (
    decompression_bomb_png,
    image_bytes,
    marked_image,
    phone_photo,
    photo_exif,
    srgb_profile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(media_root, author):
    def make(name="diagram.png", data=None, **fields):
        fields.setdefault("alt", "A diagram")
        data = image_bytes() if data is None else data
        image = Image(file=SimpleUploadedFile(name, data), uploaded_by=author, **fields)
        image.full_clean()
        image.save()
        return image

    return make


def test_upload_is_stored_by_month_with_size_hash_and_renditions(upload, media_root):
    image = upload()
    month = timezone.now().strftime("%Y/%m")
    assert image.file.name == f"images/{month}/diagram.png"
    assert (media_root / image.file.name).is_file()
    assert (image.width, image.height) == (2000, 1000)
    assert len(image.sha256) == 64
    assert [r["width"] for r in image.renditions] == [480, 960, 1600]
    for rendition in image.renditions:
        with PillowImage.open(media_root / rendition["name"]) as stored:
            assert stored.size == (rendition["width"], rendition["height"])
    assert Image.objects.get().renditions == image.renditions


def test_srcset_lists_renditions_and_the_original(upload):
    image = upload()
    base = f"/media/images/{timezone.now():%Y/%m}/diagram"
    assert image.srcset() == (
        f"{base}-480w.png 480w, {base}-960w.png 960w, {base}-1600w.png 1600w, {base}.png 2000w"
    )
    assert image.thumbnail_url() == f"{base}-480w.png"


def test_a_small_image_has_no_renditions(upload):
    image = upload(data=image_bytes(300, 200))
    assert image.renditions == []
    assert image.srcset() == f"{image.url} 300w"


def test_the_stored_name_follows_the_content_not_the_uploaded_name(upload):
    image = upload(name="photo.html", data=image_bytes(100, 100, "JPEG"))
    assert image.file.name.endswith("/photo.jpg")


def test_alt_text_is_required(media_root):
    image = Image(file=SimpleUploadedFile("a.png", image_bytes(50, 50)), alt="")
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert "alt" in error.value.message_dict


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"plain text pretending to be a PNG", "not a JPEG, PNG, GIF or WebP image"),
        (decompression_bomb_png(), "decompression bomb"),
    ],
)
def test_invalid_files_fail_validation_with_a_clear_message(media_root, data, message):
    image = Image(file=SimpleUploadedFile("a.png", data), alt="x")
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert message in " ".join(error.value.message_dict["file"])


def test_markdown_is_a_figure_with_caption_and_source(upload):
    image = upload(alt="The [big] picture", caption='A "quoted" *caption*', source="Weng, 2021")
    assert image.markdown() == (
        f'![The \\[big\\] picture]({image.url} "A \\"quoted\\" *caption* '
        '(Image source: Weng, 2021)")'
    )


def test_markdown_links_a_url_source_and_is_plain_without_caption(upload):
    linked = upload(caption="Cap", source="https://arxiv.org/abs/1706.03762")
    assert linked.markdown().endswith('"Cap (Image source: <https://arxiv.org/abs/1706.03762>)")')
    plain = upload(name="b.png", alt="B")
    assert plain.markdown() == f"![B]({plain.url})"


def test_the_pipeline_renders_the_copied_markdown_as_a_figure_with_srcset(upload, make_post):
    image = upload(caption="The architecture", source="https://example.org/paper")
    post = make_post(body=f"Intro.\n\n{image.markdown()}\n\nMore.")
    assert '<figure id="c-fig-1">' in post.body_html
    assert f'srcset="{image.srcset()}"' in post.body_html
    assert 'width="2000" height="1000"' in post.body_html
    assert 'href="https://example.org/paper"' in post.body_html


def test_an_image_used_by_a_post_cannot_be_deleted(upload, make_post, media_root):
    image = upload()
    make_post(title="Attention", body=f"See ![x]({image.url}).")
    with pytest.raises(ImageInUse, match="used by “Attention”"):
        image.delete()
    with pytest.raises(ImageInUse):
        Image.objects.all().delete()
    assert Image.objects.filter(pk=image.pk).exists()
    assert (media_root / image.file.name).is_file()


def test_a_rendition_url_in_a_summary_also_counts_as_use(upload, make_post):
    image = upload()
    rendition = image.file.storage.url(image.renditions[0]["name"])
    post = make_post(summary=f"![x]({rendition})")
    assert list(image.posts_using()) == [post]


def test_deleting_an_unused_image_removes_its_files(
    upload, media_root, django_capture_on_commit_callbacks
):
    image = upload()
    names = image.file_names()
    assert len(names) == 4
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any((media_root / name).exists() for name in names)


def test_image_bytes_helper_is_a_real_png():
    with PillowImage.open(io.BytesIO(image_bytes(20, 10))) as image:
        assert (image.format, image.size) == ("PNG", (20, 10))


def test_an_uploaded_phone_photo_is_stored_and_rendered_without_its_gps(upload, media_root):
    original = phone_photo(orientation=6)
    big = io.BytesIO()
    marked_image(2000, 1000).save(
        big, format="JPEG", exif=photo_exif(6), icc_profile=srgb_profile()
    )

    for data in (original, big.getvalue()):
        image = upload(name="holiday.jpg", data=data)

        files = [image.file.name, *(r["name"] for r in image.renditions)]
        for name in files:
            stored = (media_root / name).read_bytes()
            with PillowImage.open(media_root / name) as opened:
                assert dict(opened.getexif()) == {}, name
                assert opened.info.get("icc_profile") == srgb_profile(), name
                assert opened.height > opened.width, name  # upright as the phone showed it
            assert b"PhoneMaker" not in stored and b"48.8584" not in stored, name
        assert image.height > image.width
        assert image.sha256 == hashlib.sha256(data).hexdigest()  # a re-import finds it
    assert len(image.renditions) == 2  # 480 and 960 wide, of 1000 upright pixels


def test_images_stored_before_are_cleaned_in_place_by_a_command(upload, media_root):
    image = upload(name="old.jpg", data=image_bytes(2000, 1000, fmt="JPEG"))
    names = image.file_names()
    # As an upload made before stored files lost their metadata: EXIF with GPS everywhere.
    for name in names:
        with PillowImage.open(media_root / name) as stored:
            out = io.BytesIO()
            stored.save(out, format="JPEG", exif=photo_exif(1), icc_profile=srgb_profile())
        (media_root / name).write_bytes(out.getvalue())
    out = StringIO()

    call_command("strip_image_metadata", stdout=out)

    assert out.getvalue().strip() == "Removed metadata from 1 of 1 images."
    image.refresh_from_db()
    assert image.file_names() == names  # the URLs posts use are unchanged
    for name in names:
        stored = (media_root / name).read_bytes()
        assert b"PhoneMaker" not in stored and b"48.8584" not in stored, name
        with PillowImage.open(media_root / name) as opened:
            assert dict(opened.getexif()) == {}
            assert opened.info.get("icc_profile") == srgb_profile()
    again = StringIO()
    call_command("strip_image_metadata", stdout=again)
    assert again.getvalue().strip() == "Removed metadata from 0 of 1 images."

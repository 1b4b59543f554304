import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from posts.models.images import Image
from tests.images import HOSTILE_SVG, decompression_bomb_png, image_bytes

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:posts_image_add")
LIST_URL = reverse("admin:posts_image_changelist")


def _upload(client, name="fig.png", data=None, alt="A figure", caption="", source=""):
    data = image_bytes() if data is None else data
    return client.post(
        ADD_URL,
        {
            "file": SimpleUploadedFile(name, data),
            "alt": alt,
            "caption": caption,
            "source": source,
        },
    )


@pytest.fixture
def image(writer_client, media_root):
    _upload(writer_client, caption="Self-attention", source="Vaswani et al., 2017")
    return Image.objects.get()


def test_upload_creates_the_image_with_its_uploader_and_renditions(writer_client, writer, image):
    assert image.uploaded_by == writer
    assert [r["width"] for r in image.renditions] == [480, 960, 1600]
    assert image.caption == "Self-attention"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.png", b"these are notes, not an image\n", "not a JPEG, PNG, GIF or WebP image"),
        ("bomb.png", decompression_bomb_png(), "it may be a decompression bomb"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><rect", "not well-formed"),
    ],
)
def test_bad_uploads_are_form_errors_and_keep_the_typed_text(
    writer_client, media_root, name, data, message
):
    response = _upload(writer_client, name=name, data=data, alt="My careful alt text")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "My careful alt text" in response.content.decode()
    assert not Image.objects.exists()


def test_an_oversized_upload_is_a_form_error(writer_client, media_root, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 5000
    response = _upload(writer_client)
    assert response.status_code == 200
    assert "the largest image accepted is 4.9 KB" in response.content.decode()
    assert not Image.objects.exists()


def test_alt_text_is_required_in_the_form(writer_client, media_root):
    response = _upload(writer_client, alt="")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["alt"] == ["This field is required."]
    assert not Image.objects.exists()


def test_list_shows_thumbnails_and_copy_markdown_button_with_its_script(writer_client, image):
    page = writer_client.get(LIST_URL).content.decode()
    assert f'class="media-thumbnail" src="{image.thumbnail_url()}"' in page
    assert 'class="button copy-markdown"' in page
    assert "/static/js/admin_copy_markdown.js" in page
    assert " onclick=" not in page
    escaped = image.markdown().replace('"', "&quot;")
    assert f'data-markdown="{escaped}"' in page


def test_search_by_alt_and_caption(writer_client, media_root):
    _upload(writer_client, name="a.png", alt="Transformer block", caption="Encoder")
    _upload(writer_client, name="b.png", alt="Diffusion chain", caption="Forward process")
    found = writer_client.get(LIST_URL, {"q": "transformer"}).context["cl"].result_list
    assert [i.alt for i in found] == ["Transformer block"]
    found = writer_client.get(LIST_URL, {"q": "forward"}).context["cl"].result_list
    assert [i.alt for i in found] == ["Diffusion chain"]


def test_change_page_shows_usage_and_keeps_the_file_fixed(writer_client, image, make_post):
    make_post(title="Attention? Attention!", body=image.markdown())
    page = writer_client.get(reverse("admin:posts_image_change", args=[image.pk])).content
    assert "Attention? Attention!" in page.decode()
    assert b'type="file"' not in page


def test_deleting_a_used_image_is_refused_with_the_post_named(writer_client, image, make_post):
    make_post(title="Attention? Attention!", body=f"![x]({image.url})")
    url = reverse("admin:posts_image_delete", args=[image.pk])
    response = writer_client.post(url, {"post": "yes"}, follow=True)
    assert "cannot be deleted: it is used by “Attention? Attention!”" in response.content.decode()
    assert Image.objects.filter(pk=image.pk).exists()


def test_bulk_delete_is_refused_when_any_selected_image_is_used(writer_client, image, make_post):
    _upload(writer_client, name="unused.png", alt="Unused")
    make_post(title="Uses it", body=f"![x]({image.url})")
    data = {
        "action": "delete_selected",
        ACTION_CHECKBOX_NAME: [str(pk) for pk in Image.objects.values_list("pk", flat=True)],
        "post": "yes",
    }
    response = writer_client.post(LIST_URL, data, follow=True)
    assert "it is used by “Uses it”" in response.content.decode()
    assert Image.objects.count() == 2


def test_bulk_delete_of_unused_images_works(writer_client, image):
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(image.pk)]}
    confirm = writer_client.post(LIST_URL, data)
    assert confirm.status_code == 200
    writer_client.post(LIST_URL, {**data, "post": "yes"})
    assert not Image.objects.exists()


def test_deleting_an_unused_image_through_the_admin(writer_client, image):
    url = reverse("admin:posts_image_delete", args=[image.pk])
    assert writer_client.get(url).status_code == 200
    writer_client.post(url, {"post": "yes"})
    assert not Image.objects.exists()


def test_an_svg_is_stored_sanitised_with_a_png_rendition(writer_client, media_root):
    response = _upload(writer_client, name="model.svg", data=HOSTILE_SVG, alt="The model")
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file.name.endswith(".svg")
    stored = image.file.read()
    assert b"<script" not in stored and b"onload" not in stored and b"foreignObject" not in stored
    assert (image.width, image.height) == (200, 100)
    assert image.raster_name().endswith("-1200w.png")
    assert image.srcset() == f"{image.url} 200w"  # the drawing scales itself
    with image.file.storage.open(image.raster_name()) as raster:
        assert raster.read(8) == b"\x89PNG\r\n\x1a\n"
    assert image.thumbnail_url() == image.url

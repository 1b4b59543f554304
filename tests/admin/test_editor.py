"""The editor's endpoints: the image upload (JSON, staff only, CSRF-protected, the library's
checks) and the bibliography keys for completion."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from posts.models import Reference
from posts.models.images import Image
from tests.images import HOSTILE_SVG, decompression_bomb_png, image_bytes

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("admin:posts_image_upload")
REFERENCES_URL = reverse("admin:posts_post_editor_references")


def upload(client, data=None, name="plot.png", alt="A loss curve", caption=""):
    data = image_bytes(320, 160) if data is None else data
    return client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile(name, data), "alt": alt, "caption": caption}
    )


def test_an_upload_answers_the_new_images_markdown(writer_client, writer, media_root):
    response = upload(writer_client, caption="Training loss.")
    assert response.status_code == 201
    image = Image.objects.get()
    assert image.uploaded_by == writer
    assert response.json() == {
        "id": image.pk,
        "url": image.url,
        "alt": "A loss curve",
        "markdown": f'![A loss curve]({image.url} "Training loss.")',
    }


@pytest.mark.parametrize(
    ("data", "alt", "message"),
    [
        (b"not an image", "Alt", "not a JPEG, PNG, GIF or WebP image"),
        (decompression_bomb_png(), "Alt", "decompression bomb"),
        (None, "", "This field is required"),
    ],
)
def test_a_refused_upload_says_why_in_json(writer_client, media_root, data, alt, message):
    response = upload(writer_client, data=data, alt=alt)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Image.objects.exists()


def test_an_svg_upload_is_stored_without_its_scripts(writer_client, media_root):
    response = upload(writer_client, data=HOSTILE_SVG, name="model.svg", alt="The model")
    assert response.status_code == 201
    stored = Image.objects.get().file.read()
    assert b"<script" not in stored and b"onload" not in stored


def test_only_staff_may_upload(client, django_user_model, media_root):
    assert upload(client).status_code == 302  # to the admin's sign-in
    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)
    assert upload(client).status_code == 302
    assert not Image.objects.exists()


def test_staff_without_the_add_permission_are_refused(django_user_model, media_root):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert upload(client).status_code == 403
    assert not Image.objects.exists()


def test_an_upload_needs_the_csrf_token(writer, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    assert upload(client).status_code == 403
    assert not Image.objects.exists()


def test_get_is_not_an_upload(writer_client):
    assert writer_client.get(UPLOAD_URL).status_code == 405


def test_the_bibliography_keys_for_completion(writer_client):
    Reference.objects.create(key="vaswani2017", authors="Vaswani, A.", title="Attention", year=2017)
    Reference.objects.create(key="adam", authors="Kingma, D.", title="Adam")
    response = writer_client.get(REFERENCES_URL)
    assert response.json() == {
        "references": [
            {"key": "adam", "title": "Adam"},
            {"key": "vaswani2017", "title": "Attention (2017)"},
        ]
    }


def test_the_keys_are_for_staff_only(client):
    assert client.get(REFERENCES_URL).status_code == 302


def test_the_change_form_offers_the_editor_its_endpoints(writer_client, post):
    page = writer_client.get(reverse("admin:posts_post_change", args=[post.pk])).content.decode()
    assert f'data-upload-url="{UPLOAD_URL}"' in page
    assert f'data-references-url="{REFERENCES_URL}"' in page
    assert 'id="nav-sidebar"' not in page

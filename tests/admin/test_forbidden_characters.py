"""The admin refuses characters XML 1.0 forbids in everything a writer types (a post's title,
summary, body and tags, its update notes and old URLs, series, tags, references, images, a
writer's name), with an error on the field that says which character and where, and keeps
everything else that was typed. Tab and newline stay welcome."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from posts.admin.text_fields import XmlTextFields
from posts.models import Post, PostAlias, Reference, Series, Tag, UpdateNote
from posts.models.images import Image
from tests.admin.test_bibliography import reference_form
from tests.admin.test_post_admin import ADD_URL, post_form
from tests.admin_form_data import form_data
from tests.images import image_bytes

pytestmark = pytest.mark.django_db

FORBIDDEN = ["\x01", "\x0b", "\x1f", "\ufffe", "\uffff"]


def errors_of(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors


@pytest.mark.parametrize("char", FORBIDDEN)
@pytest.mark.parametrize("field", ["title", "summary", "tags"])
def test_a_post_field_with_a_forbidden_character_is_a_form_error(
    writer_client, writer, field, char
):
    typed = post_form(author=writer.pk, body="My precious text.", tags="kept tag")
    typed[field] = f"Atten{char}tion"
    response = writer_client.post(ADD_URL, typed)
    [error] = errors_of(response)[field]
    assert error == (
        f"Remove the invisible control character U+{ord(char):04X} (character 6): "
        "pages and feeds cannot carry it."
    )
    html = response.content.decode()
    assert error in html  # shown on the form (escaped text equals its source here)
    assert "My precious text." in html
    assert "kept tag" in html or field == "tags"
    assert not Post.objects.exists() and not Tag.objects.exists()


def test_a_null_character_is_refused_too(writer_client, writer):
    response = writer_client.post(ADD_URL, post_form(author=writer.pk, title="A\x00B"))
    assert errors_of(response)["title"]
    assert not Post.objects.exists()


def test_tab_and_newline_are_text(writer_client, writer):
    response = writer_client.post(
        ADD_URL, post_form(author=writer.pk, title="A\tB", summary="One\r\nTwo")
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.title, post.summary) == ("A\tB", "One\r\nTwo")


@pytest.mark.parametrize("char", FORBIDDEN)
def test_a_tag_name_with_a_forbidden_character_is_a_form_error(writer_client, char):
    tag = Tag.objects.create(name="Robotics", description="Old")
    url = reverse("admin:posts_tag_change", args=[tag.pk])
    response = writer_client.post(
        url, {"name": f"Robo{char}tics", "slug": tag.slug, "description": "Typed **text**."}
    )
    assert errors_of(response)["name"][0].startswith("Remove the invisible control character U+")
    assert "Typed **text**." in response.content.decode()
    assert Tag.objects.get(pk=tag.pk).name == "Robotics"


@pytest.mark.parametrize("char", FORBIDDEN)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_writer_name_with_a_forbidden_character_is_a_form_error(
    writer_client, writer, field, char
):
    url = reverse("admin:auth_user_change", args=[writer.pk])
    data = {
        "username": writer.username,
        "first_name": "Ann",
        "last_name": "Author",
        "email": "typed@example.com",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2020-01-01",
        "initial-date_joined_1": "10:00:00",
    }
    data[field] = f"An{char}n"
    response = writer_client.post(url, data)
    assert errors_of(response)[field][0].startswith("Remove the invisible control character U+")
    assert "typed@example.com" in response.content.decode()
    writer.refresh_from_db()
    assert (writer.first_name, writer.last_name, writer.email) == ("Ann", "", "ann@example.com")


def test_a_writer_name_without_one_is_saved(writer_client, writer):
    url = reverse("admin:auth_user_change", args=[writer.pk])
    data = {
        "username": writer.username,
        "first_name": "Ann",
        "last_name": "Author\tSmith",
        "email": "ann@example.com",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "10:00:00",
    }
    assert writer_client.post(url, data).status_code == 302
    writer.refresh_from_db()
    assert writer.last_name == "Author\tSmith"


def message(char, place):
    return (
        f"Remove the invisible control character U+{ord(char):04X} ({place}): "
        "pages and feeds cannot carry it."
    )


BODY = "# Heading\r\n\r\nMy precious text,\r\nall of it."


# (A lone surrogate cannot come from a browser: UTF-8 has no bytes for it.)
@pytest.mark.parametrize("char", [*FORBIDDEN, "\x00"])
def test_a_body_with_a_forbidden_character_is_an_error_naming_its_line_and_column(
    writer_client, writer, char
):
    body = BODY.replace("all of", f"all{char} of")
    response = writer_client.post(ADD_URL, post_form(author=writer.pk, body=body, tags="kept"))
    [error] = errors_of(response)["body"]
    assert error == message(char, "line 4, column 4")
    form = response.context["adminform"].form
    assert form["body"].value() == body  # the text stays in the form, as typed
    assert "My precious text," in response.content.decode()
    assert not Post.objects.exists()


def test_a_summary_of_several_lines_says_line_and_column(writer_client, writer):
    summary = "First line.\r\nSecond\x0c line."
    response = writer_client.post(ADD_URL, post_form(author=writer.pk, summary=summary))
    assert errors_of(response)["summary"] == [message("\x0c", "line 2, column 7")]


def test_a_body_with_tabs_newlines_and_any_other_character_is_saved(writer_client, writer):
    body = "Tab\there,\r\nemoji 🙂, U+FFFD \ufffd, a\u00a0no-break space, U+10FFFF \U0010ffff."
    response = writer_client.post(ADD_URL, post_form(author=writer.pk, body=body))
    assert response.status_code == 302
    assert Post.objects.get().body == body


def change_post(writer_client, post, **fields):
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = {**form_data(writer_client.get(url)), **fields}
    return writer_client.post(url, data)


def test_an_update_note_with_a_forbidden_character_is_an_error_on_the_note(
    writer_client, make_post
):
    post = make_post(body="My precious text.")
    response = change_post(
        writer_client,
        post,
        **{
            "update_notes-TOTAL_FORMS": "1",
            "update_notes-0-date": "2020-02-01",
            "update_notes-0-note": "Fixed a\x1b[0m sign.",
        },
    )
    assert response.status_code == 200
    [formset] = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == ("update_notes")
    ]
    assert formset.formset.errors[0]["note"] == [message("\x1b", "character 8")]
    assert "Fixed a" in response.content.decode()
    assert not UpdateNote.objects.exists()


def test_an_old_url_with_a_forbidden_character_is_an_error_naming_it(writer_client, make_post):
    post = make_post()
    response = change_post(
        writer_client,
        post,
        **{"aliases-TOTAL_FORMS": "1", "aliases-0-path": "/2019/\ufffe/old.html"},
    )
    assert response.status_code == 200
    [formset] = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == ("aliases")
    ]
    assert formset.formset.errors[0]["path"] == [message("\ufffe", "character 7")]
    assert not PostAlias.objects.exists()


SERIES_FORM = {
    "title": "Policy Gradients",
    "slug": "policy-gradients",
    "description": "Part **one**.",
}


@pytest.mark.parametrize(
    ("field", "typed", "place"),
    [
        ("title", "Policy\x08 Gradients", "character 7"),
        ("description", "Part **one**.\r\n\r\nThen\x01 two.", "line 3, column 5"),
    ],
)
def test_a_series_with_a_forbidden_character_is_a_form_error(writer_client, field, typed, place):
    data = {**SERIES_FORM, "posts-TOTAL_FORMS": "0", "posts-INITIAL_FORMS": "0", field: typed}
    response = writer_client.post(reverse("admin:posts_series_add"), data)
    forbidden = next(c for c in typed if c in "\x08\x01")
    assert errors_of(response)[field] == [message(forbidden, place)]
    assert "Part **one**." in response.content.decode()
    assert not Series.objects.exists()


@pytest.mark.parametrize("field", ["title", "authors", "venue", "arxiv_id", "doi"])
def test_a_reference_with_a_forbidden_character_is_a_form_error(writer_client, field):
    typed = reference_form()
    typed[field] = "Atten\x0btion"
    response = writer_client.post(reverse("admin:posts_reference_add"), typed)
    assert errors_of(response)[field] == [message("\x0b", "character 6")]
    assert "NeurIPS" in response.content.decode() or field == "venue"
    assert not Reference.objects.exists()


def test_a_tag_description_with_a_forbidden_character_is_a_form_error(writer_client):
    tag = Tag.objects.create(name="Robotics", description="Old")
    url = reverse("admin:posts_tag_change", args=[tag.pk])
    response = writer_client.post(
        url, {"name": "Robotics", "slug": tag.slug, "description": "Typed\r\n\x02text."}
    )
    assert errors_of(response)["description"] == [message("\x02", "line 2, column 1")]
    assert Tag.objects.get(pk=tag.pk).description == "Old"


@pytest.mark.parametrize("field", ["alt", "caption", "source"])
def test_an_image_with_a_forbidden_character_is_a_form_error(writer_client, media_root, field):
    typed = {"alt": "A figure", "caption": "Typed caption", "source": "Typed source"}
    typed[field] = "Fig\x7f\x1fure"  # DEL is allowed, U+001F is not
    response = writer_client.post(
        reverse("admin:posts_image_add"),
        {"file": SimpleUploadedFile("fig.png", image_bytes()), **typed},
    )
    assert errors_of(response)[field] == [message("\x1f", "character 5")]
    assert not Image.objects.exists()


@pytest.mark.parametrize("field", ["alt", "caption"])
def test_the_editors_upload_refuses_a_forbidden_character_too(writer_client, media_root, field):
    typed = {"alt": "A loss curve", "caption": "", field: "Loss\x0b curve"}
    response = writer_client.post(
        reverse("admin:posts_image_upload"),
        {"file": SimpleUploadedFile("plot.png", image_bytes()), **typed},
    )
    assert response.status_code == 400
    assert response.json()["error"] == message("\x0b", "character 5")
    assert not Image.objects.exists()


def test_every_admin_screen_and_inline_checks_what_is_typed():
    """A screen added later needs the mixin too (groups and sign-in throttling are Django's and
    django-axes' own screens: nothing of theirs reaches a page or a feed)."""
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "posts" and model is not get_user_model():
            continue
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        unchecked += [
            type(screen).__name__
            for screen in (model_admin, *inlines)
            if not isinstance(screen, XmlTextFields)
        ]
    assert unchecked == []

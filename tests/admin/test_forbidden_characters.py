"""The admin refuses characters XML 1.0 forbids in text the feeds carry (a post's title and
summary, tag names, a writer's name), with an error on the field that says which character and
where, and keeps everything else that was typed. Tab and newline stay welcome."""

import pytest
from django.urls import reverse

from posts.models import Post, Tag
from tests.admin.test_post_admin import ADD_URL, post_form

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
        "feeds cannot carry it."
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

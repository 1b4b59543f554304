"""The live preview endpoint of the post admin: the site's pipeline on unsaved text, staff only."""

import pytest
from django.urls import reverse

from posts.models import Post, Reference

pytestmark = pytest.mark.django_db

URL = "/admin/posts/post/preview/"


def test_the_url_is_named():
    assert reverse("admin:posts_post_live_preview") == URL


def test_preview_renders_math_code_and_citations_like_a_save(writer_client, author):
    Reference.objects.create(key="vaswani2017", authors="Vaswani, Ashish", title="Attention")
    body = "Energy $x^2$ [@vaswani2017].\n\n```python\nprint(1)\n```\n"
    response = writer_client.post(URL, {"title": "T <i>", "summary": "", "body": body})
    assert response.status_code == 200
    data = response.json()
    saved = Post.objects.create(title="T", slug="t", author=author, body=body)
    assert saved.body_html in data["document"]  # exactly what the site stores
    assert "<math" in data["document"]
    assert "highlight" in data["document"]
    assert "T &lt;i&gt;" in data["document"]
    assert "/static/css/site.css" in data["document"]
    assert data["warnings"] == []
    assert data["word_count"] == saved.word_count
    assert not Post.objects.exclude(pk=saved.pk).exists()  # nothing saved by the preview


def test_preview_lists_the_pipeline_warnings(writer_client):
    data = writer_client.post(URL, {"body": "See [@nobody2020] and @fig:missing."}).json()
    assert any("nobody2020" in warning for warning in data["warnings"])


def test_preview_is_post_only_staff_only_and_csrf_protected(client, writer, django_user_model):
    assert client.post(URL, {"body": "x"}).status_code == 302  # to the admin login
    django_user_model.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert client.post(URL, {"body": "x"}).status_code == 302
    client.force_login(writer)
    assert client.get(URL).status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer)
    assert strict.post(URL, {"body": "x"}).status_code == 403


def test_staff_without_post_permissions_are_refused(client, django_user_model):
    user = django_user_model.objects.create_user("intern", password="pw", is_staff=True)
    client.force_login(user)
    assert client.post(URL, {"body": "x"}).status_code == 403


def test_change_form_carries_the_preview_pane_hooks(writer_client, make_post):
    post = make_post()
    page = writer_client.get(reverse("admin:posts_post_change", args=[post.pk])).content.decode()
    assert f'data-preview-url="{URL}"' in page
    assert "js/admin-preview.js" in page and "css/admin-preview.css" in page
    assert f"blogsite:autosave:posts.post:{post.pk}" in page
    add = writer_client.get(reverse("admin:posts_post_add")).content.decode()
    assert "blogsite:autosave:posts.post:new" in add
    assert "<script>" not in page  # no inline code (CSP)


def test_preview_of_a_text_too_slow_to_render_says_why(writer_client, monkeypatch):
    from posts.markup import render

    monkeypatch.setattr(render, "RENDER_SECONDS", 0.0)
    data = writer_client.post(URL, {"body": "[" * 3000 + " tail"}).json()
    assert data["warnings"][0].startswith("This text takes too long to render")
    assert "tail" in data["document"]


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1f", "\ufffe", "\uffff"])
def test_preview_of_text_with_a_forbidden_character_answers(writer_client, char):
    """The save refuses such a text (tests/admin/test_forbidden_characters.py); the preview of it
    still answers, so the writer keeps seeing the page while removing the character."""
    body = f"# Heading\n\nSoft{char}max $x{char}^2$ and `co{char}de`.\n"
    response = writer_client.post(URL, {"title": f"T{char}", "summary": f"S{char}", "body": body})
    assert response.status_code == 200
    assert "Soft" in response.json()["document"]


def test_preview_warns_first_of_each_character_a_save_would_refuse(writer_client):
    data = writer_client.post(
        URL, {"title": "Soft\x0bmax", "summary": "", "body": "# Soft\r\n\r\nmax\x01 [@nobody]"}
    ).json()
    why = "pages and feeds cannot carry it."
    assert data["warnings"][:2] == [
        f"Title: Remove the invisible control character U+000B (character 5): {why}",
        f"Body: Remove the invisible control character U+0001 (line 3, column 4): {why}",
    ]
    assert any("nobody" in warning for warning in data["warnings"][2:])

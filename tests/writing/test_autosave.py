"""The browser autosave is cleared only by a save the server confirmed (posts.writing.autosave).

The script sends a save id with the form; the page after a successful save carries it back once in
`<meta name="blogsite-autosave-confirmed">`. Error pages and refused forms never do. The browser's
side is tested in Chromium (tests/e2e/test_autosave.py).
"""

import re

import pytest
from django.urls import reverse

from tests.admin_form_data import form_data

pytestmark = pytest.mark.django_db

SAVE_ID = "4f1c2a9e7b3d4c5e8f6a0b1c2d3e4f50"


def confirmed(response) -> str:
    match = re.search(
        rb'<meta name="blogsite-autosave-confirmed" content="([^"]*)">', response.content
    )
    assert match, "the page has no autosave confirmation hook"
    return match.group(1).decode()


def test_the_page_after_a_save_confirms_that_save_once(writer_client, make_post):
    post = make_post()
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = {**form_data(writer_client.get(url)), "autosave_save_id": SAVE_ID, "body": "New text."}

    response = writer_client.post(url, data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:posts_post_changelist")
    assert confirmed(response) == SAVE_ID
    assert confirmed(writer_client.get(reverse("admin:posts_post_changelist"))) == ""
    assert confirmed(writer_client.get(url)) == ""


def test_save_and_continue_confirms_on_the_change_form(writer_client, make_post):
    post = make_post()
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = {**form_data(writer_client.get(url)), "autosave_save_id": SAVE_ID, "_continue": "1"}

    response = writer_client.post(url, data, follow=True)

    assert response.redirect_chain[-1][0] == url
    assert confirmed(response) == SAVE_ID


def test_adding_a_post_confirms_the_save(writer_client, writer):
    url = reverse("admin:posts_post_add")
    data = {
        **form_data(writer_client.get(url)),
        "title": "New",
        "slug": "new",
        "body": "Text.",
        "status": "draft",
        "author": str(writer.pk),
        "autosave_save_id": SAVE_ID,
    }

    assert confirmed(writer_client.post(url, data, follow=True)) == SAVE_ID


# An empty title, and a body holding a character pages and feeds cannot carry.
@pytest.mark.parametrize("refused", [{"title": ""}, {"body": "Soft\x0bmax"}])
def test_a_refused_form_confirms_nothing(writer_client, make_post, refused):
    post = make_post()
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = {**form_data(writer_client.get(url)), "autosave_save_id": SAVE_ID, **refused}

    response = writer_client.post(url, data)

    assert response.status_code == 200 and b"errornote" in response.content
    assert confirmed(response) == ""
    assert confirmed(writer_client.get(url)) == ""


@pytest.mark.parametrize("save_id", ["short", "x" * 65, '"><script>', ""])
def test_a_save_id_that_is_not_one_is_not_echoed(writer_client, make_post, save_id):
    post = make_post()
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = {**form_data(writer_client.get(url)), "autosave_save_id": save_id}

    assert confirmed(writer_client.post(url, data, follow=True)) == ""

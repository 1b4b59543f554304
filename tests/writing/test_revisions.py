"""Revisions through the admin: every save is one, history, diff of two, one-click restore."""

import pytest
from django.urls import reverse
from reversion.models import Version

from posts.models import Post, UpdateNote
from posts.writing.revisions import version_state
from tests.admin_form_data import form_data

pytestmark = pytest.mark.django_db


def edit(client, post, **changes):
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_every_admin_save_keeps_a_revision_with_author_time_and_tags(
    writer_client, writer, make_post
):
    post = make_post(body="Version one.")
    edit(writer_client, post, body="Version two.", tags="rl, Attention")
    edit(writer_client, post, body="Version three.", tags="rl")
    versions = list(Version.objects.get_for_object(post))
    assert len(versions) == 2
    newest, older = versions
    assert newest.revision.user == writer
    assert newest.revision.date_created >= older.revision.date_created
    assert version_state(older)["body"] == "Version two."
    assert version_state(older)["tags"] == "Attention, rl"
    assert version_state(newest)["tags"] == "rl"
    assert "Body" in newest.revision.get_comment()  # the admin's change message


def test_history_page_lists_revisions_with_restore_buttons(writer_client, make_post):
    post = make_post()
    edit(writer_client, post, body="Second.")
    edit(writer_client, post, body="Third.")
    page = writer_client.get(reverse("admin:posts_post_history", args=[post.pk])).content.decode()
    assert page.count("Restore this revision") == 1  # every revision except the current one
    assert page.count('name="a"') == 2
    assert "Compare selected revisions" in page


def test_compare_shows_an_escaped_diff_of_title_body_and_tags(writer_client, make_post):
    post = make_post(title="Old title", body="Line one.\nLine two.")
    edit(writer_client, post, body="Line one.\nLine two.", tags="alpha")
    edit(
        writer_client, post, title="New <b>title</b>", body="Line one.\nLine 2.", tags="alpha, beta"
    )
    new, old = Version.objects.get_for_object(post)
    url = reverse("admin:posts_post_revision_compare", args=[post.pk])
    page = writer_client.get(url, {"a": new.pk, "b": old.pk}).content.decode()  # any order
    assert "-Line two." in page and "+Line 2." in page
    assert "+New &lt;b&gt;title&lt;/b&gt;" in page
    assert "-alpha" in page and "+alpha, beta" in page


def test_compare_with_a_foreign_or_missing_revision_goes_back_to_history(writer_client, make_post):
    post, other = make_post(), make_post()
    edit(writer_client, post, body="Mine.")
    edit(writer_client, other, body="Other.")
    mine = Version.objects.get_for_object(post).get()
    foreign = Version.objects.get_for_object(other).get()
    url = reverse("admin:posts_post_revision_compare", args=[post.pk])
    for query in ({"a": mine.pk, "b": foreign.pk}, {"a": "x"}, {}):
        response = writer_client.get(url, query)
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:posts_post_history", args=[post.pk])


def test_restore_is_one_click_rerenders_and_is_itself_a_revision(writer_client, writer, make_post):
    post = make_post(title="Math", body="Energy $E=mc^2$.")
    edit(writer_client, post, body="Energy $E=mc^2$.", tags="physics")
    UpdateNote.objects.create(post=post, note="Temporary note.")
    edit(writer_client, post, title="Renamed", body="Plain text now.", tags="misc")
    assert UpdateNote.objects.filter(post=post).count() == 1
    _current, first = Version.objects.get_for_object(post)

    url = reverse("admin:posts_post_revision_restore", args=[post.pk, first.pk])
    response = writer_client.post(url)
    assert response.status_code == 302
    post = Post.objects.get(pk=post.pk)
    assert post.title == "Math"
    assert post.body == "Energy $E=mc^2$."
    assert "<math" in post.body_html  # re-rendered by the pipeline
    assert [tag.name for tag in post.tags.all()] == ["physics"]
    assert not UpdateNote.objects.filter(post=post).exists()  # the note came after that revision
    versions = list(Version.objects.get_for_object(post))
    assert len(versions) == 3
    assert "Restored the version of" in versions[0].revision.get_comment()
    assert versions[0].revision.user == writer
    assert version_state(versions[0])["tags"] == "physics"


def test_restore_needs_post_and_a_revision_of_this_post(writer_client, make_post):
    post, other = make_post(), make_post()
    edit(writer_client, other, body="Other.")
    foreign = Version.objects.get_for_object(other).get()
    url = reverse("admin:posts_post_revision_restore", args=[post.pk, foreign.pk])
    assert writer_client.get(url).status_code == 405
    assert writer_client.post(url).status_code == 404


def test_restore_refused_when_the_slug_now_belongs_to_another_post(writer_client, make_post):
    post = make_post(slug="taken-later")
    edit(writer_client, post, body="Once.")
    edit(writer_client, post, slug="moved-away")
    make_post(slug="taken-later")
    first = Version.objects.get_for_object(post).last()
    url = reverse("admin:posts_post_revision_restore", args=[post.pk, first.pk])
    response = writer_client.post(url, follow=True)
    assert "cannot be restored" in response.content.decode()
    post.refresh_from_db()
    assert post.slug == "moved-away"


def test_history_and_restore_are_staff_only(client, make_post, django_user_model):
    post = make_post()
    history = reverse("admin:posts_post_history", args=[post.pk])
    assert client.get(history).status_code == 302  # to the login page
    django_user_model.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert client.get(history).status_code == 302


@pytest.mark.parametrize("field", ["body", "title"])
def test_restore_refused_for_a_revision_holding_a_character_pages_cannot_carry(
    writer_client, make_post, field
):
    """A revision saved before the admin refused such characters: restoring it would bring one
    back, so it is refused, saying which and where, and the post stays as it is."""
    post = make_post(title="Kept title", body="Kept body.")
    edit(writer_client, post, title="Old title", body="Old body.")
    edit(writer_client, post, title="Kept title", body="Kept body.")
    old = Version.objects.get_for_object(post).last()
    text = f"Old {field}"
    old.serialized_data = old.serialized_data.replace(text, f"{text}\\u000b", 1)
    old.save()

    url = reverse("admin:posts_post_revision_restore", args=[post.pk, old.pk])
    page = writer_client.post(url, follow=True).content.decode()

    assert "This version cannot be restored: the " + field in page
    assert "U+000B" in page
    post.refresh_from_db()
    assert (post.title, post.body) == ("Kept title", "Kept body.")
    assert Version.objects.get_for_object(post).count() == 2

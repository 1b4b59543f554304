"""The stored parts of a post page (posts.page_parts): metadata, meta line, update notes,
citation, tags and share links are rendered when what they show changes, stored, and printed
as they are; every such change is on the very next view, and a page view renders nothing again."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from posts.models import Post, UpdateNote
from posts.page_parts import parts_key, render_parts
from tests.reading.test_list_cards import (
    _author_name,
    _delete_tag,
    _edit_title,
    _merge_tags,
    _rename_tag,
    _retag,
    _tag_from_its_side,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_view_runs_the_view(settings):
    settings.PAGE_CACHE_ENABLED = False


def page(client, post) -> str:
    response = client.get(Post.objects.get(pk=post.pk).get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _add_note(post):
    UpdateNote.objects.create(post=post, date=date(2024, 5, 6), note="Add a *section*.")
    return "Updated on <time", "never-there"


@pytest.mark.parametrize(
    "change",
    [
        _rename_tag,
        _retag,
        _tag_from_its_side,
        _delete_tag,
        _merge_tags,
        _author_name,
        _edit_title,
        _add_note,
    ],
)
def test_a_change_is_stored_and_on_the_next_view(client, post, committed, change):
    before = page(client, post)
    with committed():
        present, gone = change(post)
    stored = Post.objects.get(pk=post.pk)
    fresh = (
        Post.objects.select_related("author")
        .prefetch_related("tags", "update_notes")
        .get(pk=post.pk)
    )
    assert stored.page_parts == render_parts(fresh)  # made by the change, not by a reader
    after = page(client, post)
    assert present not in before
    assert present in after
    assert gone not in after


def test_a_deleted_note_leaves_the_page_and_its_modified_time(client, post, committed):
    today = timezone.localdate()
    modified = f'article:modified_time" content="{today.isoformat()}T00:00:00+00:00"'
    with committed():
        UpdateNote.objects.create(post=post, date=today, note="Add a section.")
    html = page(client, post)
    assert "Updated on <time" in html and modified in html
    with committed():
        UpdateNote.objects.filter(post=post).delete()
    html = page(client, post)
    assert "Updated on <time" not in html and modified not in html


def test_a_stored_post_page_renders_no_part_again(client, post, django_assert_num_queries):
    page(client, post)  # makes its links
    with django_assert_num_queries(1):
        html = client.get(post.get_absolute_url()).content.decode()
    assert "{#" not in html and "{%" not in html and "{{" not in html  # no template text leaks
    parts = Post.objects.get(pk=post.pk).page_parts
    for name in ("head", "meta_line", "cite", "tags", "share"):
        assert parts[name].strip() and parts[name] in html, name


def test_parts_of_another_key_are_made_again_and_stored(client, post, settings):
    page(client, post)
    settings.SITE_URL = "https://blog.example.org"
    html = page(client, post)
    assert '<link rel="canonical" href="https://blog.example.org/posts/' in html
    assert 'citation_public_url" content="https://blog.example.org/posts/' in html
    stored = Post.objects.get(pk=post.pk)
    assert stored.page_parts["key"] == parts_key(stored)


def test_a_scheduled_post_loses_its_noindex_when_due(
    client, make_post, admin_client, travel_to, settings
):
    settings.PRODUCTION = True  # elsewhere every page says noindex
    due = timezone.now() + timedelta(hours=1)
    scheduled = make_post(title="Soon", published_at=due)
    assert '<meta name="robots" content="noindex">' in page(admin_client, scheduled)
    travel_to(due + timedelta(seconds=1))
    html = page(client, scheduled)
    assert '<meta name="robots" content="noindex">' not in html
    assert 'class="share-links"' in html


def test_a_draft_shows_staff_its_own_parts_and_no_share_links(admin_client, make_post):
    draft = make_post(title="Unfinished", status=Post.Status.DRAFT, tags=["wip"])
    html = page(admin_client, draft)
    assert "<title>Unfinished" in html and 'href="/tags/wip/"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'class="share-links"' not in html and "related-posts" not in html


def test_a_post_save_loads_the_post_once_for_its_card_and_parts(post, django_assert_num_queries):
    """Card and parts are made from one load of the post (the post, its tags, its notes) and
    stored in one update; the other queries of a save are its own and the other receivers'.
    15 (14 on PostgreSQL) when the card and the parts each loaded the post and its tags and
    were stored apart."""
    post = Post.objects.get(pk=post.pk)
    post.title = "Attention, again"
    # The search index row: deleted and inserted on SQLite (FTS5), upserted on PostgreSQL.
    index_queries = 2 if connection.vendor == "sqlite" else 1
    with django_assert_num_queries(10 + index_queries):
        post.save()
    stored = Post.objects.get(pk=post.pk)
    assert (
        "Attention, again" in stored.card_html and "Attention, again" in stored.page_parts["head"]
    )

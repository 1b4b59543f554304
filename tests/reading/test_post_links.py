"""A post page's links to other posts (newer, older, related), stored with the post for a listing
version (`posts.post_links`): every change of the listing shows on the next view, a post that
stops being public leaves every page, a scheduled post appears once due, with nothing saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import ListingVersion, Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_view_runs_the_view(settings):
    settings.PAGE_CACHE_ENABLED = False


def page(client, post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_links_are_stored_for_the_listing_version(client, make_post):
    older = make_post(title="Older", tags=["a"])
    post = make_post(title="Middle", tags=["a"], published_at=older.published_at + timedelta(1))
    html = page(client, post)
    assert "Older »" in html and ">Older</span>" in html
    stored = Post.objects.get(pk=post.pk).page_links
    assert stored["version"] == ListingVersion.objects.get().number
    assert ">Older</span>" in stored["html"]
    assert stored["until"] is None  # nothing scheduled


def test_every_change_of_a_post_or_its_tags_counts_a_new_version(make_post):
    version = ListingVersion.objects.get().number
    post = make_post(tags=["a"])
    assert ListingVersion.objects.get().number > version
    version = ListingVersion.objects.get().number
    post.tags.add("b")
    assert ListingVersion.objects.get().number > version
    version = ListingVersion.objects.get().number
    post.delete()
    assert ListingVersion.objects.get().number > version


def test_a_new_post_and_a_new_title_show_on_the_next_view(client, make_post):
    post = make_post(title="Old one", tags=["a"], published_at=timezone.now() - timedelta(days=9))
    assert "« Newer" not in page(client, post)
    newer = make_post(title="Newer one", tags=["a"], published_at=timezone.now())
    html = page(client, post)
    assert "Newer one" in html and "« Newer" in html
    newer.title = "Renamed"
    newer.save()
    html = page(client, post)
    assert "Renamed" in html and "Newer one" not in html


@pytest.mark.parametrize(
    "hide",
    [
        lambda post: post.delete(),
        lambda post: post.tags.clear(),
    ],
    ids=["deleted", "untagged"],
)
def test_a_gone_post_leaves_the_related_posts(client, make_post, hide):
    post = make_post(title="Me", tags=["a"])
    other = make_post(title="Sharing a tag", tags=["a"])
    assert "Sharing a tag" in page(client, post).split("related-posts", 1)[1]
    hide(other)
    html = page(client, post)
    assert "related-posts" not in html


def test_an_unpublished_post_leaves_every_other_page(client, make_post):
    now = timezone.now()
    older = make_post(title="Older", tags=["a"], published_at=now - timedelta(days=3))
    draft = make_post(title="Soon a draft", tags=["a"], published_at=now - timedelta(days=2))
    newer = make_post(title="Newer", tags=["a"], published_at=now - timedelta(days=1))
    assert "Soon a draft" in page(client, older) and "Soon a draft" in page(client, newer)
    draft.status = Post.Status.DRAFT
    draft.save()
    for other in (older, newer):
        assert "Soon a draft" not in page(client, other)


def test_a_scheduled_post_appears_once_due_with_nothing_saved(client, make_post, travel_to):
    now = timezone.now()
    post = make_post(title="Me", tags=["a"], published_at=now - timedelta(days=1))
    due = now + timedelta(hours=1)
    make_post(title="Coming up", tags=["a"], published_at=due)
    html = page(client, post)
    assert "Coming up" not in html
    assert Post.objects.get(pk=post.pk).page_links["until"] == due.isoformat()
    version = ListingVersion.objects.get().number
    travel_to(due + timedelta(seconds=1))
    html = page(client, post)
    assert ListingVersion.objects.get().number == version
    assert "Coming up" in html and "« Newer" in html


def test_a_lost_version_row_never_matches_stored_links(client, make_post):
    """A database emptied by hand (or a flushed test database): the links are made each time
    until the next change makes the row again, with a number no stored links carry."""
    post = make_post(title="Me", tags=["a"])
    make_post(title="Other", tags=["a"])
    page(client, post)
    stored = Post.objects.get(pk=post.pk).page_links["version"]
    ListingVersion.objects.all().delete()
    Post.objects.filter(title="Other").update(title="Other, renamed")  # no signal
    assert "Other, renamed" in page(client, post)  # no version: made again, not stored
    assert Post.objects.get(pk=post.pk).page_links["version"] == stored
    ListingVersion.bump()
    assert ListingVersion.objects.get().number > stored

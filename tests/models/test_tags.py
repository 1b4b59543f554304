"""A tag's count of published posts (`Tag.published_post_count()`), stored for the listing version
and until the next scheduled post is due: right after every change, and never counting a draft or
a post still to come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Post, Tag

pytestmark = pytest.mark.django_db


def count(slug: str) -> int:
    return Tag.objects.for_page().get(slug=slug).published_post_count()


def test_the_count_is_stored_for_the_listing_version(make_post, django_assert_num_queries):
    make_post(tags=["nlp"])
    make_post(tags=["nlp"])
    assert count("nlp") == 2
    tag = Tag.objects.for_page().get(slug="nlp")
    with django_assert_num_queries(0):
        assert tag.published_post_count() == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda post, make_post: make_post(tags=["nlp"]), 3),
        (lambda post, make_post: post.delete(), 1),
        (lambda post, make_post: post.tags.remove("nlp"), 1),
        (lambda post, make_post: Post.objects.get(pk=post.pk).tags.add("other"), 2),
        (lambda post, make_post: make_post(tags=["nlp"], status=Post.Status.DRAFT), 2),
    ],
    ids=["new post", "deleted", "untagged", "other tag", "draft"],
)
def test_every_change_shows_in_the_next_count(make_post, change, expected):
    post = make_post(tags=["nlp"])
    make_post(tags=["nlp"])
    assert count("nlp") == 2
    change(post, make_post)
    assert count("nlp") == expected


def test_unpublishing_leaves_the_count(make_post):
    post = make_post(tags=["nlp"])
    make_post(tags=["nlp"])
    assert count("nlp") == 2
    post.status = Post.Status.DRAFT
    post.save()
    assert count("nlp") == 1


def test_a_scheduled_post_counts_once_due_with_nothing_saved(make_post, travel_to):
    due = timezone.now() + timedelta(hours=1)
    make_post(tags=["nlp"])
    make_post(tags=["nlp"], published_at=due)
    assert count("nlp") == 1
    assert Tag.objects.get(slug="nlp").count_until == due
    travel_to(due + timedelta(seconds=1))
    assert count("nlp") == 2


def test_a_tag_read_without_the_listing_version_counts_and_stores_nothing(make_post):
    make_post(tags=["nlp"])
    assert Tag.objects.get(slug="nlp").published_post_count() == 1
    assert Tag.objects.get(slug="nlp").stored_count is None

"""The count of public posts the home page paginates by (`ListingVersion.count_published()`),
stored for the listing version and until the next scheduled post is due, and read with the page's
posts (`ListingVersion.stored_count()`): one query for a page while it is current, right after
every change, never counting a draft or a post still to come."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import ListingVersion, Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def stored() -> int | None:
    return Post.objects.annotate(count=ListingVersion.stored_count()).values_list(
        "count", flat=True
    )[0]


def last_page(client) -> int:
    """The highest page number the home page links to (1 when it shows no pagination)."""
    return max(map(int, re.findall(r'aria-label="Page (\d+)', client.get("/").text)), default=1)


def test_a_page_reads_its_posts_and_the_count_in_one_query(
    client, make_post, django_assert_num_queries
):
    for _ in range(11):
        make_post()
    # the page's posts; the listing version, the next due time, the count, its update (3)
    with django_assert_num_queries(1 + 3 + 3):
        client.get("/")
    assert stored() == 11
    with django_assert_num_queries(1):
        assert last_page(client) == 2


def home_count(client) -> int:
    return client.get("/").context["paginator"].count


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda post, make_post: make_post(), 21),
        (lambda post, make_post: post.delete(), 19),
        (lambda post, make_post: make_post(status=Post.Status.DRAFT), 20),
        (lambda post, make_post: make_post(published_at=timezone.now() + timedelta(days=1)), 20),
    ],
    ids=["new post", "deleted", "draft", "scheduled"],
)
def test_every_change_shows_in_the_next_count(client, make_post, change, expected):
    posts = [make_post() for _ in range(20)]
    assert home_count(client) == 20

    change(posts[0], make_post)

    assert stored() is None
    assert home_count(client) == expected
    assert stored() == expected


def test_unpublishing_leaves_the_count(client, make_post):
    posts = [make_post() for _ in range(11)]
    assert last_page(client) == 2
    posts[0].status = Post.Status.DRAFT
    posts[0].save()
    assert last_page(client) == 1


def test_a_scheduled_post_counts_once_due_with_nothing_saved(client, make_post, travel_to):
    due = timezone.now() + timedelta(hours=1)
    for _ in range(10):
        make_post()
    make_post(published_at=due)
    assert last_page(client) == 1
    assert ListingVersion.objects.get().count_until == due

    travel_to(due + timedelta(seconds=1))

    assert stored() is None
    assert last_page(client) == 2
    assert client.get("/page/2/").status_code == 200


def test_a_page_past_the_end_is_a_404_and_an_empty_site_a_home_page(client, make_post):
    assert client.get("/").status_code == 200
    assert "No posts yet." in client.get("/").text
    make_post()
    assert client.get("/page/2/").status_code == 404


def test_a_lost_version_row_still_counts(client, make_post):
    for _ in range(11):
        make_post()
    ListingVersion.objects.all().delete()
    assert last_page(client) == 2
    assert last_page(client) == 2

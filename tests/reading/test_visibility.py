"""THE visibility test: a draft and a future-dated post reach no public surface, until they may.

For each hidden kind (a draft; a post scheduled for tomorrow) and each public surface, an anonymous
reader must not see the hidden post; then the post is published, or its time comes (its
`published_at` moves into the past, no sleeping), and the same reader must see it there.

Adding a surface is one line in SURFACES: a name, the URL where the hidden post would appear (a
function of the post), and, when "its title is on the page" is not the right test, how to tell.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from posts.models import Post, Series

pytestmark = pytest.mark.django_db

PUBLIC_POSTS = 10  # exactly one page of public posts besides the hidden one
HIDDEN_TITLE = "The hidden treasure"
SHARED_TAG = "shared"  # on every post
HIDDEN_TAG = "treasure-hunting"  # only on the hidden post


def title_shown(response, post) -> bool:
    return response.status_code == 200 and HIDDEN_TITLE in response.content.decode()


def tag_listed(slug: str) -> Callable:
    def seen(response, post) -> bool:
        return slug in {tag.slug for tag in response.context["tags"]}

    return seen


def tag_counts_it(slug: str) -> Callable:
    def seen(response, post) -> bool:
        counts = {tag.slug: tag.post_count for tag in response.context["tags"]}
        assert counts[slug] in (PUBLIC_POSTS, PUBLIC_POSTS + 1)
        return counts[slug] == PUBLIC_POSTS + 1

    return seen


def archive_counts_it(response, post) -> bool:
    total = sum(year.count for year in response.context["years"])
    assert total in (PUBLIC_POSTS, PUBLIC_POSTS + 1)
    return total == PUBLIC_POSTS + 1


def series_counts_it(response, post) -> bool:
    (series,) = response.context["series_list"]
    assert series.post_count in (1, 2)  # part 1 is public from the start
    return series.post_count == 2


def this_years_archive(post) -> str:
    """The archive page of the year the post carries once public (an hour ago)."""
    return f"/archives/{timezone.localtime(timezone.now() - timedelta(hours=1)).year}/"


@dataclass(frozen=True)
class Surface:
    name: str
    url: Callable[[Post], str]
    seen: Callable = title_shown
    oldest: bool = False  # once public, the hidden post is dated before every other post

    def __str__(self):
        return self.name


SURFACES = [
    Surface("home", lambda post: "/"),
    Surface("home page 2", lambda post: "/page/2/", oldest=True),
    Surface("tag page", lambda post: f"/tags/{SHARED_TAG}/"),
    Surface("tag page 2", lambda post: f"/tags/{SHARED_TAG}/page/2/", oldest=True),
    Surface("tag only on the hidden post", lambda post: f"/tags/{HIDDEN_TAG}/"),
    Surface("tag list", lambda post: "/tags/", seen=tag_listed(HIDDEN_TAG)),
    Surface("tag list counts", lambda post: "/tags/", seen=tag_counts_it(SHARED_TAG)),
    Surface("archive", lambda post: "/archives/"),
    Surface("archive counts", lambda post: "/archives/", seen=archive_counts_it),
    Surface("archive year", this_years_archive),
    Surface("series index", lambda post: "/series/", seen=series_counts_it),
    Surface("post page", lambda post: post.get_absolute_url()),
    Surface("series page", lambda post: post.series.get_absolute_url()),
]

# Each kind of hidden post: its fields, given the date it will carry once public.
HIDDEN_KINDS = {
    "draft": lambda public_date: {"status": Post.Status.DRAFT, "published_at": public_date},
    "scheduled": lambda public_date: {"published_at": timezone.now() + timedelta(days=1)},
}


def reveal(post, public_date):
    """Publish the draft, or move the scheduled time behind the clock (no sleeping)."""
    post.status = Post.Status.PUBLISHED
    post.published_at = public_date
    post.save()


@pytest.fixture
def series(make_post):
    """Ten public posts sharing a tag, the first of them part 1 of a series."""
    series = Series.objects.create(title="A series", slug="a-series")
    for day in range(1, PUBLIC_POSTS + 1):
        make_post(
            published_at=timezone.now() - timedelta(days=day),
            tags=[SHARED_TAG],
            series=series if day == 1 else None,
            series_part=1 if day == 1 else None,
        )
    return series


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
@pytest.mark.parametrize("surface", SURFACES, ids=str)
def test_hidden_posts_reach_no_public_surface_until_they_may(
    make_post, series, django_user_model, committed, kind, surface
):
    # Once public, the post is the newest of all, or (for a second page) the oldest.
    public_date = timezone.now() - (timedelta(days=100) if surface.oldest else timedelta(hours=1))
    post = make_post(
        title=HIDDEN_TITLE,
        series=series,
        series_part=2,
        tags=[SHARED_TAG, HIDDEN_TAG],
        **HIDDEN_KINDS[kind](public_date),
    )
    anonymous, reader = Client(), Client()
    reader.force_login(django_user_model.objects.create_user("reader", password="pw"))
    for client in (anonymous, reader):
        response = client.get(surface.url(post))
        assert not surface.seen(response, post), f"a {kind} post leaks on the {surface}"

    with committed():
        reveal(post, public_date)

    response = anonymous.get(surface.url(post))
    assert response.status_code == 200
    assert surface.seen(response, post), f"a published {kind} post is missing from the {surface}"

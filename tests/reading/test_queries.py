"""Query counts of the reader pages: the same with 5 posts as with 60 posts carrying 5 tags each.

Anonymous readers (no session). The numbers are stated; changing one must be deliberate.
"""

from datetime import date

import pytest

from posts.models import Image, Series, UpdateNote
from tests.images import image_bytes

pytestmark = pytest.mark.django_db

TAGS = ["Reinforcement Learning", "Meta-RL", "NLP", "Optimization", "Robotics"]


@pytest.fixture
def make_site(make_post, media_root):
    """`count` published posts carrying five tags each; the first three have two update notes,
    every other post has a cover image."""

    def make(count):
        cover = Image.create_from_bytes(image_bytes(64, 48), "cover.png", alt="A cover")
        posts = [make_post(tags=TAGS, cover=cover if n % 2 else None) for n in range(count)]
        for post in posts[:3]:
            UpdateNote.objects.create(post=post, date=date(2020, 1, 1), note="Added a section.")
            UpdateNote.objects.create(post=post, date=date(2021, 1, 1), note="Fixed a typo.")
        return posts

    return make


# home: the page's posts, with the stored count of public posts (posts/models/listing.py; their
# cards, tags included, are stored: posts.list_cards); a tag page: the tag with its stored count of
# published posts (made again by the first view after a change of the listing: test below), its
# page's posts; the tag list: tags with their counts; the archive: the published posts' titles,
# slugs and dates.
@pytest.mark.parametrize("count", [5, 60])
@pytest.mark.parametrize(
    ("url", "queries"),
    [("/", 1), ("/tags/nlp/", 2), ("/tags/", 1), ("/archives/", 1)],
)
def test_list_pages_take_a_fixed_number_of_queries(
    client, make_site, django_assert_num_queries, settings, count, url, queries
):
    settings.PAGE_CACHE_ENABLED = False  # the second view runs the view too
    make_site(count)
    assert client.get(url).status_code == 200
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [15, 60])
@pytest.mark.parametrize(("url", "queries"), [("/page/2/", 1), ("/tags/nlp/page/2/", 2)])
def test_later_pages_take_a_fixed_number_of_queries(
    client, make_site, django_assert_num_queries, settings, count, url, queries
):
    settings.PAGE_CACHE_ENABLED = False
    make_site(count)
    assert client.get(url).status_code == 200
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_the_first_tag_page_after_a_change_counts_its_posts(
    client, make_site, django_assert_num_queries, count
):
    """The first view after a change of the listing: the tag, the next due time, the count, its
    update (in a savepoint: 3), the page's posts."""
    make_site(count)
    with django_assert_num_queries(1 + 1 + 1 + 3 + 1):
        assert client.get("/tags/nlp/").status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_post_page_takes_one_query(client, make_site, django_assert_num_queries, settings, count):
    """The post with its stored parts and links and the listing version of now; only the first
    view after a change of the listing makes the links again: the due time of the next scheduled
    post, the newer, the older, and four for the related posts (`posts.related`: the post's tag
    ids, the tag links, the published candidates, the winners), none of which reads the other
    posts' rows, then stores them (an update in a savepoint)."""
    settings.PAGE_CACHE_ENABLED = False  # the second view runs the view too
    post = make_site(count)[1]  # has a newer and an older neighbour, tags and update notes
    with django_assert_num_queries(1 + 7 + 3):
        first = client.get(post.get_absolute_url()).content.decode()
    with django_assert_num_queries(1):
        again = client.get(post.get_absolute_url()).content.decode()
    assert again == first
    assert "« Newer" in again and "Older »" in again and "Related posts" in again
    assert again.count('class="update-note"') == 2


@pytest.mark.parametrize("count", [5, 60])
def test_series_page_takes_two_queries(client, make_site, django_assert_num_queries, count):
    """The series, then its published parts with their authors."""
    series = Series.objects.create(title="Object Detection for Dummies", slug="object-detection")
    for part, post in enumerate(make_site(count), start=1):
        post.series, post.series_part = series, part
        post.save()
    with django_assert_num_queries(2):
        response = client.get("/series/object-detection/")
    assert response.status_code == 200
    assert len(response.context["parts"]) == count

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Post
from posts.related import related_posts

pytestmark = pytest.mark.django_db


def test_ranked_by_shared_tags_then_newest(make_post):
    now = timezone.now()
    post = make_post(title="Me", tags=["a", "b", "c"])
    make_post(title="One tag, newer", tags=["a"], published_at=now - timedelta(days=1))
    make_post(title="One tag, older", tags=["b"], published_at=now - timedelta(days=50))
    make_post(title="Three tags", tags=["a", "b", "c", "d"], published_at=now - timedelta(days=90))
    make_post(title="Two tags", tags=["a", "c"], published_at=now - timedelta(days=80))
    make_post(title="No shared tag", tags=["z"])
    assert [p.title for p in related_posts(post)] == [
        "Three tags",
        "Two tags",
        "One tag, newer",
        "One tag, older",
    ]
    assert [p.shared_tags for p in related_posts(post)] == [3, 2, 1, 1]


def test_at_most_five_published_and_never_itself(make_post):
    post = make_post(title="Me", tags=["a"])
    for _ in range(7):
        make_post(tags=["a"])
    make_post(title="Draft", tags=["a"], status=Post.Status.DRAFT, published_at=timezone.now())
    make_post(title="Future", tags=["a"], published_at=timezone.now() + timedelta(days=1))
    related = related_posts(post)
    assert len(related) == 5
    titles = {p.title for p in related}
    assert not titles & {"Me", "Draft", "Future"}


def test_a_post_without_tags_has_no_related_posts(make_post):
    post = make_post()
    make_post(tags=["a"])
    assert related_posts(post) == []


@pytest.mark.parametrize("count", [5, 60])
def test_three_queries_whatever_the_number_of_posts(make_post, django_assert_num_queries, count):
    post = make_post(tags=["a", "b"])
    for n in range(count):
        make_post(tags=["a", f"t{n}"])
    tags = list(post.tags.all())
    with django_assert_num_queries(3):  # the tag links, the published candidates, the winners
        assert len(related_posts(post, tags)) == 5
    with django_assert_num_queries(4):  # and the post's tags, when the caller has not got them
        assert len(related_posts(post)) == 5


def test_post_page_shows_related_posts_and_share_links(client, make_post):
    post = make_post(title="Me", tags=["a"])
    make_post(title="Sibling", tags=["a"])
    make_post(title="Stranger", tags=["b"])
    html = client.get(post.get_absolute_url()).content.decode()
    related = html.split('class="related-posts"')[1].split("</section>")[0]
    assert "Sibling" in related and "Stranger" not in related and "Me" not in related
    share = html.split('class="share-links"')[1].split("</section>")[0]
    for name in ("Copy link", "X", "LinkedIn", "Hacker News", "Reddit", "Email"):
        assert f">{name}</a>" in share
    assert '<script src="/static/js/share.js" defer></script>' in html
    assert "onclick" not in html


@pytest.mark.parametrize("count", [5, 60])
def test_post_page_queries_do_not_grow_with_posts(
    client, make_post, django_assert_num_queries, count
):
    post = make_post(tags=["a", "b"])
    for n in range(count):
        make_post(tags=["a", f"t{n}"])
    # The post with its stored parts; its links, made again after the listing changed: the next
    # due time, newer, older, the related posts (4), then stored (in a savepoint: 3).
    with django_assert_num_queries(1 + 7 + 3):
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from posts.models import Post, Series

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://blog.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{NS}urlset"
    return {
        url.find(f"{NS}loc").text: getattr(url.find(f"{NS}lastmod"), "text", None)
        for url in root.findall(f"{NS}url")
    }


def test_published_posts_tags_series_years_and_lists(client, make_post):
    now = timezone.now()
    series = Series.objects.create(title="Read in order", slug="read-in-order")
    unpublished = Series.objects.create(title="Not yet", slug="not-yet")
    post = make_post(tags=["NLP"], published_at=now - timedelta(days=10), series=series)
    Post.objects.filter(pk=post.pk).update(
        updated_at=now - timedelta(days=9), revised_on=(now - timedelta(days=2)).date()
    )
    make_post(title="Draft", slug="draft", tags=["Secret"], status=Post.Status.DRAFT)
    make_post(title="Future", slug="future", tags=["Later"], published_at=now + timedelta(days=1))
    make_post(title="Draft part", slug="draft-part", series=unpublished, status=Post.Status.DRAFT)
    make_post(title="Old draft", slug="old-draft", published_at=now - timedelta(days=3 * 365))
    Post.objects.filter(slug="old-draft").update(status=Post.Status.DRAFT)
    found = entries(client)
    post.refresh_from_db()
    assert found == {
        f"{SITE}/": None,
        f"{SITE}/archives/": None,
        f"{SITE}/tags/": None,
        f"{SITE}/series/": None,
        f"{SITE}/series/read-in-order/": None,
        f"{SITE}/archives/{timezone.localdate(post.published_at).year}/": None,
        f"{SITE}{post.get_absolute_url()}": (now - timedelta(days=2)).date().isoformat(),
        f"{SITE}/tags/nlp/": post.published_at.date().isoformat(),
    }


def test_tag_lastmod_is_its_newest_published_post(client, make_post):
    now = timezone.now()
    make_post(tags=["NLP"], published_at=now - timedelta(days=30))
    make_post(tags=["NLP"], published_at=now - timedelta(days=5))
    make_post(tags=["NLP"], status=Post.Status.DRAFT, published_at=now - timedelta(days=1))
    assert entries(client)[f"{SITE}/tags/nlp/"] == (now - timedelta(days=5)).date().isoformat()


@pytest.mark.parametrize("count", [5, 60])
def test_queries_do_not_grow_with_posts(client, make_post, django_assert_num_queries, count):
    series = Series.objects.create(title="S", slug="s")
    for n in range(count):
        make_post(tags=["Shared", f"Own {n}"], series=series)
    # Posts: one count (paginator) + one page; tags and series: the same; years: one; lists: none.
    with django_assert_num_queries(7):
        # The lists, the posts, their tags, the series, the year.
        assert len(entries(client)) == 4 + count + count + 1 + 1 + 1

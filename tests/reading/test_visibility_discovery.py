"""Drafts and future-dated posts never reach anonymous readers through the discovery surfaces:
search, feeds, the sitemap, llms.txt and the Markdown view. (Extends the core's visibility rule.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Post

pytestmark = pytest.mark.django_db

SURFACES = [
    "/search/?q=zebrafish",
    "/index.xml",
    "/feeds/atom/",
    "/tags/zebrafish/index.xml",
    "/tags/zebrafish/atom.xml",
    "/sitemap.xml",
    "/llms.txt",
]


@pytest.fixture
def posts(make_post):
    public = make_post(title="Public zebrafish", slug="public-zebrafish", tags=["Zebrafish"])
    draft = make_post(
        title="Draft zebrafish",
        slug="draft-zebrafish",
        tags=["Zebrafish"],
        status=Post.Status.DRAFT,
        published_at=timezone.now() - timedelta(days=3),
    )
    future = make_post(
        title="Future zebrafish",
        slug="future-zebrafish",
        tags=["Zebrafish"],
        published_at=timezone.now() + timedelta(hours=2),
    )
    return public, draft, future


@pytest.mark.parametrize("url", SURFACES)
def test_only_the_public_post_appears(client, posts, url):
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "public-zebrafish" in text
    assert "draft-zebrafish" not in text and "Draft zebrafish" not in text
    assert "future-zebrafish" not in text and "Future zebrafish" not in text


def test_markdown_view_of_hidden_posts_is_404(client, posts):
    public, draft, future = posts
    assert client.get(public.get_absolute_url() + "index.md").status_code == 200
    assert client.get(draft.get_absolute_url() + "index.md").status_code == 404
    assert client.get(future.get_absolute_url() + "index.md").status_code == 404


def test_a_tag_carried_only_by_hidden_posts_has_no_feed_or_sitemap_entry(client, make_post):
    make_post(title="Draft", tags=["Hidden"], status=Post.Status.DRAFT)
    make_post(title="Later", tags=["Hidden"], published_at=timezone.now() + timedelta(days=1))
    assert client.get("/tags/hidden/index.xml").status_code == 404
    assert client.get("/tags/hidden/atom.xml").status_code == 404
    assert "/tags/hidden/" not in client.get("/sitemap.xml").content.decode()


def test_hidden_posts_do_not_appear_as_related_posts(client, posts, make_post):
    public, _, _ = posts
    html = client.get(public.get_absolute_url()).content.decode()
    assert "Draft zebrafish" not in html and "Future zebrafish" not in html

from urllib.parse import parse_qs, urlsplit

import pytest

from posts.share_links import share_links

pytestmark = pytest.mark.django_db


def test_share_links_carry_the_absolute_url_and_title(make_post, settings):
    settings.SITE_URL = "https://blog.example.org"
    post = make_post(title="Attention? Attention & more")
    url = "https://blog.example.org" + post.get_absolute_url()
    links = {link.name: link.url for link in share_links(post)}
    assert set(links) == {"x", "linkedin", "hacker-news", "reddit", "email"}
    assert parse_qs(urlsplit(links["x"]).query) == {"url": [url], "text": [post.title]}
    assert parse_qs(urlsplit(links["hacker-news"]).query) == {"u": [url], "t": [post.title]}
    assert parse_qs(urlsplit(links["reddit"]).query) == {"url": [url], "title": [post.title]}
    assert parse_qs(urlsplit(links["linkedin"]).query) == {"url": [url]}
    assert links["email"].startswith("mailto:?subject=Attention%3F%20Attention%20%26%20more&body=")

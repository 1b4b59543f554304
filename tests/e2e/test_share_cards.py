"""Every public post's share card loads in Chromium: a 1200 x 630 picture."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from posts.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_every_public_post_has_a_share_card_that_loads(page, media_root):
    call_command("load_demo", stdout=io.StringIO())  # committed: the cards are drawn
    posts = list(Post.objects.published())
    assert len(posts) >= 5
    for post in posts:
        page.goto(post.get_absolute_url())
        card = page.locator('meta[property="og:image"]').get_attribute("content")
        assert page.locator('meta[name="twitter:card"]').get_attribute("content") == (
            "summary_large_image"
        )
        assert page.locator('meta[name="twitter:image"]').get_attribute("content") == card
        # The card's path on this test server (its absolute URL names the configured SITE_URL).
        page.goto(urlsplit(card).path)
        size = page.locator("img").evaluate("e => [e.naturalWidth, e.naturalHeight]")
        assert size == [1200, 630], post.title

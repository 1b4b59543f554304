"""A post page's links to other posts: the newer and the older post, and the related posts.

They depend on every public post (which ones are public, their titles, URLs, dates and tags),
so they are stored with the post, in `Post.page_links`, for the listing version they were made
from (`ListingVersion`, counted on by every change of a post or of its tag links) and until the
next scheduled post comes due. A page whose post has links of another version, or past that time,
makes them again (seven small queries) and stores them; every other page view reads them with
the post, in its one query (`Post.objects.for_page()`).
"""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string

from posts.models import ListingVersion, Post, store_on_read
from posts.related import related_posts

TEMPLATE = "partials/_post_links.html"


def _is_current(stored: dict, version: int | None) -> bool:
    until = stored.get("until")  # JSON: an ISO date and time, or None
    until = until and datetime.fromisoformat(until)
    return ListingVersion.is_current(version, stored.get("version"), until)


def render_links(post: Post) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "next_post": post.get_next_published(),
            "previous_post": post.get_previous_published(),
            "related_posts": related_posts(post),
        },
    )


def current_links(post: Post) -> str:
    """The HTML of `post`'s links as of now (`post` comes from `Post.objects.for_page()`, which
    annotates the listing version)."""
    stored = post.page_links or {}
    if _is_current(stored, post.listing_version):
        return stored["html"]
    # The due time is read first: a post that comes due while the links are made shortens them.
    due = Post.objects.next_due()
    html = render_links(post)
    if post.listing_version is not None:
        links = {"version": post.listing_version, "until": due and due.isoformat(), "html": html}
        store_on_read(Post.objects.filter(pk=post.pk), page_links=links)
    return html

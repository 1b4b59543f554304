"""Post cards, rendered when what they show changes, not on every list page.

A card (`templates/partials/_post_card.html`: title and URL, summary, date, reading time, author,
tags with their URLs) is stored in `Post.card_html` by the receivers in `posts.signals` whenever
a post, its tags, a tag's name or an author's name changes. Home and tag pages print the stored
cards (`Post.objects.for_cards()`), so a list page runs no `reverse()` per card or tag and loads
no tags. Each stored card carries the version of the card templates it came from
(`card_version()`, a hash of their source: `posts.template_versions`): after a template change,
a list page renders the cards it shows again and stores them (`with_current_cards`), so nothing
has to be run by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from posts.models import BODY_SOURCES, Post
from posts.template_versions import template_version

CARD_TEMPLATE = "partials/_post_card.html"
CARD_TEMPLATES = (CARD_TEMPLATE, "partials/_post_meta.html", "partials/_tags.html")


def card_version() -> str:
    """The card templates' version: stored cards of another version are out of date."""
    return template_version(CARD_TEMPLATES)


def render_card(post: Post) -> str:
    return render_to_string(CARD_TEMPLATE, {"post": post})


def _store(post: Post) -> None:
    post.card_html, post.card_version = render_card(post), card_version()
    # `update()`: no signals, so storing a card starts no page-cache generation of its own.
    Post.objects.filter(pk=post.pk).update(card_html=post.card_html, card_version=post.card_version)


def refresh_cards(post_ids: Iterable[int]) -> list[Post]:
    """Render and store the cards of these posts (one query for them, one for their tags);
    returns the posts, each with its new `card_html`."""
    ids = list(post_ids)
    if not ids:
        return []
    posts = list(
        Post.objects.filter(pk__in=ids)
        .select_related("author")
        .prefetch_related("tags")
        .defer(*BODY_SOURCES, "body_html", *Post.FEED_FIELDS)
    )
    for post in posts:
        _store(post)
    return posts


def cards_html(posts: Iterable[Post]) -> SafeString:
    """The stored cards of `posts` (from `with_current_cards`), one after the other."""
    return mark_safe("".join(post.card_html for post in posts))  # rendered by the templates


def with_current_cards(posts: Iterable[Post]) -> list[Post]:
    """The posts of a list page (`Post.objects.for_cards()`: the stored card and its version
    only), each with a current `card_html`; a card stored by other templates (or never) is
    rendered from the whole post and stored again."""
    posts = list(posts)
    stale = {
        post.pk: post for post in posts if post.card_version != card_version() or not post.card_html
    }
    for fresh in refresh_cards(stale):
        stale[fresh.pk].card_html = fresh.card_html
    return posts

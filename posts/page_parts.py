"""The parts of a post's page that show the post alone, rendered when they change and stored.

A post page prints, besides the body: its metadata in `<head>` (title, description, canonical
URL, Open Graph, JSON-LD, the Highwire tags of scholarly indexes), the line of date, reading time
and author, the update notes, the citation block, the tags and the share links. Each shows only
the post, its tags, its notes and its author, so the receivers in `posts.signals` render them
whenever one of those changes (`refresh_parts`) and store them in `Post.page_parts`; a page
prints them as they are.

Stored parts carry the key they were made for (`parts_key()`): the version of their templates
(`posts.template_versions`), the post's absolute URL (`SITE_URL`, date and slug), whether the
post is public and whether this is production (either one false, the metadata says noindex: a
scheduled post until its time comes), its share card and the site's name. A page whose post has
parts of another key renders them again and stores them (`current_parts`), so a template change,
a new `SITE_URL` or a scheduled post coming due needs nothing run by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string

from posts import list_cards, seo
from posts.absolute_urls import absolute_url
from posts.cite import citation_block
from posts.models import BODY_SOURCES, Post, store_on_read
from posts.share_links import share_links
from posts.template_versions import template_version

# Each part and the template it is rendered from.
PARTS = {
    "head": "partials/_post_head.html",
    "meta_line": "partials/_post_meta.html",
    "notes": "partials/_update_notes.html",
    "cite": "partials/_citation.html",
    "tags": "partials/_tags.html",
    "share": "partials/_share.html",
}
# The parts' templates and those they include: stored parts of another version are out of date.
PART_TEMPLATES = (*PARTS.values(), "partials/_metadata.html", "partials/_scholar_meta.html")


def parts_key(post: Post) -> str:
    """What the parts of `post` are made for, as of now (see the module's docstring)."""
    url = absolute_url(post.get_absolute_url())
    public, production = post.is_public, settings.PRODUCTION  # either False: noindex
    version = template_version(PART_TEMPLATES)
    return f"{version} {url} {public} {production} {post.card} {settings.SITE_NAME}"


def render_parts(post: Post) -> dict[str, str]:
    """Every part of `post` (with its author, tags and notes loaded) and the key they are for."""
    tags = list(post.tags.all())
    notes = list(post.update_notes.all())
    url = absolute_url(post.get_absolute_url())
    context = {
        "post": post,
        "tags": tags,
        "update_notes": notes,
        "cite": citation_block(post, notes),
        "meta": seo.for_post(post, tags),
        "share_links": share_links(post),
        "share_url": url,
    }
    parts = {name: render_to_string(template, context) for name, template in PARTS.items()}
    return {"key": parts_key(post), **parts}


def _whole_posts(post_ids: Iterable[int]):
    return (
        Post.objects.filter(pk__in=post_ids)
        .select_related("author")
        .prefetch_related("tags", "update_notes")
        .defer(*BODY_SOURCES, "body_html", "card_html", *Post.FEED_FIELDS)
    )


def _store(post_pk: int, parts: dict[str, str]) -> None:
    # `update()`: no signals, so storing parts starts no page-cache generation of its own.
    Post.objects.filter(pk=post_pk).update(page_parts=parts)


def refresh_parts(post_ids: Iterable[int]) -> None:
    """Render and store the parts of these posts (three queries for them, one update each)."""
    ids = list(post_ids)
    if ids:
        for post in _whole_posts(ids):
            _store(post.pk, render_parts(post))


def refresh_card_and_parts(post_ids: Iterable[int]) -> None:
    """Render and store the card (`posts.list_cards`) and the parts of these posts, which show
    the same post, tags and author: three queries for them all, one update each."""
    ids = list(post_ids)
    if ids:
        for post in _whole_posts(ids):
            # `update()`: no signals, so this starts no page-cache generation of its own.
            Post.objects.filter(pk=post.pk).update(
                card_html=list_cards.render_card(post),
                card_version=list_cards.card_version(),
                page_parts=render_parts(post),
            )


def current_parts(post: Post) -> dict[str, str]:
    """The parts of `post`'s page as of now: the stored ones when their key is current, else
    rendered from the whole post and stored again."""
    stored = post.page_parts or {}
    if stored.get("key") == parts_key(post):
        return stored
    whole = _whole_posts([post.pk]).first()
    if whole is None:  # deleted since the page's query
        whole = post
    parts = render_parts(whole)
    store_on_read(Post.objects.filter(pk=post.pk), page_parts=parts)
    return parts

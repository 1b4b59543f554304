"""Template tags of the discovery layer: page metadata, related posts and share links."""

from django import template

from posts.absolute import absolute_url
from posts.related import related_posts as find_related_posts
from posts.seo import metadata_for
from posts.share import share_links as build_share_links

register = template.Library()


@register.simple_tag(takes_context=True)
def page_metadata(context):
    """`{% page_metadata as meta %}`: this page's `posts.seo.PageMetadata`."""
    return metadata_for(context.flatten())


@register.inclusion_tag("partials/_related.html")
def related_posts(post):
    return {"related_posts": find_related_posts(post)}


@register.inclusion_tag("partials/_share.html")
def share_links(post):
    return {
        "share_links": build_share_links(post),
        "share_url": absolute_url(post.get_absolute_url()),
    }

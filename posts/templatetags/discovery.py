"""Page metadata for templates that no view of ours renders (django-axes' lockout page)."""

from django import template

from posts.seo import for_error

register = template.Library()


@register.simple_tag
def error_metadata(title):
    """`{% error_metadata "Sign-in locked" as meta %}`: an error page's `posts.seo.PageMetadata`."""
    return for_error(title)

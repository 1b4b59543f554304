"""Template tags for the scholarly parts of a post page: its series."""

from django import template

from posts.series import series_position

register = template.Library()


@register.simple_tag
def post_series(post):
    """`{% post_series post as position %}`: the post's series and its published parts, or None."""
    return series_position(post)

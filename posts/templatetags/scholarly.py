"""Template tags for the scholarly parts of a post page: its citation and its series."""

from django import template

from posts.cite import citation_block
from posts.series import series_position

register = template.Library()


@register.simple_tag
def post_citation(post, notes):
    """`{% post_citation post update_notes as cite %}`: text, BibTeX, cite.bib URL, versions."""
    return citation_block(post, notes)


@register.simple_tag
def post_series(post):
    """`{% post_series post as position %}`: the post's series and its published parts, or None."""
    return series_position(post)

"""The admin, where writers edit everything; one module per part of the site."""

from posts.admin import media, post, reference, series, tag

__all__ = ["media", "post", "reference", "series", "tag"]

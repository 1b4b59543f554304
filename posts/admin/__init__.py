"""The admin, where writers edit everything; one module per part of the site."""

from posts.admin import post, reference, series, tag

__all__ = ["post", "reference", "series", "tag"]

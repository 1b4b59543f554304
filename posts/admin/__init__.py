"""The admin, where writers edit everything; one module per part of the site."""

from posts.admin import bibliography, media, post, series, tag, users

__all__ = ["bibliography", "media", "post", "series", "tag", "users"]

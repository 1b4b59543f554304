"""The content models, one module per kind; every model is importable from `posts.models`."""

from posts.models.bibliography import Reference
from posts.models.content import (
    BODY_SOURCES,
    Post,
    PostAlias,
    PostQuerySet,
    Series,
    UpdateNote,
    display_name,
    feed_entries,
    with_current_feed_text,
)
from posts.models.images import Image, ImageInUse
from posts.models.listing import ListingVersion, store_on_read
from posts.models.previews import SharePreview
from posts.models.search_index import SearchEntry
from posts.models.tags import Tag, TaggedPost, TagQuerySet

__all__ = [
    "BODY_SOURCES",
    "Image",
    "ImageInUse",
    "ListingVersion",
    "Post",
    "PostAlias",
    "PostQuerySet",
    "Reference",
    "SearchEntry",
    "Series",
    "SharePreview",
    "Tag",
    "TagQuerySet",
    "TaggedPost",
    "UpdateNote",
    "display_name",
    "feed_entries",
    "store_on_read",
    "with_current_feed_text",
]

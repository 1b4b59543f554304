"""Related posts: published posts that share the most tags with a post, newest first on ties."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from posts.models import Post, TaggedPost

RELATED_LIMIT = 5


def related_posts(post, tags: Iterable | None = None, limit: int = RELATED_LIMIT) -> list[Post]:
    """Up to `limit` published posts ranked by shared tags (`tags`: the post's, when the caller
    has them already).

    Three plain queries, whatever the post count: the other posts' links to these tags, which
    of those posts are published, newest first (ids only: the `(status, published_at)` index
    answers it without reading a post's row), and the winners' titles.
    """
    tag_ids = (
        [tag.pk for tag in tags]
        if tags is not None
        else list(post.tags.values_list("pk", flat=True))
    )
    linked = TaggedPost.objects.filter(tag_id__in=tag_ids).exclude(content_object_id=post.pk)
    shared = Counter(linked.values_list("content_object_id", flat=True))
    if not shared:
        return []
    newest_first = (
        Post.objects.published()
        .filter(pk__in=linked.values("content_object_id"))
        .order_by("-published_at", "-id")
        .values_list("pk", flat=True)
    )
    # A stable sort by shared tags keeps the newest first among equals.
    ranked = sorted(newest_first, key=lambda pk: shared[pk], reverse=True)[:limit]
    winners = Post.objects.filter(pk__in=ranked).only("title", "slug", "published_at", "created_at")
    by_pk = {related.pk: related for related in winners}
    for pk, related in by_pk.items():
        related.shared_tags = shared[pk]
    return [by_pk[pk] for pk in ranked]

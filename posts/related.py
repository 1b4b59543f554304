"""Related posts: published posts that share the most tags with a post, newest first on ties."""

from __future__ import annotations

from django.db.models import Count

from posts.models import Post, TaggedPost

RELATED_LIMIT = 5


def related_posts(post, limit: int = RELATED_LIMIT) -> list[Post]:
    """Up to `limit` published posts ranked by shared tags; one query, whatever the post count."""
    tag_ids = TaggedPost.objects.filter(content_object_id=post.pk).values("tag_id")
    return list(
        Post.objects.published()
        .exclude(pk=post.pk)
        .filter(tags__in=tag_ids)
        .annotate(shared_tags=Count("tags"))
        .only("title", "slug", "published_at", "created_at")
        .order_by("-shared_tags", "-published_at", "-id")[:limit]
    )

"""The full-text index of posts, kept in step with every save, delete and tag change.

One row per post, whatever its status: visibility is decided at query time by
`Post.objects.published()`, so a scheduled post becomes findable the moment it comes due.

- SQLite: an FTS5 virtual table `posts_search_index(title, tags, summary, body)` whose rowid is
  the post id, tokenized with `porter unicode61` (stemming: "optimizing" finds "optimization").
- PostgreSQL: a table `posts_search_index(post_id, body, document)` holding a weighted `tsvector`
  (english config: title A, tags B, summary C, body D) under a GIN index, and the indexed body
  text that `ts_headline()` cuts snippets from.

Both tables are created by migration 0002; `manage.py rebuild_search_index` refills them.
Writes that bypass model signals (`QuerySet.update()`, raw SQL) need a rebuild afterwards.
"""

from __future__ import annotations

from django.db import connection

from posts.markup.text import html_to_plain
from posts.models import Post, Tag

TABLE = "posts_search_index"
SUPPORTED_VENDORS = ("sqlite", "postgresql")


def document_fields(post) -> dict[str, str]:
    """The text of a post that search reads: title, tag names, summary and body as plain text
    (body: prose and code; formulas as their visible characters, so snippets show no TeX)."""
    summary = html_to_plain(post.summary_html)
    tags = Tag.objects.filter(tagged_posts__content_object_id=post.pk).values_list("name")
    return {
        "title": post.title,
        "tags": " ".join(name for (name,) in tags),
        "summary": summary,
        "body": html_to_plain(post.body_html, code=True),
    }


def index_post(post) -> None:
    """Write (or rewrite) one post's row in the index."""
    if connection.vendor not in SUPPORTED_VENDORS or post.pk is None:
        return
    fields = document_fields(post)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [post.pk])
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, title, tags, summary, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                [post.pk, fields["title"], fields["tags"], fields["summary"], fields["body"]],
            )
        else:
            cursor.execute(
                f"INSERT INTO {TABLE} (post_id, body, document) VALUES (%s, %s, "
                "setweight(to_tsvector('english', %s), 'A') || "
                "setweight(to_tsvector('english', %s), 'B') || "
                "setweight(to_tsvector('english', %s), 'C') || "
                "setweight(to_tsvector('english', %s), 'D')) "
                "ON CONFLICT (post_id) DO UPDATE "
                "SET body = EXCLUDED.body, document = EXCLUDED.document",
                [
                    post.pk,
                    fields["body"],
                    fields["title"],
                    fields["tags"],
                    fields["summary"],
                    fields["body"],
                ],
            )


def reindex_posts(post_ids) -> None:
    """Rewrite the rows of these posts, e.g. after their tags changed through `update()`."""
    for post in Post.objects.filter(pk__in=list(post_ids)):
        index_post(post)


def unindex_post(post_id: int) -> None:
    if connection.vendor not in SUPPORTED_VENDORS:
        return
    column = "rowid" if connection.vendor == "sqlite" else "post_id"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE {column} = %s", [post_id])


def rebuild_index(posts) -> int:
    """Empty the index and fill it from `posts` (an iterable of Post); returns how many."""
    if connection.vendor not in SUPPORTED_VENDORS:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
    count = 0
    for post in posts:
        index_post(post)
        count += 1
    return count

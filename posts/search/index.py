"""The full-text index of posts, kept in step with every save, delete and tag change.

One row per post, whatever its status: visibility is decided at query time by
`Post.objects.published()` (on PostgreSQL also by the row's copy of it, `visible_from`, compared
with the current time), so a scheduled post becomes findable the moment it comes due.

- SQLite: an FTS5 virtual table `posts_search_index(title, tags, summary, body)` whose rowid is
  the post id, tokenized with `porter unicode61` (stemming: "optimizing" finds "optimization").
- PostgreSQL: the table `posts_search_index` of `posts.models.SearchEntry` (english config):
  `document`, the weighted `tsvector` of the whole post (title A, tags B, summary C, body D) under
  a GIN index, which decides what matches; `head`, title A, tags B and summary C alone (a few
  hundred bytes), which decides the order; `lead`, the first `LEAD_CHARACTERS` of the body's plain
  text, which snippets are cut from; `visible_from`, the post's publish time while it is
  published (`visible_from()`), so that a search counts and orders its matches from this table
  alone. Whole bodies are not stored a second time.

A hyphen between two letters or digits is indexed as a space on both backends, as the query
parser reads it: `diffusion-111` is the phrase "diffusion 111" in posts and in queries alike.
(PostgreSQL's parser would otherwise read `-111` as a negative number.)

The tables are created by migrations 0004, 0010 and 0011; `manage.py rebuild_search_index` refills
them. Writes that bypass model signals (`QuerySet.update()`, raw SQL) need a rebuild afterwards.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

from posts.markup.text import html_to_plain
from posts.models import Post, SearchEntry, Tag

TABLE = "posts_search_index"
SUPPORTED_VENDORS = ("sqlite", "postgresql")
CONFIG = "english"
# The start of the body that snippets are cut from: about 300 words, a few KB next to bodies of
# tens of KB.
LEAD_CHARACTERS = 2000
WEIGHTS = {"title": "A", "tags": "B", "summary": "C"}

INNER_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")


def searchable(text: str) -> str:
    """`text` with each hyphen between two letters or digits made a space (see the docstring)."""
    return INNER_HYPHEN.sub(" ", text)


def lead_of(body: str, limit: int = LEAD_CHARACTERS) -> str:
    """The first `limit` characters of `body`, cut back to the last whole word."""
    if len(body) <= limit:
        return body
    cut = body[: limit + 1]
    head, _, _ = cut.rpartition(" ")
    return (head or cut[:limit]).rstrip()


def visible_from(post):
    """When `post` is (or becomes) public: its publish time while it is published, else None.
    `Post.objects.published()` is exactly the posts whose `visible_from` is not after now."""
    return post.published_at if post.status == Post.Status.PUBLISHED else None


def document_fields(post) -> dict[str, str]:
    """The text of a post that search reads: title, tag names, summary and body as plain text
    (body: prose and code; formulas as their visible characters, so snippets show no TeX)."""
    summary = html_to_plain(post.summary_html)
    tags = Tag.objects.filter(tagged_posts__content_object_id=post.pk).values_list("name")
    fields = {
        "title": post.title,
        "tags": " ".join(name for (name,) in tags),
        "summary": summary,
        "body": html_to_plain(post.body_html, code=True),
    }
    return {name: searchable(text) for name, text in fields.items()}


def _vector(fields: dict[str, str], body: str | None = None) -> SearchVector:
    """title A, tags B, summary C and, if given, `body` D, as one `tsvector` expression."""
    texts = [(fields[name], weight) for name, weight in WEIGHTS.items()]
    if body is not None:
        texts.append((body, "D"))
    vector = None
    for text, weight in texts:
        part = SearchVector(Value(text), config=CONFIG, weight=weight)
        vector = part if vector is None else vector + part
    return vector


def index_post(post) -> None:
    """Write (or rewrite) one post's row in the index."""
    if connection.vendor not in SUPPORTED_VENDORS or post.pk is None:
        return
    fields = document_fields(post)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [post.pk])
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, title, tags, summary, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                [post.pk, fields["title"], fields["tags"], fields["summary"], fields["body"]],
            )
        return
    entry = SearchEntry(
        post_id=post.pk,
        lead=lead_of(fields["body"]),
        head=_vector(fields),
        document=_vector(fields, fields["body"]),
        visible_from=visible_from(post),
    )
    SearchEntry.objects.bulk_create(
        [entry],
        update_conflicts=True,
        unique_fields=["post"],
        update_fields=["lead", "head", "document", "visible_from"],
    )


def reindex_posts(post_ids) -> None:
    """Rewrite the rows of these posts, e.g. after their tags changed through `update()`."""
    for post in Post.objects.filter(pk__in=list(post_ids)):
        index_post(post)


def unindex_post(post_id: int) -> None:
    if connection.vendor not in SUPPORTED_VENDORS:
        return
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(post_id=post_id).delete()
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [post_id])


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

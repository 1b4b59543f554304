"""Full-text search of published posts: one function, two backends.

`search(text)` parses the reader's text (`posts.search.query`) and returns a queryset of
`Post.objects.published()` ordered by relevance, then by date, each post annotated with
`search_rank` (higher is better) and `search_snippet` (plain text in which matches are wrapped in
the private-use characters `MATCH_START`/`MATCH_END`; `highlight()` turns that into safe HTML).

- SQLite: FTS5 `MATCH` with `bm25()` column weights and `snippet()` over the body.
- PostgreSQL: `websearch_to_tsquery('english', ...)`, `ts_rank()` over the weighted vector and
  `ts_headline()` over the indexed body text.

A match in the title or a tag name ranks above one in the summary, which ranks above the body.
The queryset is a normal one, so pagination, `for_listing()` and counting work as on the home page.
"""

from __future__ import annotations

import re

from django.db import NotSupportedError, connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from posts.models import Post
from posts.search.index import TABLE
from posts.search.query import ParsedQuery, SearchQueryError, parse_query

__all__ = ["SearchQueryError", "highlight", "search"]

MATCH_START = "\ue000"
MATCH_END = "\ue001"
SNIPPET_WORDS = 30

# bm25 weights per column of the FTS5 table: title, tags, summary, body.
SQLITE_WEIGHTS = (10.0, 8.0, 3.0, 1.0)
SQLITE_BODY_COLUMN = 3
HEADLINE_OPTIONS = (
    f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def search(text: str) -> QuerySet[Post]:
    """Published posts matching `text`, best first; raises `SearchQueryError` for unusable text."""
    query = parse_query(text)
    posts = Post.objects.published()
    if connection.vendor == "sqlite":
        posts = _sqlite(posts, query)
    elif connection.vendor == "postgresql":
        posts = _postgresql(posts, query)
    else:
        raise NotSupportedError("Search needs SQLite (FTS5) or PostgreSQL.")
    return posts.order_by("-search_rank", "-published_at", "-id")


def _sqlite(posts: QuerySet[Post], query: ParsedQuery) -> QuerySet[Post]:
    match = query.fts5()
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    correlated = f'FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid = "posts_post"."id"'
    return posts.filter(
        id__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match])
    ).annotate(
        search_rank=RawSQL(f"SELECT -bm25({TABLE}, {weights}) {correlated}", [match]),
        search_snippet=RawSQL(
            f"SELECT snippet({TABLE}, {SQLITE_BODY_COLUMN}, %s, %s, '…', {SNIPPET_WORDS}) "
            + correlated,
            [MATCH_START, MATCH_END, match],
        ),
    )


def _postgresql(posts: QuerySet[Post], query: ParsedQuery) -> QuerySet[Post]:
    tsquery = "websearch_to_tsquery('english', %s)"
    text = query.websearch()
    return posts.filter(
        id__in=RawSQL(f"SELECT post_id FROM {TABLE} WHERE document @@ {tsquery}", [text])
    ).annotate(
        search_rank=RawSQL(
            f'SELECT ts_rank(document, {tsquery}) FROM {TABLE} WHERE post_id = "posts_post"."id"',
            [text],
        ),
        search_snippet=RawSQL(
            f"SELECT ts_headline('english', body, {tsquery}, %s) FROM {TABLE} "
            'WHERE post_id = "posts_post"."id"',
            [text, HEADLINE_OPTIONS],
        ),
    )


MARKED = re.compile(f"{MATCH_START}(.*?){MATCH_END}", re.S)


def highlight(snippet: str | None) -> SafeString:
    """Escape a snippet's text, then wrap each match in `<mark>`."""
    escaped = MARKED.sub(r"<mark>\1</mark>", escape(snippet or ""))
    return mark_safe(escaped.replace(MATCH_START, "").replace(MATCH_END, ""))

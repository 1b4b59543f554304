"""Full-text search of published posts: one function, two backends.

`search(text)` parses the reader's text (`posts.search.query`) and returns a queryset of
`Post.objects.published()` ordered by relevance, then by date, each post annotated with
`search_rank` (higher is better) and `search_snippet` (plain text in which matches are wrapped in
the private-use characters `MATCH_START`/`MATCH_END`; `highlight()` turns that into safe HTML).

- SQLite: FTS5 `MATCH` with `bm25()` column weights and `snippet()` over the body.
- PostgreSQL (`django.contrib.postgres.search`, over `posts.models.SearchEntry`): the whole
  post's `document` decides what matches, through its GIN index (`websearch_to_tsquery`);
  `ts_rank()` over the small `head` vector (title, tags, summary) orders the matches, and
  `ts_headline()` cuts snippets from the stored `lead` (the start of the body) for the page of
  results shown only. A post matched by its body alone ranks 0, below every match in a title, tag
  or summary, and such posts come newest first; when the words are not in its first
  `LEAD_CHARACTERS`, its snippet is the start of the post.

A match in the title or a tag name ranks above one in the summary, which ranks above the body.
The queryset counts and paginates like any other. On PostgreSQL (`SearchResults`) it first reads
the ids of all matches in rank order, once, in one query of the search rows alone (each row
carries its post's visibility, `visible_from`, so no post is joined per match), which gives the
exact count and a page's ids; then it reads that page's posts, checked against
`Post.objects.published()` again, with what the page shows of them (`for_results()`) and their
snippets, so joins and snippets cost ten rows a page, not one per match.
(SQLite's correlated FTS5 subqueries name the outer table, so its queryset stays a plain one.)
"""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import NotSupportedError, connection
from django.db.models import Case, F, FloatField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from posts.models import Post, PostQuerySet, SearchEntry
from posts.search.index import CONFIG, TABLE
from posts.search.query import ParsedQuery, SearchQueryError, parse_query

__all__ = ["SearchQueryError", "highlight", "search"]

MATCH_START = "\ue000"
MATCH_END = "\ue001"
SNIPPET_WORDS = 30

# bm25 weights per column of the FTS5 table: title, tags, summary, body.
SQLITE_WEIGHTS = (10.0, 8.0, 3.0, 1.0)
SQLITE_BODY_COLUMN = 3
HEADLINE_OPTIONS = {
    "start_sel": MATCH_START,
    "stop_sel": MATCH_END,
    "max_words": SNIPPET_WORDS,
    "min_words": 12,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}
ORDER = ("-search_rank", "-published_at", "-id")
# The ids of `SearchResults.entries` in the order `ORDER` gives their posts.
RANKED_IDS = ArrayAgg("post_id", order_by=("-search_rank", "-visible_from", "-post_id"), default=[])


class SearchResults(PostQuerySet):
    """PostgreSQL search results, read in two steps. First the ids of every match in rank order,
    once per queryset (`ranked_ids()`), from the search rows alone: the match (GIN), the row's
    `visible_from` compared with the time of the search, and `ts_rank` of those whose head
    matches; no post is joined. The count is their number and a slice (a page) picks its ids
    from them. Then only the slice's posts are read, checked as published once more, annotated
    and ordered, with whatever `select_related()` and the snippet add. A paginator asks the same
    queryset for both, so one reading of the matches serves a page.

    `entries` are those rows (set by `_postgresql()`, kept by every clone). A queryset filtered,
    excluded or reordered after `search()` no longer describes them: it drops `entries`, and
    counts and slices as any queryset does."""

    _ranked_ids: list[int] | None = None
    entries: QuerySet[SearchEntry] | None = None

    def _clone(self):
        clone = super()._clone()
        clone.entries = self.entries
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        clone.entries = None
        return clone

    def order_by(self, *field_names):
        clone = super().order_by(*field_names)
        clone.entries = None
        return clone

    def _reads_entries(self) -> bool:
        return (
            self.entries is not None
            and self._result_cache is None
            and self._iterable_class is ModelIterable
            and not self.query.is_empty()
        )

    def ranked_ids(self) -> list[int]:
        """Every match's id, best first: the posts whose head matches, by rank, then the rest
        newest first (they rank 0 without computing `ts_rank`). One array from one query: 10,000
        ids as rows cost more to fetch than to find."""
        if self._ranked_ids is None:
            self._ranked_ids = self.entries.aggregate(ids=RANKED_IDS)["ids"]
        return self._ranked_ids

    def count(self) -> int:
        if not self._reads_entries():
            return super().count()
        return len(self.ranked_ids())

    def __getitem__(self, k):
        if not (self._reads_entries() and isinstance(k, slice) and k.step is None):
            return super().__getitem__(k)
        # The page's query keeps the joins, annotations and order and asks for these ids only,
        # which the planner reads by primary key instead of running the match a second time;
        # it checks again that they are published, against the posts themselves.
        page = self._chain()
        page.query.where = WhereNode()
        return page.published().filter(pk__in=self.ranked_ids()[k])


def search(text: str) -> PostQuerySet:
    """Published posts matching `text`, best first; raises `SearchQueryError` for unusable text."""
    query = parse_query(text)
    now = timezone.now()
    posts = Post.objects.published(now)
    if connection.vendor == "sqlite":
        return _sqlite(posts, query).order_by(*ORDER)
    if connection.vendor == "postgresql":
        results = SearchResults(Post, query=posts.query.chain(), using=posts.db)
        return _postgresql(results, query, now)
    raise NotSupportedError("Search needs SQLite (FTS5) or PostgreSQL.")


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


def _head_rank(tsquery: SearchQuery, prefix: str = "") -> Case:
    """`ts_rank` over the head (title, tags, summary) of the posts whose head matches; 0 for the
    others, matched by their body alone, without the cost of `ts_rank` (most posts, for a common
    word). `prefix` reaches the search row from another model."""
    head = f"{prefix}head"
    return Case(
        When(**{head: tsquery}, then=SearchRank(F(head), tsquery)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _postgresql(posts: SearchResults, query: ParsedQuery, now: datetime) -> SearchResults:
    tsquery = SearchQuery(query.websearch(), search_type="websearch", config=CONFIG)
    results = (
        posts.filter(search_entry__document=tsquery)
        .annotate(
            search_rank=_head_rank(tsquery, "search_entry__"),
            search_snippet=SearchHeadline(
                "search_entry__lead", tsquery, config=CONFIG, **HEADLINE_OPTIONS
            ),
        )
        .order_by(*ORDER)
    )
    # The same matches, visibility and order, read from the search rows alone.
    results.entries = SearchEntry.objects.filter(document=tsquery, visible_from__lte=now).annotate(
        search_rank=_head_rank(tsquery)
    )
    return results


MARKED = re.compile(f"{MATCH_START}(.*?){MATCH_END}", re.S)


def highlight(snippet: str | None) -> SafeString:
    """Escape a snippet's text, then wrap each match in `<mark>`."""
    escaped = MARKED.sub(r"<mark>\1</mark>", escape(snippet or ""))
    return mark_safe(escaped.replace(MATCH_START, "").replace(MATCH_END, ""))

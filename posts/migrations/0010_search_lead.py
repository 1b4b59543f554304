"""Search on PostgreSQL reads less: a small `head` vector (title, tags, summary) to rank by and a
short `lead` text for snippets next to the whole post's `document`; the stored copy of each body
goes. The model `SearchEntry` is unmanaged (on SQLite the table is FTS5, unchanged here), so the
schema change is raw SQL: the table is made anew (see FORWARD for its storage and statistics) and
filled from what is stored, with hyphens inside words made spaces as
`posts.search.index.searchable()` does; `manage.py rebuild_search_index` gives the exact rows."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

LEAD_CHARACTERS = 2000  # posts.search.index.LEAD_CHARACTERS when this migration was written


def searchable(sql):
    return f"regexp_replace({sql}, '([[:alnum:]])-(?=[[:alnum:]])', '\\1 ', 'g')"


def weighted(title, tags, summary, body):
    parts = ((title, "A"), (tags, "B"), (summary, "C"), (body, "D"))
    return " || ".join(
        f"setweight(to_tsvector('english', {searchable(text)}), '{weight}')"
        for text, weight in parts
        if text is not None
    )


LEAD = (
    f"CASE WHEN length(i.body) <= {LEAD_CHARACTERS} THEN i.body "
    f"ELSE rtrim(regexp_replace(left(i.body, {LEAD_CHARACTERS + 1}), '\\s+\\S*$', '')) END"
)
TAGS = (
    "COALESCE((SELECT string_agg(t.name, ' ') FROM posts_taggedpost tp "
    "JOIN posts_tag t ON t.id = tp.tag_id WHERE tp.content_object_id = p.id), '')"
)
NEXT = "posts_search_next"
FORWARD = [
    # A new table rather than new columns: rows written once and densely, and no planner
    # statistics of the old vectors left behind (see the comment on STATISTICS 0 below).
    f"CREATE TABLE {NEXT} (post_id bigint PRIMARY KEY, document tsvector NOT NULL, "
    "head tsvector NOT NULL, lead text NOT NULL) WITH (toast_tuple_target = 512)",
    # The part of a row that every match reads, the post id and the small head vector, stays in
    # the row, uncompressed (MAIN: compressed only when a row is still over 512 bytes without
    # its lead); the lead, read for ten rows a page, goes out of line (EXTERNAL): rows of a few
    # hundred bytes, packed densely.
    f"ALTER TABLE {NEXT} ALTER COLUMN lead SET STORAGE EXTERNAL, "
    "ALTER COLUMN head SET STORAGE MAIN, "
    # No statistics for the whole post's vector: the planner then estimates a match as selective
    # (0.5 % a word) and reads matches through the GIN index, which for a plain query never
    # opens the TOASTed vectors. With statistics, a common word made it scan the table and
    # decompress every row's vector (docs/benchmarks.md, "Search at 10,000 posts").
    "ALTER COLUMN document SET STATISTICS 0",
    f"INSERT INTO {NEXT} (post_id, document, head, lead) SELECT i.post_id, "
    f"{weighted('p.title', TAGS, 'p.summary', 'i.body')}, "
    f"{weighted('p.title', TAGS, 'p.summary', None)}, {searchable(LEAD)} "
    "FROM posts_search_index i JOIN posts_post p ON p.id = i.post_id",
    "DROP TABLE posts_search_index",
    f"ALTER TABLE {NEXT} RENAME TO posts_search_index",
    f"ALTER INDEX {NEXT}_pkey RENAME TO posts_search_index_pkey",
    # No pending list: a post's save updates the index at once (a few ms), and a search never
    # scans unsorted pending entries, nor does the planner count them against the index.
    "CREATE INDEX posts_search_index_document ON posts_search_index USING GIN (document) "
    "WITH (fastupdate = off)",
    # Every match is checked against its post's visibility (`Post.objects.published()`): this
    # index answers that check from the index alone (an index-only scan), not from the post's
    # row with its rendered texts; ~2.5x faster when every post matches (docs/benchmarks.md).
    "CREATE INDEX posts_post_visibility ON posts_post (id) INCLUDE (status, published_at)",
    "ANALYZE posts_search_index",
]
BACKWARD = [
    f"CREATE TABLE {NEXT} "
    "(post_id bigint PRIMARY KEY, body text NOT NULL, document tsvector NOT NULL)",
    f"INSERT INTO {NEXT} (post_id, body, document) SELECT i.post_id, p.body_text, i.document "
    "FROM posts_search_index i JOIN posts_post p ON p.id = i.post_id",
    "DROP TABLE posts_search_index",
    f"ALTER TABLE {NEXT} RENAME TO posts_search_index",
    f"ALTER INDEX {NEXT}_pkey RENAME TO posts_search_index_pkey",
    "CREATE INDEX posts_search_index_document ON posts_search_index USING GIN (document)",
    "DROP INDEX IF EXISTS posts_post_visibility",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("posts", "0009_post_feed_text")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="posts.post",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
                ("head", django.contrib.postgres.search.SearchVectorField()),
                ("lead", models.TextField()),
            ],
            options={"db_table": "posts_search_index", "managed": False},
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]

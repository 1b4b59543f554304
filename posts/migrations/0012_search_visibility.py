"""Search on PostgreSQL reads a post's visibility from its own search row: `visible_from`, the
post's publish time while it is published, NULL while it is a draft. A search then counts and
orders its matches from `posts_search_index` alone (`visible_from <= now`, the test of
`Post.objects.published()`), without joining `posts_post` for each match; a scheduled post becomes
findable when its time comes, with no write. The covering index that served that join goes.

The model is unmanaged (on SQLite the table is FTS5 and unchanged: SQLite still joins the posts),
so the column is added by raw SQL and filled from the posts."""

from django.db import migrations, models

FORWARD = [
    "ALTER TABLE posts_search_index ADD COLUMN visible_from timestamp with time zone NULL",
    "UPDATE posts_search_index AS i SET visible_from = p.published_at FROM posts_post AS p "
    "WHERE p.id = i.post_id AND p.status = 'published'",
    "DROP INDEX IF EXISTS posts_post_visibility",
    "ANALYZE posts_search_index",
]
BACKWARD = [
    "ALTER TABLE posts_search_index DROP COLUMN visible_from",
    "CREATE INDEX posts_post_visibility ON posts_post (id) INCLUDE (status, published_at)",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("posts", "0011_post_page_parts")]

    operations = [
        # State only: the model is unmanaged, so Django writes no DDL for it.
        migrations.AddField(
            model_name="searchentry",
            name="visible_from",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from posts.models import Post, SearchEntry
from posts.search import search

pytestmark = pytest.mark.django_db


def test_every_model_change_has_its_migration():
    # makemigrations --check exits with status 1 when a migration is missing.
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as missing:
        pytest.fail(f"A model change has no migration (makemigrations exited {missing.code}).")


@pytest.mark.django_db(transaction=True)
def test_search_visibility_migration_fills_the_rows_of_existing_posts(make_post):
    """0012 run forward on a database with posts: each search row gets its post's visibility
    (PostgreSQL; on SQLite the FTS5 table is unchanged), and the count of a search is right.
    (A transactional test: SQLite's schema editor refuses to run inside a test's transaction.)"""
    now = timezone.now()
    public = make_post(title="Public zebra", published_at=now - timedelta(days=1))
    scheduled = make_post(title="Scheduled zebra", published_at=now + timedelta(days=1))
    draft = make_post(title="Draft zebra", status=Post.Status.DRAFT)
    try:
        MigrationExecutor(connection).migrate([("posts", "0011_post_page_parts")])
        if connection.vendor == "postgresql":
            columns = connection.introspection.get_table_description(
                connection.cursor(), "posts_search_index"
            )
            assert "visible_from" not in {column.name for column in columns}
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        if connection.vendor == "postgresql":
            assert dict(SearchEntry.objects.values_list("post_id", "visible_from")) == {
                public.pk: public.published_at,
                scheduled.pk: scheduled.published_at,
                draft.pk: None,
            }
        found = search("zebra")
        assert found.count() == 1 and [post.pk for post in found[:10]] == [public.pk]
    finally:
        # The search index is not a table that the end of a transactional test empties.
        Post.objects.all().delete()

"""The full-text search index (see posts/search_index.py): FTS5 on SQLite, tsvector + GIN on
PostgreSQL. Raw SQL, so Django's model state is unchanged; other databases get no index."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE posts_search_index USING fts5("
    "title, tags, summary, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO posts_search_index (rowid, title, tags, summary, body) "
    "SELECT p.id, p.title, COALESCE((SELECT group_concat(t.name, ' ') FROM posts_taggedpost tp "
    "JOIN posts_tag t ON t.id = tp.tag_id WHERE tp.content_object_id = p.id), ''), "
    "p.summary, p.body_text FROM posts_post p",
]
POSTGRES_CREATE = [
    "CREATE TABLE posts_search_index "
    "(post_id bigint PRIMARY KEY, body text NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX posts_search_index_document ON posts_search_index USING GIN (document)",
    "INSERT INTO posts_search_index (post_id, body, document) "
    "SELECT p.id, p.body_text, setweight(to_tsvector('english', p.title), 'A') || "
    "setweight(to_tsvector('english', COALESCE((SELECT string_agg(t.name, ' ') "
    "FROM posts_taggedpost tp JOIN posts_tag t ON t.id = tp.tag_id "
    "WHERE tp.content_object_id = p.id), '')), 'B') || "
    "setweight(to_tsvector('english', p.summary), 'C') || "
    "setweight(to_tsvector('english', p.body_text), 'D') FROM posts_post p",
]
STATEMENTS = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}


def create_index(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in STATEMENTS:
        schema_editor.execute("DROP TABLE IF EXISTS posts_search_index")


class Migration(migrations.Migration):
    dependencies = [("posts", "0003_assign_citation_keys")]

    operations = [migrations.RunPython(create_index, drop_index)]

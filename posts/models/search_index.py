"""The PostgreSQL search index's row, as a model so that search reads it with the ORM.

The table itself is made by raw SQL migrations (0004, 0010, 0011), because on SQLite the same
name is an FTS5 virtual table with other columns: the model is unmanaged, and only the PostgreSQL
side of `posts.search` queries it. `posts.search.index` writes it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One post's row: what matches (`document`), what ranks (`head`), what snippets show (`lead`)
    and who may see it (`visible_from`).

    - `document`: the whole post (title A, tags B, summary C, body D) under a GIN index. Only
      the index reads it for a plain query: the vector itself, tens of KB, sits in TOAST.
    - `head`: title A, tags B and summary C alone, a few hundred bytes: every match is ranked on
      it, cheaply.
    - `lead`: the start of the body's plain text, which snippets are cut from (stored out of
      line: only a page of results reads it).
    - `visible_from`: the post's `published_at` while its status is published, NULL while it is a
      draft. `visible_from <= now` is `Post.objects.published()` read from this row, so a search
      counts and orders its matches without joining the posts, and a scheduled post becomes
      findable when it comes due without a write.
    """

    post = models.OneToOneField(
        "posts.Post",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_entry",
    )
    document = SearchVectorField()
    head = SearchVectorField()
    lead = models.TextField()
    visible_from = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "posts_search_index"
        indexes = [
            GinIndex(fields=["document"], name="posts_search_index_document", fastupdate=False)
        ]

    def __str__(self):
        return f"search entry of post {self.post_id}"

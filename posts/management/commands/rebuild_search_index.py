"""Refill the full-text search index from every post (after bulk updates, restores, upgrades)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from posts.models import Post
from posts.search.index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of posts (FTS5 on SQLite, tsvector on PostgreSQL)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild_index(Post.objects.order_by("pk").iterator(chunk_size=200))
        self.stdout.write(f"Indexed {count} posts.")

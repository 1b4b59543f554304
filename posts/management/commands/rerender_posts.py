"""Re-render stored HTML after a change to the Markdown pipeline.

    manage.py rerender_posts              every post, and every tag, series and update-note text
    manage.py rerender_posts --outdated   only posts whose render_version is not PIPELINE_VERSION

A post's feed text (body and summary with absolute URLs, `Post.feed_body_xml`) is made again with
it. Only the rendered columns are written (`save(update_fields=...)`), so `updated_at` keeps meaning
"a writer last changed this" and is not touched. Tag, series and update-note descriptions carry no
version; they are short and are re-rendered on every run.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from posts.markup import PIPELINE_VERSION
from posts.models import Post, Series, Tag, UpdateNote


class Command(BaseCommand):
    help = "Re-render the stored HTML of posts (and tag, series and update-note descriptions)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--outdated",
            action="store_true",
            help=f"Only posts rendered by another pipeline version than {PIPELINE_VERSION}.",
        )

    def handle(self, *args, outdated=False, **options):
        posts = Post.objects.order_by("pk")
        if outdated:
            posts = posts.exclude(render_version=PIPELINE_VERSION)
        counts = {"posts": 0, "tags": 0, "series": 0, "update notes": 0}
        for post in posts.iterator(chunk_size=100):
            with transaction.atomic():
                post.save(update_fields=Post.RENDERED_FIELDS)  # save() renders
            counts["posts"] += 1
        for label, model, field in (
            ("tags", Tag, "description_html"),
            ("series", Series, "description_html"),
            ("update notes", UpdateNote, "note_html"),
        ):
            for obj in model.objects.order_by("pk").iterator(chunk_size=200):
                obj.save(update_fields=[field])
                counts[label] += 1
        self.stdout.write(
            f"Re-rendered {counts['posts']} post(s) (pipeline version {PIPELINE_VERSION}), "
            f"{counts['tags']} tag(s), {counts['series']} series and "
            f"{counts['update notes']} update note(s)."
        )

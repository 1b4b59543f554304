"""Load the demo content (run by `make run`): five posts, their tags, update notes and references.

What is loaded lives in `posts/demo/demo.yaml` and the Markdown files beside it.

Idempotent and safe for writers: a post whose slug exists is never touched, whatever its content
(so an edit made in the admin always wins), and tags and references that exist are left as they
are. Only what is missing is created, so a second run makes no writes. A demo post deleted in the
admin comes back on the next run; unpublish it instead to hide it.
"""

from datetime import datetime, time
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from posts.models import Post, Reference, Tag, UpdateNote

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def load_manifest(directory: Path = DEMO_DIR) -> dict:
    return yaml.safe_load((directory / "demo.yaml").read_text(encoding="utf-8"))


def publish_time(day) -> datetime:
    """Noon, local time, on the post's date."""
    return timezone.make_aware(datetime.combine(day, time(12)))


class Command(BaseCommand):
    help = "Create the demo posts, tags and references that do not exist yet."

    def handle(self, *args, **options):
        manifest = load_manifest()
        with transaction.atomic():
            author = self.ensure_author(manifest["author"])
            tags = self.ensure_tags(manifest["tags"])
            references = self.ensure_references(manifest["references"])
            posts = self.ensure_posts(manifest["posts"], author)
        self.stdout.write(
            f"Demo content: {posts} post(s), {tags} tag(s), {references} reference(s) created; "
            "existing ones left untouched."
        )

    def ensure_author(self, spec):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={"first_name": spec["first_name"], "last_name": spec["last_name"]},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def ensure_tags(self, specs) -> int:
        existing = {name.lower() for name in Tag.objects.values_list("name", flat=True)}
        created = 0
        for spec in specs:
            if spec["name"].lower() not in existing:
                Tag.objects.create(name=spec["name"], description=spec.get("description", ""))
                created += 1
        return created

    def ensure_references(self, specs) -> int:
        existing = set(Reference.objects.values_list("key", flat=True))
        missing = [spec for spec in specs if spec["key"] not in existing]
        for spec in missing:
            Reference.objects.create(**spec)
        return len(missing)

    def ensure_posts(self, specs, author) -> int:
        existing = set(Post.objects.values_list("slug", flat=True))
        missing = [spec for spec in specs if spec["slug"] not in existing]
        for spec in missing:
            post = Post.objects.create(
                title=spec["title"],
                slug=spec["slug"],
                author=author,
                summary=spec["summary"],
                body=(DEMO_DIR / spec["body"]).read_text(encoding="utf-8"),
                status=Post.Status.PUBLISHED,
                published_at=publish_time(spec["date"]),
            )
            post.tags.add(*spec["tags"])
            for note in spec.get("update_notes", []):
                UpdateNote.objects.create(post=post, date=note["date"], note=note["note"])
        return len(missing)

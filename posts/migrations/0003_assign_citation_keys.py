"""Give every post published before citation keys existed its key, oldest first (so the oldest
of two clashing posts keeps the plain key)."""

from django.db import migrations
from django.utils import timezone

from posts.cite import base_key, unique_key


def assign_keys(apps, schema_editor):
    Post = apps.get_model("posts", "Post")
    taken = set(Post.objects.exclude(citation_key="").values_list("citation_key", flat=True))
    posts = (
        Post.objects.filter(status="published", citation_key="")
        .exclude(published_at=None)
        .select_related("author")
        .order_by("published_at", "pk")
    )
    for post in posts:
        user = post.author
        name = (user.last_name or "").strip() or (user.first_name or "").strip() or user.username
        key = unique_key(base_key(name, timezone.localdate(post.published_at).year, post.title), taken)
        taken.add(key)
        Post.objects.filter(pk=post.pk).update(citation_key=key)


class Migration(migrations.Migration):
    dependencies = [("posts", "0002_reference_key_ci")]

    operations = [migrations.RunPython(assign_keys, migrations.RunPython.noop)]

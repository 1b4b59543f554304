"""Revisions of posts, kept by django-reversion: what is recorded, reading one, restoring one.

A revision of a post holds the post row, its update notes (followed) and its tag links
(`TaggedPost`, added whenever the post is added, because taggit's through model has no reverse
accessor to follow). Revisions are created by the admin (`posts.admin.revisions.RevisionsMixin`):
every save there is one revision with its author and time; there is no limit on how many are kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.models import Version

from posts.models import Post, Tag, TaggedPost, UpdateNote
from posts.writing.diff import post_state
from posts.xml_text import forbidden_in

reversion.register(Post, follow=("update_notes",))
reversion.register(UpdateNote)
reversion.register(TaggedPost)


class RestoreError(Exception):
    """A revision could not be restored (e.g. its slug now belongs to another post)."""


def add_tag_links(post: Post) -> None:
    """Record the post's current tag links in the active revision."""
    for link in TaggedPost.objects.filter(content_object=post):
        reversion.add_to_revision(link)


def versions_of(post: Post):
    """The post's versions, newest first, with the revision's author."""
    return Version.objects.get_for_object(post).select_related("revision__user")


def _related_versions(version: Version, model, link_field: str) -> list[Version]:
    """Versions of `model` rows in the same revision that belong to the versioned post."""
    content_type = ContentType.objects.get_for_model(model)
    return [
        item
        for item in version.revision.version_set.filter(content_type=content_type)
        if str(item.field_dict.get(link_field)) == version.object_id
    ]


def version_tag_ids(version: Version) -> list[int]:
    links = _related_versions(version, TaggedPost, "content_object_id")
    return [item.field_dict["tag_id"] for item in links]


def version_state(version: Version) -> dict[str, str]:
    """The text of the post as this version recorded it (see `posts.writing.diff.post_state`)."""
    data = version.field_dict
    names = Tag.objects.filter(id__in=version_tag_ids(version)).values_list("name", flat=True)
    return post_state(
        title=data.get("title", ""),
        slug=data.get("slug", ""),
        summary=data.get("summary", ""),
        body=data.get("body", ""),
        tags=list(names),
    )


def current_state(post: Post) -> dict[str, str]:
    return post_state(
        title=post.title,
        slug=post.slug,
        summary=post.summary,
        body=post.body,
        tags=[tag.name for tag in post.tags.all()],
    )


def version_saved_at(post: Post, updated_at: datetime) -> Version | None:
    """The version recorded by the save that set `updated_at` (None if that save kept none).

    Reversion stores datetimes to the millisecond, so the match allows for that rounding.
    """
    for version in versions_of(post)[:200]:
        saved = version.field_dict.get("updated_at")
        if saved is not None and abs(saved - updated_at) < timedelta(milliseconds=1):
            return version
    return None


def restore(version: Version, user) -> Post:
    """Bring the post back to `version`; the result is saved, re-rendered and a new revision."""
    post_id = int(version.object_id)
    label = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M:%S")
    try:
        with transaction.atomic(), reversion.create_revision():
            version.revert()
            notes = _related_versions(version, UpdateNote, "post_id")
            UpdateNote.objects.filter(post_id=post_id).exclude(
                pk__in=[note.object_id for note in notes]
            ).delete()
            for note in notes:
                note.revert()
            post = Post.objects.get(pk=post_id)
            texts = [("title", post.title), ("summary", post.summary), ("body", post.body)]
            texts += [("update note", n.note) for n in UpdateNote.objects.filter(post_id=post_id)]
            problem = forbidden_in(texts)  # saved before the admin refused it (admin/text_fields)
            if problem:
                raise RestoreError(
                    f"This version cannot be restored: {problem}. Compare it with the current "
                    "version to copy what you need from it."
                )
            post.tags.set(list(Tag.objects.filter(id__in=version_tag_ids(version))))
            post.save()
            reversion.add_to_revision(post)
            add_tag_links(post)
            reversion.set_user(user)
            reversion.set_comment(f"Restored the version of {label}.")
    except IntegrityError as error:
        raise RestoreError(
            "This version cannot be restored: its slug or another unique value now belongs to "
            "another post."
        ) from error
    return post

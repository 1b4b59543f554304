"""Merging tags: every post keeps all its tags, under the surviving name.

How tags are typed in the admin: names separated by commas, spaces allowed inside a name
(taggit's default parser would split a lone "reinforcement learning" into two tags). Wired in
through the TAGGIT_TAGS_FROM_STRING and TAGGIT_STRING_FROM_TAGS settings.
"""

from django.db import transaction

from posts.list_cards import refresh_cards
from posts.models import ListingVersion, Tag, TaggedPost
from posts.page_parts import refresh_parts
from posts.search.index import reindex_posts


@transaction.atomic
def merge_tags(survivor: Tag, tags) -> int:
    """Move the posts of `tags` onto `survivor` and delete those tags; returns how many were merged.

    A post that carried several of the tags (or the survivor too) ends up with the survivor once.
    The survivor's name, slug and description stay; an empty description takes the first
    non-empty one of the merged tags.
    """
    merged = [tag for tag in tags if tag.pk != survivor.pk]
    if not merged:
        return 0
    has_survivor = set(
        TaggedPost.objects.filter(tag=survivor).values_list("content_object_id", flat=True)
    )
    duplicates, moved = [], []
    for link_id, post_id in (
        TaggedPost.objects.filter(tag__in=merged)
        .order_by("id")
        .values_list("id", "content_object_id")
    ):
        if post_id in has_survivor:
            duplicates.append(link_id)
        else:
            has_survivor.add(post_id)
            moved.append(link_id)
    TaggedPost.objects.filter(id__in=duplicates).delete()
    TaggedPost.objects.filter(id__in=moved).update(tag=survivor)
    if not survivor.description:
        description = next((tag.description for tag in merged if tag.description), "")
        if description:
            survivor.description = description
            survivor.save()
    Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()
    # `update()` above sends no signal the search index, the stored cards and page parts or
    # the listing version hear
    reindex_posts(has_survivor)
    refresh_cards(has_survivor)
    refresh_parts(has_survivor)
    ListingVersion.bump()
    return len(merged)


def parse_tag_string(text: str) -> list[str]:
    """Split "RL, meta learning, RL" into sorted unique names; quotes around a name are dropped."""
    names = {part.strip().strip('"').strip() for part in (text or "").split(",")}
    return sorted(name for name in names if name)


def format_tag_string(tags) -> str:
    """The text a writer sees in the tag box: names sorted and joined by commas."""
    return ", ".join(sorted(tag.name for tag in tags))

"""Keeping posts in step with the bibliography: which posts cite a key, re-rendering them, and
the keys cited somewhere that the bibliography does not have yet.

References are rendered into `Post.body_html` at save, so a changed, renamed, added or deleted
`Reference` needs the posts that cite it rendered again (the admin calls
`rerender_posts_citing()` after every save and delete).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from posts.models import Post

# The pipeline's warning for a citation of a key missing from the bibliography.
UNKNOWN_KEY_WARNING = re.compile(r'^Unknown reference key "(?P<key>.+)"$')


def posts_citing(keys: Iterable[str]):
    """Posts that cite one of `keys`: those linked to it at their last render, and those whose
    Markdown mentions `@key` (which finds posts citing a key that was unknown until now; a few
    extra posts, e.g. a key inside a code block, cost only a re-render)."""
    keys = [key for key in set(keys) if key]
    if not keys:
        return Post.objects.none()
    condition = Q(references__key__in=keys)
    for key in keys:
        condition |= Q(body__contains=f"@{key}")
    return Post.objects.filter(condition).distinct()


def rerender_posts_citing(keys: Iterable[str], post_ids: Iterable[int] = ()) -> int:
    """Render again every post citing `keys` (plus `post_ids`, e.g. collected before a delete);
    only the rendered columns are written. Returns how many posts were rendered."""
    ids = set(posts_citing(keys).values_list("pk", flat=True)) | set(post_ids)
    count = 0
    for post in Post.objects.filter(pk__in=ids).order_by("pk").iterator(chunk_size=100):
        post.save(update_fields=Post.RENDERED_FIELDS)
        count += 1
    return count


def unknown_key(warning: str) -> str | None:
    match = UNKNOWN_KEY_WARNING.match(warning)
    return match.group("key") if match else None


def unknown_keys() -> dict[str, list[Post]]:
    """Every key cited in some post but missing from the bibliography, with the posts citing it
    (from the warnings stored at render time), sorted by key."""
    citing: dict[str, list[Post]] = defaultdict(list)
    posts = Post.objects.exclude(render_warnings=[]).only("title", "slug", "render_warnings")
    for post in posts.order_by("title", "pk"):
        for key in filter(None, map(unknown_key, post.render_warnings)):
            citing[key].append(post)
    return dict(sorted(citing.items(), key=lambda item: item[0].lower()))

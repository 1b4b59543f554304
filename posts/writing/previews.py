"""Share preview links: someone without an account reads a draft at /preview/<token>/.

The token is the `SharePreview` id signed with the site's SECRET_KEY (`django.core.signing`), so
ids cannot be guessed or altered; the row decides whether the link still works (not revoked, not
expired). A link that does not work answers 404 with its own page. The shared page carries
`noindex` and is never stored by a cache (`Cache-Control: private, no-store`).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from posts.models import SharePreview

SALT = "posts.share-preview"


def make_token(link: SharePreview) -> str:
    return signing.dumps(link.pk, salt=SALT)


def read_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def share_url(link: SharePreview) -> str:
    return reverse("posts:share-preview", kwargs={"token": make_token(link)})


def create_link(post, user, *, days: int | None = None) -> SharePreview:
    days = settings.SHARE_PREVIEW_DAYS if days is None else days
    return SharePreview.objects.create(
        post=post, created_by=user, expires_at=timezone.now() + timedelta(days=days)
    )


def active_link(token: str) -> SharePreview | None:
    link_id = read_token(token)
    if link_id is None:
        return None
    return (
        SharePreview.objects.filter(
            pk=link_id, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("post")
        .first()
    )


def private(response):
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

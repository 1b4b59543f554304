"""Old URLs of posts keep working: `PostAlias` rows answered with a 301 to the post's current URL.

- When a published post's URL changes (slug or date), its old path becomes an alias automatically.
- Writers add old paths by hand too (an imported site's `/2019/09/05/es.html`).
- `PostAliasMiddleware` answers a 404 whose path is an alias of a published post with a 301 to the
  post's current URL. Aliases point at the post, not at a URL, so chains collapse by construction.
- An alias never shadows a live page: `validate_alias_path()` refuses paths the site answers.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from posts.models import Post, PostAlias


def path_variants(path: str) -> list[str]:
    """The path as asked and with/without its trailing slash."""
    bare = path.rstrip("/") or "/"
    return list(dict.fromkeys([path, bare, bare + "/" if bare != "/" else "/"]))


def alias_target(path: str) -> str | None:
    """The current URL of the published post that `path` is an old URL of, if any."""
    alias = (
        PostAlias.objects.filter(path__in=path_variants(path), post__in=Post.objects.published())
        .select_related("post")
        .first()
    )
    return alias.post.get_absolute_url() if alias else None


class PostAliasMiddleware:
    """On a 404, look the path up among post aliases and redirect permanently."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = alias_target(request.path)
        if target is None or target == request.path:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


ALIAS_HINT = "Give a path on this site starting with /, e.g. /2019/09/05/es.html."
CLIMBING_HINT = "A path may not climb with . or .. segments, nor contain //, \\, ? or #."
ENCODED_SEPARATORS = re.compile(r"%(2e|2f|5c)", re.IGNORECASE)


def normalise_alias_path(path: str) -> str:
    """`path` as a request for it arrives (`request.path`: percent-decoded), or ValidationError.

    Refused: anything but a plain path on this site, that is a path that climbs (`.`/`..` segments,
    percent-encoded or not), has an empty segment (`//`), a backslash, a query or fragment, a
    doubly encoded dot or slash, or a control, format or whitespace character. No reader asks for
    such a path, and the static export would make a file of it outside its folder.
    """
    path = path.strip()
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise ValidationError(ALIAS_HINT) from None
    if not decoded.startswith("/"):
        raise ValidationError(ALIAS_HINT)
    if (
        "//" in decoded
        or any(segment in (".", "..") for segment in decoded.split("/"))
        or ENCODED_SEPARATORS.search(decoded)
        or any(_forbidden(c) for c in decoded)
    ):
        raise ValidationError(f"{ALIAS_HINT} {CLIMBING_HINT}")
    return decoded


def _forbidden(char: str) -> bool:
    return char in "\\?#" or char.isspace() or unicodedata.category(char).startswith("C")


def validate_alias_path(path: str) -> str:
    """`path` normalised; refused when it is not a plain site path or a live page answers it."""
    path = normalise_alias_path(path)
    for candidate in path_variants(path):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if (
            match.view_name == "posts:detail"
            and not Post.objects.filter(slug=match.kwargs.get("slug")).exists()
        ):
            continue  # the old URL of a post that was renamed: no page answers it any more
        raise ValidationError(f"{path} is a live page of this site; an alias cannot replace it.")
    return path


# Automatic aliases (called by posts.signals): remember the URL a public post had before a save,
# and compare after it.


def remember_public_url(post: Post) -> None:
    post._public_url_before_save = None
    if post.pk is None:
        return
    old = Post.objects.filter(pk=post.pk).first()
    if old is not None and old.is_public:
        post._public_url_before_save = old.get_absolute_url()


def alias_old_url(post: Post) -> None:
    old_url = getattr(post, "_public_url_before_save", None)
    new_url = post.get_absolute_url()
    if old_url and old_url != new_url:
        PostAlias.objects.update_or_create(path=old_url, defaults={"post": post})
    # The post's own URL is never an alias (e.g. after renaming it back).
    PostAlias.objects.filter(path=new_url).delete()

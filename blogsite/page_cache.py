"""The shared page cache: anonymous page views come from Redis; a content change shows at once.

Every cached page is stored under the current *generation*, a token kept in the cache itself, so
all app processes agree on it. A committed change to content a page shows (a post, a tag, a
tagging, an update note, a series, a reference, an old URL, an author's name: the receivers are in
`posts.signals`) replaces the generation once per transaction, which orphans every cached page at
once: the next request through any instance renders afresh. A scheduled post
needs no cron: the generation record also holds the time the next scheduled post comes due, and
the first request after that time starts a new generation.

Only anonymous GET/HEAD requests are cached (a session cookie means a signed-in writer, who always
gets a fresh page), and only responses that set no cookie and used no CSRF token. Pages that used
a CSP nonce are stored with a placeholder and get a fresh nonce on every hit.

When the cache fails (Redis down), pages are served uncached, one warning is logged, and the cache
is tried again after `PAGE_CACHE_RETRY_SECONDS`. Bulk writes that bypass model signals
(`QuerySet.update`, `bulk_create`) must call `invalidate()` themselves.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

logger = logging.getLogger(__name__)

STATE_KEY = "pagecache:state"
NONCE_PLACEHOLDER = b"__CSP_NONCE__"
CACHEABLE_STATUS = {200, 301, 404, 410}
HOP_HEADERS = {"set-cookie", "content-length"}


class _Availability:
    """Per-process memory of a cache outage, so a dead Redis is not retried on every request."""

    retry_at = 0.0
    pending_invalidation = False

    @classmethod
    def usable(cls):
        return time.monotonic() >= cls.retry_at

    @classmethod
    def failed(cls, error):
        if cls.retry_at == 0.0:
            logger.warning(
                "Page cache unavailable (%s); serving pages uncached, retrying in %ss.",
                error,
                settings.PAGE_CACHE_RETRY_SECONDS,
            )
        cls.retry_at = time.monotonic() + settings.PAGE_CACHE_RETRY_SECONDS

    @classmethod
    def succeeded(cls):
        if cls.retry_at:
            logger.warning("Page cache available again.")
            cls.retry_at = 0.0


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _next_scheduled_publish():
    from posts.models import Post

    due = (
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return due.timestamp() if due else None


def _new_state(changed_at=None):
    return {
        "generation": uuid.uuid4().hex,
        "next_due": _next_scheduled_publish(),
        "changed_at": changed_at or time.time(),
    }


def invalidate():
    """Start a new generation: every cached page is stale from now on, in every process."""
    cache = page_cache()
    try:
        try:
            cache.set(STATE_KEY, _new_state(), timeout=None)
        except DatabaseError:
            # The next request recomputes the state once the database answers again.
            cache.delete(STATE_KEY)
    except Exception as error:  # Redis down: remember to invalidate when it is back.
        _Availability.pending_invalidation = True
        _Availability.failed(error)
        return
    _Availability.pending_invalidation = False


def forget_generation():
    """Drop the generation record (no database needed): the next request starts a new one."""
    with contextlib.suppress(Exception):
        page_cache().delete(STATE_KEY)


def current_state(cache):
    """The generation record, renewed when missing or when a scheduled post has come due."""
    if _Availability.pending_invalidation:
        invalidate()
        if _Availability.pending_invalidation:
            raise ConnectionError("the page cache could not be invalidated")
    state = cache.get(STATE_KEY)
    now = time.time()
    if state is None or (state["next_due"] is not None and now >= state["next_due"]):
        changed_at = state["next_due"] if state else None
        state = _new_state(changed_at=changed_at)
        cache.set(STATE_KEY, state, timeout=None)
    return state


def invalidate_on_commit(using=None):
    """Start a new generation once the current transaction commits (at once outside one).

    However many objects a transaction changes, it starts one generation: while a callback waits
    for this transaction's commit, no second one is added. A rolled-back transaction (whose
    callbacks Django drops) starts none, and no request can cache the old content under the new
    generation in between.
    """
    connection = transaction.get_connection(using)
    waiting = getattr(connection, "_page_cache_invalidation", None)
    if waiting is not None and any(
        callback is waiting for _, callback, _ in connection.run_on_commit
    ):
        return

    def invalidate_once():
        connection._page_cache_invalidation = None
        invalidate()

    connection._page_cache_invalidation = invalidate_once
    transaction.on_commit(invalidate_once, using=using)


def _is_public_path(path):
    excluded = (settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)
    excluded += tuple(settings.PAGE_CACHE_EXCLUDE_PREFIXES)
    return not path.startswith(tuple("/" + p.lstrip("/") for p in excluded)) and path != "/healthz"


def _is_feed(response):
    content_type = response.get("Content-Type", "")
    return "xml" in content_type or content_type.startswith("text/plain")


def _entry_key(request, generation):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


def _sets_state_for_the_client(request, response):
    """Will this response (or a middleware around it) hand the client something of its own?"""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
        or (messages is not None and messages.added_new)
    )


def _is_storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code in CACHEABLE_STATUS
        and not response.streaming
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and not _sets_state_for_the_client(request, response)
    )


def _entry_from(request, response, state):
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)
    nonce_used = isinstance(nonce, str) and nonce.encode() in content
    if nonce_used:
        content = content.replace(nonce.encode(), NONCE_PLACEHOLDER)
    return {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in HOP_HEADERS],
        "content": content,
        "nonce_used": nonce_used,
        "etag": f'"{hashlib.sha256(content).hexdigest()[:32]}"',
        "last_modified": http_date(state["changed_at"]),
    }


def _response_from(request, entry):
    content = entry["content"]
    if entry["nonce_used"]:
        content = content.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _add_validators(response, entry):
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = entry["last_modified"]


def _add_public_cache_control(request, response):
    if not response.has_header("Cache-Control") and not _sets_state_for_the_client(
        request, response
    ):
        max_age = settings.FEED_MAX_AGE if _is_feed(response) else settings.PAGE_MAX_AGE
        patch_cache_control(response, public=True, max_age=max_age, must_revalidate=True)


class PageCacheMiddleware:
    """Serve anonymous page views from the shared cache; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_public_path(request.path):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self._fresh_for_writer(request)
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if not (settings.PAGE_CACHE_ENABLED and _Availability.usable()):
            return self._uncached(request)

        cache = page_cache()
        try:
            state = current_state(cache)
            key = _entry_key(request, state["generation"])
            entry = cache.get(key)
        except DatabaseError:
            return self.get_response(request)  # the view answers with the outage page
        except Exception as error:
            _Availability.failed(error)
            return self._uncached(request)
        _Availability.succeeded()

        if entry is not None:
            response = _response_from(request, entry)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not _is_storable(request, response):
                return response
            entry = _entry_from(request, response, state)
            try:
                cache.set(key, entry, timeout=settings.PAGE_CACHE_TIMEOUT)
            except Exception as error:
                _Availability.failed(error)
            response["X-Page-Cache"] = "miss"
        _add_validators(response, entry)
        _add_public_cache_control(request, response)
        return response

    def _uncached(self, request):
        response = self.get_response(request)
        _add_public_cache_control(request, response)
        return response

    def _fresh_for_writer(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response

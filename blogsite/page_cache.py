"""The shared page cache: anonymous page views come from Redis; a content change shows at once.

Every cached page is stored under the current *generation*, a token kept in the cache itself, so
all app processes agree on it. A committed change to content a page shows (a post, a tag, a
tagging, an update note, a series, a reference, an old URL, an author's name: the receivers are in
`posts.signals`) replaces the generation once per transaction, which makes every cached page stale
at once: the next request through any instance renders afresh. A scheduled post needs no cron: the
generation record also holds the time the next scheduled post comes due, and the first request
after that time starts a new generation.

What is stored, and how much of it:

* Only anonymous GET/HEAD requests of public paths. A session cookie that names a live session
  means a signed-in writer, who always gets a fresh private page; a cookie of that name whose
  value is no live session (junk, expired, signed out) is ignored, at the cost of one session
  lookup.
* One entry per *canonical* URL: the configured `SITE_URL`, the path, and only the query
  parameters the view reads (its `page_cache_query_parameters`, e.g. `q` and `page` for search),
  whitespace-normalised. Every other parameter (`utm_source`, `fbclid`, junk) is hidden from the
  view (`request.GET`), so `/?utm=1` is the page `/` and shares its entry. The `Host` header
  picks nothing.
* Only 200 responses that set no cookie, used no CSRF token and carry no private/no-store header;
  no 404 or redirect (one per unknown path would fill Redis), nor a view's response that opts out
  (`response.store_in_page_cache = False`, e.g. a search without results).
* An entry is keyed by its URL alone and carries its generation: a request compares the two and
  renders afresh on a mismatch, overwriting the entry. Old generations never pile up: at most one
  entry per canonical URL, each expiring after `PAGE_CACHE_TIMEOUT`; Redis itself is capped by
  `maxmemory` with an LRU eviction policy (`deploy/redis/blogsite.conf`).

A hit is one Redis round trip and runs ahead of sessions, authentication and throttling
(`MIDDLEWARE` in the settings). It reads the generation record, and the entry unless this process
already holds a copy of it: each process keeps the entries it served last, up to
`PAGE_CACHE_LOCAL_BYTES` of content, so a page it serves often (a 1.5 MB feed) is not carried
out of Redis on every request. A copy is used only while its generation is the current one, which
is read from Redis on every request; a copy of an older generation costs a second round trip for
the shared entry, once per generation. An entry holds everything a hit sends, computed when it was
stored: the headers with its validators (`ETag`, `Last-Modified`), `Cache-Control` and CDN key,
so the conditional GET above answers 304 without hashing the page, and a hit sets its
`Content-Length` instead of streaming the page in chunks. Pages that used a CSP nonce are stored
with a placeholder and get a fresh nonce on every hit.

Responses that any visitor may share say so to shared caches (nginx's `proxy_cache`, a CDN):
`s-maxage=PAGE_SHARED_MAX_AGE` (1 s) with `stale-while-revalidate` and `stale-if-error`, while
browsers revalidate every view (`max-age=0`; feeds `FEED_MAX_AGE`), so a change reaches readers
within a second through every instance. They also name the site's surrogate key, by which a
CDN can be told to drop them all at each new generation (`blogsite.cdn`).

When the cache fails (Redis down), pages are served uncached, one warning is logged, and the cache
is tried again after `PAGE_CACHE_RETRY_SECONDS`. A change committed meanwhile cannot start a new
generation, so it is recorded in the database (`blogsite.models.PendingInvalidation`): every
process looks there once every `PAGE_CACHE_PENDING_CHECK_SECONDS` and right after it sees Redis
answer again, and the first to find a record starts the new generation. Bulk writes that bypass
model signals (`QuerySet.update`, `bulk_create`) must call `invalidate()` themselves (and
`posts.list_cards.refresh_cards()` when they change what a post's card shows).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from blogsite import cdn

logger = logging.getLogger(__name__)

STATE_KEY = "pagecache:state"
# Part of every entry's key: a change to what an entry holds changes it, so processes of an older
# release (during a rolling deploy) and of a newer one never read each other's entries.
ENTRY_FORMAT = 2
NONCE_PLACEHOLDER = b"__CSP_NONCE__"
STORED_STATUS = {200}
# Responses a shared cache may keep for a second like any page (a 404 too: nginx's cache is
# bounded by its max_size, unlike Redis entries).
SHAREABLE_STATUS = {200, 301, 308, 404, 410}
NOT_STORED_HEADERS = {"set-cookie", "content-length", "x-page-cache"}


def _clock():
    return time.monotonic()


class _Availability:
    """Per-process memory of a cache outage, so a dead Redis is not retried on every request, and
    of when this process last looked for changes recorded in the database during an outage."""

    retry_at = 0.0
    saw_outage = False
    next_pending_check = 0.0

    @classmethod
    def usable(cls):
        return _clock() >= cls.retry_at

    @classmethod
    def failed(cls, error):
        if cls.retry_at == 0.0:
            logger.warning(
                "Page cache unavailable (%s); serving pages uncached, retrying in %ss.",
                error,
                settings.PAGE_CACHE_RETRY_SECONDS,
            )
        cls.retry_at = _clock() + settings.PAGE_CACHE_RETRY_SECONDS
        cls.saw_outage = True

    @classmethod
    def succeeded(cls):
        if cls.retry_at:
            logger.warning("Page cache available again.")
            cls.retry_at = 0.0

    @classmethod
    def pending_check_due(cls):
        return cls.saw_outage or _clock() >= cls.next_pending_check

    @classmethod
    def pending_checked(cls):
        cls.saw_outage = False
        cls.next_pending_check = _clock() + settings.PAGE_CACHE_PENDING_CHECK_SECONDS

    @classmethod
    def reset(cls):
        """Forget everything, as a newly started process would."""
        cls.retry_at = cls.next_pending_check = 0.0
        cls.saw_outage = False


class _LocalCopies:
    """This process's copies of the entries it served last, least recently used dropped first,
    at most `PAGE_CACHE_LOCAL_BYTES` of page content in all (0: none kept)."""

    def __init__(self):
        self._entries = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def keep(self, key, entry):
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        with self._lock:
            self._drop(key)
            if len(entry["content"]) > limit:
                return
            self._entries[key] = entry
            self._size += len(entry["content"])
            while self._size > limit:
                self._drop(next(iter(self._entries)))

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0

    def _drop(self, key):
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._size -= len(entry["content"])


local_copies = _LocalCopies()


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


def _start_generation(cache, state):
    """Store a new generation record, then ask a CDN in front (if any) to drop its pages."""
    cache.set(STATE_KEY, state, timeout=None)
    cdn.purge_soon()
    return state


def invalidate():
    """Start a new generation: every cached page is stale from now on, in every process.

    With Redis unreachable, the change is recorded in the database instead, and the first process
    to look there once Redis answers again starts the generation."""
    cache = page_cache()
    try:
        try:
            _start_generation(cache, _new_state())
        except DatabaseError:
            # The next request recomputes the state once the database answers again.
            cache.delete(STATE_KEY)
    except Exception as error:
        _Availability.failed(error)
        _record_pending_invalidation()


def _record_pending_invalidation():
    from blogsite.models import PendingInvalidation

    try:
        PendingInvalidation.objects.create()
    except DatabaseError as error:
        logger.error(
            "Page cache and database both unavailable: a change may go unseen for %ss (%s).",
            settings.PAGE_CACHE_TIMEOUT,
            error,
        )


def _apply_pending_invalidations(cache):
    """The new generation record if a change was recorded while Redis was unreachable, else None.

    Raises the cache's errors; a database error is left to the caller."""
    from blogsite.models import PendingInvalidation

    latest = PendingInvalidation.objects.order_by("-pk").values_list("pk", flat=True).first()
    if latest is None:
        return None
    state = _start_generation(cache, _new_state())
    PendingInvalidation.objects.filter(pk__lte=latest).delete()
    logger.warning("Page cache: started the generation a change made during an outage needed.")
    return state


def forget_generation():
    """Drop the generation record (no database needed): the next request starts a new one."""
    with contextlib.suppress(Exception):
        page_cache().delete(STATE_KEY)


def _current_state(cache, state):
    """The generation record read from the cache, renewed when a change recorded during an outage
    waits, when it is missing, or when a scheduled post has come due."""
    if _Availability.pending_check_due():
        try:
            pending = _apply_pending_invalidations(cache)
        except DatabaseError:
            pending = None  # the database will be asked again at the next check
        _Availability.pending_checked()
        if pending is not None:
            return pending
    if state is None or (state["next_due"] is not None and time.time() >= state["next_due"]):
        changed_at = state["next_due"] if state else None
        state = _start_generation(cache, _new_state(changed_at=changed_at))
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


# Canonical URLs.


def _is_public_path(path):
    excluded = (settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)
    excluded += tuple(settings.PAGE_CACHE_EXCLUDE_PREFIXES)
    return not path.startswith(tuple("/" + p.lstrip("/") for p in excluded)) and path != "/healthz"


def query_parameters_read_by(path_info):
    """The query parameters the view answering this path reads (`page_cache_query_parameters` on
    the view, its class or the feed object); none for a path no view answers."""
    try:
        view = resolve(path_info).func
    except Resolver404:
        return ()
    owner = getattr(view, "view_class", view)
    return tuple(getattr(owner, "page_cache_query_parameters", ()))


def canonical_query(path_info, query):
    """The query string of the canonical URL: the parameters the view reads, in the order it
    names them, each once (its last value, as `QueryDict.get` reads it) with its whitespace
    normalised; empty values and every other parameter dropped."""
    if not query:
        return ""
    names = query_parameters_read_by(path_info)
    if not names:
        return ""
    given = QueryDict(query)
    pairs = []
    for name in names:
        value = " ".join((given.get(name) or "").split())
        if value:
            pairs.append((name, value))
    return urlencode(pairs)


def entry_key(path, query):
    address = f"{ENTRY_FORMAT} {settings.SITE_URL}{path}?{query}"
    return f"page:{hashlib.sha256(address.encode()).hexdigest()}"


def _use_canonical_query(request, query):
    """Let the view see only the canonical parameters, so the page stored is the canonical one.
    `QUERY_STRING` stays as sent: a redirect (never stored) may pass it on, as an old URL's does."""
    if request.META.get("QUERY_STRING", "") != query:
        request.GET = QueryDict(query)


# Who is asking.


def has_live_session(request):
    """Does the request's session cookie name a live (stored, unexpired, non-empty) session?"""
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore(request.COOKIES[settings.SESSION_COOKIE_NAME])
    if store.session_key is None:  # not even shaped like a session key
        return False
    return bool(store.load())


# What is stored and what is sent.


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


def _is_private(response):
    cache_control = response.get("Cache-Control", "")
    return any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _is_storable(request, response):
    return (
        request.method == "GET"
        and response.status_code in STORED_STATUS
        and not response.streaming
        and getattr(response, "store_in_page_cache", True)
        and not _is_private(response)
        and not _sets_state_for_the_client(request, response)
    )


def _content_to_store(request, response):
    """The page's bytes with this request's CSP nonce (if the page used it) replaced by the
    placeholder, and whether it did."""
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str) and nonce.encode() in content:
        return content.replace(nonce.encode(), NONCE_PLACEHOLDER), True
    return content, False


def _add_validators(response, content, state):
    response["ETag"] = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    response["Last-Modified"] = http_date(state["changed_at"])


def _entry(response, content, nonce_used, state):
    """What a hit sends: the response's status, headers and stored content."""
    return {
        "generation": state["generation"],
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED_HEADERS],
        "content": content,
        "nonce_used": nonce_used,
    }


def _response_from(request, entry):
    content = entry["content"]
    if entry["nonce_used"]:
        content = content.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["Content-Length"] = str(len(content))
    response["X-Page-Cache"] = "hit"
    return response


def _is_current(entry, state):
    return entry is not None and entry.get("generation") == state["generation"]


def _look_up(cache, key):
    """The current generation record, and the entry for `key` if it is of that generation (else
    None), in one round trip: this process's copy of the entry, if it has one, is checked against
    the generation read alone. Only a copy of an older generation costs a second round trip, for
    the entry another process may have stored since. Raises the cache's errors."""
    copy = local_copies.get(key)
    found = cache.get_many([STATE_KEY] if copy else [STATE_KEY, key])
    state = _current_state(cache, found.get(STATE_KEY))
    if _is_current(copy, state):
        return state, copy
    entry = cache.get(key) if copy else found.get(key)
    if not _is_current(entry, state):
        return state, None
    local_copies.keep(key, entry)
    return state, entry


def _is_feed(response):
    content_type = response.get("Content-Type", "")
    return "xml" in content_type or content_type.startswith("text/plain")


def _add_public_cache_control(request, response):
    """Browsers revalidate each view (feeds may keep a copy a few minutes); a shared cache (nginx,
    a CDN) keeps any visitor's copy for `PAGE_SHARED_MAX_AGE` seconds, may serve it while it
    fetches the next one, and when the app fails."""
    if response.has_header("Cache-Control") or _sets_state_for_the_client(request, response):
        return
    max_age = settings.FEED_MAX_AGE if _is_feed(response) else settings.PAGE_MAX_AGE
    if response.status_code in SHAREABLE_STATUS and settings.PAGE_SHARED_MAX_AGE:
        patch_cache_control(
            response,
            public=True,
            max_age=max_age,
            s_maxage=settings.PAGE_SHARED_MAX_AGE,
            stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE,
            stale_if_error=settings.PAGE_STALE_IF_ERROR,
        )
        cdn.add_surrogate_key(response)
    else:
        patch_cache_control(response, public=True, max_age=max_age, must_revalidate=True)


class PageCacheMiddleware:
    """Serve anonymous page views from the shared cache; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _is_public_path(request.path):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            try:
                signed_in = has_live_session(request)
            except DatabaseError:
                signed_in = True  # let the view answer (with the outage page)
            if signed_in:
                return self._fresh_for_writer(request)
        request.get_host()  # a Host outside ALLOWED_HOSTS gets its 400 before any cached page
        query = canonical_query(request.path_info, request.META.get("QUERY_STRING", ""))
        _use_canonical_query(request, query)
        if not (settings.PAGE_CACHE_ENABLED and _Availability.usable()):
            return self._uncached(request)

        cache = page_cache()
        key = entry_key(request.path, query)
        try:
            state, entry = _look_up(cache, key)
        except DatabaseError:
            return self.get_response(request)  # the view answers with the outage page
        except Exception as error:
            _Availability.failed(error)
            return self._uncached(request)
        _Availability.succeeded()
        if entry is not None:
            return _response_from(request, entry)

        response = self.get_response(request)
        if not _is_storable(request, response):
            _add_public_cache_control(request, response)
            return response
        content, nonce_used = _content_to_store(request, response)
        _add_validators(response, content, state)
        _add_public_cache_control(request, response)
        entry = _entry(response, content, nonce_used, state)
        try:
            cache.set(key, entry, timeout=settings.PAGE_CACHE_TIMEOUT)
        except Exception as error:
            _Availability.failed(error)
        else:
            local_copies.keep(key, entry)
        response["X-Page-Cache"] = "miss"
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

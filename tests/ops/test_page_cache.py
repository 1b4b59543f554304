"""The shared page cache: hits without queries in one Redis round trip ahead of sessions (a
process's copy of an entry checked against the generation there), freshness after every kind of
change (one generation per save), writers bypass it and junk session cookies do not, canonical
URLs bound what visitors can store, no caching of per-client responses, conditional GET,
shared-cache headers, and Redis outages (changes kept in the database) on the real Redis."""

import contextlib
import logging
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import django.middleware.http
import pytest
from django.contrib.auth.models import update_last_login
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from redis.connection import AbstractConnection

from blogsite import page_cache as page_cache_module
from posts.models import Post, Reference, Series, SharePreview, Tag, UpdateNote
from tests.admin_form_data import form_data
from tests.processes import REDIS_URL
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.django_db


def _cached(client, path):
    """GET twice; the second must be a hit. Returns the second response."""
    client.get(path)
    response = client.get(path)
    assert response["X-Page-Cache"] == "hit", path
    return response


@pytest.mark.parametrize("path", ["/", "/tags/", "/archives/", "/tags/transformers/", "POST"])
def test_a_repeated_anonymous_view_is_served_from_the_cache_without_queries(
    client, post, path, django_assert_num_queries
):
    path = post.get_absolute_url() if path == "POST" else path
    first = client.get(path)

    with django_assert_num_queries(0):
        second = client.get(path)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_missing_page_is_not_stored_but_shared_caches_may_keep_it_a_second(client):
    first = client.get("/tags/nothing-here/")
    second = client.get("/tags/nothing-here/")

    assert first.status_code == second.status_code == 404
    assert "X-Page-Cache" not in second  # one Redis entry per unknown path would fill Redis
    assert "s-maxage=1" in second["Cache-Control"]


def _publish_draft(post, make_post):
    make_post(title="Fresh draft", slug="fresh", status=Post.Status.DRAFT, published_at=None)
    draft = Post.objects.get(slug="fresh")
    draft.status = Post.Status.PUBLISHED
    draft.save()
    return "/", "Fresh draft", True


def _edit_title(post, make_post):
    post.title = "Attention, revised"
    post.save()
    return post.get_absolute_url(), "Attention, revised", True


def _unpublish(post, make_post):
    post.status = Post.Status.DRAFT
    post.save()
    return "/", "Attention", False


def _delete(post, make_post):
    post.delete()
    return "/", "Attention", False


def _add_tag(post, make_post):
    post.tags.add("reinforcement-learning")
    return "/tags/", "reinforcement-learning", True


def _remove_tag(post, make_post):
    post.tags.remove("nlp")
    return post.get_absolute_url(), "/tags/nlp/", False


def _rename_tag(post, make_post):
    tag = Tag.objects.get(name="nlp")
    tag.name = "language"
    tag.save()
    return "/tags/", "language", True


def _update_note(post, make_post):
    UpdateNote.objects.create(post=post, note="Added a section on sparse attention.")
    return post.get_absolute_url(), "sparse attention", True


def _series(post, make_post):
    series = Series.objects.create(title="Transformers explained", slug="transformers-explained")
    post.series, post.series_part = series, 1
    post.save()
    return series.get_absolute_url(), "Attention", True


def _reference(post, make_post):
    Reference.objects.create(key="vaswani2017", authors="Vaswani, Ashish", title="All you need")
    post.body += "\n\nAs shown [@vaswani2017]."
    post.save()
    return post.get_absolute_url(), "All you need", True


def _author_name(post, make_post):
    post.author.first_name = "Lil"
    post.author.save()
    return post.get_absolute_url(), "Lil Weng", True


@pytest.mark.parametrize(
    "change",
    [
        _publish_draft,
        _edit_title,
        _unpublish,
        _delete,
        _add_tag,
        _remove_tag,
        _rename_tag,
        _update_note,
        _series,
        _reference,
        _author_name,
    ],
)
def test_any_content_change_shows_on_the_very_next_request(
    client, post, make_post, committed, change
):
    for path in ("/", "/tags/", post.get_absolute_url()):
        _cached(client, path)

    with committed():
        path, text, present = change(post, make_post)
    _cached_before = client.get(path)

    assert (text in _cached_before.content.decode()) is present
    assert _cached_before["X-Page-Cache"] == "miss"


def test_a_scheduled_post_appears_when_it_comes_due_without_any_write(
    client, post, make_post, travel_to
):
    due = timezone.now() + timedelta(minutes=5)  # well inside PAGE_CACHE_TIMEOUT
    make_post(title="Scheduled one", slug="scheduled", published_at=due)
    before = _cached(client, "/")

    travel_to(due + timedelta(milliseconds=100))
    after = client.get("/")

    assert b"Scheduled one" not in before.content
    assert b"Scheduled one" in after.content
    assert after["X-Page-Cache"] == "miss"


def test_signed_in_writers_always_get_fresh_private_pages(client, post, writer_client):
    page = post.get_absolute_url()
    _cached(client, page)
    Post.objects.filter(pk=post.pk).update(title="Changed without signals")

    fresh = writer_client.get(page)
    anonymous = client.get(page)

    assert "X-Page-Cache" not in fresh
    assert b"Changed without signals" in fresh.content
    assert "private" in fresh["Cache-Control"]
    assert anonymous["X-Page-Cache"] == "hit"
    assert b"Changed without signals" not in anonymous.content


def test_invalidate_is_there_for_bulk_writes(client, post):
    page = post.get_absolute_url()
    _cached(client, page)
    Post.objects.filter(pk=post.pk).update(title="Bulk edit")

    page_cache_module.invalidate()

    assert b"Bulk edit" in client.get(page).content


@pytest.mark.urls("tests.urls_for_tests")
@pytest.mark.parametrize("path", ["/form/", "/cookie/"])
def test_responses_that_set_cookies_or_use_a_csrf_token_are_never_cached(client, path):
    first = client.get(path)
    second = client.get(path)

    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second
    assert "public" not in second.get("Cache-Control", "")


@pytest.mark.urls("tests.urls_for_tests")
def test_a_cached_page_gets_a_fresh_nonce_on_every_hit(client):
    def nonce_of(response):
        in_page = response.content.decode().split('nonce="')[1].split('"')[0]
        assert f"'nonce-{in_page}'" in response["Content-Security-Policy"]
        return in_page

    first, second, third = (client.get("/nonce/") for _ in range(3))

    assert [r["X-Page-Cache"] for r in (first, second, third)] == ["miss", "hit", "hit"]
    assert len({nonce_of(first), nonce_of(second), nonce_of(third)}) == 3
    assert second["ETag"] == third["ETag"] == first["ETag"]


@pytest.fixture
def generations(monkeypatch):
    """How many new generations the page cache started."""
    started = []
    real = page_cache_module.invalidate
    monkeypatch.setattr(page_cache_module, "invalidate", lambda: started.append(1) or real())
    return started


def test_a_transaction_that_changes_many_things_starts_one_generation_at_commit(
    post, committed, generations
):
    with committed():
        post.title = "Renamed"
        post.save()
        post.tags.add("new-tag")
        UpdateNote.objects.create(post=post, note="Renamed.")
        Series.objects.create(title="S", slug="s")
        assert generations == []  # nothing before the commit
    assert generations == [1]


def test_a_rolled_back_transaction_starts_no_generation(post, committed, generations):
    with committed(), contextlib.suppress(RuntimeError), transaction.atomic():
        post.title = "Never seen"
        post.save()
        raise RuntimeError("rolled back")
    assert generations == []
    with committed():
        post.save()
    assert generations == [1]


def test_a_sign_in_or_a_share_link_leaves_the_cache_alone(
    client, post, admin_user, committed, generations
):
    with committed():  # the account's creation
        pass
    _cached(client, "/")
    generations.clear()
    with committed():
        update_last_login(None, admin_user)
        SharePreview.objects.create(
            post=post, created_by=admin_user, expires_at=timezone.now() + timedelta(days=1)
        )
    assert generations == []
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_conditional_requests_get_304_until_the_content_changes(client, post, committed):
    first = client.get("/")
    by_etag = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    post.title = "New title"
    with committed():
        post.save()
    changed = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


SHARED = "s-maxage=1, stale-while-revalidate=1, stale-if-error=600"


def test_browsers_revalidate_pages_shared_caches_keep_them_a_second(client, post, settings):
    assert client.get("/")["Cache-Control"] == f"public, max-age=0, {SHARED}"
    settings.ROOT_URLCONF = "tests.urls_for_tests"
    assert client.get("/atom.xml")["Cache-Control"] == f"public, max-age=300, {SHARED}"


def test_shared_caches_can_be_told_to_keep_nothing(client, post, settings):
    settings.PAGE_SHARED_MAX_AGE = 0
    assert client.get("/")["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_the_page_cache_can_be_switched_off(client, post, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/")
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == f"public, max-age=0, {SHARED}"


@pytest.fixture
def redis_through_a_cuttable_link(settings):
    """The page cache on the real Redis (the tests' database, own prefix), through a forwarder."""
    proxy = TcpProxy(6379).start()
    prefix = f"ops-test-{uuid.uuid4().hex[:8]}"
    location = f"redis://127.0.0.1:{proxy.port}{urlsplit(REDIS_URL).path}"
    options = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": location, "KEY_PREFIX": prefix}
    with override_settings(
        CACHES={
            **settings.CACHES,
            "default": {**redis, "OPTIONS": options},
            "pages": {**redis, "OPTIONS": options},
        },
        PAGE_CACHE_RETRY_SECONDS=0,
    ):
        yield proxy
        page_cache_module.page_cache().delete_pattern("*")
    proxy.stop()
    page_cache_module._Availability.reset()


@pytest.mark.redis
def test_redis_outage_serves_uncached_with_a_warning_and_recovers(
    client, post, redis_through_a_cuttable_link, caplog, committed
):
    proxy = redis_through_a_cuttable_link
    _cached(client, "/")

    proxy.stop()
    with caplog.at_level(logging.WARNING, logger="blogsite.page_cache"):
        during = [client.get("/") for _ in range(2)]
    post.title = "Edited while Redis was down"
    with committed():
        post.save()
    proxy.start()
    after = [client.get("/") for _ in range(2)]

    assert [r.status_code for r in during] == [200, 200]
    assert all("X-Page-Cache" not in r for r in during)
    assert any("Page cache unavailable" in m for m in caplog.messages)
    assert [r["X-Page-Cache"] for r in after] == ["miss", "hit"]
    assert b"Edited while Redis was down" in after[1].content


@pytest.mark.redis
def test_the_cache_is_shared_through_redis(client, post, redis_through_a_cuttable_link):
    client.get("/")
    key_count = len(page_cache_module.page_cache().keys("page:*"))
    assert key_count == 1


# Canonical URLs: what anonymous visitors can make the cache store (issue 11, item 3).


@pytest.mark.parametrize(
    "variant",
    [
        "/?utm_source=news&utm_medium=email",
        "/?fbclid=abc&page=2",
        "/?q=anything",
        "/?%ff=%00",
    ],
)
def test_tracking_and_junk_parameters_are_the_canonical_page(client, post, variant):
    canonical = client.get("/")

    response = client.get(variant)

    assert response["X-Page-Cache"] == "hit"
    assert response.content == canonical.content


def test_the_parameters_a_page_reads_are_kept_normalised(client, post):
    found = client.get("/search/?q=attention")
    spaced = client.get("/search/?q=++attention+&utm_campaign=x")
    other = client.get("/search/?q=nothing+matches+this")

    assert found["X-Page-Cache"] == "miss"
    assert spaced["X-Page-Cache"] == "hit"
    assert spaced.content == found.content
    assert b"Attention" in found.content
    assert b"Attention" not in other.content


def test_a_search_that_finds_nothing_is_not_stored(client, post):
    client.get("/search/?q=zzyzx")
    assert "X-Page-Cache" not in client.get("/search/?q=zzyzx")


def test_the_host_header_picks_no_entry_of_its_own(client, post, settings):
    settings.ALLOWED_HOSTS = ["testserver", "testserver:8443", "127.0.0.1"]
    client.get("/")
    for host in ("testserver:8443", "127.0.0.1"):
        assert client.get("/", HTTP_HOST=host)["X-Page-Cache"] == "hit"
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def _stored_pages():
    return len(page_cache_module.page_cache().keys("page:*"))


@pytest.mark.redis
def test_junk_queries_and_unknown_paths_add_only_a_handful_of_entries(
    client, post, redis_through_a_cuttable_link
):
    paths = ["/", "/index.xml", "/feeds/atom/", "/tags/", post.get_absolute_url(), "/search/"]
    for path in paths:
        client.get(path)
    before = _stored_pages()

    statuses = set()
    for n in range(2000):
        junk = [
            f"{paths[n % len(paths)]}?utm_source={n}&x{n}={n}",
            f"/no/such/page/{n}/",
            f"/tags/no-tag-{n}/",
            f"/search/?q=zq{n}xw",
            f"/page/{10_000 + n}/",
        ][n % 5]
        statuses.add(client.get(junk).status_code)

    assert statuses == {200, 404}
    assert _stored_pages() - before <= 5


@pytest.mark.redis
def test_old_generations_do_not_pile_up(client, post, committed, redis_through_a_cuttable_link):
    for n in range(5):
        client.get("/")
        client.get(post.get_absolute_url())
        with committed():
            post.title = f"Attention, take {n}"
            post.save()
    fresh = client.get("/")

    assert fresh["X-Page-Cache"] == "miss"
    assert b"Attention, take 4" in fresh.content
    assert _stored_pages() == 2


# One save, one generation (issue 13, item 6).


def test_one_tag_edit_in_the_admin_starts_one_generation(
    post, writer_client, committed, generations
):
    tag = Tag.objects.get(name="nlp")
    with committed():
        response = writer_client.post(
            f"/admin/posts/tag/{tag.pk}/change/",
            {"name": "language", "slug": "language", "description": "Words."},
        )
    assert response.status_code == 302
    assert generations == [1]


def test_one_post_save_with_its_tags_starts_one_generation(post, committed, generations):
    with committed():
        post.title = "Attention, again"
        post.save()
        post.tags.set(["transformers", "attention", "sparse"])
    assert generations == [1]


# Who counts as a signed-in writer (issue 11, item 13).


@pytest.mark.parametrize("value", ["junk", "x" * 32, "", "a" * 200])
def test_a_session_cookie_that_names_no_session_still_gets_the_cached_page(client, post, value):
    client.get("/")
    client.cookies["sessionid"] = value

    response = client.get("/")

    assert response["X-Page-Cache"] == "hit"


def test_an_expired_session_gets_the_cached_page(client, post, writer_client):
    session_key = writer_client.cookies["sessionid"].value
    Session.objects.filter(pk=session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    client.get("/")
    client.cookies["sessionid"] = session_key

    assert client.get("/")["X-Page-Cache"] == "hit"


def test_a_live_session_gets_a_fresh_page(client, post, writer_client):
    client.get("/")
    response = writer_client.get("/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


# The hit path (issue 13, item 2).


def test_a_hit_runs_no_session_authentication_or_throttling(client, post, monkeypatch):
    from axes.middleware import AxesMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    client.get("/")
    ran = []
    monkeypatch.setattr(SessionMiddleware, "process_request", lambda self, r: ran.append("s"))
    monkeypatch.setattr(AxesMiddleware, "__call__", lambda self, r: ran.append("a"))

    response = client.get("/")

    assert response["X-Page-Cache"] == "hit"
    assert ran == []


def test_a_hit_is_one_cache_round_trip(client, post, monkeypatch):
    client.get("/")
    cache = page_cache_module.page_cache()
    calls, depth = [], []

    def spy(name, real):
        def call(*args, **kwargs):
            if not depth:  # a cache method the middleware called, not one calling another
                calls.append(name)
            depth.append(name)
            try:
                return real(*args, **kwargs)
            finally:
                depth.pop()

        return call

    for name in ("get", "get_many", "set", "set_many", "add", "delete", "has_key"):
        monkeypatch.setattr(cache, name, spy(name, getattr(cache, name)))

    assert client.get("/")["X-Page-Cache"] == "hit"
    assert calls == ["get_many"]


@pytest.mark.urls("tests.urls_for_tests")
@pytest.mark.parametrize("path", ["/", "/nonce/"])
def test_a_hit_says_how_long_it_is(client, post, path):
    # Without a length, gunicorn sends the page in chunks, copying it once more.
    client.get(path)
    hit = client.get(path)

    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Length"] == str(len(hit.content))


def test_a_hit_computes_none_of_the_validators_and_headers_stored_with_its_entry(
    client, post, monkeypatch
):
    miss = client.get("/")

    def computed(*args):
        raise AssertionError("a hit computed what its entry holds")

    monkeypatch.setattr(django.middleware.http, "set_response_etag", computed)
    for name in ("_add_validators", "_add_public_cache_control", "_content_to_store"):
        monkeypatch.setattr(page_cache_module, name, computed)
    hit = client.get("/")
    not_modified = client.get("/", HTTP_IF_NONE_MATCH=miss["ETag"])

    assert hit["X-Page-Cache"] == "hit"
    assert not_modified.status_code == 304
    for header in ("ETag", "Last-Modified", "Cache-Control", "Surrogate-Key", "Cache-Tag"):
        assert hit[header] == miss[header], header


def test_a_change_another_process_saved_shows_despite_this_process_copy(client, post):
    page = post.get_absolute_url()
    _cached(client, page)  # this process now holds a copy of the page's entry
    Post.objects.filter(pk=post.pk).update(title="Saved by another instance")

    cache = page_cache_module.page_cache()
    state = cache.get(page_cache_module.STATE_KEY)
    cache.set(page_cache_module.STATE_KEY, {**state, "generation": "another-instance"})
    response = client.get(page)

    assert response["X-Page-Cache"] == "miss"
    assert b"Saved by another instance" in response.content


def test_copies_kept_in_the_process_stay_within_their_byte_budget(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 250
    copies = page_cache_module._LocalCopies()

    def entry(size):
        return {"generation": "g", "content": b"x" * size}

    for key in ("a", "b", "c"):
        copies.keep(key, entry(100))
    copies.keep("huge", entry(251))

    assert copies.get("a") is None  # the least recently used went first
    assert copies.get("b") is not None
    assert copies.get("c") is not None
    assert copies.get("huge") is None
    copies.keep("d", entry(100))
    assert copies.get("c") is not None  # read after b: b is now the least recently used
    assert copies.get("b") is None
    settings.PAGE_CACHE_LOCAL_BYTES = 0
    copies.keep("e", entry(1))
    assert copies.get("e") is None


@pytest.fixture
def redis_traffic(monkeypatch):
    """Round trips to Redis (commands or pipelines sent) and the bytes of the values answered."""
    traffic = {"round trips": 0, "bytes": 0}
    send, read = AbstractConnection.send_packed_command, AbstractConnection.read_response

    def counted_send(self, *args, **kwargs):
        traffic["round trips"] += 1
        return send(self, *args, **kwargs)

    def counted_read(self, *args, **kwargs):
        response = read(self, *args, **kwargs)
        values = response if isinstance(response, list) else [response]
        traffic["bytes"] += sum(len(v) for v in values if isinstance(v, bytes))
        return response

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted_send)
    monkeypatch.setattr(AbstractConnection, "read_response", counted_read)

    def take():
        taken = dict(traffic)
        traffic.update({"round trips": 0, "bytes": 0})
        return taken

    return take


@pytest.mark.redis
def test_a_hit_is_one_round_trip_to_the_real_redis_which_sends_the_page_once_per_process(
    client, post, make_post, redis_through_a_cuttable_link, redis_traffic
):
    page = make_post(body="A sentence of some length. " * 2000).get_absolute_url()
    size = len(client.get(page).content)  # a miss, stored in Redis
    page_cache_module.local_copies.clear()  # another process, which has not served it yet
    redis_traffic()

    first = client.get(page)
    first_traffic = redis_traffic()
    second = client.get(page)
    second_traffic = redis_traffic()

    assert first["X-Page-Cache"] == second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert first_traffic["round trips"] == second_traffic["round trips"] == 1
    assert first_traffic["bytes"] > size
    assert second_traffic["bytes"] < 1000  # the generation record alone


@pytest.mark.redis
def test_a_copy_of_an_older_generation_is_replaced_by_the_entry_another_process_stored(
    client, post, committed, redis_through_a_cuttable_link, redis_traffic
):
    page = post.get_absolute_url()
    _cached(client, page)
    key = page_cache_module.entry_key(page, "")
    older = page_cache_module.local_copies.get(key)
    post.title = "Retitled"
    with committed():
        post.save()
    page_cache_module.local_copies.clear()
    assert client.get(page)["X-Page-Cache"] == "miss"  # rendered and stored by "another process"
    page_cache_module.local_copies.keep(key, older)  # this one still holds the older copy
    redis_traffic()

    response = client.get(page)

    assert response["X-Page-Cache"] == "hit"
    assert b"Retitled" in response.content
    assert redis_traffic()["round trips"] == 2
    assert page_cache_module.local_copies.get(key)["generation"] != older["generation"]


# A change saved while Redis is down (issue 11, item 8).


@pytest.mark.redis
def test_a_change_saved_during_an_outage_shows_in_a_process_that_did_not_save_it(
    client, post, redis_through_a_cuttable_link, committed
):
    proxy = redis_through_a_cuttable_link
    _cached(client, post.get_absolute_url())
    proxy.stop()
    post.title = "Saved while Redis was down"
    with committed():
        post.save()
    proxy.start()

    page_cache_module._Availability.reset()  # another worker, or this one after a reload
    after = client.get(post.get_absolute_url())

    assert after["X-Page-Cache"] == "miss"
    assert b"Saved while Redis was down" in after.content
    assert client.get(post.get_absolute_url())["X-Page-Cache"] == "hit"


@pytest.mark.redis
def test_a_process_that_never_saw_the_outage_catches_up_at_its_next_check(
    client, post, redis_through_a_cuttable_link, committed, monkeypatch, settings
):
    settings.PAGE_CACHE_PENDING_CHECK_SECONDS = 1
    now = [1000.0]
    monkeypatch.setattr(page_cache_module, "_clock", lambda: now[0])
    proxy = redis_through_a_cuttable_link
    _cached(client, "/")
    proxy.stop()
    post.title = "Saved while Redis was down"
    with committed():
        post.save()
    proxy.start()
    page_cache_module._Availability.reset()
    page_cache_module._Availability.pending_checked()  # it looked just before the save

    now[0] += 0.5
    within = client.get("/")
    now[0] += 0.6
    after = client.get("/")

    assert within["X-Page-Cache"] == "hit"
    assert after["X-Page-Cache"] == "miss"
    assert b"Saved while Redis was down" in after.content


def test_one_post_saved_in_the_admin_with_tags_and_a_note_starts_one_generation(
    post, writer_client, committed, generations
):
    """The whole admin save: the post, its tags, a new update note, its revision, its card."""
    url = f"/admin/posts/post/{post.pk}/change/"
    data = form_data(writer_client.get(url))
    data.update(
        {
            "title": "Attention, revised",
            "tags": "nlp, attention, sparse",
            "update_notes-TOTAL_FORMS": "1",
            "update_notes-0-date": "2024-05-01",
            "update_notes-0-note": "Add sparse attention.",
        }
    )
    with committed():
        response = writer_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    post.refresh_from_db()
    assert post.title == "Attention, revised" and post.update_notes.count() == 1
    assert generations == [1]

"""The shared page cache: hits without queries, freshness after every kind of change, staff bypass,
no caching of per-client responses, conditional GET, and Redis outages against the real Redis."""

import contextlib
import logging
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from blogsite import page_cache as page_cache_module
from posts.models import Post, Reference, Series, SharePreview, Tag, UpdateNote
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


def test_a_missing_page_is_cached_as_a_404(client, django_assert_num_queries):
    client.get("/tags/nothing-here/")
    with django_assert_num_queries(0):
        response = client.get("/tags/nothing-here/")
    assert response.status_code == 404


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
    _cached(client, "/")
    Post.objects.filter(pk=post.pk).update(title="Changed without signals")

    fresh = writer_client.get("/")
    anonymous = client.get("/")

    assert "X-Page-Cache" not in fresh
    assert b"Changed without signals" in fresh.content
    assert "private" in fresh["Cache-Control"]
    assert anonymous["X-Page-Cache"] == "hit"
    assert b"Changed without signals" not in anonymous.content


def test_invalidate_is_there_for_bulk_writes(client, post):
    _cached(client, "/")
    Post.objects.filter(pk=post.pk).update(title="Bulk edit")

    page_cache_module.invalidate()

    assert b"Bulk edit" in client.get("/").content


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


def test_pages_must_revalidate_and_feeds_may_be_kept_a_few_minutes(client, post, settings):
    assert client.get("/")["Cache-Control"] == "public, max-age=0, must-revalidate"
    settings.ROOT_URLCONF = "tests.urls_for_tests"
    assert client.get("/atom.xml")["Cache-Control"] == "public, max-age=300, must-revalidate"


def test_the_page_cache_can_be_switched_off(client, post, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/")
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"


@pytest.fixture
def redis_through_a_cuttable_link(settings):
    """The page cache on the real Redis (db 4, own prefix), reached through a forwarder."""
    proxy = TcpProxy(6379).start()
    prefix = f"ops-test-{uuid.uuid4().hex[:8]}"
    location = f"redis://127.0.0.1:{proxy.port}/4"
    options = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": location, "KEY_PREFIX": prefix}
    with override_settings(
        CACHES={"default": {**redis, "OPTIONS": options}, "pages": {**redis, "OPTIONS": options}},
        PAGE_CACHE_RETRY_SECONDS=0,
    ):
        yield proxy
        page_cache_module.page_cache().delete_pattern("*")
    proxy.stop()
    page_cache_module._Availability.retry_at = 0.0
    page_cache_module._Availability.pending_invalidation = False


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

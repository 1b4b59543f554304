"""Shared fixtures, and the rule that a skipped test fails the run (a skip hides a missing part)."""

import contextlib
import math
import time
from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.signals import setting_changed
from django.utils import timezone

from blogsite import page_cache
from blogsite.page_cache import forget_generation
from posts.models import Post

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_line(
            f"FAILED: {len(_skipped)} test(s) skipped; every test must run.", red=True
        )


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with an empty page cache, and no copies of entries in this process, as a
    newly started one: a rolled-back test sends no signal to clear it.
    Its process looks in the database for changes recorded during a Redis outage only when a test
    makes that due (an outage it sees, or `_Availability.reset()`), never at random in a query
    count."""
    forget_generation()
    page_cache.local_copies.clear()
    page_cache._Availability.reset()
    page_cache._Availability.next_pending_check = math.inf
    setting_changed.connect(_forget_cached_pages)
    yield
    setting_changed.disconnect(_forget_cached_pages)


def _forget_cached_pages(**kwargs):
    """A setting changed inside a test: pages cached under the old value no longer apply."""
    forget_generation()


@pytest.fixture
def author(django_user_model):
    return django_user_model.objects.create_user(
        "lilian", password="unused-password", first_name="Lilian", last_name="Weng"
    )


def run_on_commit_callbacks(using=DEFAULT_DB_ALIAS):
    """Do what a commit does after writing: run the waiting on-commit callbacks (the page cache's
    invalidation, file removal), including those they add, and forget them."""
    connection = connections[using]
    while connection.run_on_commit:
        callbacks, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, callback, _robust in callbacks:
            callback()


WRITER_PASSWORD = "correct horse 42"


@pytest.fixture
def writer(django_user_model):
    """The site's writer, Ann: a superuser, as `manage.py ensure_admin` makes. Tests that sign in
    through the login form use `writer.raw_password`."""
    user = django_user_model.objects.create_superuser(
        "ann", "ann@example.com", WRITER_PASSWORD, first_name="Ann"
    )
    user.raw_password = WRITER_PASSWORD
    return user


@pytest.fixture
def writer_client(writer):
    """A test client of its own (not `client`), signed in as the writer."""
    signed_in = Client()
    signed_in.force_login(writer)
    return signed_in


@pytest.fixture
def committed():
    """`with committed(): ...` ends as a commit would (`run_on_commit_callbacks`): a test's own
    transaction never commits."""

    @contextlib.contextmanager
    def commit():
        yield
        run_on_commit_callbacks()

    return commit


@pytest.fixture
def make_post(author, committed):
    """Create a post, committed: published a day ago unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        fields.setdefault("title", f"Post {n}")
        fields.setdefault("slug", f"post-{n}")
        fields.setdefault("body", f"Body of post {n}.\n\nA second paragraph.")
        fields.setdefault("status", Post.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(days=n))
        fields.setdefault("author", author)
        tags = fields.pop("tags", [])
        with committed():
            post = Post.objects.create(**fields)
            if tags:
                post.tags.add(*tags)
        return post

    return make


@pytest.fixture
def post(make_post):
    """A published post with two tags, `transformers` and `nlp`."""
    return make_post(title="Attention", slug="attention", tags=["transformers", "nlp"])


@pytest.fixture(autouse=True)
def _files_outside_the_project(settings, tmp_path_factory):
    """Files the code writes by itself (a committed post's share card, `posts.share_cards`) go to a
    directory of the run's own, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media-written-by-the-code"


@pytest.fixture
def media_root(settings, tmp_path):
    """A temporary MEDIA_ROOT, so tests never write into the project's media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def travel_to(monkeypatch):
    """Move the clock to an aware datetime, for `timezone.now()` and `time.time()` alike (the page
    cache compares epoch seconds). Time stands still there until the next call; no sleeping."""

    def travel(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(time, "time", moment.timestamp)

    return travel

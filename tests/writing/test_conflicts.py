"""Edit conflicts: a stale form is refused with a diff and the writer's text kept."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import psycopg
import pytest
from django.urls import reverse
from django.utils import timezone

from posts.models import Post
from posts.writing.conflicts import is_stale, version_token
from tests.admin_form_data import form_data
from tests.processes import (
    Browserless,
    base_env,
    drop_postgres_database,
    fresh_postgres_database,
    gunicorn,
    manage,
)

pytestmark = pytest.mark.django_db


def test_token_round_trip_is_fresh_and_any_later_save_is_stale():
    saved = timezone.now()
    token = version_token(saved)
    assert not is_stale(token, saved)
    assert is_stale(token, saved + timedelta(microseconds=1))


def test_missing_token_is_not_checked_but_garbage_is_stale():
    now = timezone.now()
    assert not is_stale("", now)
    assert is_stale("yesterday-ish", now)
    assert is_stale("2026-13-45T99:00:00", now)


@pytest.fixture
def writers(writer_client, django_user_model):
    """Ann (the shared writer) and Bob, each signed in with a client of their own."""
    from django.test import Client

    bob = django_user_model.objects.create_superuser("bob", password="pw", first_name="Bob")
    client_b = Client()
    client_b.force_login(bob)
    return writer_client, client_b


def test_second_save_of_a_stale_form_is_refused_and_keeps_the_text(writers, make_post):
    client_a, client_b = writers
    post = make_post(title="Attention", body="First draft.")
    url = reverse("admin:posts_post_change", args=[post.pk])
    first = form_data(client_a.get(url))
    first["body"] = "First paragraph.\n\nSecond paragraph."
    assert client_a.post(url, first).status_code == 302  # the revision both writers start from
    form_a = form_data(client_a.get(url))
    form_b = form_data(client_b.get(url))
    assert form_a["loaded_version"] and form_a["loaded_version"] == form_b["loaded_version"]

    form_a["body"] = "First paragraph.\n\nAnn rewrote the second paragraph."
    response = client_a.post(url, form_a)
    assert response.status_code == 302

    form_b["body"] = "Bob's own version of the whole post."
    response = client_b.post(url, form_b)
    assert response.status_code == 200  # the form again, refused
    page = response.content.decode()
    assert "Ann saved this post at" in page and "Nothing was saved" in page
    assert "What Ann changed since you opened this post" in page
    assert "Bob&#x27;s own version of the whole post." in page  # B's text is still in the form
    # The diff shows what Ann changed meanwhile.
    assert "-Second paragraph." in page
    assert "+Ann rewrote the second paragraph." in page
    post.refresh_from_db()
    assert post.body == "First paragraph.\n\nAnn rewrote the second paragraph."  # A's save intact


def test_after_seeing_the_conflict_a_second_save_goes_through(writers, make_post):
    client_a, client_b = writers
    post = make_post(body="Original.")
    url = reverse("admin:posts_post_change", args=[post.pk])
    form_a = form_data(client_a.get(url))
    form_b = form_data(client_b.get(url))
    form_a["body"] = "Ann's text."
    client_a.post(url, form_a)
    form_b["body"] = "Bob's text, merged with Ann's."
    refused = client_b.post(url, form_b)
    assert refused.status_code == 200
    resubmitted = form_data(refused)
    assert resubmitted["loaded_version"] != form_b["loaded_version"]
    assert resubmitted["body"] == "Bob's text, merged with Ann's."
    assert client_b.post(url, resubmitted).status_code == 302
    post.refresh_from_db()
    assert post.body == "Bob's text, merged with Ann's."


def test_a_save_outside_the_admin_also_makes_the_form_stale(writers, make_post):
    client_a, _ = writers
    post = make_post(body="Original.")
    url = reverse("admin:posts_post_change", args=[post.pk])
    form = form_data(client_a.get(url))
    Post.objects.get(pk=post.pk).save()  # e.g. rerender_posts
    form["body"] = "Edited."
    response = client_a.post(url, form)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Original."


def test_a_fresh_form_saves_normally(writers, make_post):
    client_a, _ = writers
    post = make_post(body="Original.")
    url = reverse("admin:posts_post_change", args=[post.pk])
    form = form_data(client_a.get(url))
    form["body"] = "Edited once."
    assert client_a.post(url, form).status_code == 302
    form = form_data(client_a.get(url))
    form["body"] = "Edited twice."
    assert client_a.post(url, form).status_code == 302
    post.refresh_from_db()
    assert post.body == "Edited twice."


def test_without_a_recorded_base_the_conflict_compares_saved_text_with_yours(writers, make_post):
    client_a, client_b = writers
    post = make_post(body="Imported text.")  # created outside the admin: no revision yet
    url = reverse("admin:posts_post_change", args=[post.pk])
    form_a = form_data(client_a.get(url))
    form_b = form_data(client_b.get(url))
    form_a["body"] = "Ann's text."
    client_a.post(url, form_a)
    form_b["body"] = "Bob's text."
    page = client_b.post(url, form_b).content.decode()
    assert "The saved post (-) compared with your text (+)" in page
    assert "-Ann&#x27;s text." in page and "+Bob&#x27;s text." in page


def test_diff_text_is_escaped(writers, make_post):
    client_a, client_b = writers
    post = make_post(body="Safe.")
    url = reverse("admin:posts_post_change", args=[post.pk])
    form_a = form_data(client_a.get(url))
    form_b = form_data(client_b.get(url))
    form_a["body"] = "<script>alert(1)</script>"
    client_a.post(url, form_a)
    form_b["body"] = "Mine."
    page = client_b.post(url, form_b).content.decode()
    section = page[page.index('class="edit-conflict"') :]
    assert "<script>alert(1)" not in section[: section.index("</section>")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section


# Two saves at the same moment, on PostgreSQL: the check and the write are one step.

RACE_DATABASE = f"blogsite_writing_race_{os.getpid()}"


@pytest.fixture
def site_on_postgres():
    """gunicorn with two workers on a fresh PostgreSQL database, a writer account and one post."""
    database_url = fresh_postgres_database(RACE_DATABASE)
    env = base_env(
        DATABASE_URL=database_url,
        DEBUG="false",
        PAGE_CACHE_ENABLED="false",
        ADMIN_USERNAME="ann",
        ADMIN_PASSWORD="correct horse 42",
    )
    try:
        manage("migrate", "--no-input", env=env, check=True)
        manage("ensure_admin", env=env, check=True)
        with gunicorn(env, workers=2) as base:
            yield base, database_url
    finally:
        drop_postgres_database(RACE_DATABASE)


@pytest.mark.postgres
def test_two_writers_saving_the_same_version_at_once_cannot_both_win(site_on_postgres):
    base, database_url = site_on_postgres
    writers = [Browserless(base), Browserless(base)]
    for writer in writers:
        writer.sign_in("ann", "correct horse 42")
    add = form_data(SimpleNamespace(content=writers[0].request("/admin/posts/post/add/")[1]))
    add.update(title="Race", slug="race", body="First.", status="draft", _continue="1")
    assert writers[0].request("/admin/posts/post/add/", add)[0] == 302
    with psycopg.connect(database_url) as conn:
        post_id = conn.execute("SELECT id FROM posts_post WHERE slug = 'race'").fetchone()[0]
    url = f"/admin/posts/post/{post_id}/change/"
    # A long body makes each save take a while (rendering), so the two are in flight together.
    long_text = "Attention weights for every query and key pair in the sequence. " * 15_000
    forms = []
    for name, writer in zip("AB", writers, strict=True):
        form = form_data(SimpleNamespace(content=writer.request(url)[1]))
        form["body"] = f"{name}'s text.\n\n{long_text}"
        forms.append(form)
    assert forms[0]["loaded_version"] == forms[1]["loaded_version"]

    start = threading.Barrier(2)

    def save(index):
        start.wait()
        return writers[index].request(url, forms[index])

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(save, [0, 1]))

    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 302]  # one saved, the other refused with the conflict
    refused = next(body for status, body in results if status == 200).decode()
    assert "after you opened it. Nothing was saved" in refused
    with psycopg.connect(database_url) as conn:
        stored = conn.execute("SELECT body FROM posts_post WHERE id = %s", [post_id]).fetchone()[0]
    winner = "AB"[[status for status, _ in results].index(302)]
    assert stored.startswith(f"{winner}'s text.")

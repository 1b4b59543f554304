"""A save that fails is never lost: the browser copy stays until the server confirms the save.

In Chromium: a save made while PostgreSQL is cut (a gunicorn behind a forwarder the test cuts, as in
tests/ops/test_outage.py) and a save over the request size limit (refused by the form before it
is sent, or by the server's 413 page) leave the text in the browser, offered back when the post is
opened again, also after visiting other admin pages; a confirmed save removes the copy.
"""

import os
import subprocess

import psycopg
import pytest

from posts.models import Post
from tests.processes import (
    PYTHON,
    ROOT,
    base_env,
    drop_postgres_database,
    fresh_postgres_database,
    manage,
    wait_for,
)
from tests.tcp_proxy import TcpProxy, free_port

pytestmark = [pytest.mark.e2e]

DATABASE = f"blogsite_e2e_autosave_{os.getpid()}"
USERNAME, PASSWORD = "ann", "correct horse 42"


def sign_in(page, base="", username=USERNAME, password=PASSWORD):
    page.goto(f"{base}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def kept_copy(page, post_id):
    return page.evaluate(f"localStorage.getItem('blogsite:autosave:posts.post:{post_id}')")


def restore_offer_is_shown(page):
    offer = page.locator(".autosave-offer")
    offer.wait_for()
    box = offer.bounding_box()
    assert box["width"] > 0 and box["height"] > 0
    assert "Restore unsaved changes from" in offer.inner_text()
    return offer


@pytest.fixture
def site_behind_a_cuttable_database(tmp_path):
    """gunicorn (static files collected, a writer account) on a database the test can cut."""
    database_url = fresh_postgres_database(DATABASE)
    proxy = TcpProxy(5432).start()
    env = base_env(
        DATABASE_URL=database_url.replace(":5432/", f":{proxy.port}/"),
        DEBUG="false",
        CONN_MAX_AGE=60,
        PAGE_CACHE_ENABLED="false",
        DATABASE_CONNECT_TIMEOUT=2,
        STATIC_ROOT=tmp_path / "static",
        ADMIN_USERNAME=USERNAME,
        ADMIN_PASSWORD=PASSWORD,
    )
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"], ["ensure_admin"]):
        manage(*command, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "blogsite.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}", proxy, database_url
    finally:
        server.terminate()
        server.wait(timeout=10)
        proxy.stop()
        drop_postgres_database(DATABASE)


@pytest.fixture
def gunicorn_page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.postgres
def test_a_save_during_a_database_outage_is_offered_back_and_saved_after_recovery(
    site_behind_a_cuttable_database, gunicorn_page
):
    base, proxy, database_url = site_behind_a_cuttable_database
    page = gunicorn_page
    sign_in(page, base)
    page.goto(f"{base}/admin/posts/post/add/")
    page.get_by_label("Title").fill("Outage notes")
    page.get_by_label("Body").fill("Saved before the outage.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url("**/change/")
    change_url = page.url
    post_id = change_url.rstrip("/").split("/")[-2]
    written = "Saved before the outage.\n\nWritten while the database was down."
    page.get_by_label("Body").fill(written)

    proxy.stop()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Back in a moment"
    assert "not saved" in page.locator("main").inner_text()
    assert "Nothing is lost" not in page.content()

    proxy.start()
    page.goto(f"{base}/admin/posts/post/")  # the next admin page used to forget the copy
    page.get_by_role("link", name="Outage notes").wait_for()
    assert kept_copy(page, post_id) is not None
    page.goto(change_url)
    restore_offer_is_shown(page)
    assert page.get_by_label("Body").input_value() == "Saved before the outage."
    page.get_by_role("button", name="Restore").click()
    assert page.get_by_label("Body").input_value() == written
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/posts/post/")

    with psycopg.connect(database_url) as conn:
        stored = conn.execute("SELECT body FROM posts_post WHERE id = %s", [post_id]).fetchone()
    assert stored[0] == written.replace("\n", "\r\n")
    assert kept_copy(page, post_id) is None  # that save was confirmed


@pytest.mark.django_db(transaction=True)
def test_a_save_over_the_size_limit_keeps_the_text_until_a_save_is_confirmed(
    page, writer, author, settings
):
    post = Post.objects.create(
        title="Long", slug="long", author=author, body="Stored text.", status="draft"
    )
    url = f"/admin/posts/post/{post.pk}/change/"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    sign_in(page, username=writer.username, password=writer.raw_password)
    page.goto(url)
    long_text = "Stored text.\n\n" + "A long paragraph with figures and tables. " * 4000
    page.get_by_label("Body").fill(long_text)

    # The script measures the body the form would send and refuses it with a form error.
    page.get_by_role("button", name="Save and continue editing").click()
    error = page.locator(".errornote.autosave-too-large")
    error.wait_for()
    box = error.bounding_box()
    assert box["width"] > 0 and box["height"] > 0
    assert "Nothing was sent and your text is still here" in error.inner_text()
    assert "at most 0.1 MB" in error.inner_text()
    assert page.url.endswith(url)
    assert page.get_by_label("Body").input_value() == long_text
    post.refresh_from_db()
    assert post.body == "Stored text."

    # Where the script cannot tell (here its hook is removed), the server's 413 page says so.
    page.evaluate("document.querySelector('meta[name=blogsite-request-limit]').remove()")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Too large to save"
    assert "nothing was saved" in page.locator("main").inner_text()

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # then the limit is raised
    page.goto("/admin/posts/post/")
    page.goto(url)
    restore_offer_is_shown(page)
    page.get_by_role("button", name="Restore").click()
    assert page.get_by_label("Body").input_value() == long_text
    post.refresh_from_db()
    assert post.body == "Stored text."

    page.get_by_role("button", name="Save and continue editing").click()
    page.locator(".messagelist .success").wait_for()
    assert kept_copy(page, post.pk) is None
    post.refresh_from_db()
    assert post.body == long_text.strip().replace("\n", "\r\n")

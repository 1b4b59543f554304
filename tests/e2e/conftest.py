"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

Playwright runs an event loop in the test thread, so Django's "no ORM calls in async context"
guard must be relaxed for the ORM calls the tests make to set up data.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, stopped only once each of its request threads has ended.

    On SQLite the request threads use the test thread's in-memory connection, which the server
    shares with them until it stops at the end of the session (when the test database was made
    before the server started, as in a whole run; a run of tests/e2e alone starts the server
    first, and its threads open connections of their own). Django makes them daemon threads,
    so the server used to stop while some still waited on a connection Chromium kept open (from
    contexts the tests never closed); when the browser closed, each such thread closed a database
    connection it was no longer allowed to use: a DatabaseError per thread, reported as a
    PytestUnhandledThreadExceptionWarning. Non-daemon threads are joined by the server's
    `server_close()`, and `_contexts_end_with_their_test` leaves none waiting on Chromium.
    """
    live_server.thread.httpd.daemon_threads = False
    return live_server


@pytest.fixture(autouse=True)
def _contexts_end_with_their_test(request):
    """Close the browser contexts a test left open: Chromium keeps its connections to a server
    open while their context lives, and the live server keeps a request thread on each."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test; CSP violations reported by the browser fail the test."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert violations == [], violations


@pytest.fixture
def logged_in(page, writer):
    """`page` signed in to the admin as `writer`."""
    page.goto("/admin/")
    page.get_by_label("Username").fill(writer.username)
    page.get_by_label("Password").fill(writer.raw_password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page

"""A session of its own, run by tests/e2e/test_conftest.py (pytest collects only test_*.py files
by itself): the database is made first, as in the whole suite, then a test leaves a page open."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_database_is_made_before_the_live_server():
    # So the live server, started after it, shares this in-memory SQLite connection.
    assert connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.e2e
def test_a_page_left_open(browser, live_server):
    page = browser.new_context().new_page()  # the test never closes its context
    page.goto(live_server.url + "/")
    assert page.title()

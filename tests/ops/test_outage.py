"""PostgreSQL going away: a styled 503 (never a 500), and recovery with no restart.

A gunicorn process talks to the local PostgreSQL through a forwarder that the test cuts and
restores; the shared PostgreSQL itself is never stopped.
"""

import json
import os
import subprocess

import pytest

from blogsite.outage import database_unavailable
from tests.processes import (
    PYTHON,
    ROOT,
    base_env,
    drop_postgres_database,
    fetch,
    fresh_postgres_database,
    manage,
    wait_for,
)
from tests.tcp_proxy import TcpProxy, free_port

# Per test process, so two suites running at once (two checkouts) never drop each other's database.
DATABASE = f"blogsite_ops_outage_{os.getpid()}"


@pytest.fixture
def site_behind_a_cuttable_database():
    fresh_postgres_database(DATABASE)
    proxy = TcpProxy(5432).start()
    env = base_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{proxy.port}/{DATABASE}",
        DEBUG="false",
        CONN_MAX_AGE=60,
        PAGE_CACHE_ENABLED="false",
        DATABASE_CONNECT_TIMEOUT=2,
    )
    manage("migrate", "--no-input", env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "blogsite.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}", proxy
    finally:
        server.terminate()
        server.wait(timeout=10)
        proxy.stop()
        drop_postgres_database(DATABASE)


@pytest.mark.postgres
def test_database_outage_gives_a_styled_503_and_the_site_recovers(site_behind_a_cuttable_database):
    base, proxy = site_behind_a_cuttable_database
    assert fetch(f"{base}/")[0] == 200  # a persistent connection is now open

    proxy.stop()
    status, headers, body = fetch(f"{base}/")
    health_status, _, health = fetch(f"{base}/healthz")
    again = fetch(f"{base}/archives/")[0]

    assert status == 503
    assert b"Back in a moment" in body
    assert b'<link rel="stylesheet"' in body
    assert headers["Retry-After"] == "30"
    assert again == 503
    assert health_status == 503
    assert json.loads(health)["database"].startswith("error: ")

    proxy.start()
    assert fetch(f"{base}/")[0] == 200
    assert fetch(f"{base}/archives/")[0] == 200
    assert json.loads(fetch(f"{base}/healthz")[2])["status"] == "ok"


def test_the_503_page_after_a_form_says_it_was_not_saved(rf):
    after_save = database_unavailable(rf.post("/admin/posts/post/1/change/")).content.decode()
    reading = database_unavailable(rf.get("/")).content.decode()

    assert "not saved" in after_save and "Restore" in after_save
    assert "Nothing is lost" not in after_save
    assert "not saved" not in reading and "try again in a minute" in reading

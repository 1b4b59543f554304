"""A CDN in front: shareable pages name the site's surrogate key, and each new generation of the
page cache POSTs a purge of that key to the configured URL — here a real HTTP server on
loopback, standing in for the CDN's API."""

import contextlib
import json
import queue
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from posts.models import Post

pytestmark = pytest.mark.django_db

PURGE_WAIT_SECONDS = 10


@pytest.fixture
def cdn_api(settings):
    """A loopback HTTP server that records each request it gets; the site is told to purge there."""
    received = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put((self.path, dict(self.headers), json.loads(body)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"success": true}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_port}/zones/z1/purge_cache"
    settings.CDN_PURGE_HEADERS = {"Authorization": "Bearer cdn-token"}
    settings.CDN_SURROGATE_KEY = "lillog-pages"
    yield received
    server.shutdown()
    server.server_close()


def test_shareable_pages_name_the_surrogate_key(client, post, settings):
    settings.CDN_SURROGATE_KEY = "lillog-pages"
    for path in ("/", post.get_absolute_url(), "/tags/nlp/", "/feeds/atom/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Surrogate-Key"] == "lillog-pages", path
        assert response["Cache-Tag"] == "lillog-pages", path


def test_private_pages_name_no_key(client, writer_client, make_post, settings):
    draft = make_post(title="Draft", slug="draft", status=Post.Status.DRAFT)
    response = writer_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("Surrogate-Key") and not response.has_header("Cache-Tag")
    settings.PAGE_SHARED_MAX_AGE = 0  # shared caches told to keep nothing: nothing to purge
    assert not client.get("/").has_header("Surrogate-Key")


def test_a_committed_change_purges_the_key_once(post, committed, cdn_api):
    with committed():
        post.title = "Attention, revised"
        post.save()
        post.tags.add("sparse")
    path, headers, body = cdn_api.get(timeout=PURGE_WAIT_SECONDS)
    assert path == "/zones/z1/purge_cache"
    assert headers["Authorization"] == "Bearer cdn-token"
    assert headers["Content-Type"] == "application/json"
    assert body == {"tags": ["lillog-pages"]}
    with pytest.raises(queue.Empty):  # one transaction, one generation, one purge
        cdn_api.get(timeout=0.5)


def test_a_scheduled_post_coming_due_purges(client, post, make_post, travel_to, cdn_api):
    due = timezone.now() + timedelta(minutes=5)
    make_post(title="Scheduled one", slug="scheduled", published_at=due)
    client.get("/")
    client.get("/")
    with contextlib.suppress(queue.Empty):  # the purges the setup's own saves asked for
        while True:
            cdn_api.get(timeout=1)
    travel_to(due + timedelta(milliseconds=100))
    assert b"Scheduled one" in client.get("/").content
    assert cdn_api.get(timeout=PURGE_WAIT_SECONDS)[2] == {"tags": ["lillog-pages"]}


def test_a_cdn_that_fails_leaves_the_save_and_the_page_alone(client, post, committed, settings):
    settings.CDN_PURGE_URL = "http://127.0.0.1:9/unreachable"  # the discard port: refused
    with committed():
        post.title = "Saved anyway"
        post.save()
    assert b"Saved anyway" in client.get(post.get_absolute_url()).content

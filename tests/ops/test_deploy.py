"""The committed deployment, for real: Debian's nginx in front of two gunicorn instances on the
local PostgreSQL and Redis. Pages and static files come through nginx, media is never served as
something a browser would run, and an edit saved through one instance shows through the other."""

import http.client
import json
import os
import re
import textwrap
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest

from bench.stack import Stack, insecure_tls, production_env
from tests.processes import (
    REDIS_URL,
    drop_postgres_database,
    fetch,
    fresh_postgres_database,
    manage,
)

pytestmark = [pytest.mark.deploy, pytest.mark.postgres, pytest.mark.redis]

# Per test process, so two suites running at once (two checkouts) never drop each other's database.
DATABASE = f"blogsite_ops_deploy_{os.getpid()}"
HOST = "blog.test"
SETUP = textwrap.dedent(
    """
    from django.contrib.auth import get_user_model
    from posts.models import Post
    user = get_user_model().objects.create_superuser("editor", "e@example.com", "deploy-pass-123")
    post = Post.objects.create(
        title="Served by two instances", slug="two-instances", author=user,
        body="A post with $x^2$ math.", status="published",
    )
    post.tags.add("deployment")
    draft = Post.objects.create(
        title="Unpublished thoughts", slug="unpublished", author=user, body="Not yet.",
        status="draft",
    )
    from posts.writing import previews
    print(previews.share_url(previews.create_link(draft, user)))
    print(draft.get_absolute_url())
    print(post.get_absolute_url())
    """
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("stack")
    database_url = fresh_postgres_database(DATABASE)
    env = production_env(workdir, HOST, database_url, REDIS_URL, WEB_CONCURRENCY=1)
    manage("migrate", "--no-input", env=env, check=True)
    manage("collectstatic", "--no-input", env=env, check=True)
    printed = manage("shell", "-c", SETUP, env=env, check=True).stdout.strip().splitlines()
    share_url, draft_url, post_url = printed[-3:]
    media = workdir / "media"
    media.mkdir(exist_ok=True)  # the posts made above already wrote their share cards there
    (media / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (media / "evil.html").write_text("<script>alert(1)</script>")
    site = Stack(workdir, env, host=HOST, instances=2)
    try:
        site.start()
        site.post_url, site.draft_url, site.share_url = post_url, draft_url, share_url
        yield site
    finally:
        site.stop()
        drop_postgres_database(DATABASE)


def get(url, **headers):
    return fetch(url, headers={"Host": HOST, **headers}, context=insecure_tls())


def test_plain_http_is_redirected_to_https(stack):
    status, headers, _ = get(f"{stack.http_url}/archives/")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/archives/"


def test_pages_come_through_nginx_with_security_headers(stack):
    for path in ("/", "/archives/", "/tags/", "/tags/deployment/", stack.post_url):
        status, headers, body = get(f"{stack.https_url}{path}")
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html")
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Page-Cache"] in {"hit", "miss"}
        assert b"Served by two instances" in body or path == "/tags/"


def test_static_files_are_fingerprinted_compressed_and_immutable(stack):
    _, _, body = get(f"{stack.https_url}/")
    css = re.search(rb'href="(/static/css/code\.[0-9a-f]{12}\.css)"', body).group(1).decode()

    status, headers, _ = get(f"{stack.https_url}{css}", **{"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]


def test_media_is_served_by_nginx_never_as_html_or_script(stack):
    status, image, _ = get(f"{stack.https_url}/media/figure.png")
    _, page, _ = get(f"{stack.https_url}/media/evil.html")

    assert status == 200
    assert image["Content-Type"] == "image/png"
    assert image["Content-Security-Policy"].startswith("default-src 'none'")
    assert image["X-Content-Type-Options"] == "nosniff"
    assert page["Content-Type"] == "application/octet-stream"
    assert page["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Server" not in image or "nginx/" not in image["Server"]


def test_healthz_through_nginx(stack):
    status, _, body = get(f"{stack.https_url}/healthz")
    assert status == 200
    assert b'"database": "ok"' in body
    assert b'"cache": "ok"' in body


class FormFields(HTMLParser):
    """The values a browser would submit for the form with the given id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in {"submit", "button", "file", "image"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


class AdminSession:
    """A signed-in admin talking straight to one gunicorn instance (as nginx would, over TLS)."""

    def __init__(self, instance_url):
        self.address = urlsplit(instance_url).netloc
        self.cookies = {}

    def request(self, method, path, data=None):
        connection = http.client.HTTPConnection(self.address, timeout=20)
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";")[0].split("=", 1)
            self.cookies[name] = value
        content = response.read()
        connection.close()
        return response.status, response.headers, content

    def login(self):
        self.request("GET", "/admin/login/")
        status, _, _ = self.request(
            "POST",
            "/admin/login/",
            {
                "username": "editor",
                "password": "deploy-pass-123",
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "next": "/admin/",
            },
        )
        assert status == 302


def test_an_edit_through_one_instance_shows_through_the_other_at_once(stack):
    first, second = stack.instance_urls
    proxied = {"X-Forwarded-Proto": "https"}
    for _ in range(2):  # warm the shared cache through the second instance
        _, headers, body = get(f"{second}{stack.post_url}", **proxied)
    assert headers["X-Page-Cache"] == "hit"
    assert b"Served by two instances" in body

    # Edit the post's body in the admin of instance one.
    admin = AdminSession(first)
    admin.login()
    _, _, listing = admin.request("GET", "/admin/posts/post/")
    change_url = re.search(
        rb'href="(/admin/posts/post/\d+/change/)[^"]*"[^>]*>Served by two instances', listing
    )[1].decode()
    _, _, form_page = admin.request("GET", change_url)
    form = FormFields("post_form")
    form.feed(form_page.decode())
    new_body = "A post with $x^2$ math.\n\nAn added paragraph, saved through instance one."
    fields = [(k, new_body if k == "body" else v) for k, v in form.fields]
    status, _, _ = admin.request("POST", change_url, fields)
    assert status == 302, "the admin refused the edit"

    saved = time.monotonic()
    _, headers, through_second = get(f"{second}{stack.post_url}", **proxied)
    added = b"An added paragraph, saved through instance one."
    assert headers["X-Page-Cache"] == "miss"
    assert added in through_second

    # nginx may hand out its copy for up to a second (s-maxage=1), then shows the change. Stale
    # copies are allowed until one second after the save returned, plus one for a busy machine.
    stale_until = None
    while True:
        _, headers, body = get(f"{stack.https_url}{stack.post_url}")
        if added in body:
            break
        stale_until = time.monotonic() - saved
        assert stale_until < 2.0, "nginx kept the old page for more than a second"
    assert headers["X-Proxy-Cache"] in {"MISS", "EXPIRED", "REVALIDATED", "UPDATING", "HIT"}


def test_nginx_serves_anonymous_pages_from_its_cache(stack):
    for path in ("/", "/tags/deployment/", stack.post_url, "/feeds/atom/"):
        _, first, _ = get(f"{stack.https_url}{path}")
        _, second, body = get(f"{stack.https_url}{path}")
        assert "s-maxage=1" in first["Cache-Control"], path
        assert second["X-Proxy-Cache"] == "HIT", path
        assert b"Served by two instances" in body or path == "/feeds/atom/"


def test_nginx_never_stores_drafts_share_previews_or_the_admin(stack):
    for path in (stack.share_url, "/admin/login/", "/healthz"):
        statuses = [get(f"{stack.https_url}{path}")[1]["X-Proxy-Cache"] for _ in range(3)]
        assert "HIT" not in statuses, path
    status, _, body = get(f"{stack.https_url}{stack.share_url}")
    assert status == 200 and b"Unpublished thoughts" in body
    status, _, body = get(f"{stack.https_url}{stack.draft_url}")
    assert status == 404 and b"Unpublished thoughts" not in body


def test_signed_in_writers_get_fresh_pages_a_junk_cookie_the_cached_one(stack):
    admin = AdminSession(stack.instance_urls[0])
    admin.login()
    signed_in = {"Cookie": f"sessionid={admin.cookies['sessionid']}"}
    get(f"{stack.https_url}/")

    _, writer, _ = get(f"{stack.https_url}/", **signed_in)
    _, draft, body = get(f"{stack.https_url}{stack.draft_url}", **signed_in)
    _, junk, _ = get(f"{stack.https_url}/", Cookie="sessionid=not-a-session")
    status, _, anonymous = get(f"{stack.https_url}{stack.draft_url}")

    assert writer["X-Proxy-Cache"] == "BYPASS"
    assert "X-Page-Cache" not in writer and "private" in writer["Cache-Control"]
    assert draft["X-Proxy-Cache"] == "BYPASS" and b"Unpublished thoughts" in body
    assert "no-store" in draft["Cache-Control"]
    assert junk["X-Proxy-Cache"] == "BYPASS" and junk["X-Page-Cache"] == "hit"
    # the writer's copy of the draft was not kept for anyone else
    assert status == 404 and b"Unpublished thoughts" not in anonymous


ATTEMPTS = (
    "import json; from axes.models import AccessAttempt; "
    "print(json.dumps({a.ip_address: a.failures_since_start for a in AccessAttempt.objects.all()}))"
)


def failed_login(connection, **headers):
    """One wrong password on the admin's login form over `connection`; the answer's status."""
    base = {"Host": HOST, "X-Forwarded-Proto": "https", **headers}
    connection.request("GET", "/admin/login/", headers=base)
    response = connection.getresponse()
    response.read()
    cookie = response.headers["Set-Cookie"].split(";")[0]
    token = cookie.split("=", 1)[1]
    body = urlencode({"username": "editor", "password": "wrong", "csrfmiddlewaretoken": token})
    connection.request(
        "POST", "/admin/login/", body=body,
        headers={**base, "Cookie": cookie, "Origin": f"https://{HOST}",
                 "Referer": f"https://{HOST}/admin/login/",
                 "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def test_the_lockout_counts_the_client_nginx_saw_and_x_real_ip_straight_to_gunicorn_is_ignored(
    stack,
):
    https_port = urlsplit(stack.https_url).port
    instance = urlsplit(stack.instance_urls[0])
    try:
        # Through nginx from another loopback address: the attempt is counted for that address
        # (nginx's X-Real-IP, believed because nginx sends the proxy secret).
        through_nginx = http.client.HTTPSConnection(
            "127.0.0.1", https_port, timeout=20, context=insecure_tls(),
            source_address=("127.0.0.2", 0),
        )  # fmt: skip
        assert failed_login(through_nginx, **{"X-Real-IP": "198.51.100.1"}) == 200
        counted = manage("shell", "-c", ATTEMPTS, env=stack.env, check=True).stdout
        assert json.loads(counted.strip().splitlines()[-1]) == {"127.0.0.2": 1}

        # A local process straight to gunicorn, a new X-Real-IP each time: still one client.
        statuses = [
            failed_login(
                http.client.HTTPConnection(instance.hostname, instance.port, timeout=20),
                **{"X-Real-IP": f"203.0.113.{n}"},
            )
            for n in range(6)
        ]
        assert statuses[:4] == [200] * 4 and statuses[-1] == 429
        counted = manage("shell", "-c", ATTEMPTS, env=stack.env, check=True).stdout
        assert not any(ip.startswith("203.0.113.") for ip in json.loads(counted.splitlines()[-1]))
    finally:
        manage("axes_reset", env=stack.env, check=True)

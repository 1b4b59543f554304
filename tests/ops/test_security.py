"""Security headers on every page, HTTPS behaviour in production, login throttling, admin path."""

import json
import textwrap

import pytest
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from blogsite.client_ip import client_ip
from blogsite.middleware import ContentSecurityPolicyMiddleware
from tests.processes import manage, production_env

pytestmark = pytest.mark.django_db


def _directives(header):
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.parametrize("path", ["/", "/tags/", "/archives/", "/no-such-page/"])
def test_every_public_response_carries_the_security_headers(client, make_post, path):
    make_post(tags=["ml"])
    response = client.get(path)

    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.urls("tests.urls_for_tests")
def test_a_page_that_uses_the_nonce_gets_it_in_the_policy(client):
    response = client.get("/nonce/")

    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in _directives(response["Content-Security-Policy"])["script-src"]


def test_the_policy_built_once_is_the_one_django_csp_builds_from_the_settings(client, settings):
    assert client.get("/").headers["Content-Security-Policy"] == build_policy()

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'", "cdn.example"]}}
    assert client.get("/").headers["Content-Security-Policy"] == "default-src 'self' cdn.example"


@pytest.mark.urls("tests.urls_for_tests")
def test_a_view_that_changes_its_policy_gets_its_own(client):
    wider = _directives(client.get("/wider-policy/").headers["Content-Security-Policy"])
    plain = _directives(client.get("/").headers["Content-Security-Policy"])

    assert wider["img-src"] == [*plain["img-src"], "https://images.example"]
    assert "https://images.example" not in client.get("/").headers["Content-Security-Policy"]


def test_asking_for_a_nonce_after_the_header_is_written_is_an_error():
    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>hi</p>"))

    middleware(request)

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


PRODUCTION_PROBE = textwrap.dedent(
    """
    import json
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    get_user_model().objects.create_superuser("admin", "a@example.com", "pass-word-123")
    plain = Client(HTTP_HOST="blog.example.com")
    proxied = Client(HTTP_HOST="blog.example.com", HTTP_X_FORWARDED_PROTO="https")
    http = plain.get("/archives/")
    https = proxied.get("/archives/")
    login_page = proxied.get("/admin/login/")
    token = login_page.cookies["csrftoken"].value
    login = proxied.post(
        "/admin/login/",
        {"username": "admin", "password": "pass-word-123", "csrfmiddlewaretoken": token},
        HTTP_REFERER="https://blog.example.com/admin/login/",
    )

    def cookie(morsel):
        return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}

    print(json.dumps({
        "http_status": http.status_code,
        "http_location": http.get("Location"),
        "https_status": https.status_code,
        "hsts": https.get("Strict-Transport-Security"),
        "csp": https.get("Content-Security-Policy"),
        "static_link": "/static/css/site." in https.content.decode(),
        "csrf_cookie": cookie(login_page.cookies["csrftoken"]),
        "login_status": login.status_code,
        "session_cookie": cookie(login.cookies["sessionid"]),
    }))
    """
)


def test_production_redirects_to_https_and_sends_hsts_and_secure_cookies(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", STATIC_ROOT=tmp_path / "static"
    )
    result = manage("shell", "-c", PRODUCTION_PROBE, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])

    assert probe["http_status"] == 301
    assert probe["http_location"] == "https://blog.example.com/archives/"
    assert probe["https_status"] == 200
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "upgrade-insecure-requests" in probe["csp"]
    assert probe["static_link"]
    assert probe["csrf_cookie"] == {"secure": True, "httponly": True}
    assert probe["login_status"] == 302
    assert probe["session_cookie"] == {"secure": True, "httponly": True}


@override_settings(AXES_FAILURE_LIMIT=3)
def test_admin_login_is_locked_after_repeated_failures(client, writer):
    login = reverse("admin:login")

    failures = [
        client.post(login, {"username": writer.username, "password": f"wrong-{n}"})
        for n in range(3)
    ]
    after = client.post(login, {"username": writer.username, "password": writer.raw_password})

    assert [r.status_code for r in failures[:2]] == [200, 200]
    assert failures[2].status_code == 429
    assert after.status_code == 429
    assert b"Too many failed sign-in attempts" in after.content
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_still_works(client, writer):
    login = reverse("admin:login")
    client.post(login, {"username": writer.username, "password": "wrong"})

    response = client.post(login, {"username": writer.username, "password": writer.raw_password})

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


NGINX_SECRET = "s3cret-shared-by-nginx-and-the-app-0123456789"


@override_settings(PROXY_SECRET=NGINX_SECRET)
def test_client_ip_believes_x_real_ip_only_from_nginx_with_its_secret():
    factory = RequestFactory()
    real_ip = {"HTTP_X_REAL_IP": "203.0.113.9"}
    via_nginx = factory.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_PROXY_SECRET=NGINX_SECRET, **real_ip
    )
    # Any local process can reach gunicorn on loopback and send X-Real-IP.
    local_process = factory.get("/", REMOTE_ADDR="127.0.0.1", **real_ip)
    wrong_secret = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_PROXY_SECRET="guess", **real_ip)
    remote = factory.get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_PROXY_SECRET=NGINX_SECRET, **real_ip
    )

    assert client_ip(via_nginx) == "203.0.113.9"
    assert client_ip(local_process) == "127.0.0.1"
    assert client_ip(wrong_secret) == "127.0.0.1"
    assert client_ip(remote) == "198.51.100.7"


@override_settings(PROXY_SECRET="")
def test_without_a_proxy_secret_x_real_ip_is_never_believed():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9", HTTP_X_PROXY_SECRET=""
    )
    assert client_ip(request) == "127.0.0.1"


@override_settings(AXES_FAILURE_LIMIT=3, PROXY_SECRET=NGINX_SECRET)
def test_a_local_process_cannot_dodge_the_lockout_with_x_real_ip(client, writer):
    login = reverse("admin:login")
    statuses = [
        client.post(
            login,
            {"username": writer.username, "password": f"wrong-{n}"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP=f"203.0.113.{n}",
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]


def test_admin_path_comes_from_admin_url():
    script = (
        "from django.urls import reverse, resolve, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/')\nexcept Resolver404:\n    print('old path gone')\n"
    )
    env = production_env(ADMIN_URL="backstage", DJANGO_ENV="development", SECRET_KEY=None)
    result = manage("shell", "-c", script, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["/backstage/", "old", "path", "gone"]

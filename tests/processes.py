"""Helpers for tests that run the site in another process: environments, commands, waiting."""

import contextlib
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg

from tests.tcp_proxy import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = "postgres://postgres@127.0.0.1:5432"
# The Redis database tests use, each under a key prefix of its own.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


def base_env(**overrides):
    """The test process's environment minus any blogsite settings, plus the given ones."""
    names = {
        "DJANGO_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
        "SITE_URL", "ADMIN_URL", "CACHE_KEY_PREFIX", "PAGE_CACHE_ENABLED", "DJANGO_SETTINGS_MODULE",
    }  # fmt: skip
    # DJANGO_ALLOW_ASYNC_UNSAFE and the like are set by other tests in this process.
    env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith("DJANGO_")}
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def production_env(**overrides):
    values = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "blog.example.com",
        "DATABASE_URL": "sqlite:////tmp/blogsite-ops-unused.sqlite3",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"ops-test-{uuid.uuid4().hex[:8]}",
        "SITE_URL": "https://blog.example.com",
        "PROXY_SECRET": secrets.token_urlsafe(32),
    }
    values.update(overrides)
    return base_env(**{k: v for k, v in values.items() if v is not None})


def manage(*args, env, timeout=120, check=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def fresh_postgres_database(name):
    """Drop and create a PostgreSQL database of this name; return its URL."""
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def drop_postgres_database(name):
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fetch(url, headers=None, timeout=10, context=None):
    """(status, headers, body) of a GET, without raising on 4xx/5xx or following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    handlers = [NoRedirect()]
    if context is not None:
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_for(url, timeout=30, context=None):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return fetch(url, timeout=2, context=context)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(env, workers=1, timeout=30):
    """A gunicorn serving the site on a free loopback port with `env`; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "blogsite.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", str(timeout)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class Browserless:
    """A signed-in HTTP client for a site in another process: cookies, CSRF token, no redirects."""

    def __init__(self, base):
        import http.cookiejar

        self.base = base
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, path, data=None, timeout=30):
        """(status, body) of a GET, or of a form POST when `data` is given."""
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self._csrf()}
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sign_in(self, username, password, login_path="/admin/login/"):
        self.request(login_path)
        status, _ = self.request(login_path, {"username": username, "password": password})
        assert status == 302, "sign-in failed"

    def _csrf(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")


def wait_for_redis(port, timeout=10):
    """A client of the Redis server on this loopback port, once it answers."""
    import redis

    client = redis.Redis(port=port, decode_responses=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.ping()
            return client
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)

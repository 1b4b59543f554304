"""What production mode refuses to start with: a missing or unsafe setting, named in one line.

Pure functions over the raw environment values, so the rules can be tested without starting
Django; `blogsite.settings` calls `first_problem` and exits with its message.
"""

import re
from urllib.parse import urlsplit

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARACTERS = 5
MIN_PROXY_SECRET_LENGTH = 32
# What `secrets.token_urlsafe()` makes, and what an nginx quoted string holds as it is.
PROXY_SECRET = re.compile(rf"[A-Za-z0-9_-]{{{MIN_PROXY_SECRET_LENGTH},}}")


def secret_key_problem(secret_key: str, development_key: str) -> str | None:
    if not secret_key:
        return "SECRET_KEY is not set."
    if secret_key == development_key or secret_key.startswith("django-insecure-"):
        return "SECRET_KEY is the development key; generate a real secret."
    if (
        len(secret_key) < MIN_SECRET_KEY_LENGTH
        or len(set(secret_key)) < MIN_SECRET_KEY_UNIQUE_CHARACTERS
    ):
        return f"SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters."
    return None


def first_problem(
    *,
    secret_key: str,
    development_key: str,
    debug: bool,
    allowed_hosts: list[str],
    database_url: str,
    redis_url: str,
    site_url: str,
    proxy_secret: str,
) -> str | None:
    """The first unsafe or missing production value, as a one-line message naming it."""
    problem = secret_key_problem(secret_key, development_key)
    if problem:
        return problem
    if debug:
        return "DEBUG is on; set DEBUG=false."
    if not allowed_hosts:
        return "ALLOWED_HOSTS is empty; list the site's host names, comma-separated."
    if "*" in allowed_hosts:
        return "ALLOWED_HOSTS contains '*'; list the site's host names."
    if not database_url:
        return "DATABASE_URL is not set."
    if not redis_url:
        return "REDIS_URL is not set; app processes share the page cache through Redis."
    if not site_url:
        return "SITE_URL is not set."
    if urlsplit(site_url).scheme != "https":
        return "SITE_URL must start with https://."
    if not PROXY_SECRET.fullmatch(proxy_secret) or proxy_secret.startswith("replace-with-"):
        return (
            f"PROXY_SECRET must be at least {MIN_PROXY_SECRET_LENGTH} characters of A-Z a-z 0-9 _ "
            "-; nginx sends it so that its X-Real-IP is believed (docs/deployment.md)."
        )
    return None

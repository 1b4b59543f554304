"""The site's settings plus the floor view's URL (bench/urls.py), which is never page-cached."""

from blogsite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
PAGE_CACHE_EXCLUDE_PREFIXES = ["/bench/"]

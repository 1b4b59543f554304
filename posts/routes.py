"""Reversed URLs, each computed once per process.

`django.urls.reverse()` walks the URLconf on every call. A reader page needs a few dozen
addresses (navigation, feeds, pagination, metadata, the post's own), the same ones on every
request; a reversed path depends only on the URLconf, the script prefix and the arguments, so
`path_for()` keeps each one. Keyed by all three, so a test's `ROOT_URLCONF` override or a
request's own `urlconf` gets its own paths.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

MEMO_SIZE = 8192  # paths kept per process: every post, tag and page number of a large site


@functools.lru_cache(maxsize=MEMO_SIZE)
def _reversed(urlconf: str, prefix: str, name: str, kwargs: tuple) -> str:
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs))


def path_for(name: str, **kwargs) -> str:
    """`reverse(name, kwargs=kwargs)`, remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(urlconf, get_script_prefix(), name, tuple(sorted(kwargs.items())))


@functools.lru_cache(maxsize=64)
def _reversed_names(urlconf: str, prefix: str, names: tuple) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in names}


def paths_for(**names: str) -> dict[str, str]:
    """Several paths without arguments at once, remembered together: `paths_for(home="posts:home")`
    is `{"home": "/"}`; for the addresses every page prints (the frame's header and footer)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed_names(urlconf, get_script_prefix(), tuple(sorted(names.items())))

"""The site's URLs plus the benchmark floor: bare views returning a fixed page, no query, no
template, through the whole middleware stack.

`/bench/floor/` is about the size of a list page (10 KB); `/bench/floor/<bytes>/` is a page of
exactly that many bytes, so a cached page can be set beside a bare view that sends the same
bytes (`bench/compare.py`).
"""

import functools

from django.http import HttpResponse
from django.urls import path

from blogsite.urls import urlpatterns as site_urlpatterns

HEAD = b"<!doctype html><html lang=en><meta charset=utf-8><title>Floor</title><body><main>"
PARAGRAPH = b"<p>A fixed page of about the size of a post card list, returned with no query.</p>"
TAIL = b"</main></body></html>"
FLOOR_PAGE = HEAD + PARAGRAPH * 120 + TAIL
MAX_FLOOR_BYTES = 4 * 1024 * 1024


@functools.cache
def page_of(size: int) -> bytes:
    body = (PARAGRAPH * (size // len(PARAGRAPH) + 1))[: max(size - len(HEAD) - len(TAIL), 0)]
    return HEAD + body + TAIL


def floor(request, size=None):
    if size is None:
        return HttpResponse(FLOOR_PAGE)
    return HttpResponse(page_of(min(size, MAX_FLOOR_BYTES)))


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor/<int:size>/", floor),
    *site_urlpatterns,
]

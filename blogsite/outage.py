"""A styled 503 while the database is unreachable, instead of a 500.

Nothing needs restarting when the database is back: connections are health-checked before reuse
(`CONN_HEALTH_CHECKS`), so the next request simply connects again.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    # Rendered without a request: context processors might query the missing database.
    # A form sent now was not stored: the page says so (the post form's text stays in the browser,
    # static/js/admin-autosave.js, and is offered back when the post is opened again).
    unsaved = request is not None and request.method not in ("GET", "HEAD", "OPTIONS")
    html = render_to_string("503.html", {"site_name": settings.SITE_NAME, "unsaved": unsaved})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answer a view's database connection error with the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning(
                "Database unavailable (%s); answered %s with 503.", exception, request.path
            )
            return database_unavailable(request)
        return None


def server_error(request):
    """handler500: the 503 page when a middleware could not reach the database, else the 500."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    from posts.views.errors import server_error as page_error

    return page_error(request)

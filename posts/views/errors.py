"""Error pages: `page_not_found` uses the site layout; `server_error` renders a standalone template
without the database or context processors, so it works when both are down. `bad_request` answers a
body over `DATA_UPLOAD_MAX_MEMORY_SIZE` with a page that says nothing was saved and where the text
is, instead of Django's bare "Bad Request (400)"."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views import defaults

from posts import seo


def page_not_found(request, exception=None):
    return render(request, "404.html", {"meta": seo.for_error("Page not found")}, status=404)


def server_error(request):
    """The 500 page: no database, no context processors, no request context."""
    html = loader.get_template("500.html").render(
        {"site_name": settings.SITE_NAME, "home_url": "/"}
    )
    return HttpResponseServerError(html)


def bad_request(request, exception=None):
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    html = loader.get_template("413.html").render(
        {"site_name": settings.SITE_NAME, "home_url": "/", "limit": f"{limit_mb:g} MB"}
    )
    return HttpResponse(html, status=413)

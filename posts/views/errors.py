"""Error pages: `page_not_found` uses the site layout; `server_error` renders a standalone template
without the database or context processors, so it works when both are down."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from posts import seo


def page_not_found(request, exception=None):
    return render(request, "404.html", {"meta": seo.for_error("Page not found")}, status=404)


def server_error(request):
    """The 500 page: no database, no context processors, no request context."""
    html = loader.get_template("500.html").render(
        {"site_name": settings.SITE_NAME, "home_url": "/"}
    )
    return HttpResponseServerError(html)

"""The site's URLs plus `/bench/floor/`: a bare view returning a fixed page, the benchmark floor."""

from django.http import HttpResponse
from django.urls import path

from blogsite.urls import urlpatterns as site_urlpatterns

FLOOR_PAGE = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Floor</title><body><main>"
    + b"<p>A fixed page of about the size of a post card list, returned without any query.</p>"
    * 120
    + b"</main></body></html>"
)


def floor(request):
    return HttpResponse(FLOOR_PAGE)


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]

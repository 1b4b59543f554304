"""The site's URLs plus a few test-only pages: one using the CSP nonce, one widening its CSP, one
using a CSRF token, one setting a cookie, and an Atom-typed document."""

from csp.decorators import csp_update
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import path

from blogsite.urls import urlpatterns as site_urlpatterns

NONCE_TEMPLATE = engines["django"].from_string(
    '<!doctype html><title>n</title><script src="/static/js/x.js" nonce="{{ request.csp_nonce }}">'
    "</script>"
)


def nonce_page(request):
    return HttpResponse(NONCE_TEMPLATE.render({}, request))


@csp_update({"img-src": "https://images.example"})
def wider_policy_page(request):
    return HttpResponse("<p>images from elsewhere</p>")


def form_page(request):
    return HttpResponse(f'<form method="post"><input name="t" value="{get_token(request)}"></form>')


def cookie_page(request):
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


def atom_page(request):
    return HttpResponse("<feed/>", content_type="application/atom+xml; charset=utf-8")


urlpatterns = [
    path("nonce/", nonce_page),
    path("wider-policy/", wider_policy_page),
    path("form/", form_page),
    path("cookie/", cookie_page),
    path("atom.xml", atom_page),
    *site_urlpatterns,
]

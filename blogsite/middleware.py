"""Response headers the framework does not set itself, and the Content-Security-Policy."""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class SecurityHeadersMiddleware:
    """Add `Permissions-Policy`: the site needs no camera, microphone, location or the like."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# What a view sets on its response to change or drop the policy (django-csp's decorators).
POLICY_CHANGES = tuple(
    f"_csp_{change}{mode}"
    for change in ("config", "update", "replace", "exempt")
    for mode in ("", "_ro")
)


@functools.cache
def default_policy_headers() -> dict[str, str] | None:
    """The headers of the site's policy as the settings give it, with no nonce; None if the
    settings exclude URL prefixes from it (django-csp then decides on each response)."""
    names = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    if any((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") for name in names):
        return None
    headers = {HEADER: build_policy(), HEADER_REPORT_ONLY: build_policy(report_only=True)}
    return {name: value for name, value in headers.items() if value}


@receiver(setting_changed)
def _forget_default_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        default_policy_headers.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's own policy built once per process.

    django-csp builds the header from the settings again on every response, the biggest part of
    the middleware's work on a plain page. Every response gets the same header unless its view
    changed the policy (`@csp_update` and the like) or its page used a nonce: those still go
    through django-csp, the others get the built header.
    """

    def process_response(self, request, response):
        headers = default_policy_headers()
        if (
            headers is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, change) for change in POLICY_CHANGES)
        ):
            return super().process_response(request, response)
        if not (settings.DEBUG and response.status_code in (404, 500)):  # django-csp's debug pages
            for name, value in headers.items():
                response.headers.setdefault(name, value)
        # As django-csp does: from here on, asking for a nonce is an error, not a silent no-op.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

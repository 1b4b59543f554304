"""Response headers the framework does not set itself."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Add `Permissions-Policy`: the site needs no camera, microphone, location or the like."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

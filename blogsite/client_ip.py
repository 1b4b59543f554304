"""The reader's IP address, for login throttling behind nginx."""

from django.conf import settings


def client_ip(request):
    """`X-Real-IP` when the request came through a trusted proxy, else the socket's address.

    nginx (deploy/nginx/) sets X-Real-IP to the address it saw; a client cannot forge it because
    the header is only believed when the connection itself comes from a trusted proxy.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    if forwarded and remote in settings.TRUSTED_PROXIES:
        return forwarded
    return remote

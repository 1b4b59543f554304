"""The reader's IP address, for login throttling behind nginx.

nginx (deploy/nginx/) sets `X-Real-IP` to the address it saw, and proves that it is nginx with a
secret header, `X-Proxy-Secret` (`PROXY_SECRET`, in a root-only nginx include and in the site's
environment file). A connection from loopback alone proves nothing: any local process can reach a
gunicorn port and send any `X-Real-IP`. So the header is believed only when the connection comes
from a trusted proxy address *and* carries the secret; otherwise the socket's address is used
(every such request counts as one client for the lockout). Without a `PROXY_SECRET` (development,
no nginx) `X-Real-IP` is never believed; production mode refuses to start without one.
"""

import hmac

from django.conf import settings

SECRET_HEADER = "HTTP_X_PROXY_SECRET"


def from_proxy(request) -> bool:
    """True when the request came through nginx: a trusted address with the proxy's secret."""
    secret = settings.PROXY_SECRET
    sent = request.META.get(SECRET_HEADER, "")
    return (
        bool(secret)
        and request.META.get("REMOTE_ADDR", "") in settings.TRUSTED_PROXIES
        and hmac.compare_digest(sent.encode(), secret.encode())
    )


def client_ip(request):
    """`X-Real-IP` when the request came through nginx, else the socket's address."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    if forwarded and from_proxy(request):
        return forwarded
    return remote

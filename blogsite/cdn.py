"""What a CDN in front of nginx may keep, and the call that tells it to drop it.

Every response that shared caches may keep (`blogsite.page_cache`) names one surrogate key,
`CDN_SURROGATE_KEY`, in both headers CDNs read: `Surrogate-Key` (Fastly, Varnish) and `Cache-Tag`
(Cloudflare, Akamai). One key is enough, because the site's unit of change is the whole site: each
change starts a new generation of every page.

With `CDN_PURGE_URL` set, each new generation (a committed change, a scheduled post coming due,
a change saved during a Redis outage) is followed by one POST to that URL, carrying the
`CDN_PURGE_HEADERS` (an API token) and the body `{"tags": [key]}` — Cloudflare's purge-by-tag
request; Fastly's purge-by-key URL ignores the body. The POST runs on a thread of its own, so no
save and no reader waits for the CDN; a failure is logged, and pages still expire after their
`s-maxage`. docs/deployment.md says how to set both CDNs up.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 10


def add_surrogate_key(response) -> None:
    response["Surrogate-Key"] = settings.CDN_SURROGATE_KEY
    response["Cache-Tag"] = settings.CDN_SURROGATE_KEY


def purge_request() -> urllib.request.Request | None:
    """The purge call for the CDN, or None when none is configured."""
    if not settings.CDN_PURGE_URL:
        return None
    headers = {"Content-Type": "application/json", **settings.CDN_PURGE_HEADERS}
    body = json.dumps({"tags": [settings.CDN_SURROGATE_KEY]}).encode()
    return urllib.request.Request(settings.CDN_PURGE_URL, data=body, headers=headers, method="POST")


def _send(request: urllib.request.Request) -> None:
    try:
        with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS) as response:
            response.read()
    except Exception as error:  # the CDN is outside the site: log, never fail a request
        logger.warning("CDN purge failed (%s): pages expire after s-maxage instead.", error)


def purge_soon() -> threading.Thread | None:
    """Ask the CDN to drop every page, without waiting for its answer."""
    request = purge_request()
    if request is None:
        return None
    thread = threading.Thread(target=_send, args=(request,), name="cdn-purge", daemon=True)
    thread.start()
    return thread

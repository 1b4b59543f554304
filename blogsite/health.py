"""`/healthz`: can this app process reach its database and its cache? JSON, 200 or 503.

The database is required (503 without it: take the instance out of the pool); the cache is not
(the site serves uncached without Redis), so a cache failure reports "degraded" with a 200.
"""

import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


def cache_status():
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    try:
        cache.set(key, value, timeout=10)
        answer = cache.get(key)
        cache.delete(key)
    except Exception as error:
        return f"error: {error.__class__.__name__}"
    return "ok" if answer == value else "error: value not stored"


@require_safe
def healthz(request):
    database, cache = database_status(), cache_status()
    if database != "ok":
        status, code = "unavailable", 503
    elif cache != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    response = JsonResponse({"status": status, "database": database, "cache": cache}, status=code)
    add_never_cache_headers(response)
    return response

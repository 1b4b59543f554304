"""/healthz: JSON with the database and cache status; 503 only when the database is gone."""

import pytest
from django.conf import settings
from django.test import override_settings

from tests.tcp_proxy import free_port

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_cache_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.redis
def test_healthz_reports_ok_against_the_real_redis(client):
    redis = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/4",
        "KEY_PREFIX": "ops-test-health",
    }
    with override_settings(CACHES={**settings.CACHES, "default": redis, "pages": redis}):
        response = client.get("/healthz")

    assert response.json()["cache"] == "ok"


def test_healthz_is_degraded_but_200_when_redis_is_unreachable(client):
    dead = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/4",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
    with override_settings(CACHES={**settings.CACHES, "default": dead, "pages": dead}):
        response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["cache"].startswith("error: ")


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405

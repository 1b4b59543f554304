"""deploy/redis/blogsite.conf caps Redis and lets it evict: checked on a Redis started with it."""

import subprocess

import pytest

from bench.stack import ROOT, free_port
from tests.processes import wait_for_redis

pytestmark = pytest.mark.redis


def test_the_committed_redis_settings_cap_memory_and_evict_least_recently_used(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", str(ROOT / "deploy" / "redis" / "blogsite.conf"),
         "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = wait_for_redis(port)
        assert client.config_get("maxmemory") == {"maxmemory": str(256 * 1024 * 1024)}
        assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}
    finally:
        server.terminate()
        server.wait(timeout=10)

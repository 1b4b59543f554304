"""gunicorn settings for one blogsite app instance (see docs/deployment.md).

Each systemd instance (deploy/systemd/blogsite@.service) binds its own loopback port and nginx
spreads requests over them. Everything can be overridden from the environment.
"""

import gc
import multiprocessing
import os

wsgi_app = "blogsite.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# One sync worker per core: pages are cached or rendered from stored HTML, so workers seldom wait.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Load Django once in the master, share it copy-on-write with the workers.
preload_app = True
# nginx on this host sets X-Forwarded-Proto; believe it only from loopback.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "blogsite"


def pre_fork(server, worker):
    """In the master, before it forks a worker: freeze what is loaded (the app, with
    `preload_app`), which lives as long as the worker anyway. The collector's full passes then
    skip it, instead of pausing a worker for each (87 ms over the ~96,000 objects of the loaded
    site, measured; docs/deployment.md), and the workers keep sharing its memory pages."""
    gc.freeze()

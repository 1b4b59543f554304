"""Run the committed deployment on loopback: Debian's nginx with deploy/nginx/blogsite.conf in front
of gunicorn instances started with deploy/gunicorn.conf.py, on free ports, in a scratch directory.

Used by tests/test_deploy.py and bench/run.py. The nginx site file is used as committed, with only
its ports, certificate, host name and media root swapped for local ones.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE_CONFIG = ROOT / "deploy" / "nginx" / "blogsite.conf"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def insecure_tls():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def production_env(workdir: Path, host: str, database_url: str, redis_url: str, **extra):
    """The environment of a production instance whose files live under `workdir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        DEBUG="false",
        ALLOWED_HOSTS=f"{host},127.0.0.1",
        SITE_URL=f"https://{host}",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"ops-{secrets.token_hex(4)}",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        PROXY_SECRET=secrets.token_urlsafe(32),
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def site_config_for(
    host, http_port, https_port, app_ports, cert, key, media_parent, cache_dir, proxy_secret_conf
):
    """deploy/nginx/blogsite.conf with loopback ports, a local certificate, media root, cache and
    the proxy secret's include."""
    text = SITE_CONFIG.read_text()
    text = text.replace("/etc/nginx/blogsite-proxy-secret.conf", str(proxy_secret_conf))
    upstreams = "".join(f"    server 127.0.0.1:{port};\n" for port in app_ports)
    text = re.sub(r"(    server 127\.0\.0\.1:\d+[^;]*;\n)+", upstreams, text, count=1)
    text = text.replace("    listen [::]:80;\n", "").replace("    listen [::]:443 ssl http2;\n", "")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = text.replace("/etc/letsencrypt/live/blog.example.com/fullchain.pem", str(cert))
    text = text.replace("/etc/letsencrypt/live/blog.example.com/privkey.pem", str(key))
    text = text.replace("root /srv/blogsite;", f"root {media_parent};")
    text = text.replace("/var/cache/nginx/blogsite", str(cache_dir))
    return text.replace("server_name blog.example.com;", f"server_name {host};")


MAIN_CONFIG = """{user}
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    include {dir}/site.conf;
}}
"""


class Stack:
    """nginx + N gunicorn instances. `start()`, then `https_url`, `instance_urls`; `stop()`."""

    def __init__(
        self, workdir, env, host="blog.test", instances=2, nginx_workers=1, extra_site="", root=ROOT
    ):
        """`extra_site`: more nginx configuration for the same http block (`{cert}`, `{key}` are
        the local certificate's files), e.g. a server for a static export. `root`: the checkout
        whose code gunicorn runs (another commit's, to compare with)."""
        self.workdir = Path(workdir)
        self.root = Path(root)
        self.extra_site = extra_site
        self.env = env
        self.host = host
        self.app_ports = [free_port() for _ in range(instances)]
        self.http_port, self.https_port = free_port(), free_port()
        self.nginx_workers = nginx_workers
        self.processes = []

    @property
    def gunicorn_config(self):
        return self.root / "deploy" / "gunicorn.conf.py"

    @property
    def app_masters(self):
        """The gunicorn master processes, one per instance."""
        return [process for process, _ in self.processes[: len(self.app_ports)]]

    @property
    def https_url(self):
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def http_url(self):
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def instance_urls(self):
        return [f"http://127.0.0.1:{port}" for port in self.app_ports]

    def start(self):
        nginx_dir = self.workdir / "nginx"
        (nginx_dir / "tmp").mkdir(parents=True, exist_ok=True)
        cert, key = nginx_dir / "cert.pem", nginx_dir / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", f"/CN={self.host}", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        media_root = Path(self.env["MEDIA_ROOT"])
        media_root.mkdir(parents=True, exist_ok=True)
        if media_root.name != "media":
            raise ValueError("nginx serves /media/ from a directory named media")
        (nginx_dir / "site.conf").write_text(
            site_config_for(
                self.host,
                self.http_port,
                self.https_port,
                self.app_ports,
                cert,
                key,
                media_root.parent,
                nginx_dir / "cache",
                nginx_dir / "proxy-secret.conf",
            )
            + self.extra_site.replace("{cert}", str(cert)).replace("{key}", str(key))
        )
        (nginx_dir / "proxy-secret.conf").write_text(
            f'proxy_set_header X-Proxy-Secret "{self.env["PROXY_SECRET"]}";\n'
        )
        (nginx_dir / "nginx.conf").write_text(
            MAIN_CONFIG.format(
                user="user root;" if os.geteuid() == 0 else "",
                workers=self.nginx_workers,
                dir=nginx_dir,
            )
        )
        for port in self.app_ports:
            env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": ""}
            self._spawn(
                [sys.executable, "-m", "gunicorn", "--config", str(self.gunicorn_config)],
                env,
                self.workdir / f"gunicorn-{port}.log",
            )
        conf = str(nginx_dir / "nginx.conf")
        subprocess.run([NGINX, "-t", "-q", "-p", str(nginx_dir), "-c", conf], check=True)
        self._spawn(
            [NGINX, "-p", str(nginx_dir), "-c", conf, "-g", "daemon off;"],
            os.environ.copy(),
            nginx_dir / "stdout.log",
        )
        for url in [*self.instance_urls, self.https_url]:
            self._wait(f"{url}/healthz")
        return self

    def _spawn(self, command, env, log):
        handle = open(log, "wb")  # noqa: SIM115  (closed with the process)
        process = subprocess.Popen(command, cwd=self.root, env=env, stdout=handle, stderr=handle)
        self.processes.append((process, handle))

    def _wait(self, url, timeout=60):
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(url, headers={"Host": self.host})
        while True:
            try:
                with urllib.request.urlopen(request, timeout=2, context=insecure_tls()):
                    return
            except OSError as error:
                if any(p.poll() is not None for p, _ in self.processes):
                    raise RuntimeError(f"a server exited early; logs in {self.workdir}") from error
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self):
        for process, handle in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            handle.close()
        self.processes = []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

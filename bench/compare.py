"""`make bench`: the side-by-side comparison of issue 13, written into docs/benchmarks.md.

    python -m bench.compare [--posts 1000] [--duration 5] [--rounds 3] [--connections 16]

Builds a site of `--posts` posts on SQLite in a scratch directory (bench/generate.py), exports it
with `manage.py export_site`, then starts the committed deployment (bench/stack.py: nginx with
deploy/nginx/blogsite.conf in front of one gunicorn instance with 2 sync workers) twice — page
cache on, and page cache off — with one more nginx server on the same nginx that serves the
export as files. For home, a post, a tag page and the Atom feed it measures with wrk, in
interleaved rounds (medians reported):

* **static export**: the exported files served by the same nginx, the physical limit;
* **nginx cache**: the live site through nginx, pages from nginx's `proxy_cache`;
* **Django hit**: the live site through nginx with nginx's cache bypassed (an `Authorization`
  header), pages from the Django page cache in Redis;
* **uncached**: the live site with the page cache off and nginx's bypassed: every request
  renders;
* **bare view**: `/bench/floor/<bytes>/`, a fixed page of as many bytes as the page measured,
  from a view that does nothing, through the same nginx (cache bypassed), gunicorn and
  middleware (bench/urls.py): what "the Django hit path at 0.9x a bare view" is measured against,
  right after the Django hit on the same page in every round.

It also times the uncached pages in-process (Django's test client, no server), interleaved with
the bare view of the same size: median of 50 each.
Results go to bench/results-compare.json and between the markers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.doc import write_section
from bench.run import get, insecure_tls, load_average, wrk
from bench.stack import ROOT, Stack, free_port, production_env

HOST = "blog.test"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
BYPASS_NGINX = "Authorization: Bearer bench"  # nginx's proxy_cache_bypass; Django ignores it
BARE = "bare view"

STATIC_SERVER = """
# bench/compare.py: the static export, served as files by the same nginx.
server {{
    listen 127.0.0.1:{port} ssl http2;
    server_name {host};
    ssl_certificate {{cert}};
    ssl_certificate_key {{key}};
    ssl_protocols TLSv1.2 TLSv1.3;
    root {root};
    location / {{ try_files $uri $uri/index.html =404; }}
}}
"""

IN_PROCESS = """
import json, os, statistics, time
from django.test import Client
client = Client(HTTP_HOST=os.environ["BENCH_HOST"])
out = {"pages": {}, "bare view": {}}
sizes = json.loads(os.environ["BENCH_SIZES"])
for name, path in json.loads(os.environ["BENCH_PAGES"]).items():
    bare = f"/bench/floor/{sizes[name]}/"
    for _ in range(5):
        assert client.get(path, secure=True).status_code == 200, path
        assert client.get(bare, secure=True).status_code == 200, bare
    timings = {path: [], bare: []}
    for _ in range(50):  # interleaved, so both see the same moments of the machine
        for each in (path, bare):
            start = time.perf_counter()
            client.get(each, secure=True)
            timings[each].append((time.perf_counter() - start) * 1000)
    out["pages"][name] = round(statistics.median(timings[path]), 2)
    out["bare view"][name] = round(statistics.median(timings[bare]), 2)
print(json.dumps(out))
"""


def run(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        **kwargs,
    )  # fmt: skip


def build(workdir: Path, posts: int):
    env = production_env(
        workdir, HOST, f"sqlite:///{workdir / 'bench.sqlite3'}", REDIS_URL,
        DJANGO_SETTINGS_MODULE="bench.settings", WEB_CONCURRENCY=2,
    )  # fmt: skip
    started = time.monotonic()
    run(["-m", "bench.generate", "--posts", str(posts), "--tags", "100", "--pool", "20"], env)
    run(["manage.py", "collectstatic", "--no-input", "-v0"], env)
    export = ["manage.py", "export_site", str(workdir / "export"), "--base-url", f"https://{HOST}/"]
    run(export, env)
    return env, round(time.monotonic() - started)


def target_path(mode, path, size):
    """Where `mode` serves the page at `path` (`size` bytes long)."""
    if mode == BARE:
        return f"/bench/floor/{size}/"
    if mode == "static export" and path.startswith("/feeds/"):
        return path.rstrip("/") + ".xml"  # export_site writes /feeds/atom/ as feeds/atom.xml
    return path


def get_bytes(base, path):
    request = urllib.request.Request(base + path, headers={"Host": HOST})
    with urllib.request.urlopen(request, timeout=30, context=insecure_tls()) as response:
        return response.read()


def pages_of(base):
    """Home, a post, a tag page and the Atom feed, found by following links like a reader."""
    home = get(base, "/")
    post = re.search(r'href="(/posts/[^"]+/)"', home).group(1)
    tag = re.search(r'href="(/tags/[^"/]+/)"', get(base, post)).group(1)
    return {"home": "/", "post": post, "tag": tag, "atom feed": "/feeds/atom/"}


def in_process(env, pages, sizes):
    env = {**env, "PAGE_CACHE_ENABLED": "false", "BENCH_HOST": HOST}
    env["BENCH_PAGES"], env["BENCH_SIZES"] = json.dumps(pages), json.dumps(sizes)
    result = run(["manage.py", "shell", "-c", IN_PROCESS], env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(args):
    load = (args.duration, args.connections, args.threads)
    results = {"settings": vars(args) | {"cores": os.cpu_count()}, "load average": []}
    with tempfile.TemporaryDirectory(prefix="blogsite-bench-") as scratch:
        workdir = Path(scratch)
        print(f"building {args.posts} posts, static files and the export…", flush=True)
        env, results["build seconds"] = build(workdir, args.posts)
        static_port = free_port()
        static = STATIC_SERVER.format(port=static_port, host=HOST, root=workdir / "export")
        cached_dir, uncached_dir = workdir / "cached", workdir / "uncached"
        for directory in (cached_dir, uncached_dir):
            (directory / "media").mkdir(parents=True)
        cached_env = {**env, "MEDIA_ROOT": str(cached_dir / "media")}
        uncached_env = {
            **env, "MEDIA_ROOT": str(uncached_dir / "media"),
            "PAGE_CACHE_ENABLED": "false", "PAGE_SHARED_MAX_AGE": "0",
        }  # fmt: skip
        cached = Stack(cached_dir, cached_env, host=HOST, instances=1, extra_site=static)
        uncached = Stack(uncached_dir, uncached_env, host=HOST, instances=1)
        with cached, uncached:
            pages = pages_of(cached.https_url)
            results["pages"] = pages
            static_url = f"https://127.0.0.1:{static_port}"
            sizes = {name: len(get_bytes(cached.https_url, path)) for name, path in pages.items()}
            results["page bytes"] = sizes
            results["in-process uncached ms"] = in_process(env, pages, sizes)
            targets = {
                "static export": (static_url, ()),
                "nginx cache": (cached.https_url, ()),
                "Django hit": (cached.https_url, (BYPASS_NGINX,)),
                # the same number of bytes from a view that does nothing, on the same path
                # through nginx (bypassed likewise), gunicorn and the middleware
                BARE: (cached.https_url, (BYPASS_NGINX,)),
                # bypassed too: feeds say max-age=300, which nginx would otherwise honour
                "uncached": (uncached.https_url, (BYPASS_NGINX,)),
            }
            for mode, (base, _) in targets.items():
                for name, path in pages.items():
                    get(base, target_path(mode, path, sizes[name]))
            samples = {}
            for round_number in range(args.rounds):
                results["load average"].append(load_average())
                for name, path in pages.items():
                    for mode, (base, headers) in targets.items():
                        url = base + target_path(mode, path, sizes[name])
                        result = wrk(url, *load, headers=headers)
                        samples.setdefault((mode, name), []).append(result)
                        print(f"round {round_number + 1} {mode:14} {name:10} {result}", flush=True)
    results["median"] = {
        f"{mode} | {name}": {
            key: statistics.median(r[key] for r in runs) for key in ("rps", "p50_ms", "p99_ms")
        }
        | {"errors": sum(r["errors"] for r in runs), "timeouts": sum(r["timeouts"] for r in runs)}
        for (mode, name), runs in samples.items()
    }
    return results


def tables(results):
    median = results["median"]
    modes = ("static export", "nginx cache", "Django hit", BARE, "uncached")
    settings = results["settings"]
    lines = [
        f"Run on {time.strftime('%Y-%m-%d')}: {settings['posts']} posts on SQLite, one "
        "gunicorn instance with 2 sync workers behind nginx (the committed deploy/ files), Redis; "
        f"`wrk -t{settings['threads']} -c{settings['connections']} -d{settings['duration']}s` "
        f"over HTTPS, {settings['rounds']} interleaved rounds, medians; {settings['cores']} "
        "cores shared with other work (1-minute load average at each round: "
        f"{results['load average']}). The bare view sends as many bytes as the page "
        "(`/bench/floor/<bytes>/`), through the same nginx (cache bypassed), gunicorn and "
        "middleware.",
        "",
        "Requests per second:",
        "",
        "| page | bytes | "
        + " | ".join(modes)
        + " | nginx cache vs static | Django hit vs bare view |",
        "|---|--:|" + "--:|" * (len(modes) + 2),
    ]
    for name in results["pages"]:
        row = [median[f"{mode} | {name}"]["rps"] for mode in modes]
        cells = " | ".join(f"{value:,.0f}" for value in row)
        size = results["page bytes"][name]
        lines.append(
            f"| {name} | {size:,} | {cells} | {row[1] / row[0]:.0%} | {row[2] / row[3]:.0%} |"
        )
    lines += [
        "",
        "Latency p50 / p99 (ms):",
        "",
        "| page | " + " | ".join(modes) + " |",
        "|---|" + "--:|" * len(modes),
    ]
    for name in results["pages"]:
        runs = [median[f"{mode} | {name}"] for mode in modes]
        cells = " | ".join(f"{r['p50_ms']:.1f} / {r['p99_ms']:.0f}" for r in runs)
        lines.append(f"| {name} | {cells} |")
    errors = sum(value["errors"] for value in median.values())
    timeouts = {key: value["timeouts"] for key, value in median.items() if value["timeouts"]}
    in_process_ms = results["in-process uncached ms"]
    lines += [
        "",
        f"Non-2xx/3xx responses over all runs: {errors}. Requests that took longer than wrk's 2 s "
        f"timeout (not counted in req/s or latency): {timeouts or 'none'}.",
        "",
        "Uncached, in-process (Django's test client, page cache off, median of 50; the bare view "
        "of the same size beside each): "
        + ", ".join(
            f"{name} {ms} ms (bare view {in_process_ms['bare view'][name]} ms)"
            for name, ms in in_process_ms["pages"].items()
        )
        + ".",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-compare.json")
    args = parser.parse_args()
    results = measure(args)
    results["settings"]["out"] = str(args.out)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = tables(results)
    write_section("make bench", text)
    print(text)


if __name__ == "__main__":
    main()

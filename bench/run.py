"""Load the site with wrk: gunicorn (workers = cores) behind nginx (bench/stack.py, the committed
deploy/ configs) on PostgreSQL and Redis; each page cached and uncached, plus the floor, a bare
Django view returning a fixed page through the same server and middleware.

    python -m bench.run --database-url postgres://postgres@127.0.0.1:5432/blogsite_ops_bench \\
        --small-database-url postgres://postgres@127.0.0.1:5432/blogsite_ops_bench100

Prints a Markdown table (req/s, p50, p99, ratio to the floor) and writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from bench.stack import ROOT, Stack, insecure_tls, production_env

HOST = "blog.test"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def get(base, path):
    request = urllib.request.Request(base + path, headers={"Host": HOST})
    with urllib.request.urlopen(request, timeout=30, context=insecure_tls()) as response:
        return response.read().decode()


def pages_of(base):
    """The benchmarked URLs, found by following links like a reader would."""
    page_500 = get(base, "/page/500/")
    post = re.search(r'href="(/posts/[^"]+/)"', page_500).group(1)
    tag = re.search(r'href="(/tags/[^"/]+/)"', get(base, post)).group(1)
    return {
        "floor (bare view)": "/bench/floor/",
        "home": "/",
        "page 500": "/page/500/",
        "post": post,
        "tag": tag,
        "search": "/search/?q=attention+gradient",
        # a tag's name (bench/generate.py makes tag n "<topic>-n"): about 160 of 10,000 posts
        "search, narrow": "/search/?q=meta-learning-236",
        "atom feed": "/feeds/atom/",
    }


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, duration, connections, threads, headers=()):
    extra = [argument for header in headers for argument in ("-H", header)]
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
         "-H", f"Host: {HOST}", *extra, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    return {
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99_ms": to_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def load_average():
    """The 1-minute load average now: the machine is shared, so every group records it."""
    return round(os.getloadavg()[0], 2)


def serve(database_url, workdir, cached, workers):
    env = production_env(
        workdir, HOST, database_url, REDIS_URL,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PAGE_CACHE_ENABLED=str(cached).lower(),
        WEB_CONCURRENCY=workers,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    return Stack(workdir, env, host=HOST, instances=1, nginx_workers=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--small-database-url", help="the same site with 100 posts")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--pages", nargs="*", help="only these pages (and the floor)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    load = (args.duration, args.connections, args.threads)
    results = {"settings": vars(args) | {"out": str(args.out), "cores": os.cpu_count()}}

    for cached in (True, False):
        mode = "cached" if cached else "uncached"
        with (
            tempfile.TemporaryDirectory() as workdir,
            serve(args.database_url, Path(workdir), cached, args.workers) as stack,
        ):
            pages = pages_of(stack.https_url)
            results.setdefault("load average", {})[mode] = load_average()
            for name, path in pages.items():
                if args.pages and name not in {"floor (bare view)", *args.pages}:
                    continue
                try:
                    get(stack.https_url, path)
                    get(stack.https_url, path)
                except urllib.error.HTTPError as error:
                    print(f"{mode:8} {name:18} skipped: {error.code} at {path}", flush=True)
                    continue
                result = wrk(stack.https_url + path, *load)
                results.setdefault(mode, {})[name] = {"path": path, **result}
                print(f"{mode:8} {name:18} {result}", flush=True)
            for name in ("search", "search, narrow"):
                if not cached and name in results[mode]:
                    one = wrk(stack.https_url + pages[name], args.duration, 1, 1)
                    results[f"{name}, one connection"] = one
                    print(f"{name}, one connection {one}", flush=True)
    if args.small_database_url:
        for label, url in (("100 posts", args.small_database_url), ("10,000 posts", None)):
            with (
                tempfile.TemporaryDirectory() as workdir,
                serve(url or args.database_url, Path(workdir), False, args.workers) as stack,
            ):
                get(stack.https_url, "/")
                group = results.setdefault("home, one connection, uncached", {})
                results["load average"][f"home, {label}"] = load_average()
                floor = wrk(stack.https_url + "/bench/floor/", args.duration, 1, 1)
                group[f"floor ({label} run)"] = floor
                one = wrk(stack.https_url + "/", args.duration, 1, 1)
                group[label] = one
                print(f"home {label}: {one}; floor {floor}", flush=True)

    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


def table(results):
    lines = []
    for mode in ("cached", "uncached"):
        floor = results[mode]["floor (bare view)"]["rps"]
        lines += [f"\n{mode}\n", "| page | req/s | p50 ms | p99 ms | vs floor | errors |"]
        lines.append("|---|---:|---:|---:|---:|---:|")
        for name, r in results[mode].items():
            lines.append(
                f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                f"| {r['rps'] / floor:.0%} | {r['errors']} |"
            )
    lines.append(f"\nload average (1 min) at the start of each group: {results['load average']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

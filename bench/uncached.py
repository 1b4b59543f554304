"""Uncached reader pages in-process, this checkout against an older commit, in the same run.

    python -m bench.uncached --reference 0ed4aea [--posts 1000] [--rounds 6] [--requests 20]

Builds a site of `--posts` posts on SQLite with this checkout (bench/generate.py), checks the
reference commit out into a scratch git worktree, and times home, a post and a tag page with
Django's test client and the page cache off: page views, no server. The two checkouts take turns,
a round each, so both see the same moments of a shared machine; each round also times the bare
view (`/bench/floor/`), the floor of any page. Medians over every round go to
bench/results-uncached.json and between the markers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.compare import HOST, REDIS_URL, run
from bench.doc import write_section
from bench.run import load_average
from bench.stack import ROOT, production_env

TIMING = """
import json, os, re, statistics, time
from django.test import Client
client = Client(HTTP_HOST=os.environ["BENCH_HOST"])
home = client.get("/", secure=True).content.decode()
post = re.search(r'href="(/posts/[^"]+/)"', home).group(1)
tag = re.search(r'href="(/tags/[^"/]+/)"', client.get(post, secure=True).content.decode()).group(1)
pages = {"bare view": "/bench/floor/", "home": "/", "post": post, "tag": tag}
out = {}
for name, path in pages.items():
    for _ in range(3):
        assert client.get(path, secure=True).status_code == 200, path
    timings = []
    for _ in range(int(os.environ["BENCH_REQUESTS"])):
        start = time.perf_counter()
        client.get(path, secure=True)
        timings.append((time.perf_counter() - start) * 1000)
    out[name] = statistics.median(timings)
print(json.dumps(out))
"""


def manage(checkout: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=checkout, env=env, capture_output=True, text=True
    )


def time_pages(checkout: Path, env: dict, requests: int) -> dict[str, float]:
    env = {**env, "PAGE_CACHE_ENABLED": "false", "BENCH_HOST": HOST}
    env["BENCH_REQUESTS"] = str(requests)
    result = manage(checkout, env, "shell", "-c", TIMING)
    if result.returncode:
        raise SystemExit(f"{checkout}: the timing failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(args) -> dict:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    results = {"settings": vars(args) | {"head": head}, "load average": [], "rounds": []}
    with tempfile.TemporaryDirectory(prefix="blogsite-uncached-") as scratch:
        workdir = Path(scratch)
        env = production_env(
            workdir, HOST, f"sqlite:///{workdir / 'bench.sqlite3'}", REDIS_URL,
            DJANGO_SETTINGS_MODULE="bench.settings",
        )  # fmt: skip
        print(f"building {args.posts} posts…", flush=True)
        run(["-m", "bench.generate", "--posts", str(args.posts), "--tags", "100", "--pool", "20"],
            env)  # fmt: skip
        reference = workdir / "reference"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(reference), args.reference],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        try:
            checkouts = {"reference": reference, "this checkout": ROOT}
            envs = {}
            for label, checkout in checkouts.items():  # each with its own static files
                envs[label] = {**env, "STATIC_ROOT": str(workdir / f"static-{label}")}
                collect = manage(checkout, envs[label], "collectstatic", "--no-input", "-v0")
                collect.check_returncode()
            for number in range(args.rounds):
                results["load average"].append(load_average())
                for label, checkout in checkouts.items():
                    timings = time_pages(checkout, envs[label], args.requests)
                    results["rounds"].append({"checkout": label, **timings})
                    print(f"round {number + 1} {label:14} {timings}", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(reference)], cwd=ROOT)
    results["median ms"] = {
        label: medians([r for r in results["rounds"] if r["checkout"] == label])
        for label in ("reference", "this checkout")
    }
    return results


def medians(rounds: list[dict]) -> dict[str, float]:
    pages = [key for key in rounds[0] if key != "checkout"]
    return {page: round(statistics.median(r[page] for r in rounds), 2) for page in pages}


def table(results) -> str:
    settings = results["settings"]
    median = results["median ms"]
    lines = [
        f"Run on {time.strftime('%Y-%m-%d')}: {settings['posts']} posts on SQLite, page cache off, "
        f"Django's test client in-process; {settings['rounds']} rounds of {settings['requests']} "
        f"requests a page, the two checkouts taking turns; medians of the rounds' medians. "
        f"Reference `{settings['reference']}`, this checkout `{settings['head']}`; 1-minute load "
        f"average at each round: {results['load average']}.",
        "",
        "| page | reference (ms) | this checkout (ms) | change |",
        "|---|--:|--:|--:|",
    ]
    for page, before in median["reference"].items():
        after = median["this checkout"][page]
        lines.append(f"| {page} | {before:.2f} | {after:.2f} | {after / before - 1:+.0%} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, help="the commit to compare with")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-uncached.json")
    args = parser.parse_args()
    results = measure(args)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = table(results)
    write_section("bench/uncached", text)
    print(text)


if __name__ == "__main__":
    main()

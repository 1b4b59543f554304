"""The archive pages uncached in-process, this checkout against an older commit, in the same run.

    python -m bench.archive --reference 0a49c8e [--posts 1000] [--rounds 6] [--requests 20]

As `bench.uncached`: a site of `--posts` posts on SQLite (bench/generate.py, 100 tags, a pool
of 20 bodies), the reference commit in a scratch git worktree, the page cache off, Django's
test client, the two checkouts taking turns a round each. It times `/archives/` and the newest
year's `/archives/<yyyy>/` beside the bare view, counts the Python function calls of one
request of each, and checks that both checkouts send readers the same bytes for both pages (the
run stops if not). Medians over every round go to
bench/results-archive.json and between the markers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

from bench.compare import HOST, REDIS_URL, run
from bench.doc import write_section
from bench.run import load_average
from bench.stack import ROOT, production_env
from bench.uncached import manage, medians

TIMING = """
import cProfile, hashlib, json, os, pstats, re, statistics, time
from django.test import Client
client = Client(HTTP_HOST=os.environ["BENCH_HOST"])
archive = client.get("/archives/", secure=True).content.decode()
year = re.search(r'href="(/archives/[0-9]{4}/)"', archive).group(1)
pages = {"bare view": "/bench/floor/", "archive": "/archives/", "archive year": year}
out, digests, calls = {}, {}, {}
for name, path in pages.items():
    for _ in range(3):
        response = client.get(path, secure=True)
        assert response.status_code == 200, path
    digests[name] = hashlib.sha256(response.content).hexdigest()
    profile = cProfile.Profile()
    profile.runcall(client.get, path, secure=True)
    calls[name] = pstats.Stats(profile).total_calls
    timings = []
    for _ in range(int(os.environ["BENCH_REQUESTS"])):
        start = time.perf_counter()
        client.get(path, secure=True)
        timings.append((time.perf_counter() - start) * 1000)
    out[name] = statistics.median(timings)
print(json.dumps({"ms": out, "sha256": digests, "calls": calls, "bytes": len(archive)}))
"""


def time_pages(checkout: Path, env: dict, requests: int) -> dict:
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
    with tempfile.TemporaryDirectory(prefix="blogsite-archive-") as scratch:
        workdir = Path(scratch)
        env = production_env(
            workdir, HOST, f"sqlite:///{workdir / 'bench.sqlite3'}", args.redis_url,
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
            for label, checkout in checkouts.items():
                envs[label] = {**env, "STATIC_ROOT": str(workdir / f"static-{label}")}
                collect = manage(checkout, envs[label], "collectstatic", "--no-input", "-v0")
                collect.check_returncode()
            for number in range(args.rounds):
                results["load average"].append(load_average())
                digests = {}
                for label, checkout in checkouts.items():
                    timed = time_pages(checkout, envs[label], args.requests)
                    digests[label] = timed["sha256"]
                    results["rounds"].append({"checkout": label, **timed["ms"]})
                    results["archive bytes"] = timed["bytes"]
                    results.setdefault("calls", {})[label] = timed["calls"]
                    print(f"round {number + 1} {label:14} {timed['ms']}", flush=True)
                if digests["reference"] != digests["this checkout"]:
                    raise SystemExit(f"the checkouts sent different pages: {digests}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(reference)], cwd=ROOT)
    results["median ms"] = {
        label: medians([r for r in results["rounds"] if r["checkout"] == label])
        for label in ("reference", "this checkout")
    }
    return results


def table(results) -> str:
    settings = results["settings"]
    median = results["median ms"]
    lines = [
        f"Run on {time.strftime('%Y-%m-%d')}: {settings['posts']} posts on SQLite (archive page "
        f"{results['archive bytes']:,} bytes), page cache off, Django's test client in-process; "
        f"{settings['rounds']} rounds of {settings['requests']} requests a page, the two "
        f"checkouts taking turns; medians of the rounds' medians; both checkouts sent the same "
        f"bytes for both pages in every round. Reference `{settings['reference']}`, this checkout "
        f"`{settings['head']}`; 1-minute load average at each round: {results['load average']}.",
        "",
        "| page | reference (ms) | this checkout (ms) | change |",
        "|---|--:|--:|--:|",
    ]
    for page, before in median["reference"].items():
        after = median["this checkout"][page]
        lines.append(f"| {page} | {before:.2f} | {after:.2f} | {after / before - 1:+.0%} |")
    calls = results["calls"]
    lines += [
        "",
        "Python function calls of one request (cProfile), steadier than time on a shared machine: "
        + "; ".join(
            f"{page} {calls['reference'][page]:,} → {calls['this checkout'][page]:,}"
            for page in calls["reference"]
        )
        + ".",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, help="the commit to compare with")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--redis-url", default=REDIS_URL)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-archive.json")
    args = parser.parse_args()
    results = measure(args)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = table(results)
    write_section("bench/archive", text)
    print(text)


if __name__ == "__main__":
    main()

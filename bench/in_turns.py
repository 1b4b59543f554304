"""Two checkouts timed in turns on one site: the harness of `bench.uncached` and `bench.archive`.

`measure_in_turns()` builds a site of `posts` posts on SQLite with this checkout
(bench/generate.py: 100 tags, a pool of 20 bodies), checks the reference commit out into a
scratch git worktree, and runs a timing script in each checkout in turn, a round each, so both
see the same moments of a shared machine. The script runs in `manage.py shell` with the page
cache off and prints one JSON object whose "ms" holds a median per page; everything else it
prints is kept from each checkout's last round.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.compare import HOST, REDIS_URL, run
from bench.doc import write_section
from bench.run import load_average
from bench.stack import ROOT, production_env

LABELS = ("reference", "this checkout")


def manage(checkout: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=checkout, env=env, capture_output=True, text=True
    )


def run_timing(checkout: Path, env: dict, script: str, requests: int) -> dict:
    env = {**env, "PAGE_CACHE_ENABLED": "false", "BENCH_HOST": HOST}
    env["BENCH_REQUESTS"] = str(requests)
    result = manage(checkout, env, "shell", "-c", script)
    if result.returncode:
        raise SystemExit(f"{checkout}: the timing failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def medians(rounds: list[dict]) -> dict[str, float]:
    pages = [key for key in rounds[0] if key != "checkout"]
    return {page: round(statistics.median(r[page] for r in rounds), 2) for page in pages}


def measure_in_turns(
    script: str,
    *,
    reference: str,
    posts: int,
    rounds: int,
    requests: int,
    redis_url: str,
    check_round: Callable[[dict[str, dict]], None] | None = None,
) -> dict:
    """Rounds of `script` in the reference commit and in this checkout, taking turns; the
    medians of each page, the load average at each round, and `last`: each checkout's last
    output. `check_round`, given both outputs of a round, may stop the run."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    results = {"load average": [], "rounds": [], "head": head, "last": {}}
    with tempfile.TemporaryDirectory(prefix="blogsite-in-turns-") as scratch:
        workdir = Path(scratch)
        env = production_env(
            workdir, HOST, f"sqlite:///{workdir / 'bench.sqlite3'}", redis_url,
            DJANGO_SETTINGS_MODULE="bench.settings",
        )  # fmt: skip
        print(f"building {posts} posts…", flush=True)
        run(["-m", "bench.generate", "--posts", str(posts), "--tags", "100", "--pool", "20"], env)
        worktree = workdir / "reference"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(worktree), reference],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        try:
            checkouts = dict(zip(LABELS, (worktree, ROOT), strict=True))
            envs = {}
            for label, checkout in checkouts.items():  # each with its own static files
                envs[label] = {**env, "STATIC_ROOT": str(workdir / f"static-{label}")}
                collect = manage(checkout, envs[label], "collectstatic", "--no-input", "-v0")
                collect.check_returncode()
            for number in range(rounds):
                results["load average"].append(load_average())
                outputs = {}
                for label, checkout in checkouts.items():
                    outputs[label] = run_timing(checkout, envs[label], script, requests)
                    results["rounds"].append({"checkout": label, **outputs[label]["ms"]})
                    print(f"round {number + 1} {label:14} {outputs[label]['ms']}", flush=True)
                if check_round:
                    check_round(outputs)
                results["last"] = outputs
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT)
    results["median ms"] = {
        label: medians([r for r in results["rounds"] if r["checkout"] == label]) for label in LABELS
    }
    return results


def median_table(median: dict[str, dict[str, float]]) -> list[str]:
    lines = ["| page | reference (ms) | this checkout (ms) | change |", "|---|--:|--:|--:|"]
    for page, before in median["reference"].items():
        after = median["this checkout"][page]
        lines.append(f"| {page} | {before:.2f} | {after:.2f} | {after / before - 1:+.0%} |")
    return lines


def main(
    description: str,
    script: str,
    *,
    section: str,
    results_file: str,
    table: Callable[[dict], str],
    check_round: Callable[[dict[str, dict]], None] | None = None,
) -> None:
    """The command line of a benchmark made of `script`: its rounds against `--reference`, the
    results in bench/`results_file`, `table(results)` between `section`'s markers in
    docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--reference", required=True, help="the commit to compare with")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--redis-url", default=REDIS_URL)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / results_file)
    args = parser.parse_args()
    results = measure_in_turns(
        script, reference=args.reference, posts=args.posts, rounds=args.rounds,
        requests=args.requests, redis_url=args.redis_url, check_round=check_round,
    )  # fmt: skip
    results["settings"] = vars(args)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = table(results)
    write_section(section, text)
    print(text)

"""The Django page-cache hit through the deployment, this checkout against an older commit.

    python -m bench.hitpath --reference eaff5a2 [--posts 1000] [--rounds 3] [--duration 5]

Builds a site of `--posts` posts on SQLite (bench/generate.py), checks the reference commit out
into a scratch git worktree, and starts the committed deployment once for each checkout
(bench/stack.py: nginx in front of one gunicorn instance with 2 sync workers, page cache on, both
on the same site and Redis). For home, a post, a tag page and the Atom feed, wrk runs with nginx's
cache bypassed against each checkout's Django hit and its bare view of the same size
(`/bench/floor/<bytes>/`), all four in turn in every round. Besides requests per second, which
other work on a shared machine moves, it reads what each request cost: the CPU time of the
instance's gunicorn processes (workers recycled under `max_requests` included) and of Redis
(`INFO cpu`; other clients of the same Redis count too) over the run, divided by its requests.
Medians go to bench/results-hitpath.json and between the markers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from bench.compare import BYPASS_NGINX, HOST, REDIS_URL, get_bytes, pages_of, run
from bench.doc import write_section
from bench.run import load_average, wrk
from bench.stack import ROOT, Stack, production_env

CHECKOUTS = ("reference", "this checkout")
MODES = ("Django hit", "bare view")
TICKS = os.sysconf("SC_CLK_TCK")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used by a process, its children that exited, and its live children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = sum(int(value) for value in fields[11:15]) / TICKS  # utime stime cutime cstime
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            with_child = Path(f"/proc/{child}/stat")
            if with_child.exists():
                child_fields = with_child.read_text().rsplit(")", 1)[1].split()
                total += (int(child_fields[11]) + int(child_fields[12])) / TICKS
    return total


def app_cpu(stack: Stack) -> float:
    return sum(process_tree_cpu(process.pid) for process in stack.app_masters)


def redis_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return info["used_cpu_sys"] + info["used_cpu_user"]


def timed_run(stack: Stack, path: str, args, redis_client: redis.Redis) -> dict:
    """One wrk run, with what each of its requests cost gunicorn and Redis in CPU time."""
    app, shared = app_cpu(stack), redis_cpu(redis_client)
    load = (args.duration, args.connections, args.threads)
    result = wrk(stack.https_url + path, *load, headers=(BYPASS_NGINX,))
    requests = result["rps"] * args.duration
    result["app cpu ms"] = (app_cpu(stack) - app) / requests * 1000
    result["redis cpu ms"] = (redis_cpu(redis_client) - shared) / requests * 1000
    return result


def target_path(mode: str, path: str, size: int) -> str:
    return path if mode == "Django hit" else f"/bench/floor/{size}/"


def measure(args) -> dict:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    results = {"settings": vars(args) | {"head": head}, "load average": [], "runs": []}
    redis_client = redis.Redis.from_url(REDIS_URL)
    with tempfile.TemporaryDirectory(prefix="blogsite-hitpath-") as scratch:
        workdir = Path(scratch)
        env = production_env(
            workdir, HOST, f"sqlite:///{workdir / 'bench.sqlite3'}", REDIS_URL,
            DJANGO_SETTINGS_MODULE="bench.settings", WEB_CONCURRENCY=2,
        )  # fmt: skip
        print(f"building {args.posts} posts…", flush=True)
        run(["-m", "bench.generate", "--posts", str(args.posts), "--tags", "100", "--pool", "20"],
            env)  # fmt: skip
        run(["manage.py", "collectstatic", "--no-input", "-v0"], env)
        reference = workdir / "reference"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(reference), args.reference],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        stacks = {}
        try:
            for label, checkout in zip(CHECKOUTS, (reference, ROOT), strict=True):
                directory = workdir / label.replace(" ", "-")
                (directory / "media").mkdir(parents=True)
                stack_env = {
                    **env, "MEDIA_ROOT": str(directory / "media"),
                    "CACHE_KEY_PREFIX": f"{env['CACHE_KEY_PREFIX']}-{label.replace(' ', '-')}",
                }  # fmt: skip
                stacks[label] = Stack(directory, stack_env, host=HOST, instances=1, root=checkout)
                stacks[label].start()
            pages = pages_of(stacks["this checkout"].https_url)
            sizes = {name: len(get_bytes(stacks["this checkout"].https_url, path))
                     for name, path in pages.items()}  # fmt: skip
            results["pages"], results["page bytes"] = pages, sizes
            targets = [
                (name, label, mode, target_path(mode, path, sizes[name]))
                for name, path in pages.items()
                for label in CHECKOUTS
                for mode in MODES
            ]
            for _, label, _, path in targets:  # fill the page cache, warm both checkouts
                for _ in range(3):
                    get_bytes(stacks[label].https_url, path)
            for round_number in range(args.rounds):
                results["load average"].append(load_average())
                for name, label, mode, path in targets:
                    result = timed_run(stacks[label], path, args, redis_client)
                    results["runs"].append(
                        {"page": name, "checkout": label, "mode": mode, **result}
                    )
                    print(f"round {round_number + 1} {label} {mode} {name} {result}", flush=True)
        finally:
            for stack in stacks.values():
                stack.stop()
            subprocess.run(["git", "worktree", "remove", "--force", str(reference)], cwd=ROOT)
    results["median"] = {}
    for name in results["pages"]:
        for label in CHECKOUTS:
            for mode in MODES:
                runs = [
                    r
                    for r in results["runs"]
                    if (r["page"], r["checkout"], r["mode"]) == (name, label, mode)
                ]
                results["median"][f"{label} | {mode} | {name}"] = {
                    key: round(statistics.median(r[key] for r in runs), 3)
                    for key in ("rps", "app cpu ms", "redis cpu ms")
                }
    return results


def table(results) -> str:
    settings, median = results["settings"], results["median"]
    lines = [
        f"Run on {time.strftime('%Y-%m-%d')}: {settings['posts']} posts on SQLite, one gunicorn "
        "instance with 2 sync workers behind nginx for each checkout, the same Redis; "
        f"`wrk -t{settings['threads']} -c{settings['connections']} -d{settings['duration']}s` "
        f"over HTTPS with nginx's cache bypassed, {settings['rounds']} rounds, every page and "
        "checkout in turn, medians. Reference "
        f"`{settings['reference']}`, this checkout `{settings['head']}`; 1-minute load average at "
        f"each round: {results['load average']}. CPU: gunicorn's (workers and master) and Redis's "
        "over each run, per request.",
        "",
        "| page | bytes | checkout | hit req/s | bare view req/s | hit vs bare | "
        "hit gunicorn CPU ms | bare view gunicorn CPU ms | hit Redis CPU ms |",
        "|---|--:|---|--:|--:|--:|--:|--:|--:|",
    ]
    for name in results["pages"]:
        for label in CHECKOUTS:
            hit = median[f"{label} | Django hit | {name}"]
            bare = median[f"{label} | bare view | {name}"]
            lines.append(
                f"| {name} | {results['page bytes'][name]:,} | {label} | {hit['rps']:,.0f} | "
                f"{bare['rps']:,.0f} | {hit['rps'] / bare['rps']:.0%} | {hit['app cpu ms']:.2f} | "
                f"{bare['app cpu ms']:.2f} | {hit['redis cpu ms']:.3f} |"
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, help="the commit to compare with")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-hitpath.json")
    args = parser.parse_args()
    results = measure(args)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = table(results)
    write_section("bench/hitpath", text)
    print(text)


if __name__ == "__main__":
    main()

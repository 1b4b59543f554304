"""The archive pages uncached in-process, this checkout against an older commit, in the same run.

    python -m bench.archive --reference 0a49c8e [--posts 1000] [--rounds 6] [--requests 20]

As `bench.uncached`: a site of `--posts` posts on SQLite (bench/generate.py, 100 tags, a pool
of 20 bodies), the reference commit in a scratch git worktree, the page cache off, Django's
test client, the two checkouts taking turns a round each. It times `/archives/` and the newest
year's `/archives/<yyyy>/` beside the bare view, counts the Python function calls of one
request of each, and checks that both checkouts send readers the same `<main>` for both pages
(the run stops if not). Medians over every round go to
bench/results-archive.json and between the markers in docs/benchmarks.md.
"""

from __future__ import annotations

import time

from bench import in_turns
from bench.in_turns import median_table

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
    main = re.search(rb"<main.*</main>", response.content, re.S).group()  # not the asset URLs
    digests[name] = hashlib.sha256(main).hexdigest()
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


def same_bytes(outputs: dict[str, dict]) -> None:
    digests = {label: output["sha256"] for label, output in outputs.items()}
    if digests["reference"] != digests["this checkout"]:
        raise SystemExit(f"the checkouts sent different pages: {digests}")


def table(results) -> str:
    settings = results["settings"]
    calls = {label: output["calls"] for label, output in results["last"].items()}
    return "\n".join(
        [
            f"Run on {time.strftime('%Y-%m-%d')}: {settings['posts']} posts on SQLite (archive "
            f"page {results['last']['this checkout']['bytes']:,} bytes), page cache off, Django's "
            f"test client in-process; {settings['rounds']} rounds of {settings['requests']} "
            f"requests a page, the two checkouts taking turns; medians of the rounds' medians; "
            f"both checkouts sent the same `<main>` for both pages in every round. Reference "
            f"`{settings['reference']}`, this checkout `{results['head']}`; 1-minute load average "
            f"at each round: {results['load average']}.",
            "",
            *median_table(results["median ms"]),
            "",
            "Python function calls of one request (cProfile), steadier than time on a shared "
            "machine: "
            + "; ".join(
                f"{page} {calls['reference'][page]:,} → {calls['this checkout'][page]:,}"
                for page in calls["reference"]
            )
            + ".",
        ]
    )


def main():
    in_turns.main(
        __doc__.splitlines()[0],
        TIMING,
        section="bench/archive",
        results_file="results-archive.json",
        table=table,
        check_round=same_bytes,
    )


if __name__ == "__main__":
    main()

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

import time

from bench import in_turns
from bench.in_turns import median_table

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
print(json.dumps({"ms": out}))
"""


def table(results) -> str:
    settings = results["settings"]
    return "\n".join(
        [
            f"Run on {time.strftime('%Y-%m-%d')}: {settings['posts']} posts on SQLite, page cache "
            f"off, Django's test client in-process; {settings['rounds']} rounds of "
            f"{settings['requests']} requests a page, the two checkouts taking turns; medians of "
            f"the rounds' medians. Reference `{settings['reference']}`, this checkout "
            f"`{results['head']}`; 1-minute load average at each round: {results['load average']}.",
            "",
            *median_table(results["median ms"]),
        ]
    )


def main():
    in_turns.main(
        __doc__.splitlines()[0],
        TIMING,
        section="bench/uncached",
        results_file="results-uncached.json",
        table=table,
    )


if __name__ == "__main__":
    main()

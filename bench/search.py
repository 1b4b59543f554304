"""Time search on PostgreSQL as the search page runs it, new code against the old as reference:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/blogsite_search_bench \\
        python -m bench.search [--repeat 30]

Against a site made by `bench.generate` (10,000 posts). Each run is what `/search/?q=...` asks of
the database, without the page cache or templates: the paginator's count, the first page of ten
posts with rank and snippet (`for_results()`, as the page reads them) and the highlighted snippets.
The runs of each implementation come in one block per query, one after the other: the reference
reads every post's TOASTed vector (~160 MB), more than PostgreSQL's shared buffers (128 MB), so
alternating run by run would time the new code against a cache the reference has just emptied.

The reference is the search code before issue 13 (copied below, `reference_search`): it reads
`bench_search_reference(post_id, body, document)`, the old index table, which this script copies
from the site's posts the first time (body text and the old weighted vector, built by SQL as
migration 0004 did). Results go to bench/results-search.json and between the markers in
docs/benchmarks.md; the plan lines of both count queries are kept with them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from pathlib import Path

from bench.doc import write_section

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results-search.json"
REFERENCE_TABLE = "bench_search_reference"
QUERIES = {
    "broad": "attention gradient",
    "narrow": "meta-learning-236",
    "hyphenated tag": "diffusion-111",  # the old index read "-111" as a number: no match
}

REFERENCE_CREATE = [
    f"CREATE TABLE {REFERENCE_TABLE} "
    "(post_id bigint PRIMARY KEY, body text NOT NULL, document tsvector NOT NULL)",
    f"INSERT INTO {REFERENCE_TABLE} (post_id, body, document) "
    "SELECT p.id, p.body_text, setweight(to_tsvector('english', p.title), 'A') || "
    "setweight(to_tsvector('english', COALESCE((SELECT string_agg(t.name, ' ') "
    "FROM posts_taggedpost tp JOIN posts_tag t ON t.id = tp.tag_id "
    "WHERE tp.content_object_id = p.id), '')), 'B') || "
    "setweight(to_tsvector('english', p.summary), 'C') || "
    "setweight(to_tsvector('english', p.body_text), 'D') FROM posts_post p",
    f"CREATE INDEX {REFERENCE_TABLE}_document ON {REFERENCE_TABLE} USING GIN (document)",
    f"ANALYZE {REFERENCE_TABLE}",
]


def reference_search(text):
    """`posts.search.search()` on PostgreSQL as it was before issue 13 (the reference)."""
    from django.db.models.expressions import RawSQL

    from posts.models import Post
    from posts.search import MATCH_END, MATCH_START, SNIPPET_WORDS
    from posts.search.query import parse_query

    options = (
        f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    table = REFERENCE_TABLE
    tsquery = "websearch_to_tsquery('english', %s)"
    words = parse_query(text).websearch()
    return (
        Post.objects.published()
        .filter(id__in=RawSQL(f"SELECT post_id FROM {table} WHERE document @@ {tsquery}", [words]))
        .annotate(
            search_rank=RawSQL(
                f"SELECT ts_rank(document, {tsquery}) FROM {table} "
                'WHERE post_id = "posts_post"."id"',
                [words],
            ),
            search_snippet=RawSQL(
                f"SELECT ts_headline('english', body, {tsquery}, %s) FROM {table} "
                'WHERE post_id = "posts_post"."id"',
                [words, options],
            ),
        )
        .order_by("-search_rank", "-published_at", "-id")
    )


def search_page(search, text, per_page):
    """What the search page asks of the database: count, first page, snippets."""
    from django.core.paginator import Paginator

    from posts.search import highlight

    paginator = Paginator(search(text).for_results(), per_page)
    page = paginator.page(1)
    snippets = [highlight(post.search_snippet) for post in page.object_list]
    return paginator.count, [post.pk for post in page.object_list], snippets


def count_plan(search, text):
    """The EXPLAIN ANALYZE lines of the query that answers the paginator's count, as `count()`
    sends it (the new code's reads every match's id in rank order)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        search(text).count()
    [query] = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {query['sql']}")
        lines = [row[0] for row in cursor.fetchall()]
    return lines


def ensure_reference():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [REFERENCE_TABLE])
        if cursor.fetchone()[0] is None:
            print(f"building {REFERENCE_TABLE} (the old index) …", flush=True)
            for statement in REFERENCE_CREATE:
                cursor.execute(statement)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(repeat):
    from django.conf import settings
    from django.db import connection

    from posts.models import Post
    from posts.search import search

    per_page = settings.POSTS_PER_PAGE
    implementations = {"new": search, "reference": reference_search}
    results = {
        "posts": Post.objects.published().count(),
        "repeat": repeat,
        "load": ", ".join(f"{load:.1f}" for load in os.getloadavg()),
        "queries": {},
    }
    for name, text in QUERIES.items():
        times = {label: [] for label in implementations}
        answers = {}
        for label, function in implementations.items():
            answers[label] = search_page(function, text, per_page)  # warm up
        for label, function in implementations.items():
            search_page(function, text, per_page)  # warm again: the other one ran in between
            for _ in range(repeat):
                start = time.perf_counter()
                search_page(function, text, per_page)
                times[label].append((time.perf_counter() - start) * 1000)
        entry = {"text": text}
        for label in implementations:
            count, ids, snippets = answers[label]
            entry[label] = {
                "p50_ms": round(statistics.median(times[label]), 1),
                "p99_ms": round(percentile(times[label], 0.99), 1),
                "count": count,
                "first_page": ids,
                "marked_snippets": sum("<mark>" in s for s in snippets),
                "count_plan": count_plan(implementations[label], text),
            }
        entry["same_count"] = answers["new"][0] == answers["reference"][0]
        results["queries"][name] = entry
        print(name, json.dumps({k: entry[k]["p50_ms"] for k in implementations}), flush=True)
    results["server"] = connection.cursor().connection.info.server_version
    return results


def scan_line(plan):
    """The plan's scans and joins, in plan order, without their timings."""
    steps = []
    for line in plan:
        step = re.sub(r"\s+", " ", line.strip().lstrip("-> "))
        if re.match(r"(Bitmap|Seq|Index|Hash Join|Nested Loop)", step):
            steps.append(re.sub(r" \(actual time=.*\)$", "", step))
    return " · ".join(steps)


def table(results):
    rows = [
        "| query | matches | new p50 ms | new p99 ms | reference p50 ms | reference p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, entry in results["queries"].items():
        new, old = entry["new"], entry["reference"]
        matches = f"{new['count']:,}" + ("" if entry["same_count"] else f" (ref. {old['count']:,})")
        rows.append(
            f'| {name} "{entry["text"]}" | {matches} | {new["p50_ms"]} | {new["p99_ms"]} | '
            f"{old['p50_ms']} | {old['p99_ms']} |"
        )
    rows.append("")
    rows.append(
        f"{results['posts']:,} published posts, {results['repeat']} runs each "
        "(one block per query and implementation), "
        f"one connection, PostgreSQL {results['server']}, "
        f"load average {results['load']} at the start. The plan of each count (scans and joins):"
    )
    rows.append("")
    for name, entry in results["queries"].items():
        for label in ("new", "reference"):
            rows.append(f"- {name}, {label}: `{scan_line(entry[label]['count_plan'])}`")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogsite.settings")
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench.search measures PostgreSQL: set DATABASE_URL.")
    ensure_reference()
    results = measure(args.repeat)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    write_section("bench/search", table(results))
    print(table(results))


if __name__ == "__main__":
    main()

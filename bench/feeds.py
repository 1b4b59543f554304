"""Uncached feeds, in-process: stored absolute copies against the per-request rewriting before them.

    python -m bench.feeds [--posts 1000] [--requests 30] [--workdir DIR] [--rebuild]

Builds a site of `--posts` posts on SQLite in `--workdir` (bench/generate.py: 100 tags, 20
distinct bodies of ~3,500 words with math, code and figures), or reuses the one built there
before. Every post gets a share card file (one PNG, hard-linked under each post's name), so each
entry's enclosure costs its `stat` as on a real site, and its feed copies are made as a save
makes them (bulk inserts send no signals and call no `save()`).

Then, in one process with the page cache off, it requests each feed (site RSS and Atom, one
tag's RSS and Atom) through Django's test client, alternating request by request between

* **stored**: the site's feeds (`posts/feeds.py`), which print `Post.feed_body_html` and
  `feed_summary_html`, made at save;
* **reference**: the same feeds as they were before, kept here as a copy: the query loads the
  rendered body and summary, and each entry's body and summary go through an HTML parse and
  serialize (`reference_absolutize_html`) on every request, the XML writer escapes them, and the
  tags come from taggit's prefetch;

and reports the median of `--requests` timed requests of each (after 3 untimed ones; wall time,
and the process's CPU time, which other work on the machine disturbs less), the SQL
queries of one request and the size of the answer. Both must give the same feed (the same
elements, attributes and text; the stored one writes an entry's summary next to its content):
the benchmark stops otherwise. Results go to bench/results-feeds.json and between the markers in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.doc import write_section

ROOT = Path(__file__).resolve().parent.parent
HOST = "blog.test"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
BUILT = "built.json"  # in the work directory: what the database there was built with


def site_env(workdir: Path) -> dict[str, str]:
    """A production-mode environment whose database and files live under `workdir`."""
    from bench.stack import production_env

    return production_env(
        workdir, HOST, f"sqlite:///{workdir / 'bench.sqlite3'}", REDIS_URL,
        DJANGO_SETTINGS_MODULE="bench.settings", PAGE_CACHE_ENABLED="false",
        CACHE_KEY_PREFIX="bench-feeds", ALLOWED_HOSTS=f"{HOST},testserver",
    )  # fmt: skip


def build(workdir: Path, posts: int, env: dict[str, str]) -> None:
    for name in ("bench.sqlite3", BUILT):
        (workdir / name).unlink(missing_ok=True)
    generate = ["-m", "bench.generate", "--posts", str(posts), "--tags", "100", "--pool", "20"]
    subprocess.run([sys.executable, *generate], cwd=ROOT, env=env, check=True)


# --- inside the measuring process (Django set up with `site_env`) ---------------------------


def reference_absolutize_html(html: str, base: str) -> str:
    """The rewriting the feeds did on every request before: a copy of
    `posts.absolute_urls.absolutize_html` as it was, kept so that the reference stays fixed."""
    from urllib.parse import urljoin

    from posts.markup.text import parse, serialize

    root = parse(html)
    for node in root.iter():
        for name in ("href", "src", "poster"):
            if name in node.attrs:
                node.attrs[name] = urljoin(base, node.attrs[name].strip())
        if "srcset" in node.attrs:
            candidates = []
            for candidate in node.attrs["srcset"].split(","):
                parts = candidate.split()
                if parts:
                    candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
            node.attrs["srcset"] = ", ".join(candidates)
    return serialize(root)


def reference_feeds():
    """The four feeds as they were before the stored text (the same classes with the old entry
    code: the old query, the rewriting per request, the XML writer escaping the bodies)."""
    from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

    from posts import feeds
    from posts.models import BODY_SOURCES, Post

    class ReferenceRss(feeds.RssWithContent):
        def add_item_elements(self, handler, item):
            item = {
                **item,
                "title": feeds.as_html_text(item["title"]),
                "categories": [feeds.as_html_text(category) for category in item["categories"]],
            }
            Rss201rev2Feed.add_item_elements(self, handler, item)
            handler.addQuickElement("content:encoded", item["content_html"])

    class ReferenceAtom(feeds.AtomWithContent):
        def add_item_elements(self, handler, item):
            Atom1Feed.add_item_elements(self, handler, item)
            handler.addQuickElement("content", item["content_html"], {"type": "html"})

    class Reference:
        def items(self, obj=None):
            posts = (
                Post.objects.published()
                .select_related("author")
                .prefetch_related("tags")
                .defer(*BODY_SOURCES)
            )
            return (posts if obj is None else posts.filter(tags=obj))[: feeds.FEED_LENGTH]

        def item_description(self, item):
            return reference_absolutize_html(item.summary_html, self.item_link(item))

        def item_extra_kwargs(self, item):
            return {"content_html": reference_absolutize_html(item.body_html, self.item_link(item))}

        def item_categories(self, item):
            return [tag.name for tag in item.tags.all()]

    rss, atom = {"feed_type": ReferenceRss}, {"feed_type": ReferenceAtom}
    return {
        "site RSS": type("ReferenceSiteFeed", (Reference, feeds.SiteFeed), rss),
        "site Atom": type("ReferenceSiteAtomFeed", (Reference, feeds.SiteAtomFeed), atom),
        "tag RSS": type("ReferenceTagFeed", (Reference, feeds.TagFeed), rss),
        "tag Atom": type("ReferenceTagAtomFeed", (Reference, feeds.TagAtomFeed), atom),
    }


def prepare_site(workdir: Path) -> dict:
    """Share card files for every post and feed copies as a save makes them; once per build."""
    from django.conf import settings
    from django.db import transaction

    from posts import share_cards
    from posts.models import Post, with_current_feed_text

    built = workdir / BUILT
    if built.exists():
        return json.loads(built.read_text())
    started = time.monotonic()
    media = Path(settings.MEDIA_ROOT) / "cards"
    media.mkdir(parents=True, exist_ok=True)
    first = Post.objects.order_by("pk").first()
    original = media / "bench-card.png"
    original.write_bytes(share_cards.make_card(first))
    with transaction.atomic():
        for pk in Post.objects.values_list("pk", flat=True):
            name = f"cards/bench-{pk}.png"
            target = Path(settings.MEDIA_ROOT) / name
            target.unlink(missing_ok=True)
            os.link(original, target)
            Post.objects.filter(pk=pk).update(card=name)
    pks = list(Post.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 50):
        with transaction.atomic():
            with_current_feed_text(Post.objects.for_feed().filter(pk__in=pks[start : start + 50]))
    info = {"posts": len(pks), "prepare seconds": round(time.monotonic() - started)}
    built.write_text(json.dumps(info))
    return info


ENTRIES = ("item", "{http://www.w3.org/2005/Atom}entry")


def canonical(xml: bytes):
    """A feed as nested tuples for comparison: elements, attributes and text, the order of
    entries kept and the order of an entry's own elements (free in RSS and Atom) not."""
    from xml.etree import ElementTree

    def form(element, unordered=False):
        children = [form(child, child.tag in ENTRIES) for child in element]
        if unordered:
            children.sort()
        return (element.tag, sorted(element.attrib.items()), element.text or "", children)

    return form(ElementTree.fromstring(xml))


def measure(requests: int) -> dict:
    from types import ModuleType

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import path

    from blogsite.urls import urlpatterns
    from posts.models import Post, Tag

    tag = (
        Tag.objects.with_published_counts()
        .filter(post_count__gt=0)
        .order_by("-post_count", "slug")
        .first()
    )
    feeds = {
        "site RSS": "index.xml",
        "site Atom": "feeds/atom/",
        "tag RSS": f"tags/{tag.slug}/index.xml",
        "tag Atom": f"tags/{tag.slug}/atom.xml",
    }
    reference = reference_feeds()
    routes = [
        path(
            "bench/reference/" + route.replace(tag.slug, "<slug:slug>"),
            reference[name](),
        )
        for name, route in feeds.items()
    ]
    # The site's URLs and the reference feeds', as a URLconf module of this process only.
    urls = ModuleType("bench.feeds_urls")
    urls.urlpatterns = [*routes, *urlpatterns]
    sys.modules[urls.__name__] = urls
    client = Client(HTTP_HOST=HOST)
    results = {"tag": tag.slug, "tag posts": tag.post_count, "posts": Post.objects.count()}
    with override_settings(ROOT_URLCONF=urls.__name__):
        for name, route in feeds.items():
            paths = {"stored": "/" + route, "reference": "/bench/reference/" + route}
            answers = {}
            for mode, url in paths.items():
                for _ in range(3):
                    response = client.get(url, secure=True)
                    assert response.status_code == 200, (url, response.status_code)
                with CaptureQueriesContext(connection) as queries:
                    answers[mode] = client.get(url, secure=True).content
                results[f"{name} | {mode} | queries"] = len(queries)
            if canonical(answers["stored"]) != canonical(answers["reference"]):
                raise SystemExit(f"{name}: the stored feed differs from the reference")
            results[f"{name} | bytes"] = len(answers["stored"])
            timings = {(mode, clock): [] for mode in paths for clock in ("ms", "CPU ms")}
            for _ in range(requests):
                for mode, url in paths.items():
                    started, cpu = time.perf_counter(), time.process_time()
                    client.get(url, secure=True)
                    timings[mode, "CPU ms"].append((time.process_time() - cpu) * 1000)
                    timings[mode, "ms"].append((time.perf_counter() - started) * 1000)
            for (mode, clock), samples in timings.items():
                results[f"{name} | {mode} | median {clock}"] = round(statistics.median(samples), 2)
    return results


def inside(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a database built by an older checkout
    info = prepare_site(args.workdir)
    print(json.dumps(info | measure(args.requests)))


# --- the report -----------------------------------------------------------------------------


def table(results: dict) -> str:
    settings = results["settings"]
    lines = [
        f"Run on {time.strftime('%Y-%m-%d')}: {results['posts']} posts on SQLite "
        f"(`python -m bench.feeds --posts {settings['posts']} --requests {settings['requests']}`), "
        "page cache off, Django's test client in one process, requests alternating between the "
        f"two; median of {settings['requests']} each after 3 untimed; {settings['cores']} cores "
        f"shared with other work (1-minute load average before and after: "
        f"{results['load average']}). The tag feed is `{results['tag']}` "
        f"({results['tag posts']} posts). Each feed holds 20 full posts; both give the same XML.",
        "",
        "| feed | size | stored feed text: ms (CPU ms) | reference, rewritten per request: ms "
        "(CPU ms) | reference / stored | queries (stored, reference) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name in ("site RSS", "site Atom", "tag RSS", "tag Atom"):
        stored = results[f"{name} | stored | median ms"]
        reference = results[f"{name} | reference | median ms"]
        stored_cpu = results[f"{name} | stored | median CPU ms"]
        reference_cpu = results[f"{name} | reference | median CPU ms"]
        queries = (
            f"{results[f'{name} | stored | queries']}, {results[f'{name} | reference | queries']}"
        )
        size = results[f"{name} | bytes"] / 1e6
        lines.append(
            f"| {name} | {size:.2f} MB | {stored:.1f} ({stored_cpu:.1f}) | "
            f"{reference:.1f} ({reference_cpu:.1f}) | "
            f"{reference / stored:.0f}x | {queries} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/blogsite-bench-feeds"))
    parser.add_argument("--rebuild", action="store_true", help="build a new site")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-feeds.json")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return inside(args)
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = site_env(args.workdir)
    built = args.workdir / BUILT
    if args.rebuild or not built.exists() or json.loads(built.read_text())["posts"] != args.posts:
        print(f"building {args.posts} posts in {args.workdir}…", flush=True)
        build(args.workdir, args.posts, env)
    load = [os.getloadavg()[0]]
    command = [sys.executable, "-m", "bench.feeds", "--inside", "--workdir", str(args.workdir)]
    command += ["--requests", str(args.requests)]
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True)
    load.append(os.getloadavg()[0])
    results = json.loads(out.stdout.strip().splitlines()[-1])
    results["settings"] = {
        "posts": args.posts, "requests": args.requests, "cores": os.cpu_count(),
    }  # fmt: skip
    results["load average"] = [round(value, 2) for value in load]
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    text = table(results)
    write_section("bench/feeds", text)
    print(text)


if __name__ == "__main__":
    main()

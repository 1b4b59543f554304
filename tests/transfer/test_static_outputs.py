"""What export_site writes for a static host beyond the pages: redirect pages at old URLs (with
the base URL's path), feeds as `.xml` files, the search index, sitemap and robots.txt."""

import json
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from posts.models import PostAlias
from posts.transfer.static_outputs import alias_file
from tests.processes import fetch, wait_for
from tests.tcp_proxy import free_port

pytestmark = pytest.mark.django_db

BASE = "https://me.github.io/blog/"


@pytest.fixture
def site(make_post):
    moved = make_post(
        title="Attention? Attention!",
        slug="attention",
        body="Attention weights, softmax and [the old URL](/2018/06/24/attention.html).",
        tags=["attention"],
    )
    PostAlias.objects.create(post=moved, path="/2018/06/24/attention.html")
    PostAlias.objects.create(post=moved, path="/attention-old")
    PostAlias.objects.create(post=moved, path="/posts/attention/")
    make_post(title="Diffusion models", slug="diffusion", body="Noise, then denoise.")
    draft = make_post(title="Secret draft", slug="secret", status="draft", published_at=None)
    PostAlias.objects.create(post=draft, path="/secret-old.html")
    make_post(
        title="Scheduled", slug="later", published_at=timezone.now() + timezone.timedelta(days=2)
    )
    return moved


@pytest.fixture
def exported(site, tmp_path):
    out = tmp_path / "out"
    stdout = StringIO()
    call_command("export_site", str(out), "--base-url", BASE, stdout=stdout)
    return out, stdout.getvalue()


def test_every_old_url_is_a_redirect_page_at_the_base_url(site, exported):
    out, report = exported
    target = f"https://me.github.io/blog{site.get_absolute_url()}"
    for file in (
        "2018/06/24/attention.html",
        "attention-old/index.html",
        "posts/attention/index.html",
    ):
        page = (out / file).read_text()
        assert f'<link rel="canonical" href="{target}">' in page, file
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in page, file
    assert not (out / "secret-old.html").exists()  # a draft's old URL stays unknown
    assert "3 redirect pages at old URLs" in report


def test_old_urls_are_never_written_outside_the_export(tmp_path):
    assert alias_file("/../../etc/passwd") is None
    assert alias_file("/a/./b") is None
    assert str(alias_file("/2019/09/05/x.html")) == "2019/09/05/x.html"
    assert str(alias_file("/gan")) == "gan/index.html"


def test_the_atom_feed_is_an_xml_file_and_links_point_at_it(exported):
    out, _ = exported
    assert not (out / "feeds" / "atom" / "index.html").exists()
    feed = (out / "feeds" / "atom.xml").read_text()
    assert feed.startswith("<?xml") and "<feed" in feed
    assert 'href="https://me.github.io/blog/feeds/atom.xml" rel="self"' in feed
    home = (out / "index.html").read_text()
    assert re.search(
        r'type="application/atom\+xml"[^>]*href="https://me\.github\.io/blog/feeds/atom\.xml"', home
    )
    assert "/feeds/atom/" not in home
    assert (out / "index.xml").read_text().startswith("<?xml")  # RSS already had a file name


def test_sitemap_and_robots_name_the_base_url(site, tmp_path, settings):
    settings.PRODUCTION = True  # robots.txt lets crawlers in on the production site only
    out = tmp_path / "out"
    call_command("export_site", str(out), "--base-url", BASE, stdout=StringIO())
    robots = (out / "robots.txt").read_text()
    assert "Sitemap: https://me.github.io/blog/sitemap.xml" in robots
    assert "Disallow: /blog/search/" in robots and "admin" not in robots
    sitemap = (out / "sitemap.xml").read_text()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert f"https://me.github.io/blog{site.get_absolute_url()}" in locations
    assert all(location.startswith(BASE) for location in locations)


def test_the_search_index_holds_the_public_posts_at_their_exported_urls(site, exported):
    out, _ = exported
    index = json.loads((out / "search-index.json").read_text())
    titles = {post["title"]: post for post in index["posts"]}
    assert set(titles) == {"Attention? Attention!", "Diffusion models"}
    attention = titles["Attention? Attention!"]
    assert attention["url"] == "/blog" + site.get_absolute_url()
    assert attention["tags"] == ["attention"]
    assert "softmax" in attention["text"]
    search = (out / "search" / "index.html").read_text()
    assert '<meta name="static-search-index" content="/blog/search-index.json">' in search
    assert re.search(
        r'<script src="/blog/static/js/static-search[.\w]*\.js" defer></script>', search
    )


def test_the_live_search_page_keeps_its_server_search(client, site):
    page = client.get("/search/?q=attention").content.decode()
    assert "static-search" not in page
    assert "Attention? Attention!" in page


def test_the_exported_files_are_served_with_the_right_types(site, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    call_command("export_site", str(tmp_path / "out"), "--base-url", base + "/", stdout=StringIO())
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(tmp_path / "out")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(base + "/")
        status, headers, _ = fetch(base + "/feeds/atom.xml")
        assert status == 200 and "xml" in headers["Content-Type"]
        status, headers, _ = fetch(base + "/search-index.json")
        assert status == 200 and headers["Content-Type"] == "application/json"
        status, _, body = fetch(base + "/2018/06/24/attention.html")
        assert status == 200 and site.get_absolute_url().encode() in body
    finally:
        server.terminate()
        server.wait(timeout=10)

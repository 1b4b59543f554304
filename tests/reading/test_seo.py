import json
from html.parser import HTMLParser

import pytest
from django.conf import settings

from posts.markup.text import DESCRIPTION_LENGTH
from posts.models import Post, Series, Tag

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org"


class Head(HTMLParser):
    """The parts of a page's <head> that metadata tests read."""

    def __init__(self, html):
        super().__init__()
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list[dict] = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json":
            self.json_ld.append(json.loads(data))

    def one(self, key):
        [value] = self.meta[key]
        return value

    def canonical(self):
        [link] = [link for link in self.links if link.get("rel") == "canonical"]
        return link["href"]

    def ld(self, kind):
        [data] = [data for data in self.json_ld if data["@type"] == kind]
        return data


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Head(response.content.decode())


@pytest.fixture
def flow_post(make_post):
    """A post whose title tries to close the JSON-LD script, among two more tagged Math."""
    post = make_post(
        title="Flow-based </script><script>alert(1)</script> Models",
        summary="Normalizing flows map $z \\sim p(z)$ to data[^1].\n\n[^1]: See Dinh et al.",
        body="Some **body** text with more words.",
        tags=["Generative Model", "Math"],
    )
    make_post(tags=["Math"])
    make_post(tags=["Math"])
    return post


def test_post_page_metadata(client, flow_post):
    page = head(client, flow_post.get_absolute_url())
    url = SITE + flow_post.get_absolute_url()
    assert page.title == f"{flow_post.title} · Lil'Log"
    assert page.canonical() == url
    description = page.one("description")
    assert description.startswith("Normalizing flows map z")
    assert "$" not in description and "math" not in description and "Dinh" not in description
    assert page.one("og:type") == "article"
    assert page.one("og:title") == flow_post.title
    assert page.one("og:url") == url
    assert page.one("og:site_name") == "Lil'Log"
    assert page.one("og:description") == description
    assert page.one("article:published_time") == flow_post.published_at.isoformat()
    assert page.one("article:modified_time") == flow_post.last_modified().isoformat()
    assert page.one("article:author") == "Lilian Weng"
    assert sorted(page.meta["article:tag"]) == ["Generative Model", "Math"]
    flow_post.refresh_from_db()
    card = f"{SITE}/media/{flow_post.card}"
    assert page.one("og:image") == card
    assert (page.one("og:image:width"), page.one("og:image:height")) == ("1200", "630")
    assert page.one("twitter:card") == "summary_large_image"
    assert page.one("twitter:image") == card
    assert page.one("twitter:title") == flow_post.title

    posting = page.ld("BlogPosting")
    assert posting["headline"] == flow_post.title
    assert posting["url"] == url
    assert posting["datePublished"] == flow_post.published_at.isoformat()
    assert posting["dateModified"] == flow_post.last_modified().isoformat()
    assert posting["author"] == {"@type": "Person", "name": "Lilian Weng"}
    assert set(posting["keywords"].split(", ")) == {"Generative Model", "Math"}
    assert posting["wordCount"] == flow_post.word_count > 0
    assert posting["image"] == {"@type": "ImageObject", "url": card, "width": 1200, "height": 630}
    crumbs = page.ld("BreadcrumbList")["itemListElement"]
    assert [c["item"] for c in crumbs] == [f"{SITE}/", url]

    markdown = [link for link in page.links if link.get("type") == "text/markdown"]
    assert markdown[0]["href"] == url + "index.md"


def test_json_ld_cannot_close_its_script_element(client, flow_post):
    html = client.get(flow_post.get_absolute_url()).content.decode()
    scripts = html.split('<script type="application/ld+json">')[1:]
    for block in scripts:
        body = block.split("</script>")[0]
        assert "<" not in body and ">" not in body
        json.loads(body)


def test_home_page_has_website_with_search_action(client, flow_post):
    page = head(client, "/")
    assert page.title == "Lil'Log"
    assert page.canonical() == f"{SITE}/"
    assert page.one("og:type") == "website"
    website = page.ld("WebSite")
    assert website["url"] == f"{SITE}/"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{SITE}/search/?q={{query}}"
    assert action["query-input"] == "required name=query"


def test_feed_autodiscovery_on_every_page(client, flow_post):
    for url in ("/", flow_post.get_absolute_url(), "/archives/", "/search/?q=flow"):
        feeds = {
            link["href"]: link["type"]
            for link in head(client, url).links
            if link.get("rel") == "alternate" and link["type"].endswith("+xml")
        }
        assert feeds[f"{SITE}/index.xml"] == "application/rss+xml"
        assert feeds[f"{SITE}/feeds/atom/"] == "application/atom+xml"
    tag_feeds = {link["href"] for link in head(client, "/tags/math/").links}
    assert {f"{SITE}/tags/math/index.xml", f"{SITE}/tags/math/atom.xml"} <= tag_feeds


def test_every_page_type_has_a_unique_title_and_a_canonical_url(client, flow_post, make_post):
    for _ in range(settings.POSTS_PER_PAGE):
        make_post(tags=["Math"])  # a second page of the home page and of the tag
    series = Series.objects.create(title="Flows", slug="flows")
    Post.objects.filter(pk=flow_post.pk).update(series=series, series_part=1)
    tag = Tag.objects.get(slug="math")
    tag.description = "Posts with *formulas*."
    tag.save()
    urls = [
        "/",
        "/page/2/",
        flow_post.get_absolute_url(),
        "/tags/",
        "/tags/math/",
        "/tags/math/page/2/",
        "/archives/",
        "/series/flows/",
        "/search/",
        "/search/?q=flow",
    ]
    titles = {}
    for url in urls:
        page = head(client, url)
        assert page.canonical().startswith(SITE + "/"), url
        assert page.one("og:url") == page.canonical()
        assert 0 < len(page.one("description")) <= DESCRIPTION_LENGTH
        titles[url] = page.title
    assert len(set(titles.values())) == len(urls), titles
    assert head(client, "/page/2/").canonical() == f"{SITE}/page/2/"
    assert head(client, "/tags/math/").one("description") == "Posts with formulas."


def test_descriptions_stop_at_a_word_boundary(client, make_post):
    post = make_post(summary="Attention " * 40)
    description = head(client, post.get_absolute_url()).one("description")
    assert len(description) <= DESCRIPTION_LENGTH
    assert description.endswith("Attention…")


def test_noindex_outside_production_only(client, flow_post, settings):
    page = head(client, flow_post.get_absolute_url())
    assert page.one("robots") == "noindex"
    settings.PRODUCTION = True
    assert "robots" not in head(client, flow_post.get_absolute_url()).meta
    assert "robots" not in head(client, "/").meta
    assert head(client, "/search/?q=flow").one("robots") == "noindex"


def test_a_draft_seen_by_staff_is_noindex(writer_client, make_post, settings):
    settings.PRODUCTION = True
    draft = make_post(status=Post.Status.DRAFT)
    assert head(writer_client, draft.get_absolute_url()).one("robots") == "noindex"


def test_not_found_page_has_its_own_title_and_noindex(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = Head(response.content.decode())
    assert page.title == "Page not found · Lil'Log"
    assert page.one("robots") == "noindex"

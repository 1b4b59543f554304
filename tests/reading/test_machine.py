import re
from datetime import timedelta

import pytest
import yaml
from django.db import connection
from django.utils import timezone

from posts.models import Post
from posts.search.query import MAX_QUERY_LENGTH

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


# Search page


def test_empty_query_shows_the_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and 'name="q"' in html
    assert "result" not in html.split("<main", 1)[1]


def test_results_are_ranked_highlighted_and_escaped(client, make_post):
    make_post(title="Body mention", body="We use <b>optimization</b> tricks & more.")
    make_post(title="Optimization in the title", body="Nothing else.")
    html = client.get("/search/", {"q": "optimizing"}).content.decode()
    assert "2 results" in html
    assert html.index("Optimization in the title") < html.index("Body mention")
    assert "<mark>optimization</mark>" in html
    assert "&amp; more" in html


def test_search_box_is_in_every_page_header(client, make_post):
    post = make_post()
    for url in ("/", post.get_absolute_url(), "/archives/", "/tags/"):
        header = client.get(url).content.decode().split("</header>")[0]
        assert 'action="/search/"' in header


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!!! ???", "Type a word or a phrase to search for."),
        ("OR OR -", "Type a word or a phrase to search for."),
        ("-gan", "cannot only exclude"),
        ("x" * (MAX_QUERY_LENGTH + 1), "too long"),
    ],
)
def test_unusable_queries_get_a_clear_message(client, make_post, text, message):
    make_post()
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "text",
    ['"', 'attention "is all', "NEAR(a b)", "'; DROP TABLE posts_post; --", "a* ^b c:d (e)"],
)
def test_hostile_queries_never_fail(client, make_post, text):
    make_post(title="Attention is all you need")
    assert client.get("/search/", {"q": text}).status_code == 200
    assert Post.objects.count() == 1


def test_results_are_paginated_with_the_query_kept(client, make_post, settings):
    settings.POSTS_PER_PAGE = 10
    for n in range(12):
        make_post(title=f"Diffusion {n}")
    first = client.get("/search/", {"q": "diffusion"}).content.decode()
    assert first.count('class="search-result"') == 10
    assert 'href="/search/?q=diffusion&amp;page=2"' in first
    second = client.get("/search/", {"q": "diffusion", "page": 2}).content.decode()
    assert second.count('class="search-result"') == 2
    assert client.get("/search/", {"q": "diffusion", "page": 9}).status_code == 404


@pytest.mark.parametrize("count", [5, 60])
def test_search_queries_do_not_grow_with_posts(
    client, make_post, django_assert_num_queries, count, settings
):
    for n in range(count):
        make_post(title=f"Transformer {n}", tags=["NLP", f"t{n}"])
    # SQLite: count, page (with author). PostgreSQL: every match's id in rank order, from the
    # search rows alone (the count and the page's ids), then the page (with author). A result
    # shows no tags: none are read.
    with django_assert_num_queries(2) as context:
        response = client.get("/search/", {"q": "transformer"})
    assert response.status_code == 200
    shown = response.content.decode().count('class="search-result"')
    assert shown == min(count, settings.POSTS_PER_PAGE)
    if connection.vendor == "postgresql":
        assert "posts_post" not in context.captured_queries[0]["sql"]


# robots.txt


def test_robots_outside_production_disallows_everything(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().split("\n")
    assert "User-agent: *" in lines and "Disallow: /" in lines


def test_robots_in_production_points_at_the_sitemap(client, settings):
    settings.PRODUCTION = True
    lines = client.get("/robots.txt").content.decode().split("\n")
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


# llms.txt


def test_llms_txt_lists_published_posts_with_url_and_summary(client, make_post):
    post = make_post(
        title="Flows", summary="Normalizing *flows* with $\\alpha$ & more[^1].\n\n[^1]: x"
    )
    make_post(title="A draft", status=Post.Status.DRAFT)
    response = client.get("/llms.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Lil'Log\n")
    url = SITE + post.get_absolute_url()
    assert f"- [Flows]({url}): Normalizing flows with \u03b1 & more." in text
    assert "A draft" not in text
    assert "<" not in text and "&amp;" not in text


# Markdown source


def test_markdown_view_serves_front_matter_and_source(client, make_post):
    post = make_post(
        title='Attention: "all" you need',
        summary="Short.",
        body="# Heading\n\nText with $x^2$ and [@vaswani2017].\n",
        tags=["NLP", "attention-mechanism"],
    )
    response = client.get(post.get_absolute_url() + "index.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    match = re.fullmatch(r"---\n(.*?)---\n\n(.*)", text, re.S)
    front = yaml.safe_load(match.group(1))
    assert front == {
        "title": 'Attention: "all" you need',
        "date": post.published_at.isoformat(),
        "tags": ["attention-mechanism", "NLP"],
        "url": SITE + post.get_absolute_url(),
        "summary": "Short.",
    }
    assert match.group(2) == post.body


def test_markdown_view_with_a_wrong_date_redirects(client, make_post):
    post = make_post(slug="flows")
    response = client.get("/posts/2001-01-01-flows/index.md")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url() + "index.md"


def test_markdown_of_drafts_and_future_posts_is_404(client, make_post, writer):
    draft = make_post(status=Post.Status.DRAFT)
    future = make_post(published_at=timezone.now() + timedelta(days=1))
    for post in (draft, future):
        assert client.get(post.get_absolute_url() + "index.md").status_code == 404


def test_formulas_in_llms_txt_and_the_meta_description_read_as_text(client, make_post):
    post = make_post(
        title="Scaling", summary="We fit $\\alpha + \\beta^2$ for $x \\in \\mathbb{R}^n$ exactly."
    )
    readable = "We fit \u03b1 + \u03b2\u00b2 for x \u2208 \u211d\u207f exactly."
    assert readable in client.get("/llms.txt").content.decode()
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'<meta name="description" content="{readable}">' in page

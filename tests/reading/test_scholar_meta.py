"""Highwire Press citation_* tags on post pages, and the cost of a page with many references."""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from posts.models import Post, Reference, UpdateNote

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2019, 9, 5, 12, tzinfo=UTC)


class MetaTags(HTMLParser):
    """Collects <meta name=... content=...> inside <head>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "meta" and self.in_head and "name" in attrs:
            self.tags.append((attrs["name"], attrs.get("content", "")))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def citation_tags(html):
    parser = MetaTags()
    parser.feed(html)
    return {name: content for name, content in parser.tags if name.startswith("citation_")}


def test_post_pages_carry_highwire_tags(client, make_post, settings):
    settings.SITE_URL = "https://blog.example.org"
    settings.SITE_NAME = "Lil'Log"
    post = make_post(title='Evolution "Strategies" & <ES>', slug="es", published_at=PUBLISHED)
    html = client.get(post.get_absolute_url()).content.decode()
    url = "https://blog.example.org/posts/2019-09-05-es/"
    assert citation_tags(html) == {
        "citation_title": 'Evolution "Strategies" & <ES>',
        "citation_author": "Weng, Lilian",
        "citation_publication_date": "2019/09/05",
        "citation_online_date": "2019/09/05",
        "citation_journal_title": "Lil'Log",
        "citation_public_url": url,
        "citation_fulltext_html_url": url,
    }


def test_highwire_tags_only_on_post_pages(client, make_post):
    make_post()
    assert citation_tags(client.get("/").content.decode()) == {}


def bibliography(n):
    for i in range(n):
        Reference.objects.create(
            key=f"ref{i}",
            authors=f"Author{i}, Ann; Other, Bob",
            title=f"Paper number {i}",
            venue="NeurIPS",
            year=2000 + i,
            arxiv_id=f"2001.{i:05d}",
        )


def body_with(references, figures):
    figure_part = "\n\n".join(
        f'![Figure {i}](/static/demo/es-loop.svg "Caption {i}. (Image source: [x](https://x.org))")'
        f"{{#fig:f{i}}}\n\nAs @fig:f{i} shows, something."
        for i in range(figures)
    )
    citation_part = " ".join(f"Claim {i} [@ref{i}]." for i in range(references))
    return f"## Intro\n\n{citation_part}\n\n## Figures\n\n{figure_part}\n"


@pytest.mark.parametrize(("references", "figures"), [(3, 1), (30, 10)])
def test_a_post_page_costs_the_same_queries_however_many_references(
    client, make_post, django_assert_num_queries, references, figures
):
    bibliography(30)
    post = make_post(slug="big", body=body_with(references, figures), published_at=PUBLISHED)
    post.update_notes.create(date=datetime(2020, 1, 1).date(), note="Add more.")
    post.refresh_from_db()
    assert post.render_warnings == []
    assert post.references.count() == references
    assert post.body_html.count('class="backref"') == references
    assert post.body_html.count("<figure") == figures
    # An anonymous reader: the post with its stored parts (posts.page_parts); the first view
    # makes its links (the next due time, newer, older and the post's tag ids: a post without
    # tags has no related posts to look for) and stores them. The references and figures are in
    # the stored body_html: no query for them.
    with django_assert_num_queries(1 + 4 + 3):
        response = client.get(post.get_absolute_url())
    html = response.content.decode()
    assert html.count('<li id="c-ref-') == references
    assert f"Figure {figures}." in html
    assert citation_tags(html)["citation_title"] == post.title


def test_a_series_part_page_adds_two_queries(client, make_post, django_assert_num_queries):
    from posts.models import Series

    series = Series.objects.create(title="S", slug="s")
    post = make_post(slug="part", series=series, series_part=1, published_at=PUBLISHED)
    with django_assert_num_queries(10):  # 8 for a post without tags (above), 2 for its series box
        client.get(post.get_absolute_url())
    assert Post.objects.count() == 1
    assert UpdateNote.objects.count() == 0

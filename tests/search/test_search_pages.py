"""The search page's pagination: elided page links as on the home page, each keeping the query
(URL-encoded), page 1 without `page=`; a page that is not a number or past the end is the site's
404 page, never a 500."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from posts.views.search import SearchView, search_page_url

pytestmark = pytest.mark.django_db

QUERY = '"zebra stripes" -lion'  # a phrase and an exclusion: quotes, a space and a minus


@pytest.fixture
def results(make_post, monkeypatch):
    """25 matching posts at one a page (25 pages), and one the query excludes."""
    monkeypatch.setattr(SearchView, "paginate_by", 1)
    for n in range(25):
        make_post(title=f"Zebra {n}", body=f"Zebra stripes, seen on day {n}.")
    make_post(title="Zebra and lion", body="Zebra stripes and a lion.")


def pagination_of(client, **params):
    response = client.get("/search/", {"q": QUERY, **params})
    assert response.status_code == 200
    html = response.content.decode()
    [nav] = re.findall(r'<nav class="pagination".*?</nav>', html, re.S)
    return nav


def links_of(nav):
    """(href, text, current) of each page number link, in order."""
    return [
        (unescape(href), text, bool(current))
        for href, current, text in re.findall(
            r'<li><a href="([^"]+)"( aria-current="page")?[^>]*>([^<]+)</a></li>', nav
        )
    ]


def query_of(href):
    parts = urlsplit(href)
    assert parts.path == "/search/"
    return {key: values[-1] for key, values in parse_qs(parts.query).items()}


def test_a_middle_page_shows_elided_numbers_around_it(client, results):
    nav = pagination_of(client, page=12)
    links = links_of(nav)
    assert [text for _, text, _ in links] == ["1", "11", "12", "13", "25"]
    assert nav.count('class="pagination-gap"') == 2
    assert [text for _, text, current in links if current] == ["12"]
    assert 'aria-current="page" aria-label="Page 12, current page"' in nav


def test_every_link_keeps_the_query_and_page_one_has_no_page_parameter(client, results):
    nav = pagination_of(client, page=2)
    hrefs = [href for href, _, _ in links_of(nav)]
    hrefs += [
        unescape(h)
        for h in re.findall(r'class="pagination-(?:newer|older)"[^>]*href="([^"]+)"', nav)
    ]
    hrefs += [unescape(h) for h in re.findall(r'rel="(?:prev|next)" href="([^"]+)"', nav)]
    assert hrefs
    for href in hrefs:
        assert query_of(href)["q"] == QUERY, href
    first = [href for href, text, _ in links_of(nav) if text == "1"]
    assert first == ["/search/?q=%22zebra+stripes%22+-lion"]
    assert re.search(r'rel="prev" href="/search/\?q=%22zebra\+stripes%22\+-lion"', nav)
    assert re.search(r'rel="next" href="/search/\?q=%22zebra\+stripes%22\+-lion&amp;page=3"', nav)


def test_the_links_lead_to_the_pages_they_name(client, results):
    """Following a page link gives that page, marked current, with one result of its own."""
    seen = set()
    for href, text, _ in links_of(pagination_of(client, page=12)):
        response = client.get(href)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'aria-current="page" aria-label="Page {text}, current page"' in html
        [title] = re.findall(r'class="post-card-title"><a [^>]*>([^<]+)</a>', html)
        seen.add(title)
    assert len(seen) == 5 and "Zebra and lion" not in seen


def test_a_few_pages_are_all_shown_without_gaps(client, make_post, monkeypatch):
    monkeypatch.setattr(SearchView, "paginate_by", 1)
    for n in range(3):
        make_post(title=f"Okapi {n}")
    nav = pagination_of(client, q="okapi", page=3)
    assert [text for _, text, _ in links_of(nav)] == ["1", "2", "3"]
    assert "pagination-gap" not in nav and "pagination-older" not in nav


def test_one_page_of_results_has_no_pagination(client, make_post):
    make_post(title="Okapi")
    html = client.get("/search/", {"q": "okapi"}).content.decode()
    assert 'class="search-result"' in html and 'class="pagination"' not in html


@pytest.mark.parametrize(
    "page", ["26", "0", "-1", "abc", "1.5", "2e1", "9" * 40, "1/", "%00", "\x00", "NaN", "½"]
)
def test_a_page_past_the_end_or_not_a_number_is_the_sites_404(client, results, page):
    response = client.get("/search/", {"q": QUERY, "page": page})
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "css/site.css" in html


@pytest.mark.parametrize("query", ["", "zzyzx", "!!! ???"])
def test_without_results_a_later_page_is_a_404(client, results, query):
    assert client.get("/search/", {"q": query, "page": "2"}).status_code == 404
    assert client.get("/search/", {"q": query}).status_code == 200


def test_later_pages_take_the_same_two_queries(client, results, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get("/search/", {"q": QUERY, "page": 12}).status_code == 200


@pytest.mark.parametrize(
    ("query", "number", "url"),
    [
        ("zebra", 1, "/search/?q=zebra"),
        ("zebra", 2, "/search/?q=zebra&page=2"),
        ("a&b=c #d", 3, "/search/?q=a%26b%3Dc+%23d&page=3"),
        ("über straße", 1, "/search/?q=%C3%BCber+stra%C3%9Fe"),
    ],
)
def test_search_page_url(query, number, url):
    assert search_page_url("/search/", query, number) == url


def test_results_step_to_previous_and_next_not_newer_and_older(client, results, make_post):
    """Results are ranked, not dated; the home page's steps still say newer and older."""
    nav = pagination_of(client, page=12)
    assert '« Previous<span class="visually-hidden"> results</span>' in nav
    assert 'Next<span class="visually-hidden"> results</span> »' in nav
    assert "Newer" not in nav and "Older" not in nav

    home = client.get("/page/2/").content.decode()
    assert '« Newer<span class="visually-hidden"> posts</span>' in home
    assert 'Older<span class="visually-hidden"> posts</span> »' in home

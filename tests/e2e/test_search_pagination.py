"""The search page's pagination in Chromium, at 1280 and 390 px: with 30 (and 1,000) pages of
results the page numbers are elided, sit in one row, and nothing scrolls sideways
(getBoundingClientRect). The home and tag pages' pagination likewise."""

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Post
from posts.search.index import rebuild_index
from posts.views.reading import PostListView
from posts.views.search import SearchView

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
PAGES = 30

# The boxes of the pagination's parts; `row` says whether the boxes overlap vertically (sit in
# one row).
GEOMETRY = """() => {
  const boxes = (selector) => [...document.querySelectorAll(selector)]
    .map((el) => el.getBoundingClientRect());
  const row = (list) => list.length > 0 &&
    Math.max(...list.map((b) => b.top)) < Math.min(...list.map((b) => b.bottom));
  const nav = document.querySelector('nav.pagination').getBoundingClientRect();
  const numbers = boxes('.pagination-pages > li');
  const ends = boxes('.pagination-newer, .pagination-older');
  const main = document.querySelector('.site-main').getBoundingClientRect();
  return {
    count: numbers.length,
    numbersInOneRow: row(numbers),
    endsInOneRow: row(ends),
    allInOneRow: row([...numbers, ...ends]),
    left: Math.min(nav.left, ...numbers.map((b) => b.left), ...ends.map((b) => b.left)),
    right: Math.max(nav.right, ...numbers.map((b) => b.right), ...ends.map((b) => b.right)),
    mainLeft: main.left,
    mainRight: main.right,
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    current: document.querySelector('.pagination-pages [aria-current="page"]').textContent,
  };
}"""


@pytest.fixture
def results(make_post, monkeypatch):
    """30 pages of results for "quagga" (one a page: the same links as 300 posts at ten)."""
    monkeypatch.setattr(SearchView, "paginate_by", 1)
    now = timezone.now()
    for n in range(PAGES):
        make_post(title=f"Quagga {n}", body="A quagga.", published_at=now - timedelta(days=n + 1))


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("number", [1, 2, 15, 29, PAGES])
def test_thirty_pages_of_results_fit_in_one_row(page, results, width, number):
    page.set_viewport_size(VIEWPORTS[width])
    page.goto(f"/search/?q=quagga&page={number}" if number > 1 else "/search/?q=quagga")
    geometry = page.evaluate(GEOMETRY)
    assert geometry["current"] == str(number)
    assert geometry["count"] <= 7, geometry  # numbers and gaps: elided, never all 30
    assert geometry["scrollWidth"] <= geometry["width"], geometry
    assert geometry["numbersInOneRow"], geometry
    assert geometry["mainLeft"] - 0.5 <= geometry["left"], geometry
    assert geometry["right"] <= geometry["mainRight"] + 0.5, geometry
    if width == "1280":  # newer, the numbers and older side by side
        assert geometry["allInOneRow"], geometry
    elif 1 < number < PAGES:  # on a phone the two buttons share the row under the numbers
        assert geometry["endsInOneRow"], geometry


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("path", ["/page/15/", "/page/2/", "/tags/zebras/page/15/"])
def test_thirty_pages_of_posts_fit_in_one_row(page, make_post, monkeypatch, width, path):
    monkeypatch.setattr(PostListView, "paginate_by", 1)  # the tag page's too: its subclass
    now = timezone.now()
    for n in range(PAGES):
        make_post(tags=["zebras"], published_at=now - timedelta(days=n + 1))
    page.set_viewport_size(VIEWPORTS[width])
    page.goto(path)
    geometry = page.evaluate(GEOMETRY)
    assert geometry["current"] == path.split("/")[-2]
    assert geometry["count"] <= 7, geometry
    assert geometry["scrollWidth"] <= geometry["width"], geometry
    assert geometry["numbersInOneRow"], geometry


def test_a_page_link_leads_to_its_page_and_keeps_the_query(page, results):
    page.set_viewport_size(VIEWPORTS["390"])
    page.goto("/search/?q=quagga&page=15")
    page.get_by_label("Page 16", exact=True).click()
    page.wait_for_url("**/search/?q=quagga&page=16")
    assert page.locator('.pagination-pages [aria-current="page"]').text_content() == "16"
    page.get_by_label("Page 1", exact=True).click()
    page.wait_for_url("**/search/?q=quagga")
    assert page.locator(".search-result").count() == 1
    assert page.locator("input[type=search]").input_value() == "quagga"


def matching_posts(author, count):
    """`count` published posts that "quagga" finds, inserted in bulk (no rendering), then
    indexed as `rebuild_search_index` does."""
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            title=f"Quagga {n}",
            slug=f"quagga-{n}",
            body="A quagga.",
            body_text="A quagga.",
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(hours=n + 1),
            author=author,
        )
        for n in range(count)
    )
    rebuild_index(Post.objects.order_by("pk").iterator())


@pytest.mark.parametrize("width", VIEWPORTS)
def test_four_digit_page_numbers_stay_inside_the_column(page, author, monkeypatch, width):
    """10,000 results at ten a page: 1,000 pages. Still at most seven items, nothing scrolls
    sideways, the numbers in one row at 390 px too ("1 … 499 500 501 … 1000": the gaps, not
    links, are narrower than the numbers), and everything in one row at 1280 px."""
    monkeypatch.setattr(SearchView, "paginate_by", 1)
    matching_posts(author, 1000)
    page.set_viewport_size(VIEWPORTS[width])
    for number in (1, 999, 1000, 500):
        page.goto(f"/search/?q=quagga&page={number}")
        geometry = page.evaluate(GEOMETRY)
        assert geometry["current"] == str(number)
        assert geometry["count"] <= 7, geometry
        assert geometry["scrollWidth"] <= geometry["width"], geometry
        assert geometry["mainLeft"] - 0.5 <= geometry["left"], geometry
        assert geometry["right"] <= geometry["mainRight"] + 0.5, geometry
        assert geometry["numbersInOneRow"], geometry
        if width == "1280":
            assert geometry["allInOneRow"], geometry

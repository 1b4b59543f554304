"""The reader pages' layout in Chromium at 1280 and 390 px, light and dark: one column for every
page type, clamped cards, a one-row phone header, the post footer, figures, print.

Geometry comes from getBoundingClientRect in the real browser (the `page` fixture of
tests/e2e/conftest.py: Debian's Chromium, CSP reports fail the test).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from posts.models import Image, Reference, Series
from tests.images import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"1280": WIDE, "390": PHONE}

LONG_SUMMARY = " ".join(["A summary sentence that keeps going to fill a card."] * 12)
QUOTED_SUMMARY = "> " + " ".join(["An imported excerpt, quoted in its source."] * 8)
SECTIONS = "\n\n".join(
    f"## Section {n}\n\n" + "A sentence to read slowly. " * 120 for n in range(1, 6)
)
POST_BODY = f"""Opening paragraph with a note[^n] and a citation [@key] cited twice [@key].

![Three boxes in a cycle](/static/demo/es-loop.svg "The loop.")

A link to [the source](https://example.org/source).

{SECTIONS}

[^n]: The note.
"""

# Where each page type puts its site name and its content column (the first thing in <main>).
GEOMETRY = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const main = document.querySelector('.site-main');
  const padding = parseFloat(getComputedStyle(main).paddingLeft);
  return {
    title: box('.site-title').x,
    column: main.getBoundingClientRect().x + padding,
    first: box('.site-main > *').x,
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
  };
}"""

# The header's visible parts, and whether they sit on one row (their boxes overlap vertically).
HEADER_ROW = """() => {
  const items = [...document.querySelectorAll(
    '.site-title, .site-nav a, .header-tools > *'
  )].filter((el) => el.getBoundingClientRect().width > 0);
  const boxes = items.map((el) => el.getBoundingClientRect());
  const top = Math.max(...boxes.map((b) => b.top));
  const bottom = Math.min(...boxes.map((b) => b.bottom));
  const header = document.querySelector('.site-header').getBoundingClientRect();
  return {count: items.length, oneRow: top < bottom, height: header.height,
          right: Math.max(...boxes.map((b) => b.right))};
}"""


@pytest.fixture
def site(make_post, media_root):
    """A post with a TOC, footnotes, a twice-cited reference and a figure; cards with long and
    quoted summaries; a tag; a series."""
    Reference.objects.create(key="key", authors="Doe, Jane", title="A paper", year=2020)
    series = Series.objects.create(title="A series", slug="a-series")
    now = timezone.now()
    post = make_post(
        title="Reading test",
        slug="reading-test",
        body=POST_BODY,
        tags=["reinforcement learning"],
        series=series,
        series_part=1,
        published_at=now - timedelta(hours=1),
    )
    cover = Image.create_from_bytes(image_bytes(320, 200), "cover.png", alt="A cover")
    make_post(
        title="A long summary",
        summary=LONG_SUMMARY,
        cover=cover,
        tags=["reinforcement learning"],
        published_at=now - timedelta(days=2),
    )
    make_post(
        title="A quoted excerpt",
        summary=QUOTED_SUMMARY,
        tags=["reinforcement learning"],
        series=series,
        series_part=2,
        published_at=now - timedelta(days=3),
    )
    return post


def page_types(post):
    year = timezone.localtime(post.published_at).year
    return {
        "home": "/",
        "post": post.get_absolute_url(),
        "tag": "/tags/reinforcement-learning/",
        "tags": "/tags/",
        "search": "/search/?q=summary",
        "archive": "/archives/",
        "archive year": f"/archives/{year}/",
        "series list": "/series/",
        "series": "/series/a-series/",
        "404": "/no-such-page/",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", VIEWPORTS)
def test_every_page_type_shares_one_column_and_a_one_row_header(page, site, width, scheme):
    page.set_viewport_size(VIEWPORTS[width])
    page.emulate_media(color_scheme=scheme)
    places = {}
    for name, url in page_types(site).items():
        page.goto(url)
        geometry = page.evaluate(GEOMETRY)
        assert geometry["scrollWidth"] <= geometry["width"], f"{name} scrolls sideways"
        assert geometry["title"] == pytest.approx(geometry["column"], abs=0.5), name
        assert geometry["first"] == pytest.approx(geometry["column"], abs=0.5), name
        places[name] = geometry["title"]
        header = page.evaluate(HEADER_ROW)
        assert header["oneRow"], f"the header of {name} wraps"
        assert header["height"] < 72, name
        assert header["right"] <= geometry["width"], name
    assert len({round(x) for x in places.values()}) == 1, places


def test_the_side_toc_sits_in_the_margin_without_moving_the_column(page, site):
    page.set_viewport_size(WIDE)
    page.goto("/")
    home_column = page.locator(".post-list").bounding_box()
    page.goto(site.get_absolute_url())
    body = page.locator(".post-body").bounding_box()
    toc = page.locator(".toc-panel").bounding_box()
    assert body["x"] == pytest.approx(home_column["x"], abs=0.5)
    assert body["width"] == pytest.approx(home_column["width"], abs=0.5)
    assert toc["x"] > body["x"] + body["width"]
    assert toc["x"] + toc["width"] <= WIDE["width"]


def test_the_toc_highlight_is_cleared_back_at_the_top(page, site):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(site.get_absolute_url())
    page.evaluate(
        "document.getElementById('c-section-3')"
        ".scrollIntoView({block: 'start', behavior: 'instant'})"
    )
    expect(page.locator("#toc a[aria-current]")).to_have_attribute("href", "#c-section-3")
    # Reading on in section 3: its heading has left the top of the viewport, no other has come.
    page.evaluate("window.scrollBy({top: 400, behavior: 'instant'})")
    expect(page.locator("#toc a[aria-current]")).to_have_attribute("href", "#c-section-3")
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    expect(page.locator("#toc a[aria-current]")).to_have_count(0)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_card_summaries_are_clamped_and_excerpts_are_not_quotes(page, site, width):
    page.set_viewport_size(VIEWPORTS[width])
    page.goto("/")
    for title in ("A long summary", "A quoted excerpt"):
        card = page.locator(".post-card", has_text=title)
        summary = card.locator(".post-card-summary")
        lines = summary.evaluate(
            "el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)"
        )
        assert lines <= 4, f"{title}: {lines:.1f} lines"
        assert summary.evaluate("el => el.scrollHeight > el.clientHeight")  # there was more
        assert summary.evaluate("el => getComputedStyle(el).webkitLineClamp") == "3"
    quote = page.locator(".post-card", has_text="A quoted excerpt").locator("blockquote")
    assert quote.evaluate("el => getComputedStyle(el).borderLeftWidth") == "0px"
    assert quote.evaluate("el => el.getBoundingClientRect().x") == pytest.approx(
        page.locator(".post-card", has_text="A quoted excerpt")
        .locator(".post-card-title")
        .evaluate("el => el.getBoundingClientRect().x"),
        abs=0.5,
    )


@pytest.mark.parametrize("width", VIEWPORTS)
def test_a_cover_is_a_small_thumbnail_beside_the_title_and_summary(page, site, width):
    page.set_viewport_size(VIEWPORTS[width])
    page.goto("/")
    card = page.locator(".post-card", has_text="A long summary")
    card_box = card.bounding_box()
    cover = card.locator(".post-card-cover").bounding_box()
    summary = card.locator(".post-card-summary").bounding_box()
    title = card.locator(".post-card-title").bounding_box()
    assert cover["x"] >= summary["x"] + summary["width"]  # beside, not above, the text
    assert cover["x"] + cover["width"] <= card_box["x"] + card_box["width"]
    assert cover["width"] <= 7 * 16 and cover["height"] <= 7 * 16
    assert cover["y"] == pytest.approx(title["y"], abs=24)
    plain = page.locator(".post-card", has_text="A quoted excerpt")
    assert plain.locator(".post-card-cover").count() == 0
    assert plain.locator(".post-card-summary").bounding_box()["width"] > summary["width"]


def test_on_phones_the_header_search_is_a_button_and_the_search_page_has_one_box(page, site):
    page.set_viewport_size(PHONE)
    page.goto("/")
    assert page.locator(".header-search").is_hidden()
    button = page.get_by_role("link", name="Search", exact=True)
    assert button.is_visible()
    box = button.bounding_box()
    assert box["width"] >= 36 and box["height"] >= 36  # a touch target
    button.click()
    page.wait_for_url("**/search/")
    assert page.locator("input[type=search]").count() == 1
    page.get_by_label("Search posts").fill("post")
    page.get_by_label("Search posts").press("Enter")
    page.wait_for_url("**/search/?q=post")
    result = page.locator(".search-result").first
    title = result.locator(".post-card-title").bounding_box()
    meta = result.locator(".post-meta").bounding_box()
    snippet = result.locator(".search-snippet").bounding_box()
    assert title["y"] < meta["y"] < snippet["y"]  # title, meta, snippet, in one block
    second = page.locator(".search-result").nth(1).bounding_box()
    assert second["y"] > snippet["y"] + snippet["height"] + 8  # a clear gap between results


def test_wide_screens_show_one_search_box_on_the_search_page(page, site):
    page.set_viewport_size(WIDE)
    page.goto("/")
    assert page.locator(".header-search").is_visible()
    page.goto("/search/?q=summary")
    assert page.locator("input[type=search]").count() == 1


def test_the_post_footer_notes_references_and_share_buttons(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site.get_absolute_url())
    notes = page.locator(".footnote h2")
    assert notes.inner_text().startswith("Notes")
    reference = page.locator("#c-ref-key")
    assert reference.locator("a.backref").count() == 1  # cited twice, one back-link
    for backref in (page.locator("a.backref"), page.locator("a.footnote-backref")):
        # Told apart from the text by a box, not by colour alone.
        assert backref.evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"
    share = page.locator(".share-links a")
    assert share.count() >= 5
    boxes = [share.nth(i).bounding_box() for i in range(share.count())]
    assert all(box["height"] >= 36 for box in boxes)
    assert all(share.nth(i).inner_text().strip() for i in range(share.count()))  # labelled
    assert (
        page.locator(".post-nav a").first.evaluate("el => getComputedStyle(el).borderTopStyle")
        == "solid"
    )  # previous/next as cards


def test_figures_zoom_on_click_and_are_plain_links_without_javascript(browser, live_server, site):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.goto(live_server.url + site.get_absolute_url())
    page.locator("figure a.figure-zoom").click()
    dialog = page.locator("dialog.figure-dialog")
    expect(dialog).to_be_visible()
    assert dialog.locator("img").get_attribute("src").endswith("/static/demo/es-loop.svg")
    assert dialog.locator("img").get_attribute("alt") == "Three boxes in a cycle"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    context.close()

    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + site.get_absolute_url())
    page.locator("figure a.figure-zoom").click()
    page.wait_for_url("**/static/demo/es-loop.svg")
    context.close()


def test_print_shows_the_post_alone_with_link_targets(page, site):
    page.set_viewport_size(WIDE)
    page.emulate_media(color_scheme="dark", media="print")
    page.goto(site.get_absolute_url())
    for chrome in (".site-header", ".site-footer", ".toc-panel", ".share-links", ".post-nav"):
        assert page.locator(chrome).evaluate("el => getComputedStyle(el).display") == "none"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    link = page.locator('.post-body a[href="https://example.org/source"]')
    after = link.evaluate("el => getComputedStyle(el, '::after').content")
    assert "https://example.org/source" in after
    assert (
        page.locator(".post-body figure").evaluate("el => getComputedStyle(el).breakInside")
        == "avoid"
    )
    assert page.locator("#c-references").is_visible()


FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 30),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
          color: style.outlineColor};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", VIEWPORTS)
def test_every_focusable_element_shows_a_focus_ring(page, site, width, scheme):
    page.set_viewport_size(VIEWPORTS[width])
    page.emulate_media(color_scheme=scheme)
    for url in ("/", site.get_absolute_url()):
        page.goto(url)
        seen = 0
        for _ in range(25):
            page.keyboard.press("Tab")
            ring = page.evaluate(FOCUS_RING)
            if ring["tag"] == "BODY":
                break
            assert ring["outline"] != "none" and ring["width"] >= 2, (url, ring)
            seen += 1
        assert seen >= 10, url

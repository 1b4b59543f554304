"""The reading scripts in real Chromium: theme without a flash, the TOC panel, copy buttons.

Debian's Chromium (the `browser` fixture of tests/e2e/conftest.py) against the live server. Each
test opens its own context (viewport, colour scheme, permissions); page errors and CSP reports fail
it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from posts.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1400, "height": 900}
NARROW = {"width": 390, "height": 800}

# Records, when <body> first appears (before anything of it can be painted), the theme on <html>.
RECORD_THEME_AT_BODY = """
new MutationObserver((changes, observer) => {
  if (document.body) {
    window.themeAtBody = document.documentElement.getAttribute("data-theme");
    window.jsClassAtBody = document.documentElement.classList.contains("js");
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""

SECTIONS = "\n\n".join(
    f"## Section {n}\n\n" + "A sentence to read slowly. " * 120 for n in range(1, 6)
)
BODY = f"""Opening paragraph.

```python
def answer():
    return 42
```

{SECTIONS}
"""


@pytest.fixture
def reading_post(make_post):
    return make_post(
        title="Reading test", body=BODY, published_at=timezone.now() - timedelta(hours=1)
    )


def open_page(browser, url, errors, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_THEME_AT_BODY)
    page.goto(url)
    return page


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_theme_follows_the_system_and_the_toggle_is_remembered_without_a_flash(
    browser, live_server, reading_post
):
    errors = []
    page = open_page(browser, live_server.url, errors, color_scheme="dark", viewport=WIDE)
    dark = background(page)
    assert page.evaluate("window.themeAtBody") is None  # no choice yet: the system decides
    assert page.evaluate("window.jsClassAtBody") is True
    toggle = page.locator("#theme-toggle")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-label") == "Switch to light theme"

    toggle.click()
    light = background(page)
    assert light != dark
    assert page.evaluate("localStorage.getItem('theme')") == "light"
    assert toggle.get_attribute("aria-label") == "Switch to dark theme"

    page.goto(live_server.url + reading_post.get_absolute_url())
    assert page.evaluate("window.themeAtBody") == "light"  # applied before the first paint
    assert background(page) == light

    toggle = page.locator("#theme-toggle")
    toggle.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.reload()
    assert page.evaluate("window.themeAtBody") == "dark"
    assert background(page) == dark
    assert errors == []


def test_wide_screens_get_a_sticky_toc_that_follows_the_reader(browser, live_server, reading_post):
    errors = []
    page = open_page(
        browser, live_server.url + reading_post.get_absolute_url(), errors, viewport=WIDE
    )
    toc = page.locator("#toc")
    assert toc.evaluate("details => details.open") is True
    panel = page.locator(".toc-panel")
    assert panel.evaluate("el => getComputedStyle(el).position") == "sticky"
    article_box = page.locator(".post-body").bounding_box()
    panel_box = panel.bounding_box()
    assert panel_box["x"] > article_box["x"] + article_box["width"]  # beside the text

    page.evaluate("document.getElementById('c-section-3').scrollIntoView({block: 'start'})")
    expect(page.locator("#toc a[aria-current=location]")).to_have_attribute("href", "#c-section-3")
    assert panel.is_visible()
    assert panel.bounding_box()["y"] < 100  # still in view after scrolling far down

    page.evaluate("document.getElementById('c-section-5').scrollIntoView({block: 'start'})")
    expect(page.locator("#toc a[aria-current]")).to_have_attribute("href", "#c-section-5")
    assert page.locator("#toc a[aria-current]").count() == 1
    assert errors == []


def test_narrow_screens_keep_the_collapsible_toc(browser, live_server, reading_post):
    errors = []
    page = open_page(
        browser, live_server.url + reading_post.get_absolute_url(), errors, viewport=NARROW
    )
    toc = page.locator("#toc")
    assert toc.evaluate("details => details.open") is False
    assert page.locator(".toc-panel").evaluate("el => getComputedStyle(el).position") == "static"
    page.locator("#toc summary").click()
    assert page.locator('#toc a[href="#c-section-2"]').is_visible()
    assert errors == []


def test_code_blocks_get_a_copy_button(browser, live_server, reading_post):
    errors = []
    page = open_page(
        browser,
        live_server.url + reading_post.get_absolute_url(),
        errors,
        viewport=WIDE,
        permissions=["clipboard-read", "clipboard-write"],
    )
    page.clock.install()  # the label's reset timer runs when the test says, not in real time
    button = page.locator(".code-block .copy-button")
    assert button.count() == 1
    assert button.get_attribute("aria-label") == "Copy code block 1"
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == "def answer():\n    return 42"
    assert page.locator("[role=status]").last.inner_text() == "Copied"
    page.clock.run_for(1000)
    expect(button).to_have_text("Copied")
    page.clock.run_for(1500)
    expect(button).to_have_text("Copy")
    assert errors == []


def test_heading_anchors_show_on_focus(browser, live_server, reading_post):
    errors = []
    page = open_page(
        browser, live_server.url + reading_post.get_absolute_url(), errors, viewport=WIDE
    )
    anchor = page.locator('#c-section-2 a.anchor[href="#c-section-2"]')
    assert anchor.evaluate("a => getComputedStyle(a).opacity") == "0"
    anchor.focus()
    expect(anchor).to_have_css("opacity", "1")
    assert errors == []


def test_without_javascript_the_toc_is_a_plain_details_element(browser, live_server, reading_post):
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(live_server.url + reading_post.get_absolute_url())
    assert page.locator("#toc").evaluate("details => details.open") is False
    assert page.locator(".toc-panel").evaluate("el => getComputedStyle(el).position") == "static"
    assert page.locator(".copy-button").count() == 0
    assert page.locator("#theme-toggle").is_hidden()
    assert Post.objects.published().count() == 1


def test_writer_ids_never_take_the_pages_own_and_old_fragments_still_arrive(
    browser, live_server, make_post
):
    # A heading "Main" and raw ids that copy the page's: the skip link and the theme toggle must
    # still reach the page's own elements.
    body = '<div id="theme-toggle">fake</div>\n\n## Main\n\n' + SECTIONS
    post = make_post(title="Ids", body=body, published_at=timezone.now() - timedelta(hours=1))
    errors = []
    url = live_server.url + post.get_absolute_url()
    page = open_page(browser, url, errors, viewport=NARROW)
    assert page.locator("#main").evaluate("el => el.tagName") == "MAIN"
    assert page.locator("#theme-toggle").evaluate("el => el.tagName") == "BUTTON"
    assert page.locator("#c-main").evaluate("el => el.tagName") == "H2"
    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    # A link written before ids were prefixed (`#section-4`) still scrolls to that section.
    old = open_page(browser, url + "#section-4", errors, viewport=NARROW)
    expect(old).to_have_url(url + "#c-section-4")
    heading = old.locator("#c-section-4")
    expect(heading).to_be_in_viewport()  # the page scrolls smoothly: wait for it to arrive
    assert old.locator("#c-section-1").bounding_box()["y"] < 0  # scrolled past the earlier ones
    assert errors == []

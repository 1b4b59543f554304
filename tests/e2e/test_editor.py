"""The writing desk in Chromium at 1440 x 900: width, side-by-side scrolling, focus modes, keys,
completion, images pasted, dropped or picked, warnings that jump to their line."""

import base64
import re

import pytest

from posts.models import Image, Post, Reference
from tests.images import HOSTILE_SVG, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_BODY = "\n\n".join(
    f"## Section {n}\n\nParagraph {n} opens here. " + "Some words about attention. " * 25
    for n in range(1, 31)
)


@pytest.fixture
def desk(logged_in, media_root):
    logged_in.set_viewport_size({"width": 1440, "height": 900})
    return logged_in


def open_post(page, post):
    page.goto(f"/admin/posts/post/{post.pk}/change/")
    page.locator(".editor[data-ready=true]").wait_for()
    page.locator(".live-preview[data-state=ready]").wait_for()


@pytest.fixture
def draft(author):
    return Post.objects.create(
        title="Notes on attention", slug="notes", author=author, body=LONG_BODY, status="draft"
    )


def box(page, selector):
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect(); "
        "return {left: r.left, top: r.top, width: r.width, height: r.height}; }"
    )


def test_source_and_preview_side_by_side_at_the_pages_width(desk, draft):
    open_post(desk, draft)
    desk.locator("#id_body").scroll_into_view_if_needed()
    desk.screenshot(path="/tmp/editor-split.png")
    source = box(desk, "#id_body")
    preview = box(desk, ".live-preview-frame")
    assert source["width"] >= 600
    assert preview["width"] >= 600
    assert preview["left"] >= source["left"] + source["width"]  # beside, not below
    assert abs(preview["top"] - source["top"]) < 40
    assert source["height"] >= 600  # most of the window's height at 900 px
    # The admin's navigation sidebar gives its room to the text.
    assert desk.locator("#nav-sidebar").count() == 0


def heading_top_in_preview(page, text):
    frame = page.frame_locator(".live-preview-frame")
    return frame.locator("h2", has_text=re.compile(rf"^{text}\b")).evaluate(
        "e => e.getBoundingClientRect().top"
    )


# The y of a text offset inside the textarea (wrapped lines included), from a hidden copy.
OFFSET_Y = """(e, needle) => {
  const at = e.value.indexOf(needle);
  const m = document.createElement("div");
  const s = getComputedStyle(e);
  for (const k of ["fontFamily", "fontSize", "lineHeight", "paddingTop", "paddingLeft",
                   "paddingRight", "boxSizing", "letterSpacing"]) m.style[k] = s[k];
  m.style.position = "absolute";
  m.style.whiteSpace = "pre-wrap";
  m.style.overflowWrap = "break-word";
  m.style.width = e.clientWidth + "px";
  m.textContent = e.value.slice(0, at);
  const mark = document.createElement("span");
  mark.textContent = "x";
  m.append(mark);
  document.body.append(m);
  const y = mark.offsetTop;
  m.remove();
  return y;
}"""

TOP_IN_PREVIEW = """([selector, start]) => {
  const d = document.querySelector(".live-preview-frame").contentDocument;
  const found = [...d.querySelectorAll(selector)].find(e => e.textContent.startsWith(start));
  return found.getBoundingClientRect().top;
}"""


def test_the_preview_follows_the_source_as_it_scrolls_and_as_the_caret_moves(desk, draft):
    open_post(desk, draft)
    body = desk.locator("#id_body")
    assert desk.evaluate(TOP_IN_PREVIEW, ["h2", "Section 20"]) > 2000  # far below at first

    # Scroll the source until "## Section 20" is at its top: the preview's heading follows.
    y = body.evaluate(OFFSET_Y, "## Section 20")
    assert y > 2000
    body.evaluate("(e, y) => { e.scrollTop = y; }", y)
    desk.wait_for_function(f"() => Math.abs(({TOP_IN_PREVIEW})(['h2', 'Section 20'])) < 30")
    desk.screenshot(path="/tmp/editor-synced.png")

    # The caret goes to a paragraph lower in the source's window: the preview moves that
    # paragraph to the same height as the caret.
    body.evaluate(
        "e => { const at = e.value.indexOf('Paragraph 21 opens'); e.focus();"
        " e.setSelectionRange(at, at); }"
    )
    body.press("ArrowRight")
    caret_on_screen = body.evaluate(OFFSET_Y, "Paragraph 21 opens") - body.evaluate(
        "e => e.scrollTop"
    )
    assert 100 < caret_on_screen < body.evaluate("e => e.clientHeight")
    desk.wait_for_function(
        f"""() => Math.abs(({TOP_IN_PREVIEW})(['p', 'Paragraph 21'])
                           - {caret_on_screen}) < 30"""
    )


def test_focus_modes_and_the_narrow_screen_tabs(desk, draft):
    open_post(desk, draft)
    desk.get_by_role("button", name="Preview", exact=True).click()
    assert not desk.locator("#id_body").is_visible()
    assert box(desk, ".live-preview-frame")["width"] > 900
    desk.get_by_role("button", name="Source", exact=True).click()
    assert not desk.locator(".live-preview-frame").is_visible()
    assert box(desk, "#id_body")["width"] > 1200
    desk.get_by_role("button", name="Split", exact=True).click()
    assert desk.locator(".live-preview-frame").is_visible()

    desk.set_viewport_size({"width": 800, "height": 900})
    assert not desk.get_by_role("button", name="Split", exact=True).is_visible()
    assert desk.locator("#id_body").is_visible()
    assert not desk.locator(".live-preview-frame").is_visible()
    desk.get_by_role("button", name="Preview", exact=True).click()
    assert desk.locator(".live-preview-frame").is_visible()
    assert not desk.locator("#id_body").is_visible()
    desk.screenshot(path="/tmp/editor-narrow.png")


def test_the_preview_has_the_sites_stylesheet_and_theme(desk, draft):
    desk.evaluate("localStorage.setItem('theme', 'dark')")
    open_post(desk, draft)
    frame = desk.frame_locator(".live-preview-frame")
    assert frame.locator("html").get_attribute("data-theme") == "dark"
    background = frame.locator("body").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(27, 28, 30)"  # site.css's dark --bg


def test_ctrl_s_saves_and_stays_on_the_post(desk, draft):
    open_post(desk, draft)
    body = desk.locator("#id_body")
    body.fill("A new first line.\n\n" + LONG_BODY)
    url = desk.url
    body.press("Control+s")
    desk.locator(".messagelist .success").wait_for()
    assert desk.url == url
    draft.refresh_from_db()
    assert draft.body.startswith("A new first line.")


def test_keys_for_bold_italic_link_and_tab_in_code(desk, draft):
    draft.body = "Make this strong.\n\n```python\ndef f():\nreturn 1\n```\n"
    draft.save()
    open_post(desk, draft)
    body = desk.locator("#id_body")

    def select(start, end):
        body.evaluate(f"e => {{ e.focus(); e.setSelectionRange({start}, {end}); }}")

    select(10, 16)  # "strong"
    body.press("Control+b")
    assert body.input_value().startswith("Make this **strong**.")
    select(5, 9)  # "this"
    body.press("Control+i")
    assert body.input_value().startswith("Make _this_ **strong**.")
    select(0, 4)  # "Make"
    body.press("Control+k")
    value = body.input_value()
    assert value.startswith("[Make](https://) _this_")
    selected = body.evaluate("e => e.value.slice(e.selectionStart, e.selectionEnd)")
    assert selected == "https://"  # ready to type the address

    at = value.index("return 1")
    select(at, at)
    body.press("Tab")
    assert "def f():\n    return 1" in body.input_value()
    body.press("Shift+Tab")
    assert "def f():\nreturn 1" in body.input_value()
    # Outside code, Tab leaves the text alone and moves on.
    select(0, 0)
    body.press("Tab")
    assert body.evaluate("e => document.activeElement !== e")
    assert body.input_value().startswith("[Make]")


def test_citation_keys_and_figure_labels_are_offered_as_you_type(desk, draft):
    Reference.objects.create(key="vaswani2017attention", authors="Vaswani, A.", title="Attention")
    Reference.objects.create(key="bahdanau2015neural", authors="Bahdanau, D.", title="NMT")
    draft.body = '![Arch](/media/a.png "The model.")\n{#fig:arch}\n\nSee '
    draft.save()
    open_post(desk, draft)
    body = desk.locator("#id_body")
    body.evaluate("e => { e.focus(); e.setSelectionRange(e.value.length, e.value.length); }")
    body.press_sequentially("[@va", delay=30)
    options = desk.get_by_role("listbox", name="Suggestions").get_by_role("option")
    options.first.wait_for()
    assert options.count() == 1
    assert "vaswani2017attention" in options.first.inner_text()
    desk.screenshot(path="/tmp/editor-completion.png")
    body.press("Enter")
    assert body.input_value().endswith("See [@vaswani2017attention]")

    body.press_sequentially(" and @fig:", delay=30)
    options.first.wait_for()
    assert options.first.inner_text().startswith("arch")
    body.press("Tab")
    assert body.input_value().endswith("[@vaswani2017attention] and @fig:arch")
    assert desk.locator(".editor-completion").is_hidden()
    preview = desk.frame_locator(".live-preview-frame")
    preview.get_by_role("link", name="Figure 1").wait_for()


def test_a_warning_jumps_to_its_line(desk, draft):
    draft.body = "First.\n\nSecond.\n\nThird cites [@missing2020]."
    draft.save()
    open_post(desk, draft)
    jump = desk.locator(".warning-jump")
    jump.wait_for()
    assert jump.inner_text().startswith("Line 5:")
    jump.click()
    body = desk.locator("#id_body")
    assert body.evaluate("e => e.value.slice(e.selectionStart, e.selectionEnd)") == "@missing2020"
    assert body.evaluate("e => document.activeElement === e")


PNG = base64.b64encode(image_bytes(640, 320)).decode()


def send_file(page, event):
    """A paste or drop event carrying a PNG file, as the browser makes them."""
    page.locator("#id_body").evaluate(
        """(e, [event, data]) => {
          const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], "plot.png", {type: "image/png"}));
          const init = {bubbles: true, cancelable: true};
          e.dispatchEvent(event === "paste"
            ? new ClipboardEvent("paste", {...init, clipboardData: transfer})
            : new DragEvent("drop", {...init, dataTransfer: transfer}));
        }""",
        [event, PNG],
    )


@pytest.mark.parametrize("event", ["paste", "drop"])
def test_an_image_pasted_or_dropped_is_uploaded_and_its_markdown_inserted(desk, draft, event):
    draft.body = "Before.\n\nAfter."
    draft.save()
    open_post(desk, draft)
    body = desk.locator("#id_body")
    body.evaluate("e => { e.focus(); e.setSelectionRange(8, 8); }")  # after "Before.\n"
    send_file(desk, event)
    dialog = desk.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_label("Alt text").fill("A loss curve")
    dialog.get_by_label("Caption").fill("Training loss.")
    desk.screenshot(path=f"/tmp/editor-{event}-dialog.png")
    dialog.get_by_role("button", name="Upload and insert").click()
    desk.locator(".editor[data-upload=done]").wait_for()
    image = Image.objects.get()
    assert image.alt == "A loss curve"
    assert (image.width, image.height) == (640, 320)
    assert body.input_value() == f"Before.\n\n{image.markdown()}\n\nAfter."
    assert image.markdown() == f'![A loss curve]({image.url} "Training loss.")'
    preview = desk.frame_locator(".live-preview-frame")
    figure_image = preview.locator("figure img")
    figure_image.wait_for()
    assert figure_image.evaluate("e => e.complete && e.naturalWidth") > 0  # it loads


def test_a_dropped_svg_is_stored_clean_and_shown_in_its_figure(desk, draft):
    draft.body = "Before."
    draft.save()
    open_post(desk, draft)
    desk.locator("#id_body").evaluate(
        """(e, svg) => {
          e.focus(); e.setSelectionRange(e.value.length, e.value.length);
          const transfer = new DataTransfer();
          transfer.items.add(new File([svg], "model.svg", {type: "image/svg+xml"}));
          e.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true,
                                                 dataTransfer: transfer}));
        }""",
        HOSTILE_SVG.decode(),
    )
    dialog = desk.get_by_role("dialog")
    dialog.get_by_label("Alt text").fill("The model")
    dialog.get_by_label("Caption").fill("The architecture.")
    dialog.get_by_role("button", name="Upload and insert").click()
    desk.locator(".editor[data-upload=done]").wait_for()
    image = Image.objects.get()
    stored = image.file.read()
    assert image.file.name.endswith(".svg")
    assert b"<script" not in stored and b"onload" not in stored and b"foreignObject" not in stored
    figure = desk.frame_locator(".live-preview-frame").locator("figure img")
    figure.wait_for()
    desk.wait_for_function(
        """() => {
          const d = document.querySelector(".live-preview-frame").contentDocument;
          const img = d.querySelector("figure img");
          return img && img.complete && img.naturalWidth > 0;
        }"""
    )
    assert figure.get_attribute("src") == image.url
    assert figure.evaluate("e => e.getBoundingClientRect().width") > 150


def test_the_upload_button_refuses_what_the_library_refuses(desk, draft, tmp_path):
    open_post(desk, draft)
    fake = tmp_path / "notes.png"
    fake.write_bytes(b"this is not an image at all")
    desk.locator(".editor-image-picker").set_input_files(str(fake))
    dialog = desk.get_by_role("dialog")
    dialog.get_by_label("Alt text").fill("Nothing")
    dialog.get_by_role("button", name="Upload and insert").click()
    desk.locator(".editor[data-upload=error]").wait_for()
    assert "not a JPEG, PNG, GIF or WebP" in desk.locator(".editor-upload-status").inner_text()
    assert not Image.objects.exists()
    assert desk.locator("#id_body").input_value() == LONG_BODY


def test_without_javascript_the_body_is_the_plain_form(browser, live_server, writer, draft):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/admin/")
    page.get_by_label("Username").fill(writer.username)
    page.get_by_label("Password").fill(writer.raw_password)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/posts/post/{draft.pk}/change/")
    assert page.locator("textarea#id_body").is_visible()
    assert page.locator(".editor").count() == 0
    page.get_by_label("Body").fill("Saved without scripts.")
    page.get_by_role("button", name="Save and continue editing").click()
    draft.refresh_from_db()
    assert draft.body == "Saved without scripts."
    context.close()


def test_the_admin_is_branded_and_the_sidebar_is_the_writers(desk, draft):
    desk.goto("/admin/posts/post/")
    desk.screenshot(path="/tmp/editor-admin-list.png")
    assert desk.locator("#site-name").inner_text() == "Lil'Log · admin"
    sidebar = desk.locator("#nav-sidebar")
    assert sidebar.get_by_role("link", name="Posts").first.is_visible()
    assert sidebar.get_by_text("Access attempts").count() == 0
    assert desk.locator("td.field-state").first.inner_text() == "Draft"

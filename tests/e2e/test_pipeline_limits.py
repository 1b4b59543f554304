"""The pipeline's limits as a writer and a reader meet them in Chromium (issue 11, items 4 and 6):
a body too slow to render is refused with a form error and the text stays in the form; a
construct an extension fails on is a visible marked box, and the rest of the post reads normally.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.markup import render
from posts.markup.extensions.citations import CitationInlineProcessor
from posts.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_body_too_slow_to_render_is_refused_and_the_text_stays(logged_in, monkeypatch):
    page = logged_in
    monkeypatch.setattr(render, "RENDER_SECONDS", 0.0)  # any text is now over the limit
    page.goto("/admin/posts/post/add/")
    page.get_by_label("Title").fill("Brackets")
    body = "[" * 3000 + "\n\nThe paragraph I spent an hour on."
    page.get_by_label("Body").fill(body)
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_load_state()
    error = page.locator(".errorlist", has_text="This text takes too long to render").first
    assert error.is_visible()
    assert "3000 more “[” than “]”" in error.inner_text()
    field = page.get_by_label("Body")
    assert field.input_value() == body
    # The message sits with the body field.
    error_box, field_box = error.bounding_box(), field.bounding_box()
    assert abs(error_box["y"] - field_box["y"]) < 200
    assert not Post.objects.exists()


def test_a_construct_that_fails_is_a_visible_box_and_the_post_reads_normally(
    page, make_post, monkeypatch
):
    def broken(self, m, data):
        raise ValueError("boom")

    monkeypatch.setattr(CitationInlineProcessor, "handleMatch", broken)
    post = make_post(
        title="Marked",
        body="## Setting\n\nA claim [@missing2020] and *emphasis* after it.\n\nNext paragraph.",
        published_at=timezone.now() - timedelta(hours=1),
    )
    assert any("[@missing2020]" in warning for warning in post.render_warnings)
    page.goto(post.get_absolute_url())
    marker = page.locator(".post-body .markup-error")
    assert marker.inner_text() == "[@missing2020]"
    assert marker.is_visible()
    assert marker.evaluate("el => getComputedStyle(el).borderTopStyle") == "dashed"
    box = marker.bounding_box()
    assert box["width"] > 0 and box["height"] > 0
    # Only that construct: the heading, the emphasis and the next paragraph are formatted.
    body = page.locator(".post-body")
    assert body.locator("h2#c-setting").is_visible()
    assert body.locator("em", has_text="emphasis").is_visible()
    assert body.locator("p", has_text="Next paragraph.").is_visible()
    assert body.locator("pre").count() == 0  # not the post as plain text

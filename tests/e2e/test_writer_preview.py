"""The writer's tools in Chromium: live preview as you type, and recovering unsaved text."""

import pytest

from posts.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_live_preview_renders_math_as_you_type(logged_in):
    page = logged_in
    page.goto("/admin/posts/post/add/")
    preview = page.frame_locator(".live-preview-frame")
    page.locator(".live-preview[data-state=ready]").wait_for()
    assert preview.locator("math").count() == 0

    page.get_by_label("Body").press_sequentially("Energy $x^2$ here, see [@nobody].", delay=20)
    formula = preview.locator(".post-body math").first
    formula.wait_for(state="visible")
    assert preview.locator(".post-body msup").count() == 1
    warnings = page.locator(".live-preview-warnings li")
    warnings.first.wait_for()
    assert "nobody" in warnings.first.inner_text()
    assert "words" in page.locator(".live-preview-status").inner_text()
    assert not Post.objects.exists()  # previewing saves nothing


def test_unsaved_text_survives_a_closed_page_and_is_offered_back(logged_in, author):
    post = Post.objects.create(
        title="Draft", slug="draft", author=author, body="Saved text.", status="draft"
    )
    url = f"/admin/posts/post/{post.pk}/change/"
    page = logged_in
    page.goto(url)
    body = page.get_by_label("Body")
    body.fill("Saved text.\n\nA paragraph I never saved.")
    context = page.context
    page.close()  # without saving; the text was kept as it was typed

    page = context.new_page()
    page.goto(url)
    offer = page.locator(".autosave-offer")
    offer.wait_for()
    assert "Restore unsaved changes from" in offer.inner_text()
    assert page.get_by_label("Body").input_value() == "Saved text."
    page.get_by_role("button", name="Restore").click()
    assert page.get_by_label("Body").input_value() == "Saved text.\n\nA paragraph I never saved."
    assert offer.count() == 0

    # Saving clears the kept copy: reopening the form offers nothing.
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1
    post.refresh_from_db()
    assert post.body == "Saved text.\r\n\r\nA paragraph I never saved."
    page.goto(url)
    page.locator(".live-preview[data-state=ready]").wait_for()
    assert page.locator(".autosave-offer").count() == 0
    page.close()

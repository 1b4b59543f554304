"""A writer logs into the admin in Chromium, publishes a post and finds it on the site."""

import pytest

from posts.models import Post, Tag

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("logged_in"),  # the writer signs in to the admin first
]


def test_writer_publishes_a_post_with_tags_and_a_formula(page):
    Tag.objects.create(name="attention")

    page.goto("/admin/posts/post/add/")
    page.get_by_label("Title").fill("Softmax Attention")
    page.get_by_label("Title").blur()
    # The slug is prefilled from the title by the admin's own script.
    assert page.get_by_label("Slug").input_value() == "softmax-attention"
    page.get_by_label("Body").fill(
        "Attention weights are\n\n$$\n\\alpha_{ij} = \\frac{\\exp(q_i^\\top k_j)}"
        "{\\sum_{l} \\exp(q_i^\\top k_l)}\n$$\n\nfor every query."
    )
    # Existing tags are suggested after each comma (static/js/admin-tags.js).
    page.get_by_label("Tags").fill("transformers, ")
    suggestions = page.locator("#id_tags-suggestions option")
    assert suggestions.first.get_attribute("value") == "transformers, attention"
    page.get_by_label("Tags").fill("transformers, attention")
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url("**/admin/posts/post/")
    assert page.get_by_text("was added successfully").is_visible()
    post = Post.objects.get(slug="softmax-attention")
    assert post.is_public
    assert sorted(post.tags.names()) == ["attention", "transformers"]

    page.goto("/")
    page.get_by_role("link", name="Softmax Attention").click()
    page.wait_for_url("**/posts/*-softmax-attention/")
    assert page.locator("h1").first.inner_text() == "Softmax Attention"
    formula = page.locator("article math").first
    formula.wait_for(state="visible")
    box = formula.bounding_box()
    assert box["width"] > 0 and box["height"] > 0
    assert page.locator("article").get_by_role("link", name="transformers").is_visible()


def test_a_pasted_control_character_is_shown_at_its_field_and_the_text_is_kept(page):
    page.goto("/admin/posts/post/add/")
    page.get_by_label("Title").fill("Soft\x0bmax")  # a line break pasted from a word processor
    page.get_by_label("Slug").fill("softmax")
    page.get_by_label("Body").fill("My precious text.")
    page.get_by_role("button", name="Save", exact=True).click()

    # The field's own error (the preview lists the same message among its warnings).
    error = page.locator("#id_title_error").get_by_text(
        "Remove the invisible control character U+000B (character 5)"
    )
    error.wait_for(state="visible")
    title = page.get_by_label("Title")
    error_box, title_box = error.bounding_box(), title.bounding_box()
    assert error_box["width"] > 0 and error_box["height"] > 0
    assert abs(error_box["y"] - title_box["y"]) < 80  # beside or just above its field
    assert page.get_by_label("Body").input_value() == "My precious text."
    assert not Post.objects.exists()

    title.fill("Softmax")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/posts/post/")
    assert Post.objects.get().title == "Softmax"


def test_a_control_character_pasted_into_the_body_is_shown_at_the_body_and_the_text_is_kept(page):
    page.goto("/admin/posts/post/add/")
    page.get_by_label("Title").fill("Softmax")  # the admin's script makes the slug of it
    typed = "# Softmax\n\nThe soft\x0bmax of a vector,\nline by line."  # pasted from a PDF
    body = page.get_by_label("Body")
    body.fill(typed)
    # The preview warns before any save; its warning selects the character in the source.
    warning = page.locator(".live-preview-warnings li").first
    warning.wait_for()
    assert warning.inner_text().startswith(
        "Line 3: Body: Remove the invisible control character U+000B (line 3, column 9)"
    )
    warning.get_by_role("button").click()
    selection = body.evaluate("b => [b.selectionStart, b.selectionEnd]")
    assert selection == [typed.index("\x0b"), typed.index("\x0b") + 1]
    page.get_by_role("button", name="Save", exact=True).click()

    error = page.locator("#id_body_error").get_by_text(
        "Remove the invisible control character U+000B (line 3, column 9)"
    )
    error.wait_for(state="visible")
    error_box, body_box = error.bounding_box(), body.bounding_box()
    assert error_box["width"] > 0 and error_box["height"] > 0
    # Just above the body's editor (its toolbar between them), not at some other field.
    assert 0 < body_box["y"] - error_box["y"] < 120
    assert body.input_value() == typed  # every character kept, the invisible one too
    assert page.get_by_label("Title").input_value() == "Softmax"
    assert not Post.objects.exists()

    body.fill(typed.replace("\x0b", ""))
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/posts/post/")
    post = Post.objects.get()
    assert post.slug == "softmax"
    assert post.body == "# Softmax\r\n\r\nThe softmax of a vector,\r\nline by line."

"""A writer logs into the admin in Chromium, publishes a post and finds it on the site."""

import pytest

from posts.models import Post, Tag

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_writer_publishes_a_post_with_tags_and_a_formula(page, writer):
    Tag.objects.create(name="attention")

    page.goto("/admin/")
    page.get_by_label("Username").fill(writer.username)
    page.get_by_label("Password").fill(writer.raw_password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

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


def test_a_pasted_control_character_is_shown_at_its_field_and_the_text_is_kept(page, writer):
    page.goto("/admin/")
    page.get_by_label("Username").fill(writer.username)
    page.get_by_label("Password").fill(writer.raw_password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto("/admin/posts/post/add/")
    page.get_by_label("Title").fill("Soft\x0bmax")  # a line break pasted from a word processor
    page.get_by_label("Slug").fill("softmax")
    page.get_by_label("Body").fill("My precious text.")
    page.get_by_role("button", name="Save", exact=True).click()

    error = page.get_by_text("Remove the invisible control character U+000B (character 5)")
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

from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Post, Tag

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_future_posts(make_post):
    public = make_post()
    make_post(status=Post.Status.DRAFT)
    make_post(published_at=timezone.now() + timedelta(hours=1))
    assert list(Post.objects.published()) == [public]


def test_publishing_without_a_date_means_now(make_post):
    before = timezone.now()
    post = make_post(published_at=None)
    assert before <= post.published_at <= timezone.now()


def test_body_is_rendered_at_save(make_post):
    post = make_post(body="Hello *world*.\n\nMore text here.")
    assert "<em>world</em>" in post.body_html
    assert post.word_count == 5
    assert post.reading_time >= 1


def test_empty_summary_is_the_first_paragraph(make_post):
    post = make_post(summary="", body="First paragraph.\n\nSecond paragraph.")
    assert "First paragraph." in post.summary_html
    assert "Second" not in post.summary_html


def test_tag_names_are_unique_regardless_of_case(make_post):
    post = make_post(tags=["NLP"])
    post.tags.add("nlp")
    assert Tag.objects.count() == 1
    assert list(post.tags.names()) == ["NLP"]


def test_listings_leave_the_stored_bodies_in_the_database(make_post):
    make_post(body="A *long* body.", tags=["nlp"])

    card = Post.objects.for_listing().get()
    entry = Post.objects.for_feed().get()
    result = Post.objects.for_results().get()

    assert card.get_deferred_fields() == {
        "body",
        "body_html",
        "body_text",
        "toc_html",
        "feed_body_xml",
        "feed_summary_xml",
        "feed_key",
    }
    # A search result shows title, date, reading time, author and its snippet.
    assert result.get_deferred_fields() == {
        "body",
        "body_html",
        "body_text",
        "toc_html",
        "summary",
        "summary_html",
        "card_html",
        "feed_body_xml",
        "feed_summary_xml",
        "feed_key",
    }
    # A feed reads the stored feed text of body and summary, not the rendered fields.
    assert entry.get_deferred_fields() == {
        "body",
        "body_html",
        "body_text",
        "toc_html",
        "summary",
        "summary_html",
        "card_html",
        "render_warnings",
    }
    assert "&lt;em&gt;long&lt;/em&gt;" in entry.feed_body_xml

"""The admin through the test client: post list, editing, publishing actions, tags and merging."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from posts.models import Post, Reference, Series, Tag, TaggedPost

pytestmark = pytest.mark.django_db

POSTS_URL = reverse("admin:posts_post_changelist")
ADD_URL = reverse("admin:posts_post_add")
TAGS_URL = reverse("admin:posts_tag_changelist")


def post_form(**fields):
    data = {
        "title": "Attention",
        "slug": "attention",
        "summary": "",
        "body": "Softmax of $QK^T$.\n\nMore.",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "tags": "",
        "series": "",
        "series_part": "",
        "update_notes-TOTAL_FORMS": "0",
        "update_notes-INITIAL_FORMS": "0",
        # The old-URL inline (posts.admin.aliases) is part of the form: its management data.
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# The post list


def test_only_the_sites_own_tag_model_is_in_the_admin(writer_client):
    index = writer_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:posts_tag_changelist") in index
    assert "/taggit/" not in index


def test_post_list_shows_columns(writer_client, make_post):
    make_post(title="Evolution Strategies", tags=["optimization", "ES"])
    response = writer_client.get(POSTS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Evolution Strategies" in html
    assert "ES, optimization" in html
    assert "Lilian" in html or "lilian" in html
    for column in (
        "column-state",
        "column-published_at",
        "column-tag_list",
        "column-reading_time",
    ):
        assert column in html


def test_post_list_query_count_does_not_grow_with_posts(
    writer_client, make_post, django_assert_num_queries
):
    for n in range(3):
        make_post(tags=[f"t{n}", "common"])
    # session, user, tag filter choices, 2 counts, posts (with author), their tags,
    # date hierarchy (range, then days)
    with django_assert_num_queries(9):
        writer_client.get(POSTS_URL)
    for n in range(20):
        make_post(tags=[f"u{n}", "common", "more"])
    with django_assert_num_queries(9):
        response = writer_client.get(POSTS_URL)
    assert response.context["cl"].result_count == 23


def test_post_list_filters_and_search(writer_client, make_post):
    make_post(title="Published one", body="about gradients", tags=["rl"])
    make_post(title="Draft one", status=Post.Status.DRAFT, body="about sampling")
    old = make_post(title="Old one", published_at=timezone.now().replace(year=2019))
    rl = Tag.objects.get(name="rl")

    def titles(query):
        response = writer_client.get(POSTS_URL, query)
        assert response.status_code == 200
        return {post.title for post in response.context["cl"].result_list}

    assert titles({"state": "draft"}) == {"Draft one"}
    assert titles({"tags__id__exact": rl.pk}) == {"Published one"}
    assert titles({"published_at__year": old.published_at.year}) == {"Old one"}
    assert titles({"q": "sampling"}) == {"Draft one"}
    assert titles({"q": "Old"}) == {"Old one"}


# Writing a post


def test_add_form_defaults_author_prefills_slug_and_suggests_tags(writer_client, writer, make_post):
    make_post(tags=["reinforcement learning", "NLP"])
    response = writer_client.get(ADD_URL)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["author"] == writer.pk
    html = response.content.decode()
    assert "prepopulated_fields" in html or "data-prepopulated-fields" in html
    assert 'list="id_tags-suggestions"' in html
    assert '<option value="reinforcement learning">' in html
    assert '<option value="NLP">' in html
    assert "js/admin-tags.js" in html
    for legend in ("Content", "Publishing", "Metadata"):
        assert legend in html


def test_create_post_with_tags(writer_client, writer):
    response = writer_client.post(
        ADD_URL,
        post_form(author=writer.pk, tags="reinforcement learning, Meta-RL"),
    )
    assert response.status_code == 302
    post = Post.objects.get(slug="attention")
    assert post.author == writer
    assert sorted(post.tags.names()) == ["Meta-RL", "reinforcement learning"]
    assert "<math" in post.body_html


def test_edit_post_changes_tags(writer_client, writer, make_post):
    post = make_post(tags=["old", "kept"])
    url = reverse("admin:posts_post_change", args=[post.pk])
    response = writer_client.get(url)
    assert 'value="kept, old"' in response.content.decode()
    data = post_form(
        title=post.title,
        slug=post.slug,
        body="New body.",
        status="published",
        published_at_0="2020-01-02",
        published_at_1="10:00:00",
        author=post.author.pk,
        tags="kept, new one",
    )
    response = writer_client.post(url, data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert sorted(post.tags.names()) == ["kept", "new one"]
    assert "New body." in post.body_html


def test_clashing_slug_is_a_form_error(writer_client, writer, make_post):
    make_post(slug="attention")
    response = writer_client.post(ADD_URL, post_form(author=writer.pk, title="Other"))
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Post.objects.filter(slug="attention").count() == 1


def test_publishing_without_a_date_gets_now_and_says_so(writer_client, writer):
    before = timezone.now()
    response = writer_client.post(
        ADD_URL, post_form(author=writer.pk, status="published"), follow=True
    )
    post = Post.objects.get(slug="attention")
    assert before <= post.published_at <= timezone.now()
    assert any("publish date is now" in message for message in messages_of(response))


def test_render_warnings_are_shown_after_save_and_on_the_form(writer_client, writer):
    body = "As [@nobody2020] showed."
    response = writer_client.post(ADD_URL, post_form(author=writer.pk, body=body), follow=True)
    post = Post.objects.get(slug="attention")
    assert post.render_warnings
    warnings = [m for m in messages_of(response) if m.startswith("Render warning")]
    assert len(warnings) == len(post.render_warnings)
    assert "nobody2020" in warnings[0]
    change = writer_client.get(reverse("admin:posts_post_change", args=[post.pk]))
    assert '<ul class="render-warnings">' in change.content.decode()


def test_view_on_site_works_for_drafts_for_staff_only(writer_client, client, make_post):
    draft = make_post(status=Post.Status.DRAFT, published_at=None)
    change = writer_client.get(reverse("admin:posts_post_change", args=[draft.pk]))
    assert "View on site" in change.content.decode()
    on_site = writer_client.get(change.context["original"].get_absolute_url())
    assert on_site.status_code == 200
    assert "Draft" in on_site.content.decode()
    writer_client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


# Bulk actions


def test_bulk_publish_dates_undated_posts_and_keeps_dates(writer_client, make_post):
    undated = make_post(status=Post.Status.DRAFT, published_at=None)
    dated_at = timezone.now() - timedelta(days=40)
    dated = make_post(status=Post.Status.DRAFT, published_at=dated_at)
    already = make_post()
    before = timezone.now()
    response = writer_client.post(
        POSTS_URL,
        {"action": "publish", ACTION_CHECKBOX_NAME: [undated.pk, dated.pk, already.pk]},
        follow=True,
    )
    assert "2 posts were published." in messages_of(response)
    undated.refresh_from_db()
    dated.refresh_from_db()
    assert undated.status == dated.status == Post.Status.PUBLISHED
    assert before <= undated.published_at <= timezone.now()
    assert dated.published_at == dated_at
    assert set(Post.objects.published()) == {undated, dated, already}


def test_bulk_unpublish(writer_client, make_post):
    first, second = make_post(), make_post()
    kept = make_post()
    response = writer_client.post(
        POSTS_URL, {"action": "unpublish", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}, follow=True
    )
    assert "2 posts were unpublished." in messages_of(response)
    assert list(Post.objects.published()) == [kept]
    first.refresh_from_db()
    assert first.status == Post.Status.DRAFT
    assert first.published_at is not None  # kept for a later re-publish


def test_bulk_publish_message_for_one(writer_client, make_post):
    draft = make_post(status=Post.Status.DRAFT)
    response = writer_client.post(
        POSTS_URL, {"action": "publish", ACTION_CHECKBOX_NAME: [draft.pk]}, follow=True
    )
    assert "1 post was published." in messages_of(response)


# Tags


def test_tag_list_counts_posts_in_one_query(writer_client, make_post, django_assert_num_queries):
    make_post(tags=["rl", "es"])
    make_post(tags=["rl"])
    make_post(tags=["rl"], status=Post.Status.DRAFT)
    make_post(tags=["es"], published_at=timezone.now() + timedelta(days=1))
    Tag.objects.create(name="unused")
    # session, user, 2 counts, the tags with both counts
    with django_assert_num_queries(5):
        response = writer_client.get(TAGS_URL)
    counts = {t.name: (t.post_count, t.published_count) for t in response.context["cl"].result_list}
    assert counts == {"es": (2, 1), "rl": (3, 2), "unused": (0, 0)}


def test_tag_description_is_editable_and_slug_stable(writer_client):
    tag = Tag.objects.create(name="Meta RL")
    url = reverse("admin:posts_tag_change", args=[tag.pk])
    response = writer_client.post(
        url, {"name": "Meta-RL", "slug": "changed", "description": "Learning **to learn**."}
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "Meta-RL"
    assert tag.slug == "meta-rl"
    assert "<strong>to learn</strong>" in tag.description_html


def test_add_tag(writer_client):
    response = writer_client.post(
        reverse("admin:posts_tag_add"), {"name": "Sim2Real", "slug": "sim2real", "description": ""}
    )
    assert response.status_code == 302
    assert Tag.objects.get(slug="sim2real").name == "Sim2Real"


def test_merge_tags_asks_for_the_survivor(writer_client, make_post):
    tags = [Tag.objects.create(name=name) for name in ("RL", "reinforcement learning", "r-l")]
    response = writer_client.post(
        TAGS_URL, {"action": "merge_tags", ACTION_CHECKBOX_NAME: [t.pk for t in tags]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Keep this tag" in html
    for tag in tags:
        assert f'value="{tag.pk}"' in html
    assert Tag.objects.count() == 3


def test_merge_tags_keeps_every_posts_tags(writer_client, make_post):
    only_a = make_post(tags=["RL", "robotics"])
    a_and_b = make_post(tags=["RL", "reinforcement learning"])
    b_and_survivor = make_post(tags=["reinforcement learning", "deep RL"])
    all_three = make_post(tags=["RL", "reinforcement learning", "deep RL"])
    untouched = make_post(tags=["robotics"])
    merged = Tag.objects.filter(name__in=["RL", "reinforcement learning", "deep RL"])
    survivor = Tag.objects.get(name="reinforcement learning")
    response = writer_client.post(
        TAGS_URL,
        {
            "action": "merge_tags",
            ACTION_CHECKBOX_NAME: [t.pk for t in merged],
            "confirm": "yes",
            "survivor": survivor.pk,
        },
        follow=True,
    )
    assert "2 tags were merged into “reinforcement learning”." in messages_of(response)
    assert set(Tag.objects.values_list("name", flat=True)) == {"reinforcement learning", "robotics"}
    expected = {
        only_a: ["reinforcement learning", "robotics"],
        a_and_b: ["reinforcement learning"],
        b_and_survivor: ["reinforcement learning"],
        all_three: ["reinforcement learning"],
        untouched: ["robotics"],
    }
    for post, names in expected.items():
        assert sorted(post.tags.names()) == names
    assert TaggedPost.objects.filter(tag=survivor).count() == 4


def test_merge_keeps_a_description(writer_client):
    described = Tag.objects.create(name="es", description="Evolution *strategies*.")
    survivor = Tag.objects.create(name="evolution strategies")
    writer_client.post(
        TAGS_URL,
        {
            "action": "merge_tags",
            ACTION_CHECKBOX_NAME: [described.pk, survivor.pk],
            "confirm": "yes",
            "survivor": survivor.pk,
        },
    )
    survivor.refresh_from_db()
    assert "<em>strategies</em>" in survivor.description_html


def test_merge_with_a_survivor_outside_the_selection_changes_nothing(writer_client, make_post):
    a, b = Tag.objects.create(name="a"), Tag.objects.create(name="b")
    outsider = Tag.objects.create(name="c")
    response = writer_client.post(
        TAGS_URL,
        {
            "action": "merge_tags",
            ACTION_CHECKBOX_NAME: [a.pk, b.pk],
            "confirm": "yes",
            "survivor": outsider.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Tag.objects.count() == 3


def test_merge_needs_two_tags(writer_client):
    tag = Tag.objects.create(name="alone")
    response = writer_client.post(
        TAGS_URL, {"action": "merge_tags", ACTION_CHECKBOX_NAME: [tag.pk]}, follow=True
    )
    assert "Select at least two tags to merge." in messages_of(response)
    assert Tag.objects.filter(pk=tag.pk).exists()


# Series and references


def test_series_and_references_are_editable(writer_client):
    Series.objects.create(title="Object Detection", slug="object-detection")
    Reference.objects.create(key="vaswani2017", authors="Vaswani, Ashish", title="Attention")
    for name in ("series", "reference"):
        assert writer_client.get(reverse(f"admin:posts_{name}_changelist")).status_code == 200
        assert writer_client.get(reverse(f"admin:posts_{name}_add")).status_code == 200


# Long posts and the request body limit


def long_body(megabytes):
    """A long post of the kind that weighs megabytes: sections of prose with small tables, and
    figures pasted inline as `data:` images (most of the weight)."""
    prose = "Attention weights are computed for every query and key pair in the sequence. " * 12
    section = "## Section\n\n" + prose + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    figure = "![A plot of the loss](data:image/png;base64," + "iVBORw0KGgo" * 24_000 + ")\n\n"
    chunk = section * 3 + figure
    return chunk * (megabytes * 1024 * 1024 // len(chunk) + 1)


def test_a_3_mb_post_is_saved(writer_client, writer):
    body = long_body(3)

    response = writer_client.post(ADD_URL, post_form(author=writer.pk, body=body))

    assert response.status_code == 302
    assert len(body) > 3_000_000
    assert Post.objects.get().body == body.strip()


def test_a_body_past_the_limit_gets_a_page_that_says_nothing_was_saved(writer_client, writer):
    response = writer_client.post(ADD_URL, post_form(author=writer.pk, body=long_body(11)))

    assert response.status_code == 413
    page = response.content.decode()
    assert "Too large to save" in page and "nothing was saved" in page and "10 MB" in page
    assert "Restore" in page
    assert not Post.objects.exists()


def test_a_body_too_slow_to_render_is_a_form_error_that_keeps_the_text(
    writer_client, writer, monkeypatch
):
    from posts.markup import render

    monkeypatch.setattr(render, "RENDER_SECONDS", 0.0)  # every text is now "too slow"
    body = "[" * 3000 + " my precious text"
    response = writer_client.post(ADD_URL, post_form(author=writer.pk, body=body))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors[0].startswith("This text takes too long to render")
    assert "3000 more “[” than “]”" in errors[0]
    assert "my precious text" in response.content.decode()
    assert not Post.objects.exists()

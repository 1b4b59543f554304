"""The admin around the editor: its name, the writer's sidebar, post states and tag clashes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from posts.models import Post, Tag

pytestmark = pytest.mark.django_db


def test_the_admin_carries_the_sites_name(writer_client, settings):
    settings.SITE_NAME = "Notebook"
    page = writer_client.get(reverse("admin:index")).content.decode()
    assert "Notebook · admin" in page
    assert "<title>Writing desk | Notebook admin</title>" in page
    assert "Django administration" not in page
    assert 'rel="icon"' in page


def test_the_throttling_tables_are_out_of_the_sidebar_but_superusers_reach_them(
    writer_client, post
):
    page = writer_client.get(reverse("admin:posts_post_changelist")).content.decode()
    assert 'id="nav-sidebar"' in page
    assert "/admin/posts/" in page and "/admin/axes/" not in page
    index = writer_client.get(reverse("admin:index")).content.decode()
    assert "Sign-in throttling" in index
    assert index.index("Sign-in throttling") > index.index("Posts")  # listed last
    assert writer_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


@pytest.fixture
def three_posts(make_post):
    now = timezone.now()
    return {
        "draft": make_post(title="A draft", status=Post.Status.DRAFT, published_at=None),
        "scheduled": make_post(title="Coming soon", published_at=now + timedelta(days=2)),
        "published": make_post(title="Out already", published_at=now - timedelta(days=2)),
    }


def test_each_post_shows_its_state_and_each_state_is_a_filter(writer_client, three_posts):
    assert {name: post.state for name, post in three_posts.items()} == {
        "draft": "draft",
        "scheduled": "scheduled",
        "published": "published",
    }
    url = reverse("admin:posts_post_changelist")
    page = writer_client.get(url).content.decode()
    assert '<td class="field-state">Scheduled</td>' in page
    assert '<td class="field-state">Draft</td>' in page
    assert '<td class="field-state">Published</td>' in page
    for state, post in three_posts.items():
        listed = writer_client.get(url, {"state": state}).context["cl"].result_list
        assert [p.title for p in listed] == [post.title]
    assert "?state=scheduled" in page


def test_a_tag_differing_only_in_case_is_a_plain_form_error(writer_client):
    Tag.objects.create(name="attention")
    response = writer_client.post(
        reverse("admin:posts_tag_add"), {"name": "Attention", "slug": "attention-2"}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {
        "name": ["There is already a tag “attention”; tag names differ by more than case."]
    }
    assert "Constraint" not in response.content.decode()
    assert Tag.objects.count() == 1


def test_a_tag_may_be_renamed_to_another_case_of_itself(writer_client):
    tag = Tag.objects.create(name="attention")
    response = writer_client.post(
        reverse("admin:posts_tag_change", args=[tag.pk]), {"name": "Attention", "slug": tag.slug}
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "Attention"


def test_the_site_has_a_favicon_and_a_touch_icon(client):
    page = client.get(reverse("posts:home")).content.decode()
    assert 'rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml"' in page
    assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in page

"""Old URLs of posts: automatic and hand-made aliases, their 301s and their validation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from posts.models import Post, PostAlias
from posts.writing.aliases import validate_alias_path
from tests.admin_form_data import form_data

pytestmark = pytest.mark.django_db


def rename(post, **fields):
    for name, value in fields.items():
        setattr(post, name, value)
    post.save()
    return post


def test_changing_a_published_slug_keeps_the_old_url_with_a_301(client, make_post):
    post = make_post(slug="old-name")
    old_url = post.get_absolute_url()
    rename(post, slug="new-name")
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()
    assert client.get(post.get_absolute_url()).status_code == 200


def test_changing_the_date_keeps_the_old_url(client, make_post):
    post = make_post(slug="dated")
    old_url = post.get_absolute_url()
    rename(post, slug="dated-moved", published_at=post.published_at - timedelta(days=40))
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_chains_collapse_to_the_current_url(client, make_post):
    post = make_post(slug="a")
    url_a = post.get_absolute_url()
    rename(post, slug="b")
    url_b = post.get_absolute_url()
    rename(post, slug="c")
    for old in (url_a, url_b):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == post.get_absolute_url()  # straight to C, no hops


def test_renaming_back_drops_the_alias_of_the_live_url(client, make_post):
    post = make_post(slug="first")
    rename(post, slug="second")
    rename(post, slug="first")
    assert list(PostAlias.objects.values_list("path", flat=True)) == [
        reverse("posts:detail", kwargs={**post.url_kwargs(), "slug": "second"})
    ]
    assert client.get(post.get_absolute_url()).status_code == 200


def test_drafts_and_scheduled_posts_get_no_alias_and_aliases_of_drafts_404(client, make_post):
    draft = make_post(slug="draft", status=Post.Status.DRAFT)
    rename(draft, slug="draft-2")
    scheduled = make_post(slug="later", published_at=timezone.now() + timedelta(days=1))
    rename(scheduled, slug="later-2")
    assert not PostAlias.objects.exists()

    post = make_post(slug="was-public")
    old_url = post.get_absolute_url()
    rename(post, slug="now-draft", status=Post.Status.DRAFT)
    assert PostAlias.objects.filter(path=old_url).exists()
    assert client.get(old_url).status_code == 404  # never reveals the draft's new URL


def test_hand_made_alias_from_an_imported_site_redirects_with_query(client, make_post):
    post = make_post()
    PostAlias.objects.create(post=post, path="/2019/09/05/es.html")
    response = client.get("/2019/09/05/es.html?utm=x")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url() + "?utm=x"
    assert client.get("/2019/09/05/other.html").status_code == 404


def test_alias_matches_with_or_without_trailing_slash(client, make_post):
    post = make_post()
    PostAlias.objects.create(post=post, path="/old/path/")
    assert client.get("/old/path")["Location"] == post.get_absolute_url()


def test_alias_only_answers_404s_and_safe_methods(client, make_post):
    post = make_post()
    other = make_post()
    PostAlias.objects.create(post=post, path="/legacy/")
    assert client.post("/legacy/").status_code == 404
    # A live page is never replaced, even if an alias row exists for its path.
    PostAlias.objects.create(post=post, path=other.get_absolute_url())
    assert client.get(other.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/", "/tags/", "/archives/", "/admin/", "relative/path", "//evil.example/x", "/a b", "/x?y=1"],
)
def test_alias_paths_that_shadow_live_pages_or_are_not_paths_are_refused(path):
    with pytest.raises(ValidationError):
        validate_alias_path(path)


CLIMBING = "/../../../../../tmp/overwritten.html"


@pytest.mark.parametrize(
    "path",
    [
        CLIMBING,
        "/posts/../../etc/passwd",
        "/a/./b.html",
        "/a/..",
        "/a//b.html",
        "/a\\..\\b.html",
        "/%2e%2e/%2e%2e/x.html",
        "/%2E%2E/x.html",
        "/a%2f..%2f..%2fx.html",
        "/a/%252e%252e/x.html",
        "/a/\x00b.html",
        "/a/\x1bb.html",
        "/a/%0ab.html",
        "/a/\u202eb.html",
        "/a/%ff.html",
    ],
)
def test_alias_paths_that_climb_or_hide_separators_are_refused(path):
    with pytest.raises(ValidationError):
        validate_alias_path(path)


def test_alias_paths_are_stored_as_requests_ask_for_them():
    assert validate_alias_path("  /2019/09/05/caf%C3%A9.html ") == "/2019/09/05/café.html"
    assert validate_alias_path("/2019/09/05/es.html") == "/2019/09/05/es.html"


def test_a_percent_encoded_alias_redirects_the_request_for_it(writer_client, client, make_post):
    post = make_post()
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = form_data(writer_client.get(url))
    data.update(
        {"aliases-TOTAL_FORMS": "1", "aliases-0-path": "/old/caf%C3%A9/", "aliases-0-id": ""}
    )
    assert writer_client.post(url, data).status_code == 302
    assert client.get("/old/caf%C3%A9/")["Location"] == post.get_absolute_url()


def test_a_climbing_alias_is_refused_in_the_post_admin(writer_client, make_post):
    post = make_post()
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = form_data(writer_client.get(url))
    data.update({"aliases-TOTAL_FORMS": "1", "aliases-0-path": CLIMBING, "aliases-0-id": ""})

    response = writer_client.post(url, data)

    assert response.status_code == 200
    assert "may not climb" in response.content.decode()
    assert not PostAlias.objects.exists()


def test_alias_path_of_an_existing_post_is_refused_but_a_gone_slug_is_fine(make_post):
    post = make_post(slug="exists")
    with pytest.raises(ValidationError):
        validate_alias_path(post.get_absolute_url())
    validate_alias_path("/posts/2019-09-05-gone/")
    validate_alias_path("/2019/09/05/es.html")


def test_aliases_are_added_and_validated_in_the_post_admin(writer_client, make_post):
    post = make_post()
    other = make_post()
    url = reverse("admin:posts_post_change", args=[post.pk])
    data = form_data(writer_client.get(url))
    data.update(
        {"aliases-TOTAL_FORMS": "1", "aliases-0-path": other.get_absolute_url(), "aliases-0-id": ""}
    )
    response = writer_client.post(url, data)
    assert response.status_code == 200
    assert "is a live page of this site" in response.content.decode()
    assert not PostAlias.objects.exists()

    data = form_data(writer_client.get(url))
    data.update(
        {"aliases-TOTAL_FORMS": "1", "aliases-0-path": "/2019/09/05/es.html", "aliases-0-id": ""}
    )
    assert writer_client.post(url, data).status_code == 302
    assert PostAlias.objects.get().post == post
    assert writer_client.get("/2019/09/05/es.html")["Location"] == post.get_absolute_url()

"""Share preview links: signed, expiring, revocable; noindex and never cached publicly."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from posts.models import Post, SharePreview
from posts.writing import previews

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_post):
    return make_post(title="Secret draft", body="Unpublished *words*.", status=Post.Status.DRAFT)


def assert_private(response):
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_a_link_lets_an_anonymous_reader_see_the_draft(client, draft, author):
    assert client.get(draft.get_absolute_url()).status_code == 404
    link = previews.create_link(draft, author)
    assert link.expires_at - timezone.now() > timedelta(days=6, hours=23)  # default: 7 days
    response = client.get(previews.share_url(link))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Secret draft" in page and "<em>words</em>" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "<title>Secret draft (preview)" in page
    assert 'rel="canonical"' not in page and "og:url" not in page  # nothing advertises it
    assert "Private preview" in page
    assert "only staff can see" not in page  # the reader is not staff: not told so
    assert_private(response)


@pytest.mark.parametrize("state", ["expired", "revoked", "tampered", "garbage", "deleted"])
def test_links_that_do_not_work_answer_a_styled_404(client, draft, author, state):
    link = previews.create_link(draft, author, days=2)
    token = previews.make_token(link)
    if state == "expired":
        SharePreview.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    elif state == "revoked":
        SharePreview.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    elif state == "tampered":
        token = previews.make_token(SharePreview(pk=link.pk + 1))[:-1] + "x"
    elif state == "garbage":
        token = "not-a-token"
    elif state == "deleted":
        link.delete()
    response = client.get(reverse("posts:share-preview", kwargs={"token": token}))
    assert response.status_code == 404
    page = response.content.decode()
    assert "This preview link does not work" in page
    assert "<title>Preview not available" in page
    assert "Secret draft" not in page
    assert_private(response)


def test_a_token_signed_for_another_purpose_is_refused(client, draft, author):
    from django.core import signing

    link = previews.create_link(draft, author)
    forged = signing.dumps(link.pk)  # right secret, wrong salt
    assert client.get(reverse("posts:share-preview", kwargs={"token": forged})).status_code == 404


def test_admin_creates_lists_and_revokes_links(writer_client, draft, client):
    url = reverse("admin:posts_post_share", args=[draft.pk])
    change = writer_client.get(reverse("admin:posts_post_change", args=[draft.pk]))
    assert url in change.content.decode()  # the "Share preview" button

    response = writer_client.post(url, {"days": "3"}, follow=True)
    link = SharePreview.objects.get()
    assert timedelta(days=2, hours=23) < link.expires_at - timezone.now() <= timedelta(days=3)
    page = response.content.decode()
    (shared,) = {f"/preview/{t}/" for t in re.findall(r"/preview/([^/\"<\s]+)/", page)}
    assert previews.read_token(shared.split("/")[2]) == link.pk and "Revoke" in page
    assert client.get(shared).status_code == 200

    writer_client.post(url, {"revoke": str(link.pk)})
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(shared).status_code == 404
    assert "revoked" in writer_client.get(url).content.decode()


def test_admin_refuses_a_bad_expiry_with_a_form_error(writer_client, draft):
    url = reverse("admin:posts_post_share", args=[draft.pk])
    for days in ("0", "1000", "soon"):
        response = writer_client.post(url, {"days": days})
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
    assert not SharePreview.objects.exists()


def test_share_page_is_staff_only(client, draft):
    url = reverse("admin:posts_post_share", args=[draft.pk])
    assert client.get(url).status_code == 302
    assert not SharePreview.objects.exists()


def test_list_action_creates_a_link_per_selected_post(writer_client, draft, make_post):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    other = make_post(status=Post.Status.DRAFT)
    response = writer_client.post(
        reverse("admin:posts_post_changelist"),
        {"action": "share_preview", ACTION_CHECKBOX_NAME: [draft.pk, other.pk]},
        follow=True,
    )
    assert SharePreview.objects.filter(post__in=[draft, other]).count() == 2
    # The page shows each link's URL. A token carries the second it was signed in, so the page's
    # tokens are read back rather than signed again here.
    tokens = re.findall(r"/preview/([^/\"<\s]+)/", response.content.decode())
    shown = {previews.read_token(token) for token in tokens}
    assert shown >= set(SharePreview.objects.values_list("pk", flat=True))

"""The bibliography admin: duplicate keys, cited-by lists, re-rendering citing posts, unknown
keys."""

import pytest
from django.urls import reverse

from posts.models import Post, Reference
from posts.writing.bibliography import posts_citing, unknown_keys

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:posts_reference_changelist")
ADD = reverse("admin:posts_reference_add")
UNKNOWN = reverse("admin:posts_reference_unknown")


def reference_form(**fields):
    data = {
        "key": "vaswani2017attention",
        "authors": "Vaswani, Ashish; Shazeer, Noam",
        "title": "Attention Is All You Need",
        "venue": "NeurIPS",
        "year": "2017",
        "arxiv_id": "1706.03762",
        "doi": "",
        "url": "",
    }
    data.update(fields)
    return data


def make_reference(**fields):
    data = reference_form(**fields)
    data["year"] = int(data["year"]) if data["year"] else None
    return Reference.objects.create(**data)


def test_adding_a_reference(writer_client):
    response = writer_client.post(ADD, reference_form())
    assert response.status_code == 302
    assert Reference.objects.get().title == "Attention Is All You Need"


@pytest.mark.parametrize("key", ["vaswani2017attention", "Vaswani2017Attention"])
def test_a_duplicate_key_is_a_form_error(writer_client, key):
    make_reference()
    response = writer_client.post(ADD, reference_form(key=key, title="Another"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "key" in errors
    assert "is taken" in errors["key"][0]
    assert Reference.objects.count() == 1


def test_the_database_rejects_keys_differing_only_in_case():
    from django.db import IntegrityError, transaction

    make_reference()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_reference(key="VASWANI2017attention")


def test_editing_keeps_its_own_key_valid(writer_client):
    ref = make_reference()
    response = writer_client.post(
        reverse("admin:posts_reference_change", args=[ref.pk]), reference_form(title="New")
    )
    assert response.status_code == 302
    ref.refresh_from_db()
    assert ref.title == "New"


def test_each_entry_lists_the_posts_citing_it(writer_client, make_post):
    ref = make_reference()
    citing = make_post(title="The Transformer Family", body="See [@vaswani2017attention].")
    make_post(title="Unrelated", body="Nothing cited.")
    html = writer_client.get(
        reverse("admin:posts_reference_change", args=[ref.pk])
    ).content.decode()
    assert reverse("admin:posts_post_change", args=[citing.pk]) in html
    assert "The Transformer Family" in html
    assert "Unrelated" not in html
    changelist = writer_client.get(CHANGELIST)
    assert [r.citing_count for r in changelist.context["cl"].result_list] == [1]
    assert writer_client.get(CHANGELIST, {"cited": "no"}).context["cl"].result_count == 0


def test_editing_a_reference_rerenders_the_posts_citing_it(writer_client, make_post):
    ref = make_reference()
    post = make_post(body="Attention [@vaswani2017attention].")
    assert "Attention Is All You Need" in post.body_html
    response = writer_client.post(
        reverse("admin:posts_reference_change", args=[ref.pk]),
        reference_form(title="Attention Really Is All You Need"),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert "Attention Really Is All You Need" in post.body_html


def test_renaming_a_key_turns_its_citations_into_unknown_markers(writer_client, make_post):
    ref = make_reference()
    post = make_post(body="Attention [@vaswani2017attention].")
    writer_client.post(
        reverse("admin:posts_reference_change", args=[ref.pk]), reference_form(key="vaswani17")
    )
    post.refresh_from_db()
    assert "[@vaswani2017attention?]" in post.body_html
    assert post.render_warnings == ['Unknown reference key "vaswani2017attention"']
    assert list(post.references.all()) == []


def test_deleting_a_reference_rerenders_the_posts_citing_it(writer_client, make_post):
    ref = make_reference()
    post = make_post(body="Attention [@vaswani2017attention].")
    response = writer_client.post(
        reverse("admin:posts_reference_delete", args=[ref.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert 'class="missing-ref citation"' in post.body_html
    assert post.render_warnings == ['Unknown reference key "vaswani2017attention"']


def test_bulk_deleting_references_rerenders_the_posts_citing_them(writer_client, make_post):
    a = make_reference(key="a2020")
    b = make_reference(key="b2021")
    post = make_post(body="Both [@a2020; @b2021].")
    writer_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [a.pk, b.pk], "post": "yes"},
    )
    assert Reference.objects.count() == 0
    post.refresh_from_db()
    assert len(post.render_warnings) == 2


def test_creating_an_unknown_key_rerenders_the_posts_citing_it(writer_client, make_post):
    post = make_post(body="Attention [@vaswani2017attention].")
    assert post.render_warnings == ['Unknown reference key "vaswani2017attention"']
    assert unknown_keys() == {"vaswani2017attention": [post]}
    writer_client.post(ADD, reference_form())
    post.refresh_from_db()
    assert post.render_warnings == []
    assert 'href="#c-ref-vaswani2017attention"' in post.body_html
    assert [r.key for r in post.references.all()] == ["vaswani2017attention"]
    assert unknown_keys() == {}


def test_posts_citing_finds_linked_posts_and_mentions(make_post):
    make_reference(key="known")
    linked = make_post(body="[@known]")
    mentioned = make_post(body="[@unknown2020]")
    make_post(body="No citation.")
    assert set(posts_citing(["known", "unknown2020"])) == {linked, mentioned}
    assert list(posts_citing([])) == []


def test_the_unknown_keys_view_lists_keys_cited_anywhere(writer_client, make_post):
    make_reference()
    first = make_post(title="First", body="[@vaswani2017attention] and [@ho2020denoising].")
    second = make_post(title="Second", body="[@ho2020denoising; @brown2020language]")
    make_post(title="Draft", body="[@zzz]", status=Post.Status.DRAFT)
    changelist = writer_client.get(CHANGELIST).content.decode()
    assert UNKNOWN in changelist
    assert "3 unknown keys cited" in changelist
    response = writer_client.get(UNKNOWN)
    assert response.status_code == 200
    rows = dict(response.context["unknown"])
    assert rows == {
        "brown2020language": [second],
        "ho2020denoising": [first, second],
        "zzz": [Post.objects.get(title="Draft")],
    }
    html = response.content.decode()
    assert f"{ADD}?key=ho2020denoising" in html
    assert reverse("admin:posts_post_change", args=[first.pk]) in html
    # The add link prefills the key.
    add_page = writer_client.get(ADD, {"key": "ho2020denoising"})
    assert add_page.context["adminform"].form.initial["key"] == "ho2020denoising"


def test_the_post_form_shows_the_posts_render_warnings(writer_client, make_post):
    post = make_post(body="Cites [@nobody2020].")
    html = writer_client.get(reverse("admin:posts_post_change", args=[post.pk])).content.decode()
    assert "Unknown reference key &quot;nobody2020&quot;" in html


def test_the_unknown_keys_view_needs_staff(client):
    response = client.get(UNKNOWN)
    assert response.status_code == 302
    assert "/login/" in response["Location"]

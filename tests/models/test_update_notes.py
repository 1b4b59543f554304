"""Update notes: revised_on kept in step, last_modified, shown on the post, never in summaries."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from posts.models import Post, UpdateNote

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2019, 1, 31, 9, 30, tzinfo=UTC)


@pytest.fixture
def lm_post(make_post):
    """A post published on PUBLISHED, with a plain first paragraph and no summary."""
    return make_post(
        title="Generalized Language Models",
        slug="lm",
        summary="",
        body="Large pre-trained language models.\n\nMore prose.",
        published_at=PUBLISHED,
    )


def revised_on(post):
    return Post.objects.get(pk=post.pk).revised_on


def test_revised_on_follows_the_newest_note(lm_post):
    assert revised_on(lm_post) is None
    first = UpdateNote.objects.create(post=lm_post, date=date(2019, 2, 14), note="Add GPT-2.")
    assert revised_on(lm_post) == date(2019, 2, 14)
    newest = UpdateNote.objects.create(post=lm_post, date=date(2020, 12, 30), note="Add GPT-3.")
    UpdateNote.objects.create(post=lm_post, date=date(2020, 2, 29), note="Add ALBERT.")
    assert revised_on(lm_post) == date(2020, 12, 30)
    newest.date = date(2019, 5, 1)
    newest.save()
    assert revised_on(lm_post) == date(2020, 2, 29)
    first.delete()
    assert revised_on(lm_post) == date(2020, 2, 29)


def test_deleting_the_newest_note_steps_back(lm_post):
    UpdateNote.objects.create(post=lm_post, date=date(2019, 2, 14), note="Add GPT-2.")
    newest = UpdateNote.objects.create(post=lm_post, date=date(2020, 12, 30), note="Add GPT-3.")
    newest.delete()
    assert revised_on(lm_post) == date(2019, 2, 14)


def test_bulk_deletes_keep_revised_on_in_step(lm_post, make_post):
    other = make_post()
    UpdateNote.objects.create(post=lm_post, date=date(2019, 2, 14), note="Add GPT-2.")
    UpdateNote.objects.create(post=lm_post, date=date(2020, 12, 30), note="Add GPT-3.")
    UpdateNote.objects.create(post=other, date=date(2021, 1, 1), note="Other.")
    UpdateNote.objects.filter(date__year=2020).delete()
    assert revised_on(lm_post) == date(2019, 2, 14)
    UpdateNote.objects.all().delete()
    assert revised_on(lm_post) is None
    assert revised_on(other) is None


def test_revised_on_does_not_touch_updated_at(lm_post):
    before = Post.objects.get(pk=lm_post.pk).updated_at
    UpdateNote.objects.create(post=lm_post, date=date(2020, 12, 30), note="Add GPT-3.")
    assert Post.objects.get(pk=lm_post.pk).updated_at == before


def test_last_modified_is_the_newest_of_publication_and_notes(lm_post):
    assert lm_post.last_modified() == PUBLISHED
    UpdateNote.objects.create(post=lm_post, date=date(2020, 12, 30), note="Add GPT-3.")
    lm_post.refresh_from_db()
    assert lm_post.last_modified() == datetime(2020, 12, 30, tzinfo=UTC)
    lm_post.title = "A typo fixed"
    lm_post.save()  # an ordinary save is not a revision
    assert lm_post.last_modified() == datetime(2020, 12, 30, tzinfo=UTC)


def test_a_note_dated_before_publication_does_not_move_last_modified(lm_post):
    UpdateNote.objects.create(post=lm_post, date=date(2019, 1, 1), note="Drafted.")
    lm_post.refresh_from_db()
    assert lm_post.last_modified() == PUBLISHED


def test_notes_are_shown_at_the_top_of_the_post(client, lm_post):
    UpdateNote.objects.create(post=lm_post, date=date(2019, 2, 14), note="add ULMFiT and *GPT-2*.")
    UpdateNote.objects.create(post=lm_post, date=date(2020, 12, 30), note="add GPT-3.")
    html = client.get(lm_post.get_absolute_url()).content.decode()
    assert "<em>GPT-2</em>" in html  # the note keeps its formatting
    text = re.sub(r"<[^>]+>", "", html)
    first = text.index("[Updated on 2019-02-14: add ULMFiT and GPT-2.]")
    second = text.index("[Updated on 2020-12-30: add GPT-3.]")
    assert first < second
    assert html.index('class="update-note"') < html.index('class="post-body"')


def test_notes_never_reach_summaries_or_plain_text(client, lm_post):
    UpdateNote.objects.create(post=lm_post, date=date(2020, 12, 30), note="add GPT-3 notes.")
    lm_post.refresh_from_db()
    lm_post.save()
    assert "GPT-3" not in lm_post.summary_html
    assert "GPT-3" not in lm_post.body_text
    assert "Updated on" not in lm_post.body_text
    home = client.get("/").content.decode()
    assert "Large pre-trained language models." in home
    assert "GPT-3" not in home
    page = client.get(lm_post.get_absolute_url()).content.decode()
    description = page.split('name="description"', 1)[-1].split(">", 1)[0]
    assert "GPT-3" not in description


def test_the_post_admin_edits_notes_inline(writer_client, lm_post):
    url = reverse("admin:posts_post_change", args=[lm_post.pk])
    assert 'name="update_notes-TOTAL_FORMS"' in writer_client.get(url).content.decode()
    data = {
        "title": lm_post.title,
        "slug": lm_post.slug,
        "summary": "",
        "body": lm_post.body,
        "status": "published",
        "published_at_0": "2019-01-31",
        "published_at_1": "09:30:00",
        "author": lm_post.author_id,
        "tags": "",
        "series": "",
        "series_part": "",
        "update_notes-TOTAL_FORMS": "2",
        "update_notes-INITIAL_FORMS": "0",
        "aliases-TOTAL_FORMS": "0",  # the old-URL inline (posts.admin.aliases)
        "aliases-INITIAL_FORMS": "0",
        "update_notes-0-date": "2019-02-14",
        "update_notes-0-note": "Add GPT-2.",
        "update_notes-1-date": "2020-12-30",
        "update_notes-1-note": "Add GPT-3.",
    }
    response = writer_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [n.note for n in lm_post.update_notes.all()] == ["Add GPT-2.", "Add GPT-3."]
    assert revised_on(lm_post) == date(2020, 12, 30)
    bad = {**data, "update_notes-TOTAL_FORMS": "1", "update_notes-0-date": "not a date"}
    response = writer_client.post(url, bad)
    assert response.status_code == 200
    assert lm_post.update_notes.count() == 2

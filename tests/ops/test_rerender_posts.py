from io import StringIO

import pytest
from django.core.management import call_command

from posts.markup import PIPELINE_VERSION
from posts.models import Post, Series, Tag, UpdateNote

pytestmark = pytest.mark.django_db


def rerender(*args):
    out = StringIO()
    call_command("rerender_posts", *args, stdout=out)
    return out.getvalue()


def stale(post, html="<p>old output</p>", version="0"):
    """Make the stored output look like an older pipeline's, without saving through the model."""
    Post.objects.filter(pk=post.pk).update(body_html=html, render_version=version)


def test_rerenders_every_post_and_description(make_post):
    first = make_post(body="*One*", tags=["rl"])
    second = make_post(body="*Two*")
    stale(first)
    stale(second, version=PIPELINE_VERSION)
    Tag.objects.filter(name="rl").update(description="**bold**", description_html="stale")
    series = Series.objects.create(title="S", slug="s", description="_s_")
    Series.objects.filter(pk=series.pk).update(description_html="stale")
    note = UpdateNote.objects.create(post=first, note="add *X*.")
    UpdateNote.objects.filter(pk=note.pk).update(note_html="stale")

    output = rerender()

    assert "Re-rendered 2 post(s)" in output
    assert "1 tag(s), 1 series and 1 update note(s)" in output
    first.refresh_from_db()
    second.refresh_from_db()
    assert "<em>One</em>" in first.body_html
    assert "<em>Two</em>" in second.body_html
    assert first.render_version == PIPELINE_VERSION
    assert "<strong>bold</strong>" in Tag.objects.get(name="rl").description_html
    assert "<em>s</em>" in Series.objects.get().description_html
    assert "<em>X</em>" in UpdateNote.objects.get().note_html


def test_outdated_only_touches_other_versions(make_post):
    old = make_post(body="*Old*")
    current = make_post(body="*Current*")
    stale(old)
    stale(current, html="<p>kept</p>", version=PIPELINE_VERSION)

    output = rerender("--outdated")

    assert "Re-rendered 1 post(s)" in output
    old.refresh_from_db()
    current.refresh_from_db()
    assert "<em>Old</em>" in old.body_html
    assert current.body_html == "<p>kept</p>"


def test_updated_at_is_not_changed(make_post):
    post = make_post()
    stale(post)
    before = Post.objects.get(pk=post.pk).updated_at
    rerender()
    assert Post.objects.get(pk=post.pk).updated_at == before


def test_second_outdated_run_does_nothing(make_post):
    stale(make_post())
    rerender("--outdated")
    assert "Re-rendered 0 post(s)" in rerender("--outdated")

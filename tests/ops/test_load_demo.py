from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from posts.models import Post, Reference, Tag, UpdateNote

pytestmark = pytest.mark.django_db

SEED_POSTS = {
    "Evolution Strategies": date(2019, 9, 5),
    "Meta Reinforcement Learning": date(2019, 6, 23),
    "Domain Randomization for Sim2Real Transfer": date(2019, 5, 5),
    "Are Deep Neural Networks Dramatically Overfitted?": date(2019, 3, 14),
    "Generalized Language Models": date(2019, 1, 31),
}


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "posts": list(Post.objects.order_by("pk").values()),
        "tags": list(Tag.objects.order_by("pk").values()),
        "notes": list(UpdateNote.objects.order_by("pk").values()),
        "references": list(Reference.objects.order_by("pk").values()),
        "links": sorted(Post.tags.through.objects.values_list("content_object_id", "tag_id")),
    }


def test_loads_the_five_seed_posts():
    load_demo()
    posts = Post.objects.published().select_related("author")
    assert {p.title: timezone.localdate(p.published_at) for p in posts} == SEED_POSTS
    for post in posts:
        assert post.author.get_full_name() == "Lilian Weng"
        assert post.render_warnings == []
        assert post.summary.endswith("....") or post.summary.endswith("?...")
    lilian = get_user_model().objects.get(username="lilian")
    assert not lilian.has_usable_password()


def test_summaries_are_the_seed_card_text_without_update_notes_or_captions():
    load_demo()
    lm = Post.objects.get(title="Generalized Language Models")
    assert lm.summary.startswith("We have seen amazing progress in NLP in 2018.")
    assert "Updated on" not in lm.summary and "Fig. 0" not in lm.summary
    assert [str(n.date) for n in lm.update_notes.all()] == [
        "2019-02-14",
        "2020-02-29",
        "2020-10-25",
        "2020-12-13",
        "2020-12-30",
        "2021-11-13",
    ]
    overfit = Post.objects.get(title="Are Deep Neural Networks Dramatically Overfitted?")
    assert overfit.summary.startswith("If you are like me,")
    assert [n.note for n in overfit.update_notes.all()] == [
        "add the section on Lottery Ticket Hypothesis."
    ]
    es = Post.objects.get(title="Evolution Strategies")
    assert "<math" in es.summary_html  # $f(x): \mathbb{R}^n \to \mathbb{R}$


def test_tags_cover_the_topics_with_descriptions():
    load_demo()
    counts = {t.name: t.post_count for t in Tag.objects.with_published_counts()}
    for topic in ("evolution strategies", "meta-RL", "sim2real", "generalization"):
        assert counts[topic] == 1
    for broad in ("language models", "NLP", "robotics", "optimization"):
        assert counts[broad] >= 1
    assert counts["reinforcement learning"] == 3
    assert all(tag.description_html for tag in Tag.objects.all())


def test_bodies_exercise_every_pipeline_feature():
    load_demo()
    html = "".join(Post.objects.values_list("body_html", flat=True))
    for marker in (
        'display="inline"',
        'display="block"',
        "<mfrac",
        "∑",
        "\N{MATHEMATICAL DOUBLE-STRUCK CAPITAL E}",
        "∇",
        "<mtable",  # aligned, cases, matrices
        '<div class="highlight">',
        "<table",
        'class="footnote',
        "<dl>",
        "<abbr",
        "<figure",
        "<figcaption>",
        'src="/static/demo/',
        'class="figure-ref"',
        'class="citation"',
        'class="references"',
        "<h2",
        "<h3",
        "<h4",
    ):
        assert marker in html, marker
    assert 'class="missing-ref' not in html
    for post in Post.objects.all():
        assert post.references.exists()
        assert post.toc_html


def test_demo_images_exist(settings):
    import re
    from pathlib import Path

    load_demo()
    static = Path(settings.BASE_DIR) / "static"
    for body in Post.objects.values_list("body", flat=True):
        for path in re.findall(r"\(/static/(demo/[^ )]+)", body):
            assert (static / path).is_file(), path


def test_second_run_changes_nothing():
    load_demo()
    before = snapshot()
    output = load_demo()
    assert "0 post(s), 0 tag(s), 0 reference(s) created" in output
    assert snapshot() == before


def test_never_overwrites_a_writers_edits():
    load_demo()
    post = Post.objects.get(slug="evolution-strategies")
    post.body = "My own rewrite."
    post.title = "ES, revisited"
    post.save()
    post.tags.set(["mine"])
    Tag.objects.filter(name="sim2real").update(description="Edited.")
    load_demo()
    post.refresh_from_db()
    assert post.title == "ES, revisited"
    assert post.body == "My own rewrite."
    assert list(post.tags.names()) == ["mine"]
    assert Tag.objects.get(name="sim2real").description == "Edited."


def test_existing_tag_in_another_case_is_reused():
    Tag.objects.create(name="nlp")
    load_demo()
    assert Tag.objects.filter(name__iexact="nlp").count() == 1
    assert Post.objects.get(slug="lm").tags.filter(name__iexact="nlp").exists()


# Reading time in minutes each demo body must at least reach: long-form posts, like the real blog's.
MIN_READING_MINUTES = {
    "evolution-strategies": 14,
    "meta-rl": 11,
    "domain-randomization": 9,
    "overfit": 8,
    "lm": 8,
}


def test_bodies_are_long_form_and_render_without_warnings():
    load_demo()
    for post in Post.objects.all():
        assert post.render_warnings == [], post.slug
        assert post.reading_time >= MIN_READING_MINUTES[post.slug], post.slug
        assert post.body_html.count("<h2") >= 5, post.slug
        assert post.references.count() >= 7, post.slug

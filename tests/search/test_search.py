from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from posts.models import Post, Tag
from posts.search import MATCH_END, MATCH_START, highlight, search
from posts.search.query import SearchQueryError

pytestmark = pytest.mark.django_db


def titles(text):
    return [post.title for post in search(text)]


def test_matches_title_summary_body_and_tags(make_post):
    make_post(title="Policy gradient algorithms")
    make_post(title="Summary match", summary="About the reparametrization trick.")
    make_post(title="Body match", body="We discuss contrastive learning at length.")
    make_post(title="Tag match", tags=["Meta-Learning"])
    make_post(title="Unrelated")
    assert titles("gradient") == ["Policy gradient algorithms"]
    assert titles("reparametrization") == ["Summary match"]
    assert titles("contrastive") == ["Body match"]
    assert titles("meta learning") == ["Tag match"]


def test_only_published_posts_are_found(make_post):
    make_post(title="Public diffusion")
    make_post(title="Draft diffusion", status=Post.Status.DRAFT)
    make_post(title="Future diffusion", published_at=timezone.now() + timedelta(days=1))
    assert titles("diffusion") == ["Public diffusion"]


def test_a_scheduled_post_is_found_once_it_comes_due(make_post, travel_to):
    now = timezone.now()
    make_post(title="Scheduled diffusion", published_at=now + timedelta(days=1))
    assert titles("diffusion") == []
    # Time passes: nothing is re-indexed, the post simply comes due.
    travel_to(now + timedelta(days=1, minutes=1))
    assert titles("diffusion") == ["Scheduled diffusion"]
    assert search("diffusion").count() == 1


def test_title_and_tag_matches_rank_above_body_matches(make_post):
    body_only = "Transformer " + "filler words about other things. " * 30
    make_post(title="Body mention", body=body_only, published_at=timezone.now())
    make_post(title="The Transformer family", body="Something else entirely.")
    make_post(title="Tagged", body="Nothing here.", tags=["transformer"])
    found = titles("transformer")
    assert found[-1] == "Body mention"
    assert set(found[:2]) == {"The Transformer family", "Tagged"}


def test_stemming_finds_other_forms_of_a_word(make_post):
    make_post(title="Notes", body="Gradient-free optimization of neural networks.")
    assert titles("optimizing") == ["Notes"]
    assert titles("optimized networks") == ["Notes"]


def test_all_words_must_match(make_post):
    make_post(title="Both", body="Variational autoencoders and normalizing flows.")
    make_post(title="One", body="Variational inference only.")
    assert titles("variational flows") == ["Both"]


def test_phrases_match_words_in_order(make_post):
    make_post(title="In order", body="A generative adversarial network learns.")
    make_post(title="Scattered", body="The network is adversarial and generative.")
    assert titles('"adversarial network"') == ["In order"]


def test_excluded_words_drop_posts(make_post):
    make_post(title="Gans", body="Image synthesis via GANs plus diffusion.")
    make_post(title="Diffusion only", body="Image synthesis via diffusion.")
    assert titles("diffusion -gans") == ["Diffusion only"]
    assert titles('image -"synthesis via diffusion"') == ["Gans"]


def test_or_matches_either_word(make_post):
    make_post(title="Alpha", body="Word2vec embeddings.")
    make_post(title="Beta", body="GloVe embeddings.")
    make_post(title="Gamma", body="Neither here.")
    assert sorted(titles("word2vec OR glove")) == ["Alpha", "Beta"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        'attention "is all',
        "attention*",
        "NEAR(attention mechanism)",
        "title:attention",
        "attention ^mechanism",
        "'; DROP TABLE posts_post; --",
        "(attention",
        "attention)",
        "attention AND OR NOT",
        "-attention -",
        "\u00e9t\u00e9 \u4e2d\u6587 \U0001f600",
    ],
)
def test_hostile_or_odd_text_gives_results_or_a_clear_error(make_post, text):
    make_post(title="Attention mechanism", body="Attention is all you need.")
    try:
        list(search(text))
    except SearchQueryError as error:
        assert str(error)
    assert Post.objects.count() == 1


def test_the_index_follows_saves_deletes_and_tag_changes(make_post):
    post = make_post(title="Original title")
    post.title = "Renamed topic"
    post.save()
    assert titles("original") == []
    assert titles("renamed") == ["Renamed topic"]

    post.tags.add("Robotics")
    assert titles("robotics") == ["Renamed topic"]
    post.tags.remove("Robotics")
    assert titles("robotics") == []

    post.tags.set(["Planning"])
    tag = Tag.objects.get(name="Planning")
    tag.name = "Reasoning"
    tag.save()
    assert titles("planning") == []
    assert titles("reasoning") == ["Renamed topic"]
    tag.delete()
    assert titles("reasoning") == []

    post.tags.add("Control")
    post.tags.clear()
    assert titles("control") == []

    post.delete()
    assert titles("renamed") == []


def test_rebuild_command_restores_the_index(make_post):
    make_post(title="Kept in the index")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM posts_search_index")
    assert titles("kept") == []
    call_command("rebuild_search_index", verbosity=0)
    assert titles("kept") == ["Kept in the index"]


def test_snippets_mark_matches_and_escape_the_text(make_post):
    make_post(title="Html", body="Compare `<script>alert(1)</script>` with tokenization & parsing.")
    [post] = search("tokenization")
    html = highlight(post.search_snippet)
    assert "<mark>tokenization</mark>" in html
    assert "<script>" not in html
    assert "&amp; parsing" in html
    assert MATCH_START not in html and MATCH_END not in html


def test_highlight_escapes_and_drops_stray_markers():
    raw = f"<b>a</b> {MATCH_START}word{MATCH_END} {MATCH_START}dangling"
    assert highlight(raw) == "&lt;b&gt;a&lt;/b&gt; <mark>word</mark> dangling"
    assert highlight(None) == ""


def test_merging_tags_updates_the_index(make_post):
    from posts.writing.tags import merge_tags

    post = make_post(title="Merged", tags=["Reinforcement"])
    make_post(title="Both", tags=["Reinforcement", "RL"])
    survivor = Tag.objects.get(name="RL")
    merge_tags(survivor, list(Tag.objects.all()))
    assert titles("reinforcement") == []
    assert sorted(titles("rl")) == ["Both", post.title]


def test_snippets_show_formulas_as_readers_see_them(make_post):
    make_post(title="Math", body="The step size $\\alpha$ controls optimization speed.")
    [post] = search("optimization")
    snippet = str(highlight(post.search_snippet))
    assert "\u03b1" in snippet
    assert "\\alpha" not in snippet and "$" not in snippet


def test_code_blocks_are_searchable(make_post):
    make_post(
        title="Code", body="Sampling:\n\n```python\ndef sample_gaussian(mu):\n    pass\n```\n"
    )
    assert titles("sample_gaussian") == ["Code"]

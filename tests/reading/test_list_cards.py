"""Stored post cards (posts.list_cards): list pages print cards rendered when what they show
changed, and every such change shows on the very next list page."""

import pytest

from posts.list_cards import card_version, render_card
from posts.models import Post, Tag
from posts.writing.tags import merge_tags

pytestmark = pytest.mark.django_db


def _card_on_home(client, post):
    html = client.get("/").content.decode()
    start = html.index(f'href="{post.get_absolute_url()}"')
    return html[html.rindex("<article", 0, start) : html.index("</article>", start)]


def test_a_saved_post_stores_the_card_the_templates_render(post):
    stored = Post.objects.get(pk=post.pk)
    fresh = Post.objects.select_related("author").prefetch_related("tags").get(pk=post.pk)

    assert stored.card_version == card_version()
    assert stored.card_html == render_card(fresh)
    assert 'href="/tags/transformers/"' in stored.card_html


def _rename_tag(post):
    tag = Tag.objects.get(name="nlp")
    tag.name, tag.slug = "language", "language"
    tag.save()
    return 'href="/tags/language/"', 'href="/tags/nlp/"'


def _retag(post):
    post.tags.set(["sparse-attention"])
    return 'href="/tags/sparse-attention/"', 'href="/tags/nlp/"'


def _tag_from_its_side(post):
    Tag.objects.create(name="efficiency", slug="efficiency").tagged_posts.create(
        content_object=post
    )
    Tag.objects.get(slug="efficiency").save()  # any save of the tag refreshes its posts' cards
    return 'href="/tags/efficiency/"', "never-there"


def _delete_tag(post):
    Tag.objects.get(name="nlp").delete()
    return ">transformers</a></li></ul>", 'href="/tags/nlp/"'


def _merge_tags(post):
    survivor = Tag.objects.create(name="natural language", slug="natural-language")
    merge_tags(survivor, Tag.objects.filter(name="nlp"))
    return 'href="/tags/natural-language/"', 'href="/tags/nlp/"'


def _author_name(post):
    post.author.first_name = "Lil"
    post.author.save()
    return "Lil Weng", "Lilian Weng"


def _edit_title(post):
    post.title = "Attention, revised"
    post.save()
    return "Attention, revised", "never-there"


@pytest.mark.parametrize(
    "change",
    [_rename_tag, _retag, _tag_from_its_side, _delete_tag, _merge_tags, _author_name, _edit_title],
)
def test_a_change_to_what_a_card_shows_is_on_the_next_list_page(client, post, committed, change):
    before = _card_on_home(client, post)

    with committed():
        present, gone = change(post)
    after = _card_on_home(client, post)

    assert present not in before
    assert present in after
    assert gone not in after


def test_a_card_stored_by_other_templates_is_rendered_again_and_stored(client, post, committed):
    with committed():
        Post.objects.filter(pk=post.pk).update(card_html="<p>old card</p>", card_version="0ld")

    page = client.get("/").content.decode()

    assert "old card" not in page
    assert 'href="/tags/nlp/"' in page
    assert Post.objects.get(pk=post.pk).card_version == card_version()

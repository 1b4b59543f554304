"""A post's face when shared: a 1200 x 630 card from its cover, its first figure or its title,
made once the save is committed, in every public post's metadata."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image as PillowImage

from posts import cards
from posts.models import Image, Post
from tests.images import HOSTILE_SVG, image_bytes

pytestmark = pytest.mark.django_db


def card_of(post):
    post.refresh_from_db()
    assert post.card.startswith("cards/")
    with default_storage.open(post.card) as file:
        image = PillowImage.open(io.BytesIO(file.read()))
        image.load()
    return image


def test_a_post_without_figures_gets_a_title_card(make_post, media_root):
    post = make_post(title="Notes", body="Only words here.")
    card = card_of(post)
    assert (card.format, card.size) == ("PNG", (1200, 630))
    assert card.convert("RGB").getpixel((5, 300)) == cards.ACCENT  # the site's accent bar
    colours = {colour for _count, colour in card.convert("RGB").getcolors(1_000_000)}
    assert cards.INK in colours  # the title is drawn


def test_the_first_figure_is_the_card(make_post, media_root):
    red = Image.create_from_bytes(image_bytes(800, 400, color=(200, 20, 20)), "red.png", alt="R")
    blue = Image.create_from_bytes(image_bytes(800, 400, color=(20, 20, 200)), "b.png", alt="B")
    post = make_post(
        body=f'Text.\n\n![R]({red.url} "First.")\n\n![B]({blue.url} "Second.")\n',
    )
    card = card_of(post).convert("RGB")
    assert card.size == (1200, 630)
    r, _g, b = card.getpixel((600, 315))
    assert r > 150 and b < 100  # the red figure, fitted in the middle
    assert card.getpixel((5, 5)) == (255, 255, 255)  # on white, whole


def test_a_chosen_cover_wins_and_an_svg_cover_is_drawn_from_its_png(make_post, media_root):
    svg = Image.create_from_bytes(HOSTILE_SVG, "drawing.svg", alt="A blue drawing")
    post = make_post(body='![R](/media/none.png "A figure.")\n', cover=svg)
    card = card_of(post).convert("RGB")
    assert card.getpixel((600, 315)) == (0x33, 0x66, 0xCC)  # the drawing's rect


def test_an_unchanged_post_keeps_its_card_and_a_new_title_replaces_it(
    make_post, media_root, committed
):
    post = make_post(title="First title")
    first = Post.objects.get(pk=post.pk).card
    with committed():
        post.refresh_from_db()
        post.body = post.body + "\n\nMore words."
        post.save()
    assert Post.objects.get(pk=post.pk).card == first
    with committed():
        post.refresh_from_db()
        post.title = "Second title"
        post.save()
    second = Post.objects.get(pk=post.pk).card
    assert second != first
    assert default_storage.exists(second) and not default_storage.exists(first)


def test_an_unreadable_figure_falls_back_to_the_title_card(make_post, media_root):
    name = default_storage.save("images/2024/01/broken.png", ContentFile(b"not a png"))
    Image.objects.bulk_create(
        [Image(file=name, alt="Broken", width=10, height=10, sha256="x" * 64)]
    )
    post = make_post(body=f'![B](/media/{name} "Broken.")\n')
    assert card_of(post).size == (1200, 630)


def test_every_public_demo_post_has_a_card_that_loads(client, media_root, committed, settings):
    settings.SITE_URL = "https://blog.example.org"
    with committed():
        call_command("load_demo", stdout=io.StringIO())
    public = list(Post.objects.published())
    assert len(public) >= 5
    for post in public:
        html = client.get(post.get_absolute_url()).content.decode()
        [og] = re.findall(r'<meta property="og:image" content="([^"]+)"', html)
        assert 'name="twitter:card" content="summary_large_image"' in html
        assert og.startswith("https://blog.example.org/media/cards/")
        name = og.removeprefix("https://blog.example.org/media/")
        with default_storage.open(name) as file:
            card = PillowImage.open(file)
            card.load()
        assert card.size == (1200, 630), post.title
    # The demo's figures are static files (SVG drawings among them): those posts' cards show the
    # figure, not the title card's accent bar.
    with_figures = [p for p in public if "<figure" in p.body_html]
    assert any(cards.picture_source(p).endswith(".svg") for p in with_figures)
    for post in with_figures:
        assert card_of(post).convert("RGB").getpixel((5, 300)) != cards.ACCENT, post.title


def test_a_cached_page_names_the_new_card_after_a_change(client, make_post, media_root, committed):
    post = make_post(title="Before")
    url = post.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"  # cached with the first card
    with committed():
        post.refresh_from_db()
        post.title = "After"
        post.save()
    post.refresh_from_db()
    html = client.get(url).content.decode()
    assert f"/media/{post.card}" in html


def test_feeds_carry_the_card_as_an_enclosure(client, make_post, media_root, settings):
    from xml.etree import ElementTree

    settings.SITE_URL = "https://blog.example.org"
    post = make_post(title="Shared")
    post.refresh_from_db()
    expected = {
        "url": f"https://blog.example.org/media/{post.card}",
        "length": str(default_storage.size(post.card)),
        "type": "image/png",
    }
    rss = ElementTree.fromstring(client.get("/index.xml").content)
    [enclosure] = rss.iter("enclosure")
    assert enclosure.attrib == expected
    atom = ElementTree.fromstring(client.get("/feeds/atom/").content)
    [link] = [
        e for e in atom.iter("{http://www.w3.org/2005/Atom}link") if e.get("rel") == "enclosure"
    ]
    assert (link.get("href"), link.get("length"), link.get("type")) == (
        expected["url"],
        expected["length"],
        "image/png",
    )

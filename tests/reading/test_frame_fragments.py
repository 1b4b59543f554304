"""The frame's `{% cache %}` fragments (templates/base.html, partials/_pagination.html): rendered
once per process for each set of values they print, and never stale, since those values are
their key."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils.autoreload import file_changed

from posts.models import Tag

pytestmark = pytest.mark.django_db

FRAME_PARTIALS = {"partials/_metadata.html", "partials/_search_form.html"}


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False  # every view below runs the view and its templates


@pytest.fixture(autouse=True)
def empty_fragments():
    caches["template_fragments"].clear()


def rendered(response):
    return {template.name for template in response.templates}


def meta_content(html, name):
    return re.search(rf'<meta (?:name|property)="{name}" content="([^"]*)"', html).group(1)


@pytest.mark.parametrize("path", ["/", "/tags/nlp/", "/tags/"])
def test_a_second_view_prints_the_frame_from_memory_byte_for_byte(client, make_post, path):
    for _ in range(12):
        make_post(tags=["nlp"])

    first = client.get(path)
    second = client.get(path)

    assert rendered(first) >= FRAME_PARTIALS
    assert not FRAME_PARTIALS & rendered(second)
    assert second.content == first.content


def test_pagination_is_kept_for_its_own_page_links(client, make_post):
    for _ in range(25):
        make_post(tags=["nlp"])

    home, page_2 = client.get("/").content.decode(), client.get("/page/2/").content.decode()
    tag = client.get("/tags/nlp/").content.decode()

    assert 'aria-current="page" aria-label="Page 1, current page"' in home
    assert 'href="/page/2/" aria-current="page"' in page_2
    assert 'rel="prev" href="/"' in page_2 and 'rel="prev"' not in home
    assert 'rel="next" href="/tags/nlp/page/2/"' in tag
    assert 'href="/tags/nlp/page/3/" aria-label="Page 3"' in tag


def test_an_edited_tag_shows_its_new_description_and_name_in_the_metadata(client, make_post):
    make_post(tags=["nlp"])
    client.get("/tags/nlp/")
    tag = Tag.objects.get(slug="nlp")
    tag.name, tag.description = "NLP", "Language, *modelled*."
    tag.save()

    html = client.get("/tags/nlp/").content.decode()

    assert meta_content(html, "og:title").startswith("Posts tagged “NLP”")
    assert meta_content(html, "description") == "Language, modelled."


def test_the_navigation_marks_the_page_it_is_on(client, make_post):
    make_post(tags=["nlp"])

    home, tags = client.get("/").content.decode(), client.get("/tags/").content.decode()

    assert '<a href="/" aria-current="page">Posts</a>' in home
    assert '<a href="/tags/">Tags</a>' in home
    assert '<a href="/tags/" aria-current="page">Tags</a>' in tags
    assert '<a href="/">Posts</a>' in tags


def test_settings_a_fragment_prints_are_part_of_its_key(client, make_post, settings):
    make_post()
    client.get("/")
    settings.SITE_NAME, settings.PRODUCTION = "Another Log", False

    html = client.get("/").content.decode()

    assert '<a class="site-title" href="/">Another Log</a>' in html
    assert meta_content(html, "og:site_name") == "Another Log"
    assert '<meta name="robots" content="noindex">' in html
    settings.PRODUCTION = True
    assert '<meta name="robots" content="noindex">' not in client.get("/").content.decode()


def test_the_development_server_forgets_fragments_when_a_template_changes(client, make_post):
    make_post()
    client.get("/")

    file_changed.send(sender=None, file_path=settings.BASE_DIR / "posts" / "models" / "content.py")
    assert not FRAME_PARTIALS & rendered(client.get("/"))  # Python: the server restarts instead

    file_changed.send(sender=None, file_path=settings.BASE_DIR / "templates" / "base.html")
    assert rendered(client.get("/")) >= FRAME_PARTIALS


def test_searches_add_no_fragments(client, make_post, monkeypatch):
    """Each query is its own metadata and pagination: kept, they would only push the list
    pages' fragments out of the bounded cache (a crawler's junk queries)."""
    from posts.views.search import SearchView

    monkeypatch.setattr(SearchView, "paginate_by", 1)
    for n in range(3):
        make_post(title=f"Quagga {n}", body="A quagga.")
    fragments = caches["template_fragments"]
    first = client.get("/search/?q=quagga")
    kept = len(fragments._cache)  # the frame's own fragments, the same for every search

    for query in ("quagga", "quagga -zebra", "quagga OR okapi", "a quagga"):
        for page in (1, 2):
            response = client.get("/search/", {"q": query, "page": page})
            assert response.status_code == 200
            assert "Quagga" in response.content.decode()

    assert len(fragments._cache) == kept
    assert 'aria-label="Page 2"' in first.content.decode()
    assert "<title>" in first.content.decode()

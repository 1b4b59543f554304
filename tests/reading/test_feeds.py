from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from posts.feeds import FEED_LENGTH
from posts.models import Post, Tag

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
SITE = "https://blog.example.org"

BODY = """The loss $L$ is minimized[^1].

![A diagram](/media/posts/diagram.png)

See [the earlier post](/posts/2020-01-01-older/) and [an anchor](#details).

[^1]: A footnote.
"""


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def parse(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


@pytest.fixture
def rich_post(make_post):
    return make_post(
        title="Attention? Attention!",
        slug="attention",
        summary="Why *attention* works.",
        body=BODY,
        tags=["NLP", "Attention"],
    )


def test_site_atom_feed_is_complete_atom(client, rich_post):
    feed = parse(client.get("/feeds/atom/"))
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"alternate": f"{SITE}/", "self": f"{SITE}/feeds/atom/"}
    [entry] = feed.findall(f"{ATOM}entry")
    url = f"{SITE}{rich_post.get_absolute_url()}"
    assert entry.find(f"{ATOM}title").text == "Attention? Attention!"
    assert entry.find(f"{ATOM}link").get("href") == url
    assert entry.find(f"{ATOM}id").text == url
    assert entry.find(f"{ATOM}published").text.startswith(
        rich_post.published_at.strftime("%Y-%m-%dT")
    )
    assert entry.find(f"{ATOM}updated").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Lilian Weng"
    assert sorted(c.get("term") for c in entry.findall(f"{ATOM}category")) == ["Attention", "NLP"]
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "<em>attention</em>" in summary.text
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<math" in content.text and "$L$" not in content.text
    assert f'src="{SITE}/media/posts/diagram.png"' in content.text
    assert f'href="{SITE}/posts/2020-01-01-older/"' in content.text
    assert f'href="{url}#c-details"' in content.text
    assert f'href="{url}#c-fn:1"' in content.text


def test_site_rss_feed_is_complete_rss(client, rich_post):
    response = client.get("/index.xml")
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = parse(response)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.find("title").text == "Lil'Log"
    assert channel.find("link").text == f"{SITE}/"
    assert channel.find("description").text
    assert channel.find(f"{ATOM}link").get("href") == f"{SITE}/index.xml"
    [item] = channel.findall("item")
    url = f"{SITE}{rich_post.get_absolute_url()}"
    assert item.find("link").text == url
    assert item.find("guid").text == url
    assert item.find("pubDate").text
    assert item.find(f"{DC}creator").text == "Lilian Weng"
    assert sorted(c.text for c in item.findall("category")) == ["Attention", "NLP"]
    assert "<em>attention</em>" in item.find("description").text
    content = item.find(f"{CONTENT}encoded").text
    assert "<math" in content and f'src="{SITE}/media/posts/diagram.png"' in content


def test_updated_is_the_newest_update_note(client, rich_post):
    now = timezone.now()
    Post.objects.filter(pk=rich_post.pk).update(
        published_at=now - timedelta(days=30),
        updated_at=now - timedelta(days=20),
        revised_on=(now - timedelta(days=3)).date(),
    )
    entry = parse(client.get("/feeds/atom/")).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}updated").text.startswith(
        (now - timedelta(days=3)).date().isoformat()
    )
    assert entry.find(f"{ATOM}published").text.startswith(
        (now - timedelta(days=30)).date().isoformat()
    )


def test_feeds_hold_the_newest_published_posts_only(client, make_post):
    for n in range(FEED_LENGTH + 2):
        make_post(title=f"Public {n}")
    make_post(title="A draft", status=Post.Status.DRAFT, published_at=timezone.now())
    make_post(title="Scheduled", published_at=timezone.now() + timedelta(hours=1))
    for url in ("/feeds/atom/", "/index.xml"):
        titles = [el.text for el in parse(client.get(url)).iter() if el.tag.endswith("title")]
        assert "A draft" not in titles and "Scheduled" not in titles
        assert f"Public {FEED_LENGTH - 1}" in titles and f"Public {FEED_LENGTH}" not in titles
    entries = parse(client.get("/feeds/atom/")).findall(f"{ATOM}entry")
    assert len(entries) == FEED_LENGTH
    assert entries[0].find(f"{ATOM}title").text == "Public 0"


def test_tag_feeds(client, make_post):
    make_post(title="Tagged", tags=["Robotics"])
    make_post(title="Other", tags=["Vision"])
    make_post(title="Tagged draft", tags=["Robotics"], status=Post.Status.DRAFT)
    atom = parse(client.get("/tags/robotics/atom.xml"))
    assert [e.find(f"{ATOM}title").text for e in atom.findall(f"{ATOM}entry")] == ["Tagged"]
    assert atom.find(f"{ATOM}title").text == "Robotics · Lil'Log"
    links = {link.get("rel"): link.get("href") for link in atom.findall(f"{ATOM}link")}
    assert links == {
        "alternate": f"{SITE}/tags/robotics/",
        "self": f"{SITE}/tags/robotics/atom.xml",
    }
    rss = parse(client.get("/tags/robotics/index.xml"))
    assert [i.find("title").text for i in rss.iter("item")] == ["Tagged"]


def test_tag_feed_of_unknown_or_unpublished_tag_is_404(client, make_post):
    make_post(title="Draft", tags=["Secret"], status=Post.Status.DRAFT)
    assert client.get("/tags/secret/index.xml").status_code == 404
    assert client.get("/tags/secret/atom.xml").status_code == 404
    assert client.get("/tags/nothing/atom.xml").status_code == 404


def test_empty_site_feed_is_valid(client):
    feed = parse(client.get("/feeds/atom/"))
    assert feed.find(f"{ATOM}updated").text
    assert feed.findall(f"{ATOM}entry") == []


@pytest.mark.parametrize("count", [5, 60])
@pytest.mark.parametrize(("url", "queries"), [("/feeds/atom/", 2), ("/tags/shared/index.xml", 3)])
def test_feed_queries_do_not_grow_with_posts(
    client, make_post, django_assert_num_queries, count, url, queries
):
    for n in range(count):
        make_post(tags=["Shared", f"Own {n}"])
    with django_assert_num_queries(queries):
        client.get(url)


def test_rss_titles_and_categories_read_as_text_even_by_html_readers(client, make_post):
    make_post(title="Why <b>bold</b> & <script>x</script>?", tags=["<i>NLP</i> & more"])
    tag_url = f"/tags/{Tag.objects.get().slug}/index.xml"
    for url in ("/index.xml", tag_url):
        channel = parse(client.get(url)).find("channel")
        [item] = channel.findall("item")
        # After XML parsing a reader that treats the title as HTML still has escaped markup.
        assert (
            item.find("title").text
            == "Why &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;?"
        )
        assert [c.text for c in item.findall("category")] == ["&lt;i&gt;NLP&lt;/i&gt; &amp; more"]
    tag_channel = parse(client.get(tag_url)).find("channel")
    assert tag_channel.find("title").text.startswith("&lt;i&gt;NLP&lt;/i&gt; &amp; more · ")


def test_atom_titles_and_categories_are_text_escaped_once(client, make_post):
    make_post(title="Why <b>bold</b> & more?", tags=["<i>NLP</i>"])
    [entry] = parse(client.get("/feeds/atom/")).findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Why <b>bold</b> & more?"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["<i>NLP</i>"]

"""The feed text stored at save (`Post.feed_body_xml`, `feed_summary_xml`, `feed_key`): absolute
URLs made once, never served for another SITE_URL, slug or date."""

from datetime import timedelta
from io import StringIO
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator

from posts.feeds import FEED_LENGTH
from posts.models import Post, feed_entries, with_current_feed_text
from posts.xml_text import write_character_data, xml_character_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
OLD, NEW = "https://old.example.org", "https://new.example.org"

BODY = """A claim[^1], [a section](#details) and [the earlier post](/posts/2020-01-01-older/).

<img src="/media/f/a.png" srcset="/media/f/a.png 1x, /media/f/a@2x.png 2x" alt="A">

![A diagram](/media/posts/diagram.png)

[^1]: A footnote.
"""


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = OLD


def atom_entries(client, url="/feeds/atom/"):
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def atom_content(client):
    [entry] = atom_entries(client)
    return entry.find(f"{ATOM}content").text, entry.find(f"{ATOM}summary").text


def test_stored_feed_text_is_absolute_and_escaped_once(make_post):
    post = make_post(slug="claims", summary="See [the section](#details).", body=BODY)
    url = f"{OLD}{post.get_absolute_url()}"
    body, summary = unescape(post.feed_body_xml), unescape(post.feed_summary_xml)
    assert post.feed_key.endswith(f" {url}")
    assert f'href="{OLD}/posts/2020-01-01-older/"' in body
    assert f'href="{url}#c-details"' in body and f'href="{url}#c-fn:1"' in body
    assert f'src="{OLD}/media/posts/diagram.png"' in body
    assert f'srcset="{OLD}/media/f/a.png 1x, {OLD}/media/f/a@2x.png 2x"' in body
    assert f'href="{url}#c-details"' in summary
    assert 'href="/' not in body + summary and 'href="#' not in body + summary
    # Character data: no markup left unescaped, and the stored row says the same.
    assert "<" not in post.feed_body_xml and "&lt;a href=" in post.feed_body_xml
    assert Post.objects.get().feed_body_xml == post.feed_body_xml


def test_a_changed_site_url_is_never_served_with_the_old_host(client, settings, make_post):
    post = make_post(body=BODY)
    settings.SITE_URL = NEW
    content, summary = atom_content(client)
    assert OLD not in content + summary
    assert f'src="{NEW}/media/posts/diagram.png"' in content
    assert f'href="{NEW}{post.get_absolute_url()}#c-fn:1"' in content
    stored = Post.objects.get()  # made again and stored back for the next request
    assert stored.feed_key == stored.current_feed_key()
    assert OLD not in stored.feed_body_xml and NEW in stored.feed_body_xml


@pytest.mark.parametrize(
    "change",
    [
        {"slug": "renamed"},
        {"published_at": timezone.now() - timedelta(days=400)},
    ],
    ids=["slug", "date"],
)
def test_a_url_changed_without_a_save_is_never_served_stale(client, make_post, change):
    """A slug or date written by `update()` (no save, no render): the key tells."""
    post = make_post(body=BODY)
    old_url = f"{OLD}{post.get_absolute_url()}"
    Post.objects.filter(pk=post.pk).update(**change)
    new_url = f"{OLD}{Post.objects.get().get_absolute_url()}"
    assert new_url != old_url
    content, _ = atom_content(client)
    assert f'href="{new_url}#c-fn:1"' in content and old_url not in content


def test_a_saved_slug_change_stores_new_text(make_post):
    post = make_post(body=BODY)
    post.slug = "renamed"
    post.save()
    stored = Post.objects.get()
    assert stored.feed_key == stored.current_feed_key()
    assert f"{OLD}{stored.get_absolute_url()}#c-fn:1" in unescape(stored.feed_body_xml)


def test_rerender_posts_makes_the_feed_text(make_post):
    post = make_post(body=BODY)
    Post.objects.filter(pk=post.pk).update(feed_body_xml="", feed_summary_xml="", feed_key="")
    call_command("rerender_posts", stdout=StringIO())
    stored = Post.objects.get()
    assert stored.feed_key == stored.current_feed_key()
    assert f'src="{OLD}/media/posts/diagram.png"' in unescape(stored.feed_body_xml)


def test_bulk_inserted_posts_get_their_text_in_the_feed(client, author):
    """Rows written without `save()` (imports in bulk, bench/generate.py) have no text yet."""
    source = Post(slug="bulk", title="Bulk", body=BODY, author=author)
    source.render()
    Post.objects.bulk_create(
        [
            Post(
                slug="bulk",
                title="Bulk",
                author=author,
                status=Post.Status.PUBLISHED,
                published_at=timezone.now() - timedelta(days=1),
                body_html=source.body_html,
                summary_html=source.summary_html,
            )
        ]
    )
    content, _ = atom_content(client)
    assert f'src="{OLD}/media/posts/diagram.png"' in content
    assert Post.objects.get().feed_key == Post.objects.get().current_feed_key()


def test_stale_text_costs_one_query_and_one_update_per_post_then_nothing(
    client, make_post, django_assert_num_queries
):
    for _ in range(3):
        make_post(body=BODY)
    Post.objects.update(feed_key="1 https://made.for.another.site/")
    with django_assert_num_queries(2 + 1 + 3):  # posts, tags; rendered fields; 3 updates
        client.get("/feeds/atom/")
    # Stored back: the next feed's entries (posts, their tags) need nothing made again.
    with django_assert_num_queries(2):
        feed_entries(Post.objects.published().for_feed())


def test_a_save_meanwhile_is_not_overwritten(settings, make_post):
    """A feed that read stale rows stores its text only over the key it read."""
    post = make_post(body="First body.")
    settings.SITE_URL = NEW
    [entry] = Post.objects.published().for_feed()
    post.body = "Second body."
    post.save()  # a writer saves while the feed's request is between its queries
    [served] = with_current_feed_text([entry])
    assert served.feed_key == served.current_feed_key()
    assert "Second body." in Post.objects.get().feed_body_xml


def test_an_entry_deleted_meanwhile_serves_no_stale_text(settings, make_post):
    make_post(body=BODY)
    settings.SITE_URL = NEW
    [entry] = Post.objects.published().for_feed()
    Post.objects.all().delete()
    [served] = with_current_feed_text([entry])
    assert served.feed_body_xml == served.feed_summary_xml == ""


def test_control_characters_do_not_break_the_feeds(client, make_post):
    """XML 1.0 forbids them; Django's XML writer would raise (a 500) on them."""
    make_post(title="Control", body="Bell \x07 and form feed \x0c inside.")
    for url, content in (("/feeds/atom/", f"{ATOM}content"), ("/index.xml", f"{CONTENT}encoded")):
        response = client.get(url)
        assert response.status_code == 200
        root = ElementTree.fromstring(response.content)
        assert "Bell  and form feed  inside." in root.find(f".//{content}").text


def test_feeds_read_no_rendered_body(client, make_post, django_assert_num_queries):
    for n in range(FEED_LENGTH + 1):
        make_post(body=BODY, tags=[f"Tag {n}"])
    with django_assert_num_queries(2) as context:
        client.get("/feeds/atom/")
    posts_query = context.captured_queries[0]["sql"]
    assert "feed_body_xml" in posts_query and '"body_html"' not in posts_query


def test_character_data_is_written_as_the_xml_writer_escapes(tmp_path):
    """The feeds write stored text with `write_character_data`: the same bytes as the XML
    writer's own escaping of the text (less the characters XML cannot hold)."""
    text = 'a < b && c > "d" \x01 é'
    assert xml_character_data(text) == 'a &lt; b &amp;&amp; c &gt; "d"  é'
    written = []
    for write in (
        lambda handler: handler.addQuickElement("c", text.replace("\x01", ""), {"type": "html"}),
        lambda handler: write_character_data(
            handler, "c", xml_character_data(text), {"type": "html"}
        ),
        lambda handler: write_character_data(handler, "e", ""),
    ):
        path = tmp_path / "out.xml"
        with path.open("w", encoding="utf-8") as out:
            handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
            write(handler)
        written.append(path.read_text(encoding="utf-8"))
    assert written[0] == written[1]
    assert written[2] == "<e/>"

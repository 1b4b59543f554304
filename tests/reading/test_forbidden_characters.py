"""Characters XML 1.0 forbids (C0 controls but tab, newline and CR; U+FFFE, U+FFFF; lone
surrogates) in a title, summary, tag name or author name that got into the database some other
way than the admin's forms (which refuse them, tests/admin): every feed, the sitemap and the post
page (with its JSON-LD) are still 200 and well-formed, and show the text without them."""

import json
import re
from xml.dom import minidom
from xml.etree import ElementTree

import pytest

from posts.models import Post, Tag
from posts.xml_text import without_forbidden, xml_character_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FORBIDDEN = ["\x01", "\x08", "\x0b", "\x1f", "\ufffe", "\uffff"]
FEEDS = ("/index.xml", "/feeds/atom/", "/tags/robotics/index.xml", "/tags/robotics/atom.xml")


@pytest.fixture(autouse=True)
def _every_view_runs_the_view(settings):
    settings.PAGE_CACHE_ENABLED = False


def well_formed(response):
    assert response.status_code == 200
    minidom.parseString(response.content)
    return ElementTree.fromstring(response.content)


def texts(root) -> list[str]:
    found = [el.text or "" for el in root.iter()]
    return found + [value for el in root.iter() for value in el.attrib.values()]


@pytest.mark.parametrize("char", FORBIDDEN)
def test_feeds_and_sitemap_are_well_formed_whatever_the_text(client, make_post, author, char):
    author.first_name = f"Li{char}lian"
    author.save()
    post = make_post(
        title=f"Atten{char}tion\tand more",
        summary=f"Why{char} it works.",
        tags=["Robotics", f"Vis{char}ion"],
    )
    for url in FEEDS:
        root = well_formed(client.get(url))
        found = texts(root)
        assert not any(char in text for text in found), url
        assert "Attention\tand more" in found or "Attention\tand more · Lil'Log" in found, url
        assert "Lilian Weng" in found and "Vision" in found, url
        assert any("Why it works." in text for text in found), url
    assert post.get_absolute_url() in client.get("/sitemap.xml").content.decode()
    well_formed(client.get("/sitemap.xml"))


@pytest.mark.parametrize("char", FORBIDDEN)
def test_a_tag_feed_named_with_a_control_character_is_well_formed(client, make_post, char):
    make_post(title="Tagged", tags=[f"Robo{char}tics"])
    slug = Tag.objects.get().slug
    for url in (f"/tags/{slug}/index.xml", f"/tags/{slug}/atom.xml"):
        root = well_formed(client.get(url))
        assert "Robotics · Lil'Log" in texts(root), url
        assert not any(char in text for text in texts(root)), url


@pytest.mark.parametrize("char", FORBIDDEN)
def test_the_post_page_is_shown_and_its_json_ld_parses(client, make_post, char):
    """JSON has no forbidden characters: `json.dumps` writes C0 controls as `\\u0001`."""
    post = make_post(title=f"Atten{char}tion", summary=f"Why{char} it works.", tags=[f"A{char}b"])
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    headlines = [json.loads(block).get("headline") or "" for block in blocks]
    assert any(re.fullmatch(r"Atten\W?tion", headline) for headline in headlines)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("a\x00b\x1fc\x7fd", "abc\x7fd"),
        ("tab\tnew\nline\rcr", "tab\tnew\nline\rcr"),
        ("x\ufffey\uffffz\ufffd", "xyz\ufffd"),
        ("lone \ud800 and \udfff surrogates", "lone  and  surrogates"),
        ("a pair \U0001f600 stays", "a pair \U0001f600 stays"),
    ],
)
def test_without_forbidden_drops_exactly_what_xml_forbids(text, kept):
    assert without_forbidden(text) == kept
    assert xml_character_data(text) == kept
    ElementTree.fromstring(f"<a>{xml_character_data(text)}</a>".encode())


def test_stored_feed_text_made_by_the_older_rule_is_made_again(client, make_post):
    post = make_post(title="Old", summary="plain")
    old_key = post.feed_key.replace("2 ", "1 ", 1)
    Post.objects.filter(pk=post.pk).update(
        feed_summary_xml="&lt;p&gt;x\uffffy&lt;/p&gt;", feed_key=old_key
    )
    entry = well_formed(client.get("/feeds/atom/")).find(f"{ATOM}entry")
    assert "\uffff" not in entry.find(f"{ATOM}summary").text

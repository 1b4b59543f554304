"""Atom 1.0 and RSS 2.0 feeds of the newest published posts, for the site and for each tag.

Each entry carries the full rendered post (MathML included) with every link and image made
absolute, the summary, the author, the tags as categories, the published and updated dates and
the post's share card (`posts.share_cards`, a 1200 x 630 PNG, so readers that show a picture per
entry get a bitmap even when the post's figures are SVG) as an enclosure.
RSS puts the full post in `<content:encoded>` and the summary in `<description>`; Atom puts them
in `<content type="html">` and `<summary type="html">`.

The body and summary with absolute URLs are made when the post is saved, not here:
`Post.save()` stores them as XML character data (`Post.feed_body_xml`, `feed_summary_xml`; see
`posts.xml_text`) with the key they were made for (`feed_key`: SITE_URL, the post's date and slug).
`items()` reads them (`for_feed()` loads no rendered body) through `feed_entries()`,
which makes an entry's text again, and stores it, when its key is not the key of now, so a changed
SITE_URL or slug never shows old links; the writers put the text into the XML as it is, with no
HTML parsing or escaping per request. A feed takes a fixed number of queries (2, 3 for a tag) when
its entries are current, one more and one update per stale entry otherwise.

RSS 2.0 does not say whether `<title>` and `<category>` are text or HTML, and many readers treat
them as HTML: in RSS those (and the channel's title and description) are HTML-escaped before the
XML escaping, so `<b>` in a title reaches such a reader as the text "<b>". Atom says they are
text (its default `type="text"`), so there they are written once-escaped, as XML requires.

Characters that XML 1.0 forbids (`posts.xml_text`) never reach the writers: the admin refuses
them in titles, summaries and names, and whatever text got in some other way (an old row, the
shell) is written without them (`XmlSafeText`), so a feed stays 200 and well-formed.
"""

from __future__ import annotations

from html import escape

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from posts.absolute_urls import absolute_url
from posts.models import Post, Tag, feed_entries
from posts.xml_text import without_forbidden, write_character_data

FEED_LENGTH = 20
# Item fields that are XML character data already, made without forbidden characters.
CHARACTER_DATA = frozenset({"summary_xml", "content_xml"})


def xml_safe(values: dict) -> dict:
    """The feed's or an item's values, their text without the characters XML 1.0 forbids."""
    return {
        name: value if name in CHARACTER_DATA else _without_forbidden(value)
        for name, value in values.items()
    }


def _without_forbidden(value):
    if isinstance(value, str):
        return without_forbidden(value)
    if isinstance(value, (list, tuple)):
        return [_without_forbidden(part) for part in value]
    return value


class XmlSafeText:
    """For a feed writer: the feed's and each item's text is written without forbidden
    characters (Django's writer would stop at a control character and write U+FFFF)."""

    def add_root_elements(self, handler):
        feed, self.feed = self.feed, xml_safe(self.feed)
        try:
            super().add_root_elements(handler)
        finally:
            self.feed = feed

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, xml_safe(item))


class RssWithContent(XmlSafeText, Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_root_elements(self, handler):
        feed = self.feed
        self.feed = {
            **feed,
            "title": as_html_text(feed["title"]),
            "description": as_html_text(feed["description"]),
            "categories": [as_html_text(category) for category in feed["categories"]],
        }
        try:
            super().add_root_elements(handler)
        finally:
            self.feed = feed

    def add_item_elements(self, handler, item):
        item = {
            **item,
            "title": as_html_text(item["title"]),
            "categories": [as_html_text(category) for category in item["categories"]],
        }
        super().add_item_elements(handler, item)  # `description` is None: written here instead
        write_character_data(handler, "description", item["summary_xml"])
        write_character_data(handler, "content:encoded", item["content_xml"])


def as_html_text(text):
    """`text` as HTML that shows exactly that text (the XML writer escapes it once more)."""
    return escape(str(text), quote=False) if text else text


class AtomWithContent(XmlSafeText, Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)  # `description` is None: written here instead
        write_character_data(handler, "summary", item["summary_xml"], {"type": "html"})
        write_character_data(handler, "content", item["content_xml"], {"type": "html"})


class SiteFeed(Feed):
    """RSS 2.0 of the whole site at `/index.xml` (the address Lil'Log readers already use)."""

    feed_type = RssWithContent
    language = settings.LANGUAGE_CODE
    feed_url_name = "posts:feed-rss"

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return settings.SITE_DESCRIPTION

    subtitle = description

    def link(self, obj=None):
        return absolute_url(reverse("posts:home"))

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.feed_url_name))

    def items(self, obj=None):
        return feed_entries(Post.objects.published().for_feed()[:FEED_LENGTH])

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_description(self, item):
        return None  # the stored summary is XML text already: `summary_xml`

    def item_extra_kwargs(self, item):
        return {"summary_xml": item.feed_summary_xml, "content_xml": item.feed_body_xml}

    def item_enclosures(self, item):
        if not item.card:
            return []
        try:
            size = default_storage.size(item.card)
        except OSError:  # the file is gone (e.g. media not restored): no enclosure, no error
            return []
        return [Enclosure(absolute_url(default_storage.url(item.card)), str(size), "image/png")]

    def item_author_name(self, item):
        return item.author_name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_modified()

    def item_categories(self, item):
        return item.tag_names


class SiteAtomFeed(SiteFeed):
    """Atom 1.0 of the whole site at `/feeds/atom/`."""

    feed_type = AtomWithContent
    feed_url_name = "posts:feed-atom"


class TagFeed(SiteFeed):
    """RSS 2.0 of one tag at `/tags/<slug>/index.xml`; a tag without published posts is a 404."""

    feed_url_name = "posts:tag-feed-rss"

    def get_object(self, request, slug):
        return get_object_or_404(
            Tag.objects.with_published_counts().filter(post_count__gt=0), slug=slug
        )

    def title(self, obj=None):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj=None):
        return f"Posts tagged “{obj.name}” on {settings.SITE_NAME}."

    subtitle = description

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.feed_url_name, kwargs={"slug": obj.slug}))

    def items(self, obj=None):
        posts = Post.objects.published().for_feed().filter(tags=obj)[:FEED_LENGTH]
        return feed_entries(posts)


class TagAtomFeed(TagFeed):
    """Atom 1.0 of one tag at `/tags/<slug>/atom.xml`."""

    feed_type = AtomWithContent
    feed_url_name = "posts:tag-feed-atom"

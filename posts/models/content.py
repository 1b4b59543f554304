"""Posts and what belongs to one: series, update notes and old URLs.

Markdown is rendered once, when an object is saved (`posts.markup.render_markdown`); pages read the
stored HTML. `Post.objects.published()` is the one definition of what the public may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from posts import cite
from posts.absolute_urls import absolute_url, absolutize_html
from posts.markup import PIPELINE_VERSION, cited_keys, render_markdown
from posts.models.bibliography import Reference
from posts.models.images import with_responsive_images
from posts.models.listing import ListingVersion
from posts.models.tags import TaggedPost
from posts.routes import path_for
from posts.xml_text import xml_character_data


class SeriesQuerySet(models.QuerySet):
    def with_published_counts(self):
        """Annotate `post_count`: how many published posts each series has."""
        return self.annotate(
            post_count=models.Count("posts", filter=models.Q(posts__in=Post.objects.published()))
        )

    def listed(self):
        """Series with at least one published part, by title: the /series/ index."""
        return self.with_published_counts().filter(post_count__gt=0).order_by("title", "id")


class Series(models.Model):
    """An ordered run of posts ("Object Detection for Dummies", parts 1 to 4)."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    description_html = models.TextField(blank=True, editable=False)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("series")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description).html if self.description else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_for("posts:series", slug=self.slug)


# Stored text no list or feed shows: the Markdown source, its plain text and table of contents.
BODY_SOURCES = ("body", "body_text", "toc_html")
# Stored text a feed does not read: besides those, the rendered body and summary (a feed reads
# their feed text, `Post.feed_body_xml`), the summary's source, the list card and the warnings.
NOT_IN_FEEDS = (
    *BODY_SOURCES,
    "body_html",
    "summary",
    "summary_html",
    "card_html",
    "render_warnings",
)

# What a post page reads of its post (`PostQuerySet.for_page()`); the rest is in `page_parts`.
PAGE_FIELDS = (
    "title",
    "slug",
    "status",
    "published_at",
    "created_at",
    "series",
    "series_part",
    "card",
    "body_html",
    "toc_html",
    "page_parts",
    "page_links",
)

# The version of the feed text's making (`store_feed_text`): change it to make it all again.
FEED_TEXT_VERSION = "2"


def display_name(user) -> str:
    """How a writer is named on pages, in feeds and in the admin: full name, else user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Posts the public may see: published, with a publish time that has come (by `now`,
        the current time unless a caller that also reads another table gives its own)."""
        now = timezone.now() if now is None else now
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=now)

    def scheduled(self):
        """Published with a publish time still to come: the public sees them from then on."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())

    def next_due(self) -> datetime | None:
        """When the next scheduled post becomes public (what is stored for the published posts
        of now is out of date from then on), or None."""
        return (
            self.scheduled().order_by("published_at").values_list("published_at", flat=True).first()
        )

    def drafts(self):
        return self.filter(status=Post.Status.DRAFT)

    def in_state(self, state: str):
        """Posts in one of `Post.State`: draft, scheduled or published (public now)."""
        return {
            Post.State.DRAFT: self.drafts,
            Post.State.SCHEDULED: self.scheduled,
            Post.State.PUBLISHED: self.published,
        }[state]()

    def in_year(self, year: int):
        """Posts published in `year`, in the site's time zone (as the archive groups them)."""
        return self.filter(published_at__year=year)

    def for_listing(self):
        """What a post card needs, in a fixed number of queries, without the stored bodies (the
        Markdown and its rendered forms, tens of KB a post) that no card shows."""
        return (
            self.select_related("author", "cover")
            .prefetch_related("tags")
            .defer(*BODY_SOURCES, "body_html", *Post.FEED_FIELDS)
        )

    def for_results(self):
        """What a search result shows: title, date, reading time and author (its snippet comes
        with the search); no tags, cover, summary, card or stored body."""
        return self.select_related("author").defer(
            *BODY_SOURCES, "body_html", "summary", "summary_html", "card_html", *Post.FEED_FIELDS
        )

    def for_cards(self):
        """What a list of stored cards needs: the card and the version of the templates it came
        from; a stale card is rendered again from the whole post (`posts.list_cards`)."""
        return self.only("card_html", "card_version")

    def for_page(self):
        """What a post page reads in its one query: the rendered body and table of contents, the
        stored parts and links (`posts.page_parts`, `posts.post_links`) with the listing version
        of now, and what the page's URL, status and series box need (the series itself is read
        by the box, for a post in one)."""
        return self.only(*PAGE_FIELDS).annotate(listing_version=ListingVersion.current())

    def for_feed(self):
        """What a full-content feed entry needs: title, dates, author, share card and the stored
        feed text of body and summary (`Post.feed_body_xml`), not the rendered body it was made
        from. `feed_entries()` adds the tag names and makes stale feed text again."""
        return self.select_related("author").defer(*NOT_IN_FEEDS)


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class State(models.TextChoices):
        """Where a post stands for readers: the status and the clock together (not stored)."""

        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    summary = models.TextField(
        blank=True, help_text=_("Markdown. Left empty, the first paragraph of the body is used.")
    )
    body = models.TextField(help_text=_("Markdown, with $math$, [@citations] and figures."))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("A date in the future schedules the post. Publishing without one means now."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tags = TaggableManager(through=TaggedPost, blank=True)
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    series_part = models.PositiveSmallIntegerField(null=True, blank=True)
    references = models.ManyToManyField(
        Reference, blank=True, related_name="citing_posts", editable=False
    )
    revised_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Date of the newest update note, kept in step by UpdateNote."),
    )
    citation_key = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("BibTeX key for citing this post, e.g. weng2019evolution; stable once set."),
    )
    cover = models.ForeignKey(
        "posts.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="covered_posts",
        verbose_name=_("cover image"),
        help_text=_(
            "Shown as a thumbnail on the post's card and when the post is shared (1200 x 630 "
            "card). Left empty, sharing uses the post's first figure, or a title card."
        ),
    )
    card = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("The social card made at save (posts.share_cards), a MEDIA_ROOT path."),
    )
    import_source = models.CharField(
        max_length=500,
        blank=True,
        editable=False,
        help_text=_("Where an imported post came from, so that a re-import updates it."),
    )

    # Rendered once at save by posts.markup; never edited by hand.
    summary_html = models.TextField(blank=True, editable=False)
    body_html = models.TextField(blank=True, editable=False)
    toc_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    reading_time = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), default=1, editable=False
    )
    render_warnings = models.JSONField(default=list, blank=True, editable=False)
    render_version = models.CharField(max_length=20, blank=True, editable=False)
    # The post's card on list pages (title, summary, date, reading time, author, tags with their
    # URLs), rendered whenever one of those changes (`posts.list_cards`), and the card templates'
    # version it was rendered with.
    card_html = models.TextField(blank=True, editable=False)
    card_version = models.CharField(max_length=16, blank=True, editable=False)
    # Body and summary as feeds carry them, made at save: every URL absolute (`absolutize_html`),
    # stored as XML character data (`posts.xml_text`: escaped once, ready to be written as it
    # is). `feed_key` says what they were made for (`current_feed_key()`: the version of this
    # rewriting and the post's absolute URL, which holds SITE_URL, date and slug); a feed makes
    # them again when it differs from the key of now (`with_current_feed_text()`).
    feed_body_xml = models.TextField(blank=True, editable=False)
    feed_summary_xml = models.TextField(blank=True, editable=False)
    feed_key = models.CharField(max_length=700, blank=True, editable=False)
    # The page's parts that show this post alone (metadata, meta line, update notes, citation,
    # tags, share links) with the key they were made for (`posts.page_parts`), and its links to
    # other posts (newer, older, related) with the listing version they were made from
    # (`posts.post_links`).
    page_parts = models.JSONField(default=dict, blank=True, editable=False)
    page_links = models.JSONField(default=dict, blank=True, editable=False)

    # What every save writes besides the writer's fields, added to any `update_fields`.
    FEED_FIELDS = ("feed_body_xml", "feed_summary_xml", "feed_key")
    # What a save's render writes: `save(update_fields=Post.RENDERED_FIELDS)` renders again.
    RENDERED_FIELDS = (
        "summary_html",
        "body_html",
        "toc_html",
        "body_text",
        "word_count",
        "reading_time",
        "render_warnings",
        "render_version",
        *FEED_FIELDS,
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="post_status_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "series_part"], name="post_series_part_unique"
            ),
            models.UniqueConstraint(
                fields=["citation_key"],
                condition=~models.Q(citation_key=""),
                name="post_citation_key_unique",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.status == self.Status.PUBLISHED and not self.citation_key:
            self.citation_key = cite.assign_key(self)  # once; never changed afterwards
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "citation_key"}
        self.render()
        self.store_feed_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.FEED_FIELDS}
        super().save(*args, **kwargs)
        if self.pk:
            self.references.set(self._cited_references)

    def get_absolute_url(self):
        return path_for("posts:detail", **self.url_kwargs())

    @property
    def author_name(self) -> str:
        return display_name(self.author)

    @property
    def has_math(self) -> bool:
        """The body holds a formula: its page preloads the math font (css/math.css)."""
        return "<math" in self.body_html

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def state(self) -> str:
        """`Post.State`: a published post whose publish time is still to come is scheduled."""
        if self.status != self.Status.PUBLISHED:
            return self.State.DRAFT
        return self.State.PUBLISHED if self.is_public else self.State.SCHEDULED

    def get_previous_published(self):
        """The published post just before this one (older), or None."""
        return (
            Post.objects.published()
            .filter(
                models.Q(published_at__lt=self.published_at)
                | models.Q(published_at=self.published_at, id__lt=self.id)
            )
            .only("title", "slug", "published_at")
            .first()
        )

    def get_next_published(self):
        """The published post just after this one (newer), or None."""
        return (
            Post.objects.published()
            .filter(
                models.Q(published_at__gt=self.published_at)
                | models.Q(published_at=self.published_at, id__gt=self.id)
            )
            .only("title", "slug", "published_at")
            .order_by("published_at", "id")
            .first()
        )

    def last_modified(self):
        """When the content last changed for readers: the newest of the publish time and the
        newest update note (midnight UTC of its date). Saves without a note (typo fixes,
        re-rendering) do not count, so `updated_at` is not used."""
        times = [self.published_at or self.created_at or timezone.now()]
        if self.revised_on:
            times.append(datetime.combine(self.revised_on, time.min, tzinfo=UTC))
        return max(times)

    def url_kwargs(self):
        day = timezone.localdate(self.published_at or self.created_at or timezone.now())
        return {"date": day.strftime("%Y-%m-%d"), "slug": self.slug}

    def current_feed_key(self) -> str:
        """What the feed text of body and summary is made for, as of now: the rewriting's
        version and the post's absolute URL (SITE_URL, publish date in the site's time zone,
        slug). A stored `feed_key` that differs means the stored text is out of date."""
        return f"{FEED_TEXT_VERSION} {absolute_url(self.get_absolute_url())}"

    def store_feed_text(self):
        """Make the feed text of the rendered body and summary (`save()` calls this after
        `render()`); a post without a slug has no URL yet and gets none."""
        if not self.slug:
            self.feed_body_xml = self.feed_summary_xml = self.feed_key = ""
            return
        base = absolute_url(self.get_absolute_url())
        self.feed_body_xml = xml_character_data(absolutize_html(self.body_html, base))
        self.feed_summary_xml = xml_character_data(absolutize_html(self.summary_html, base))
        self.feed_key = self.current_feed_key()

    def render(self):
        """Render summary and body into the stored HTML fields."""
        bibliography = {
            ref.key: ref for ref in Reference.objects.filter(key__in=cited_keys(self.body))
        }
        body = render_markdown(self.body, bibliography=bibliography)
        self.body_html = with_responsive_images(body.html)
        self.toc_html = body.toc_html
        self.body_text = body.text
        self.word_count = body.word_count
        self.reading_time = body.reading_minutes
        self.render_warnings = list(body.warnings)
        self.summary_html = (
            render_markdown(self.summary).html if self.summary else body.first_paragraph_html
        )
        self.render_version = PIPELINE_VERSION
        self._cited_references = [
            bibliography[key] for key in body.citations if key in bibliography
        ]


def feed_entries(posts: Iterable[Post]) -> list[Post]:
    """The posts of a feed (`for_feed()`), each with its tag names by name (`tag_names`, one
    query for all: taggit's prefetch builds a queryset per post, a third of a feed's time) and
    feed text current for its URL (`with_current_feed_text`)."""
    posts = with_current_feed_text(posts)
    names: dict[int, list[str]] = {post.pk: [] for post in posts}
    if names:
        links = TaggedPost.objects.filter(content_object__in=names).order_by("tag__name", "tag")
        for post_pk, name in links.values_list("content_object", "tag__name"):
            names[post_pk].append(name)
    for post in posts:
        post.tag_names = names[post.pk]
    return posts


def with_current_feed_text(posts: Iterable[Post]) -> list[Post]:
    """The entries of a feed (`for_feed()`), each with feed text made for its URL as of now.

    Text made for another SITE_URL, slug, date or rewriting version (or never, e.g. rows
    inserted in bulk) is made again from the rendered fields, read in one query for all of
    them, and stored back, unless a save stored newer text meanwhile: the update only applies
    while the row still holds the key it was read with. Posts that are current cost nothing.
    """
    posts = list(posts)
    stale = {post.pk: post for post in posts if post.feed_key != post.current_feed_key()}
    if not stale:
        return posts
    rendered = Post.objects.filter(pk__in=stale).values_list("pk", "body_html", "summary_html")
    for pk, body_html, summary_html in rendered:
        post = stale.pop(pk)
        read_key = post.feed_key
        post.body_html, post.summary_html = body_html, summary_html
        post.store_feed_text()
        # `update()`: no signals, so this starts no page-cache generation (nothing shown changed).
        Post.objects.filter(pk=pk, feed_key=read_key).update(
            **{field: getattr(post, field) for field in Post.FEED_FIELDS}
        )
    for post in stale.values():  # deleted since the feed's query: an empty entry, never a stale one
        post.feed_body_xml = post.feed_summary_xml = ""
    return posts


class UpdateNote(models.Model):
    """A dated note shown at the top of a post: "[Updated on 2019-09-07: add a section on X.]"."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="update_notes")
    date = models.DateField(default=timezone.localdate)
    note = models.TextField(help_text=_("Markdown, one or two sentences."))
    note_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date}: {self.note[:60]}"

    def save(self, *args, **kwargs):
        self.note_html = render_markdown(self.note).html
        super().save(*args, **kwargs)  # `posts.signals` then keeps the post's `revised_on` in step

    @staticmethod
    def sync_revised_on(post_id):
        """Set `Post.revised_on` to the date of the post's newest note, in one UPDATE (which
        neither re-renders the post nor touches its `updated_at`)."""
        newest = (
            UpdateNote.objects.filter(post_id=models.OuterRef("pk"))
            .order_by("-date")
            .values("date")[:1]
        )
        Post.objects.filter(pk=post_id).update(revised_on=models.Subquery(newest))


class PostAlias(models.Model):
    """An old URL path of a post, answered with a 301 to the post's current URL."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="aliases")
    path = models.CharField(
        max_length=500, unique=True, help_text=_("A path on this site, e.g. /2019/09/05/es/.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("post aliases")

    def __str__(self):
        return self.path

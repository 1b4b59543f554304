"""The version of the public listing: which posts readers can open, with their titles, URLs,
dates and tags.

A post page links to other posts (newer, older, related), a tag page counts the tag's published
posts and the home page counts them all; each is stored (`posts.post_links`,
`Tag.published_post_count()`, `ListingVersion.count_published()`) for the listing version it was
made from. The receivers in `posts.signals` count a new version in the
transaction of any change to a post or to its tag links, so what is stored is current exactly
when its version is the one in this table (and, since a scheduled post comes due without a
change, until the next one's time).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.apps import apps
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

logger = logging.getLogger(__name__)


def store_on_read(queryset: models.QuerySet, **values) -> None:
    """`queryset.update(**values)` for what a reader's page view made and stores (no signals: it
    starts no page-cache generation). Failing, e.g. while another process writes to SQLite, it is
    logged and the page is shown all the same."""
    try:
        with transaction.atomic():
            queryset.update(**values)
    except DatabaseError:
        logger.warning("Could not store %s on %s", ", ".join(values), queryset, exc_info=True)


def count_and_store(
    posts: models.QuerySet, version: int | None, row: models.QuerySet, field: str
) -> int:
    """Count `posts` (public ones) and store the count in `field` of `row`, for the listing
    `version` (None: unknown, nothing is stored) and until the next scheduled post is due. The due
    time is read first: a post that comes due meanwhile shortens the stored count's life."""
    due = posts.model.objects.next_due()
    count = posts.count()
    if version is not None:
        store_on_read(row, **{field: count, "count_version": version, "count_until": due})
    return count


class ListingVersion(models.Model):
    """One row (pk 1), made by migration `0011_post_page_parts` and again by `bump()` if it is
    gone (a test that empties every table). Made again, it starts from the clock in microseconds,
    past any number the lost row could have counted to, so no stored links match it."""

    number = models.PositiveBigIntegerField(default=0)
    # How many posts are public, counted by the home page for a listing version and until the
    # next scheduled post is due (`count_published()`).
    published_count = models.PositiveIntegerField(null=True, editable=False)
    count_version = models.PositiveBigIntegerField(null=True, editable=False)
    count_until = models.DateTimeField(null=True, editable=False)

    ROW = 1

    class Meta:
        verbose_name = "listing version"

    def __str__(self):
        return f"listing version {self.number}"

    @classmethod
    def current(cls) -> RawSQL:
        """The current number as a subquery, to annotate the query that reads a post with it
        (written out: on every post page, a `Subquery` of a queryset took longer to compile
        than the rest of the page's query)."""
        table = connection.ops.quote_name(cls._meta.db_table)
        return RawSQL(f"SELECT number FROM {table} WHERE id = %s", (cls.ROW,))

    @staticmethod
    def is_current(
        version: int | None,
        stored_version: int | None,
        until: datetime | None,
        now: datetime | None = None,
    ) -> bool:
        """Whether what was stored for `stored_version`, good `until` the next scheduled post
        is due (None: no post was scheduled), is current as of `now` (default: the clock),
        `version` being the listing version of now (None: unknown, so nothing is current)."""
        if version is None or stored_version != version:
            return False
        return until is None or (now or timezone.now()) < until

    @classmethod
    def stored_count(cls) -> RawSQL:
        """The stored count of public posts while it is current (`is_current()`, written in SQL:
        counted for the current number, the next scheduled post not yet due), else NULL: a
        subquery, to annotate the query that reads a page of posts with it."""
        table = connection.ops.quote_name(cls._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return RawSQL(
            f"SELECT published_count FROM {table} WHERE id = %s AND count_version = number"
            " AND (count_until IS NULL OR count_until > %s)",
            (cls.ROW, now),
            output_field=models.PositiveIntegerField(),
        )

    @classmethod
    def count_published(cls) -> int:
        """Count the public posts and store the count for the current number (read first: a
        change meanwhile leaves the count stored for the number before it, out of date)."""
        posts = apps.get_model("posts", "Post").objects.published()
        version = cls.objects.filter(pk=cls.ROW).values_list("number", flat=True).first()
        return count_and_store(posts, version, cls.objects.filter(pk=cls.ROW), "published_count")

    @classmethod
    def bump(cls) -> None:
        """Count a change of the listing: every stored set of links is out of date from now on."""
        if cls.objects.filter(pk=cls.ROW).update(number=models.F("number") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=cls.ROW, number=time.time_ns() // 1000)
        except IntegrityError:  # made by a concurrent first change
            cls.objects.filter(pk=cls.ROW).update(number=models.F("number") + 1)

"""Grouping posts by year and month for the archive pages (/archives/, /archives/<yyyy>/).

An archive lists every published post, a thousand lines on a large site, so a line is made of
plain strings: the post's title, its path, its publish date in the site's time zone as the
`<time>` element's value ("2019-05-01") and as readers see it ("May 1"). The posts come as rows
of (title, slug, publish time) (`archive_rows()`: no model instances), the site's time zone and
the month names are looked up once a page, and the post paths (the ones
`Post.get_absolute_url()` gives) come from one reverse() a page, not one a post. The template
only prints the strings.

They come escaped for HTML (`html.escape`, what the template's autoescaping does, so the page is
the same), as safe strings: printing a safe string skips the template's escaping, which is most
of the cost of printing four thousand short strings.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from typing import TypedDict

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString

from posts.routes import path_for

ROW_FIELDS = ("title", "slug", "published_at")


class Entry(TypedDict):
    """One line of the archive: a published post, each string escaped for HTML. A dict, the type
    the template language looks a name up in first: a line prints four of them, and this page
    has a thousand lines."""

    title: SafeString
    url: SafeString
    datetime: SafeString  # "2019-05-01": the <time> element's value
    day: SafeString  # "May 1", as the `date:"M j"` filter prints it


@dataclass
class Month:
    date: date
    posts: list[Entry] = field(default_factory=list)

    @property
    def count(self):
        return len(self.posts)


@dataclass
class Year:
    year: int
    months: list[Month] = field(default_factory=list)

    @property
    def count(self):
        return sum(month.count for month in self.months)


def archive_rows(posts) -> Iterable[tuple[str, str, datetime]]:
    """(title, slug, publish time) of `posts` (a queryset of Post), newest first."""
    return posts.order_by("-published_at", "-id").values_list(*ROW_FIELDS)


def month_abbreviations() -> dict[int, str]:
    """Month number → its abbreviation as the `date:"M"` filter prints it in the active language,
    escaped for HTML."""
    return {month: html.escape(format_date(date(2000, month, 1), "M")) for month in range(1, 13)}


# Stand-ins for a post's date and slug that reverse() leaves as they are (both match their URL
# converters and need no quoting), for finding where they go in the post path.
DATE_MARK, SLUG_MARK = "1111-11-11", "s1u2g3"


def post_path_maker() -> Callable[[str, str], str]:
    """`make(date, slug)`: the path `Post.get_absolute_url()` gives for a post of that local
    publish date ("2019-05-01") and slug, from a single reverse() of the post URL; escaped for
    HTML."""
    path = html.escape(path_for("posts:detail", date=DATE_MARK, slug=SLUG_MARK))
    before, after_date = path.split(DATE_MARK)
    between, after = after_date.split(SLUG_MARK)
    return lambda day, slug: f"{before}{day}{between}{html.escape(slug)}{after}"


def archive_tree(rows: Iterable[tuple[str, str, datetime]]) -> list[Year]:
    """Years (newest first), each with its months and their posts, from (title, slug, publish
    time) rows newest first; months and dates in the site's time zone."""
    zone = timezone.get_current_timezone()
    abbreviations = month_abbreviations()
    post_path = post_path_maker()
    entries = []
    for title, slug, published_at in rows:
        day = published_at.astimezone(zone).date()
        iso = day.isoformat()  # digits and hyphens: nothing to escape
        entry = Entry(
            title=SafeString(html.escape(title)),
            url=SafeString(post_path(iso, slug)),
            datetime=SafeString(iso),
            day=SafeString(f"{abbreviations[day.month]} {day.day}"),
        )
        entries.append((day, entry))

    years = []
    for year, year_entries in groupby(entries, key=lambda entry: entry[0].year):
        months = [
            Month(date=date(year, month, 1), posts=[entry for _, entry in month_entries])
            for month, month_entries in groupby(year_entries, key=lambda entry: entry[0].month)
        ]
        years.append(Year(year=year, months=months))
    return years

"""Grouping posts by year and month for the archive page."""

from dataclasses import dataclass, field
from itertools import groupby

from django.utils import timezone


@dataclass
class Month:
    date: object
    posts: list = field(default_factory=list)

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


def archive_tree(posts):
    """Years (newest first), each with its months and their posts, from posts newest first."""

    def month_of(post):
        return timezone.localdate(post.published_at).replace(day=1)

    years = []
    for year, year_posts in groupby(posts, key=lambda post: month_of(post).year):
        months = [
            Month(date=month, posts=list(month_posts))
            for month, month_posts in groupby(year_posts, key=month_of)
        ]
        years.append(Year(year=year, months=months))
    return years

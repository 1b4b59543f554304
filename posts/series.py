"""A post's place in its series: "Part 2 of 4" and links to the other published parts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F


def published_parts(series):
    """The series' published posts in reading order: by part number (unnumbered last), then date."""
    return series.posts.published().order_by(
        F("series_part").asc(nulls_last=True), "published_at", "id"
    )


@dataclass(frozen=True)
class SeriesPosition:
    series: object
    parts: list  # published parts, in order
    number: int | None  # 1-based place of the post among them; None for a draft being previewed

    @property
    def total(self) -> int:
        return len(self.parts)


def series_position(post) -> SeriesPosition | None:
    """None when the post is in no series; otherwise one query for the parts."""
    if post.series_id is None:
        return None
    parts = list(published_parts(post.series).only("title", "slug", "published_at", "series"))
    ids = [part.pk for part in parts]
    number = ids.index(post.pk) + 1 if post.pk in ids else None
    return SeriesPosition(series=post.series, parts=parts, number=number)

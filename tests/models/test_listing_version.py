"""ListingVersion.is_current: the one rule for what is stored for a listing version (a post
page's links, a tag's count of published posts)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from posts.models import ListingVersion

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
SOON = NOW + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("version", "stored_version", "until", "current"),
    [
        (7, 7, None, True),  # no post was scheduled: current until the version changes
        (7, 7, SOON, True),
        (7, 6, None, False),  # the listing changed since
        (7, 8, SOON, False),
        (7, None, None, False),  # never stored
        (None, 7, None, False),  # the version of now is unknown
        (None, None, None, False),
        (7, 7, NOW, False),  # the scheduled post is due now
        (7, 7, NOW - timedelta(microseconds=1), False),
    ],
)
def test_the_rule_at_its_edges(version, stored_version, until, current):
    assert ListingVersion.is_current(version, stored_version, until, now=NOW) is current


def test_without_now_the_clock_says(travel_to):
    travel_to(NOW)
    assert ListingVersion.is_current(3, 3, SOON)
    travel_to(SOON)
    assert not ListingVersion.is_current(3, 3, SOON)
    assert timezone.now() == SOON

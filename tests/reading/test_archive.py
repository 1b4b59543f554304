"""`archive_tree`: posts (newest first) grouped by year, then month, in the site's time zone."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from posts.archive import archive_tree

UTC = ZoneInfo("UTC")


def post(title, *when):
    return SimpleNamespace(title=title, published_at=datetime(*when, tzinfo=UTC))


def shape(years):
    return [
        (
            year.year,
            year.count,
            [(m.date, m.count, [p.title for p in m.posts]) for m in year.months],
        )
        for year in years
    ]


def test_groups_years_then_months_keeping_order():
    posts = [
        post("ES", 2019, 9, 5, 12),
        post("Meta-RL", 2019, 6, 23, 12),
        post("Sim2Real", 2019, 5, 5, 12),
        post("Overfitting", 2019, 5, 1, 12),
        post("GLM", 2018, 1, 31, 12),
    ]
    with timezone.override(UTC):
        years = archive_tree(posts)
    assert shape(years) == [
        (
            2019,
            4,
            [
                (date(2019, 9, 1), 1, ["ES"]),
                (date(2019, 6, 1), 1, ["Meta-RL"]),
                (date(2019, 5, 1), 2, ["Sim2Real", "Overfitting"]),
            ],
        ),
        (2018, 1, [(date(2018, 1, 1), 1, ["GLM"])]),
    ]


def test_no_posts_no_years():
    assert archive_tree([]) == []


def test_months_follow_the_sites_time_zone():
    """23:30 UTC on New Year's Eve is already January in Berlin."""
    posts = [post("Late", 2019, 12, 31, 23, 30)]
    with timezone.override(UTC):
        assert shape(archive_tree(posts)) == [(2019, 1, [(date(2019, 12, 1), 1, ["Late"])])]
    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert shape(archive_tree(posts)) == [(2020, 1, [(date(2020, 1, 1), 1, ["Late"])])]


def test_accepts_any_iterable_once():
    years = archive_tree(iter([post("A", 2020, 2, 1), post("B", 2020, 1, 1)]))
    assert [year.count for year in years] == [2]
    assert [month.count for month in years[0].months] == [1, 1]

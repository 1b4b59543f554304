"""The archive pages: `archive_tree` groups (title, slug, publish time) rows, newest first, by year
then month in the site's time zone; each line is what the per-post template printed before
(`Post.get_absolute_url()`, the `date` filter), in one query whatever the number of posts."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.urls import set_script_prefix
from django.utils import timezone, translation

from posts.archive import archive_rows, archive_tree
from posts.models import Post

UTC = ZoneInfo("UTC")

# The archive's line as the template printed it from each post, before the lines were made of
# stored strings: what a reader must still get.
PER_POST_LINE = engines["django"].from_string(
    '<li><a href="{{ post.get_absolute_url }}">{{ post.title }}</a> <time datetime="'
    '{{ post.published_at|date:\'Y-m-d\' }}">{{ post.published_at|date:"M j" }}</time></li>'
)


def row(title, *when, slug=None):
    return (title, slug or title.lower(), datetime(*when, tzinfo=UTC))


def shape(years):
    return [
        (
            year.year,
            year.count,
            [(m.date, m.count, [p["title"] for p in m.posts]) for m in year.months],
        )
        for year in years
    ]


def test_groups_years_then_months_keeping_order():
    rows = [
        row("ES", 2019, 9, 5, 12),
        row("Meta-RL", 2019, 6, 23, 12),
        row("Sim2Real", 2019, 5, 5, 12),
        row("Overfitting", 2019, 5, 1, 12),
        row("GLM", 2018, 1, 31, 12),
    ]
    with timezone.override(UTC):
        years = archive_tree(rows)
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


def test_months_and_dates_follow_the_sites_time_zone():
    """23:30 UTC on New Year's Eve is already January in Berlin, and so are the date and path."""
    rows = [row("Late", 2019, 12, 31, 23, 30, slug="late")]
    with timezone.override(UTC):
        years = archive_tree(rows)
        assert shape(years) == [(2019, 1, [(date(2019, 12, 1), 1, ["Late"])])]
        assert years[0].months[0].posts == [
            {
                "title": "Late",
                "url": "/posts/2019-12-31-late/",
                "datetime": "2019-12-31",
                "day": "Dec 31",
            }
        ]
    with timezone.override(ZoneInfo("Europe/Berlin")):
        years = archive_tree(rows)
        assert shape(years) == [(2020, 1, [(date(2020, 1, 1), 1, ["Late"])])]
        assert years[0].months[0].posts == [
            {
                "title": "Late",
                "url": "/posts/2020-01-01-late/",
                "datetime": "2020-01-01",
                "day": "Jan 1",
            }
        ]


def test_accepts_any_iterable_once():
    years = archive_tree(iter([row("A", 2020, 2, 1), row("B", 2020, 1, 1)]))
    assert [year.count for year in years] == [2]
    assert [month.count for month in years[0].months] == [1, 1]


def test_the_day_is_named_as_the_date_filter_names_it_in_the_active_language():
    rows = [row("May", 2019, 5, 1, 12), row("Dec", 2018, 12, 24, 12)]
    for language in ("en", "de", "fr"):
        with translation.override(language), timezone.override(UTC):
            lines = [p for y in archive_tree(rows) for m in y.months for p in m.posts]
            expected = [
                engines["django"].from_string('{{ d|date:"M j" }}').render({"d": when}).strip()
                for _, _, when in rows
            ]
        assert [line["day"] for line in lines] == expected, language


def lines_of(html):
    return re.findall(r"<li><a href=\"/posts/.*?</li>", html)


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles"])
def test_each_line_is_what_the_per_post_template_printed(client, make_post, settings, zone):
    """Titles with markup, dates near midnight and the turn of the year, in several time zones:
    the archive and the year's page print the same lines, byte for byte, as the template did from
    each post."""
    settings.TIME_ZONE = zone
    settings.PAGE_CACHE_ENABLED = False
    titles = ['Tom & Jerry <b>"quoted"</b>', "It's O'Neil", "Plain", "Üñíçødé — dash", "1 < 2"]
    times = [
        datetime(2020, 1, 1, 0, 30, tzinfo=UTC),
        datetime(2019, 12, 31, 23, 30, tzinfo=UTC),
        datetime(2019, 7, 4, 12, tzinfo=UTC),
        datetime(2019, 3, 1, 7, 59, tzinfo=UTC),
        datetime(2018, 2, 28, 23, 59, tzinfo=UTC),
    ]
    for title, when in zip(titles, times, strict=True):
        make_post(title=title, published_at=when)
    make_post(title="A draft", status=Post.Status.DRAFT, published_at=times[2])
    make_post(title="Tomorrow", published_at=timezone.now() + timedelta(days=1))
    with timezone.override(ZoneInfo(zone)):
        posts = list(Post.objects.published())
        expected = [PER_POST_LINE.render({"post": post}) for post in posts]
        years = sorted({timezone.localtime(post.published_at).year for post in posts}, reverse=True)
    assert len(expected) == 5
    assert lines_of(client.get("/archives/").content.decode()) == expected
    by_year = [
        line for y in years for line in lines_of(client.get(f"/archives/{y}/").content.decode())
    ]
    assert by_year == expected


@pytest.mark.django_db
def test_the_post_paths_follow_the_script_prefix(make_post):
    """A site served under a prefix (SCRIPT_NAME): each line's path is still the post's own."""
    make_post(title="Prefixed", slug="prefixed", published_at=datetime(2019, 5, 5, 12, tzinfo=UTC))
    set_script_prefix("/blog/")
    try:
        post = Post.objects.get(slug="prefixed")
        [year] = archive_tree(archive_rows(Post.objects.published()))
        assert year.months[0].posts[0]["url"] == post.get_absolute_url()
        assert post.get_absolute_url().startswith("/blog/posts/")
    finally:
        set_script_prefix("/")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize("path", ["/archives/", "/archives/{year}/"])
def test_the_archive_pages_take_one_query(
    client, make_post, settings, django_assert_num_queries, count, path
):
    """The published posts' titles, slugs and dates, in one query, as many as they are."""
    settings.PAGE_CACHE_ENABLED = False
    year = timezone.localtime().year - 1
    zone = timezone.get_current_timezone()
    for n in range(count):
        make_post(published_at=datetime(year, 1 + n % 12, 1 + n % 28, 12, tzinfo=zone))
    url = path.format(year=year)
    assert client.get(url).status_code == 200
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(lines_of(response.content.decode())) == count

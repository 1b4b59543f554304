"""Series: the series page, "Part 2 of 4" navigation on every part, and the parts inline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from posts.models import Post, Series
from posts.series import series_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    return Series.objects.create(
        title="Object Detection for Dummies", slug="object-detection", description="Four *parts*."
    )


@pytest.fixture
def parts(series, make_post):
    """Parts 1-4 published (created out of order); part 5 a draft, part 6 scheduled."""
    made = {}
    for number in (3, 1, 4, 2):
        made[number] = make_post(
            title=f"Object Detection Part {number}",
            series=series,
            series_part=number,
            published_at=timezone.now() - timedelta(days=10 - number),
        )
    made[5] = make_post(title="Draft part", series=series, series_part=5, status=Post.Status.DRAFT)
    made[6] = make_post(
        title="Scheduled part",
        series=series,
        series_part=6,
        published_at=timezone.now() + timedelta(days=1),
    )
    return made


def test_the_series_page_lists_published_parts_in_order(client, series, parts):
    response = client.get(series.get_absolute_url())
    assert response.status_code == 200
    assert [p.title for p in response.context["parts"]] == [
        f"Object Detection Part {n}" for n in (1, 2, 3, 4)
    ]
    html = response.content.decode()
    assert "<em>parts</em>" in html
    assert "A series in 4 parts." in html
    assert "Draft part" not in html
    assert "Scheduled part" not in html
    positions = [html.index(parts[n].get_absolute_url()) for n in (1, 2, 3, 4)]
    assert positions == sorted(positions)


def test_every_part_shows_its_place_and_links_the_others(client, parts):
    html = client.get(parts[2].get_absolute_url()).content.decode()
    assert "Part 2 of 4 in the series" in html
    nav = html[html.index('class="series-nav"') : html.index("</nav>", html.index("series-nav"))]
    for n in (1, 3, 4):
        assert f'href="{parts[n].get_absolute_url()}"' in nav
    assert f'href="{parts[2].get_absolute_url()}"' not in nav
    assert '<span aria-current="page">Object Detection Part 2</span>' in nav
    assert "Draft part" not in nav
    assert "Scheduled part" not in nav
    assert nav.index("Part 1") < nav.index("Part 3") < nav.index("Part 4")
    # After the meta line, before the body.
    assert html.index('class="post-meta"') < html.index("series-nav") < html.index("post-body")


def test_a_draft_part_previewed_by_staff_is_not_counted(writer_client, parts):
    html = writer_client.get(parts[5].get_absolute_url()).content.decode()
    assert "Part of the series" in html
    assert "of 4" not in html


def test_a_post_outside_any_series_has_no_series_nav(client, make_post):
    post = make_post()
    assert series_position(post) is None
    assert "series-nav" not in client.get(post.get_absolute_url()).content.decode()


def test_numbering_counts_only_published_parts(parts):
    parts[2].status = Post.Status.DRAFT
    parts[2].save()
    position = series_position(Post.objects.get(pk=parts[3].pk))
    assert (position.number, position.total) == (2, 3)


def test_the_series_nav_costs_one_query(parts, django_assert_num_queries):
    post = Post.objects.select_related("series").get(pk=parts[3].pk)
    with django_assert_num_queries(1):
        position = series_position(post)
        urls = [part.get_absolute_url() for part in position.parts]
    assert len(urls) == 4


def test_unknown_series_is_a_404(client):
    assert client.get("/series/nothing/").status_code == 404


def test_the_series_admin_renumbers_parts_inline(writer_client, series, parts):
    url = reverse("admin:posts_series_change", args=[series.pk])
    page = writer_client.get(url)
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"][0].formset
    order = [form.instance.series_part for form in formset.forms]
    assert order == [1, 2, 3, 4, 5, 6]
    data = {
        "title": series.title,
        "slug": series.slug,
        "description": series.description,
        "posts-TOTAL_FORMS": "6",
        "posts-INITIAL_FORMS": "6",
    }
    swap = {1: 2, 2: 1}  # swap parts 1 and 2 in one save
    for i, form in enumerate(formset.forms):
        number = form.instance.series_part
        data[f"posts-{i}-id"] = form.instance.pk
        data[f"posts-{i}-series"] = series.pk
        data[f"posts-{i}-series_part"] = swap.get(number, number)
    response = writer_client.post(url, data)
    assert response.status_code == 302
    assert Post.objects.get(pk=parts[1].pk).series_part == 2
    assert Post.objects.get(pk=parts[2].pk).series_part == 1
    # Two parts on one number is a form error, and nothing changes.
    data["posts-2-series_part"] = 4
    response = writer_client.post(url, data)
    assert response.status_code == 200
    assert Post.objects.get(pk=parts[3].pk).series_part == 3

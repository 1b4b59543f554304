"""Reader pages through the test client: what a reader sees, pagination edges, 404s, drafts."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from posts.models import Post, Series, Tag, UpdateNote

pytestmark = pytest.mark.django_db


def text_of(response):
    return response.content.decode()


def titles_on(response):
    return [post.title for post in response.context["posts"]]


def make_posts(make_post, count, **fields):
    """`count` published posts, newest first: "Post 1" is a day old, "Post 2" two days..."""
    return [make_post(**fields) for _ in range(count)]


# ---- Home page and its numbered pages ----------------------------------------------------


def test_home_shows_cards_with_everything_a_reader_needs(client, make_post):
    make_post(
        title="Evolution Strategies",
        summary="Black-box optimisation of $f(x)$ without gradients.",
        body="Words " * 440,
        published_at=datetime(2019, 9, 5, 12, tzinfo=timezone.get_current_timezone()),
        tags=["Evolution Strategies", "Optimization"],
    )
    response = client.get("/")
    html = text_of(response)
    assert response.status_code == 200
    assert ">Evolution Strategies</a>" in html
    assert "Black-box optimisation of" in html
    assert "<math" in html  # the summary is rendered Markdown, math included
    assert "September 5, 2019" in html
    assert '· <span class="reading-time">3 min</span> ·' in html
    assert "Lilian Weng" in html
    assert 'href="/tags/evolution-strategies/" rel="tag">Evolution Strategies</a>' in html
    assert 'href="/posts/2019-09-05-post-1/"' in html


def test_home_lists_newest_first_ten_a_page(client, make_post):
    make_posts(make_post, 12)
    response = client.get("/")
    assert titles_on(response) == [f"Post {n}" for n in range(1, 11)]
    assert titles_on(client.get("/page/2/")) == ["Post 11", "Post 12"]


def test_home_with_no_posts_is_an_empty_page_not_a_404(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No posts yet." in text_of(response)


@pytest.mark.parametrize(
    ("count", "pages"),
    [(1, 1), (10, 1), (11, 2), (20, 2), (21, 3)],
)
def test_pagination_edges(client, make_post, count, pages):
    make_posts(make_post, count)
    for number in range(2, pages + 1):
        response = client.get(f"/page/{number}/")
        assert response.status_code == 200, number
        expected = min(10, count - 10 * (number - 1))
        assert len(response.context["posts"]) == expected
    assert client.get(f"/page/{pages + 1}/").status_code == 404
    home = client.get("/")
    assert len(home.context["posts"]) == min(10, count)
    assert ('aria-label="Pages"' in text_of(home)) == (pages > 1)


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/page/02/", "/page/2/"),
        ("/page/002/", "/page/2/"),
        ("/page/01/", "/"),
        ("/tags/nlp/page/02/", "/tags/nlp/page/2/"),
        ("/tags/NLP/page/02/", "/tags/nlp/page/2/"),
    ],
)
def test_other_spellings_of_a_page_number_redirect_to_its_one_address(
    client, make_post, url, target
):
    make_posts(make_post, 11, tags=["NLP"])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1] == (target, 301)
    assert all(status == 301 for _, status in response.redirect_chain)
    assert response.status_code == 200


def test_page_one_redirects_permanently_to_the_home_page(client, make_post):
    make_posts(make_post, 11)
    response = client.get("/page/1/")
    assert response.status_code == 301
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "url", ["/page/0/", "/page/-1/", "/page/abc/", "/page/3/", "/page/99999999999999999999/"]
)
def test_bad_page_numbers_are_styled_404s(client, make_post, url):
    make_posts(make_post, 11)
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert 'class="site-header"' in text_of(response)  # the styled page, with the site layout


def test_query_string_page_numbers_are_ignored(client, make_post):
    make_posts(make_post, 11)
    assert titles_on(client.get("/?page=2"))[0] == "Post 1"
    assert client.get("/?page=abc").status_code == 200


def test_pagination_links_on_a_middle_page(client, make_post):
    make_posts(make_post, 30)
    html = text_of(client.get("/page/2/"))
    assert '<a class="pagination-newer" rel="prev" href="/">' in html
    assert '<a class="pagination-older" rel="next" href="/page/3/">' in html
    assert 'href="/page/2/" aria-current="page"' in html
    assert 'href="/page/1/"' not in html  # page 1 is always linked as /


def test_first_and_last_pages_have_one_step_link(client, make_post):
    make_posts(make_post, 11)
    first, last = text_of(client.get("/")), text_of(client.get("/page/2/"))
    assert "pagination-older" in first and "pagination-newer" not in first
    assert "pagination-newer" in last and "pagination-older" not in last


def test_many_pages_are_elided(client, make_post):
    make_posts(make_post, 200)  # 20 pages
    response = client.get("/page/10/")
    numbers = [link.number for link in response.context["page_links"]]
    assert numbers == [1, None, 9, 10, 11, None, 20]
    assert text_of(response).count('class="pagination-gap"') == 2


# ---- A post ----------------------------------------------------------------------------


@pytest.fixture
def full_post(make_post):
    post = make_post(
        title="Generalized Language Models",
        slug="generalized-language-models",
        published_at=datetime(2019, 1, 31, 9, tzinfo=timezone.get_current_timezone()),
        body=(
            "Intro with $\\alpha + \\beta$ inline.\n\n"
            "## Pre-training\n\nText.\n\n### ELMo\n\n$$\\sum_{i=1}^n x_i$$\n\n"
            "```python\nprint('hi')\n```\n\n## Summary\n\nEnd."
        ),
        tags=["NLP", "Language Model"],
    )
    UpdateNote.objects.create(post=post, date=date(2019, 2, 14), note="add ULMFiT and GPT-2.")
    UpdateNote.objects.create(post=post, date=date(2020, 2, 29), note="add ALBERT.")
    return post


def test_post_page_shows_what_a_reader_needs(client, full_post, settings):
    settings.PRODUCTION = True  # outside production every page says noindex (see test_seo)
    response = client.get("/posts/2019-01-31-generalized-language-models/")
    html = text_of(response)
    assert response.status_code == 200
    assert '<h1 class="post-title">Generalized Language Models</h1>' in html
    assert re.search(
        r"January 31, 2019</time> · <span[^>]*>1 min</span> · <span[^>]*>Lilian Weng", html
    )
    assert '<details class="post-toc" id="toc">' in html
    assert '<a href="#c-pre-training">Pre-training</a>' in html
    assert '<a href="#c-elmo">ELMo</a>' in html
    assert html.count("<math") == 2  # inline and display math survive
    assert '<div class="highlight">' in html
    assert 'class="anchor" href="#c-summary"' in html
    assert 'href="/tags/nlp/" rel="tag">NLP</a>' in html
    assert 'name="robots"' not in html
    assert "status-banner" not in html


def test_update_notes_are_shown_at_the_top_in_order(client, full_post):
    html = text_of(client.get(full_post.get_absolute_url()))
    plain = re.sub(r"<[^>]+>", "", html[html.index("<main") :])
    first = plain.index("[Updated on 2019-02-14: add ULMFiT and GPT-2.]")
    second = plain.index("[Updated on 2020-02-29: add ALBERT.]")
    assert first < second < plain.index("Intro with")


def test_post_without_headings_has_no_toc(client, make_post):
    post = make_post(body="Just one paragraph.")
    assert "Table of Contents" not in text_of(client.get(post.get_absolute_url()))


def test_previous_and_next_links_follow_publication_order(client, make_post):
    newer, middle, older = make_posts(make_post, 3)
    make_post(status=Post.Status.DRAFT, published_at=timezone.now() - timedelta(hours=1))
    html = text_of(client.get(middle.get_absolute_url()))
    assert f'rel="prev" href="{newer.get_absolute_url()}"' in html
    assert f'rel="next" href="{older.get_absolute_url()}"' in html
    newest = text_of(client.get(newer.get_absolute_url()))
    assert 'rel="prev"' not in newest  # the draft is not "newer" for the public
    assert f'rel="next" href="{middle.get_absolute_url()}"' in newest


def test_a_wrong_date_in_the_url_redirects_permanently(client, full_post):
    response = client.get("/posts/2020-05-05-generalized-language-models/")
    assert response.status_code == 301
    assert response["Location"] == "/posts/2019-01-31-generalized-language-models/"


@pytest.mark.parametrize(
    "url",
    [
        "/posts/2019-01-31-no-such-post/",
        "/posts/2019-01-31-/",
        "/posts/not-a-date-generalized-language-models/",
        "/posts/",
    ],
)
def test_unknown_posts_are_404(client, full_post, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


# ---- Drafts and scheduled posts: staff only, with a banner --------------------------------


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="pw", is_staff=True)


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", password="pw")


@pytest.fixture
def draft(make_post):
    return make_post(title="Unfinished thoughts", status=Post.Status.DRAFT, published_at=None)


@pytest.fixture
def scheduled(make_post):
    return make_post(title="Coming soon", published_at=timezone.now() + timedelta(days=3))


@pytest.mark.parametrize("hidden", ["draft", "scheduled"])
def test_staff_see_unpublished_posts_with_a_banner_and_noindex(client, staff, request, hidden):
    post = request.getfixturevalue(hidden)
    client.force_login(staff)
    response = client.get(post.get_absolute_url())
    html = text_of(response)
    assert response.status_code == 200
    assert post.title in html
    assert 'class="status-banner"' in html
    assert ("<strong>Draft</strong>" in html) == (hidden == "draft")
    assert ("<strong>Scheduled</strong>" in html) == (hidden == "scheduled")
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("hidden", ["draft", "scheduled"])
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_unpublished_posts_are_404_for_everyone_else(client, reader, request, hidden, who):
    post = request.getfixturevalue(hidden)
    if who == "reader":
        client.force_login(reader)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 404
    assert post.title not in text_of(response)


# ---- Tags --------------------------------------------------------------------------------


def test_tag_list_shows_tags_with_published_counts(client, make_post):
    make_post(tags=["NLP", "Reinforcement Learning"])
    make_post(tags=["NLP"])
    make_post(tags=["Draft only"], status=Post.Status.DRAFT)
    response = client.get("/tags/")
    html = text_of(response)
    assert response.status_code == 200
    assert {tag.name: tag.post_count for tag in response.context["tags"]} == {
        "NLP": 2,
        "Reinforcement Learning": 1,
    }
    assert re.search(r'href="/tags/nlp/">NLP <span class="count"[^>]*>2</span>', html)
    assert "Draft only" not in html


def test_tag_page_shows_description_and_its_posts(client, make_post):
    make_post(title="About meta-RL", tags=["Meta-RL"])
    make_post(title="Unrelated")
    tag = Tag.objects.get(name="Meta-RL")
    tag.description = "Learning to *learn* in reinforcement learning."
    tag.save()
    response = client.get("/tags/meta-rl/")
    html = text_of(response)
    assert response.status_code == 200
    assert "<h1>Meta-RL" in html
    assert "Learning to <em>learn</em>" in html
    assert titles_on(response) == ["About meta-RL"]


def test_tag_pages_paginate_like_the_home_page(client, make_post):
    make_posts(make_post, 21, tags=["Optimization"])
    assert len(client.get("/tags/optimization/").context["posts"]) == 10
    assert len(client.get("/tags/optimization/page/2/").context["posts"]) == 10
    assert len(client.get("/tags/optimization/page/3/").context["posts"]) == 1
    assert client.get("/tags/optimization/page/4/").status_code == 404
    assert client.get("/tags/optimization/page/0/").status_code == 404
    first = client.get("/tags/optimization/page/1/")
    assert (first.status_code, first["Location"]) == (301, "/tags/optimization/")
    html = text_of(client.get("/tags/optimization/page/2/"))
    assert 'rel="prev" href="/tags/optimization/"' in html
    assert 'rel="next" href="/tags/optimization/page/3/"' in html


def test_a_tag_url_in_other_case_redirects_to_the_tag(client, make_post):
    make_posts(make_post, 11, tags=["NLP"])
    for url, target in [("/tags/NLP/", "/tags/nlp/"), ("/tags/Nlp/page/2/", "/tags/nlp/page/2/")]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (301, target)


def test_a_tag_whose_slug_has_capitals_is_at_that_slug(client, make_post):
    """A writer may give a tag a slug in capitals: the page is at that slug, read with its posts,
    and the slug in lower case answers with a 301 there."""
    make_posts(make_post, 11, tags=["NLP"])
    Tag.objects.filter(name="NLP").update(slug="NLP")
    response = client.get("/tags/NLP/page/2/")
    assert (response.status_code, len(response.context["posts"])) == (200, 1)
    assert response.context["meta"].canonical.endswith("/tags/NLP/page/2/")
    assert 'rel="prev" href="/tags/NLP/"' in text_of(response)
    response = client.get("/tags/nlp/")
    assert (response.status_code, response["Location"]) == (301, "/tags/NLP/")


@pytest.mark.parametrize(
    "url", ["/tags/no-such-tag/", "/tags/secret/", "/tags/no-such-tag/page/2/", "/tags/x/page/y/"]
)
def test_unknown_tags_and_tags_with_only_drafts_are_404(client, make_post, url):
    make_post(tags=["Secret"], status=Post.Status.DRAFT)
    make_post(tags=["Secret"], published_at=timezone.now() + timedelta(days=1))
    assert Tag.objects.filter(slug="secret").exists()
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


# ---- Archive -------------------------------------------------------------------------------


def test_archive_groups_by_year_then_month_with_counts(client, make_post):
    tz = timezone.get_current_timezone()
    make_post(title="ES", published_at=datetime(2019, 9, 5, tzinfo=tz))
    make_post(title="Meta-RL", published_at=datetime(2019, 6, 23, tzinfo=tz))
    make_post(title="Sim2Real", published_at=datetime(2019, 5, 5, tzinfo=tz))
    make_post(title="Overfitted", published_at=datetime(2019, 3, 14, tzinfo=tz))
    make_post(title="Older", published_at=datetime(2018, 12, 31, tzinfo=tz))
    make_post(title="Also March", published_at=datetime(2019, 3, 1, tzinfo=tz))
    response = client.get("/archives/")
    assert response.status_code == 200
    html = re.sub(r"\s+", " ", text_of(response))
    year = r'id="year-{0}"><a href="/archives/{0}/">{0}</a> <span class="count"[^>]*>{1}</span>'
    assert re.search(year.format(2019, 5), html)
    assert re.search(year.format(2018, 1), html)
    assert re.search(r'<h3>March <span class="count"[^>]*>2</span>', html)
    order = [html.index(f">{title}</a>") for title in ("ES", "Meta-RL", "Sim2Real", "Older")]
    assert order == sorted(order)
    assert html.index("year-2019") < html.index("year-2018")


def test_a_year_of_the_archive_has_its_own_page(client, make_post):
    tz = timezone.get_current_timezone()
    make_post(title="ES", published_at=datetime(2019, 9, 5, tzinfo=tz))
    make_post(title="Sim2Real", published_at=datetime(2019, 5, 5, tzinfo=tz))
    make_post(title="New Year's Eve", published_at=datetime(2018, 12, 31, 23, 30, tzinfo=tz))
    make_post(title="Draft of 2019", published_at=datetime(2019, 7, 1, tzinfo=tz), status="draft")
    response = client.get("/archives/2019/")
    assert response.status_code == 200
    html = re.sub(r"\s+", " ", text_of(response))
    assert "<h1>2019</h1>" in html and "2 posts" in html
    assert html.index(">ES</a>") < html.index(">Sim2Real</a>")
    assert "New Year" not in html and "Draft of 2019" not in html
    assert response.context["meta"].canonical.endswith("/archives/2019/")


@pytest.mark.parametrize("url", ["/archives/2017/", "/archives/02019/", "/archives/19/"])
def test_archive_years_without_posts_or_in_other_spellings_are_404(client, make_post, url):
    make_post(published_at=datetime(2019, 9, 5, tzinfo=timezone.get_current_timezone()))
    assert client.get(url).status_code == 404


def test_empty_archive(client):
    response = client.get("/archives/")
    assert response.status_code == 200
    assert "No posts yet." in text_of(response)


# ---- Series --------------------------------------------------------------------------------


def test_series_page_lists_published_parts_in_order(client, make_post):
    series = Series.objects.create(title="Object Detection for Dummies", slug="object-detection")
    make_post(title="Part two", series=series, series_part=2)
    make_post(title="Part one", series=series, series_part=1)
    make_post(title="Part three", series=series, series_part=3, status=Post.Status.DRAFT)
    response = client.get("/series/object-detection/")
    html = text_of(response)
    assert response.status_code == 200
    assert "<h1>Object Detection for Dummies</h1>" in html
    assert html.index("Part one") < html.index("Part two")
    assert "Part three" not in html


def test_series_index_lists_series_with_published_parts_and_their_counts(client, make_post):
    detection = Series.objects.create(title="Object Detection", slug="object-detection")
    later = Series.objects.create(title="Later", slug="later")
    make_post(series=detection, series_part=1)
    make_post(series=detection, series_part=2)
    make_post(series=detection, series_part=3, status=Post.Status.DRAFT)
    make_post(series=later, series_part=1, published_at=timezone.now() + timedelta(days=1))
    response = client.get("/series/")
    assert response.status_code == 200
    listed = [(s.title, s.post_count) for s in response.context["series_list"]]
    assert listed == [("Object Detection", 2)]
    assert 'href="/series/object-detection/"' in text_of(response)
    assert "Later" not in text_of(response)


def test_series_unknown_or_without_published_parts_is_404(client, make_post):
    series = Series.objects.create(title="Later", slug="later")
    make_post(series=series, series_part=1, status=Post.Status.DRAFT)
    assert client.get("/series/later/").status_code == 404
    assert client.get("/series/nope/").status_code == 404


# ---- Layout, navigation, accessibility hooks -----------------------------------------------


def test_layout_has_landmarks_skip_link_and_theme_script(client, make_post):
    make_post()
    html = text_of(client.get("/"))
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Site">' in html
    assert "<footer" in html and "<header" in html
    head = html[: html.index("</head>")]
    theme = re.search(r'<script src="[^"]*js/theme-init.js"></script>', head)
    assert theme, "theme-init.js is loaded synchronously in <head>"
    assert theme.start() < head.index("css/site.css")
    assert 'id="theme-toggle" hidden' in html


def test_no_inline_scripts_or_event_handlers(client, full_post, staff):
    client.force_login(staff)
    for url in ["/", "/tags/", "/tags/nlp/", "/archives/", full_post.get_absolute_url(), "/nope/"]:
        html = text_of(client.get(url))
        # Scripts come from files; JSON data blocks (JSON-LD) are not executed.
        executable = r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>"
        assert not re.search(executable, html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url


@pytest.mark.parametrize(
    ("url", "current"),
    [("/", "Posts"), ("/archives/", "Archive"), ("/tags/", "Tags")],
)
def test_current_page_is_marked_in_the_navigation(client, make_post, url, current):
    make_post(tags=["NLP"])
    html = text_of(client.get(url))
    marked = re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', html)
    assert marked == [current]


def test_section_pages_mark_their_section(client, make_post):
    make_post(tags=["NLP"])
    html = text_of(client.get("/tags/nlp/"))
    assert '<a href="/tags/" aria-current="true">Tags</a>' in html


def test_post_page_loads_reading_scripts_deferred(client, full_post):
    html = text_of(client.get(full_post.get_absolute_url()))
    assert re.search(r'<script src="[^"]*js/toc.js" defer></script>', html)
    assert re.search(r'<script src="[^"]*js/copy.js" defer></script>', html)


# ---- Error pages -----------------------------------------------------------------------------


def test_unknown_address_is_a_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = text_of(response)
    assert "Page not found" in html
    assert "css/site.css" in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_404_page_offers_search_and_the_newest_published_posts(
    client, make_post, django_assert_max_num_queries
):
    for n in range(7):
        make_post(title=f"Visible {n}", published_at=timezone.now() - timedelta(days=n + 1))
    make_post(title="Draft news", status=Post.Status.DRAFT, published_at=timezone.now())
    make_post(title="Tomorrow's news", published_at=timezone.now() + timedelta(days=1))
    # The newest posts (one bounded query) and the old-URL alias lookup of any 404.
    with django_assert_max_num_queries(2):
        response = client.get("/no/such/page/")
    html = text_of(response)
    assert response.status_code == 404
    assert [post.title for post in response.context["newest_posts"]] == [
        f"Visible {n}" for n in range(5)
    ]
    assert "Draft news" not in html and "Tomorrow" not in html
    assert html.count('role="search"') == 1  # the page's box, none in the header
    assert 'action="/search/"' in html


def test_server_error_page_renders_without_the_database(make_post, django_db_blocker):
    """With the database unreachable the home page fails, and the 500 page still renders."""
    make_post()
    client = Client(raise_request_exception=False)
    with django_db_blocker.block():
        response = client.get("/")
    html = text_of(response)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "{#" not in response.content.decode()  # a template comment written over two lines shows
    assert "css/site.css" in html
    assert f'<a class="site-title" href="/">{escape(settings.SITE_NAME)}</a>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)

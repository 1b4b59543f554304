"""Search as issue 13 asks of it on both backends: hyphenated terms, visibility through the search
page (and, on PostgreSQL, through the search rows' own copy of it), snippets, ranking on a post's
start and the index answering the match (the query plan)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posts.models import Post, SearchEntry
from posts.search import highlight, search
from posts.search.index import LEAD_CHARACTERS, lead_of, searchable, visible_from

pytestmark = pytest.mark.django_db


def titles(text):
    return [post.title for post in search(text)]


def test_hyphens_inside_words_are_indexed_as_the_query_parser_reads_them():
    assert (
        searchable("diffusion-111 and meta-learning-236") == "diffusion 111 and meta learning 236"
    )
    assert searchable("a - b, -5, x-, _-y") == "a - b, -5, x-, _-y"


@pytest.mark.parametrize("text", ["diffusion-111", "Diffusion-111", '"diffusion 111"'])
def test_a_tag_ending_in_a_number_is_found(make_post, text):
    make_post(title="Tagged 111", tags=["diffusion-111"])
    make_post(title="Tagged 112", tags=["diffusion-112"])
    make_post(title="Untagged", body="Diffusion models and 111 other things.")
    assert titles(text) == ["Tagged 111"]


def test_hyphenated_words_match_in_titles_bodies_and_tags(make_post):
    make_post(title="Meta-learning in practice")
    make_post(title="Tagged", tags=["meta-learning-236"])
    make_post(title="In the body", body="We compare first-order meta-learning methods.")
    make_post(title="Other", body="Learning about meta things separately: meta, then learning.")
    assert sorted(titles("meta-learning")) == ["In the body", "Meta-learning in practice", "Tagged"]
    assert titles("meta-learning-236") == ["Tagged"]
    assert titles("first-order") == ["In the body"]
    assert titles("meta-learning -first-order -practice") == ["Tagged"]


def test_the_search_page_never_shows_drafts_or_future_posts(client, make_post):
    make_post(title="Public diffusion", tags=["diffusion-111"])
    make_post(title="Draft diffusion", tags=["diffusion-111"], status=Post.Status.DRAFT)
    make_post(
        title="Future diffusion",
        tags=["diffusion-111"],
        published_at=timezone.now() + timedelta(hours=1),
    )
    for text in ("diffusion", "diffusion-111", "draft OR future"):
        html = client.get("/search/", {"q": text}).content.decode()
        assert "Draft diffusion" not in html and "Future diffusion" not in html
    html = client.get("/search/", {"q": "diffusion-111"}).content.decode()
    assert "Public diffusion" in html and ">1 result<" in html


def search_page(client, text):
    return client.get("/search/", {"q": text}).content.decode()


def test_a_post_is_visible_from_its_publish_time_while_published(make_post):
    now = timezone.now()
    assert visible_from(Post(status=Post.Status.PUBLISHED, published_at=now)) == now
    assert visible_from(Post(status=Post.Status.DRAFT, published_at=now)) is None
    assert visible_from(Post(status=Post.Status.DRAFT)) is None


def test_results_and_count_follow_each_change_of_visibility(client, make_post, committed):
    """Publish, reschedule, unpublish: every save rewrites the search row's visibility, so the
    count (read from the rows on PostgreSQL) and the results (read from the posts) agree."""
    make_post(title="Public zebra")
    post = make_post(title="Moving zebra", status=Post.Status.DRAFT)
    steps = [
        (Post.Status.DRAFT, timezone.now() - timedelta(days=1), False),
        (Post.Status.PUBLISHED, timezone.now() - timedelta(days=1), True),
        (Post.Status.PUBLISHED, timezone.now() + timedelta(days=1), False),  # rescheduled
        (Post.Status.PUBLISHED, timezone.now() - timedelta(hours=1), True),
        (Post.Status.DRAFT, timezone.now() - timedelta(hours=1), False),  # unpublished
    ]
    for status, published_at, shown in steps:
        post.status, post.published_at = status, published_at
        with committed():  # and a new page-cache generation
            post.save()
        html = search_page(client, "zebra")
        assert ("Moving zebra" in html) is shown and "Public zebra" in html
        assert f">{2 if shown else 1} result" in html
        assert search("zebra").count() == (2 if shown else 1)
        if connection.vendor == "postgresql":
            row = SearchEntry.objects.get(post=post)
            assert row.visible_from == (published_at if status == Post.Status.PUBLISHED else None)


def test_a_scheduled_post_enters_results_and_count_when_due_without_a_write(
    client, make_post, travel_to
):
    now = timezone.now()
    make_post(title="Public zebra", published_at=now - timedelta(hours=1))
    make_post(title="Scheduled zebra", published_at=now + timedelta(hours=1))
    html = search_page(client, "zebra")
    assert ">1 result<" in html and "Scheduled zebra" not in html
    travel_to(now + timedelta(hours=2))  # nothing is saved or re-indexed: time passes
    html = search_page(client, "zebra")
    assert ">2 results<" in html and "Scheduled zebra" in html
    assert sorted(titles("zebra")) == ["Public zebra", "Scheduled zebra"]


def test_a_stale_search_row_never_shows_a_draft(client, make_post):
    """A write that bypasses the signals (`update()`) leaves the row saying "published": the
    count may be off until `rebuild_search_index`, but the page's posts are read from the posts
    and checked again, so the draft itself never shows."""
    make_post(title="Public zebra")
    post = make_post(title="Hidden zebra")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)
    html = search_page(client, "zebra")
    assert "Hidden zebra" not in html and "Public zebra" in html


def test_a_search_filtered_or_reordered_further_counts_and_pages_what_it_lists(make_post):
    make_post(title="Zebra one", tags=["kept"])
    make_post(title="Zebra two")
    kept = search("zebra").filter(tags__name="kept")
    assert kept.count() == 1 and [post.title for post in kept[:10]] == ["Zebra one"]
    by_title = search("zebra").order_by("-title")
    assert [post.title for post in by_title[:10]] == ["Zebra two", "Zebra one"]
    assert search("zebra").none().count() == 0


def test_the_result_count_is_exact_across_pages(client, make_post, settings):
    for n in range(settings.POSTS_PER_PAGE + 3):
        make_post(title=f"Gradient note {n}")
    make_post(title="Gradient draft", status=Post.Status.DRAFT)
    first = client.get("/search/", {"q": "gradient"}).content.decode()
    assert f">{settings.POSTS_PER_PAGE + 3} results<" in first
    assert first.count('class="search-result"') == settings.POSTS_PER_PAGE
    second = client.get("/search/", {"q": "gradient", "page": 2}).content.decode()
    assert second.count('class="search-result"') == 3


def test_snippets_highlight_every_form_of_the_words(make_post):
    make_post(title="Notes", body="Adaptive optimizers. The optimization of deep networks is hard.")
    [post] = search("optimizing networks")
    html = str(highlight(post.search_snippet))
    assert "<mark>optimization</mark>" in html and "<mark>networks</mark>" in html
    assert "<mark>" not in html.replace("<mark>optimization</mark>", "").replace(
        "<mark>networks</mark>", ""
    ).replace("<mark>optimizers</mark>", "")


def test_a_word_deep_in_a_long_body_is_found_below_matches_near_the_start(make_post):
    filler = "Unrelated words about other things here. " * (LEAD_CHARACTERS // 20)
    make_post(
        title="Deep", body=f"{filler}\n\nFinally the zebra appears.", published_at=timezone.now()
    )
    make_post(title="Early", body="The zebra comes first.\n\n" + filler)
    make_post(title="Zebra in the title", body=filler)
    found = search("zebra")
    assert [post.title for post in found] == ["Zebra in the title", "Early", "Deep"]
    assert "<mark>zebra</mark>" in highlight(found[1].search_snippet)
    deep = str(highlight(found[2].search_snippet))
    if connection.vendor == "postgresql":  # snippets come from the stored start of the body
        assert deep.startswith("Unrelated words") and "zebra" not in deep
    else:  # FTS5 cuts them from the whole body
        assert "<mark>zebra</mark>" in deep


def test_the_lead_is_the_start_of_the_body_cut_at_a_word():
    assert lead_of("short text") == "short text"
    lead = lead_of("word " * 1000)
    assert len(lead) <= LEAD_CHARACTERS and lead.endswith("word")
    assert lead_of("x" * (LEAD_CHARACTERS + 10)) == "x" * LEAD_CHARACTERS


def _many_long_posts(author, count):
    """`count` published posts (bulk, without rendering) and their PostgreSQL index rows: long
    bodies, TOASTed vectors, and every post has the words "attention" and "gradient"."""
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            title=f"Bulk {n}",
            slug=f"bulk-{n}",
            author=author,
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(hours=n + 1),
        )
        for n in range(count)
    )
    words = " ".join(f"word{n} attention gradient" for n in range(400))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO posts_search_index (post_id, lead, head, document, visible_from) "
            "SELECT id, '', setweight(to_tsvector('english', title), 'A'), "
            "setweight(to_tsvector('english', title), 'A') || "
            "setweight(to_tsvector('english', %s || ' ' || slug), 'D'), published_at "
            "FROM posts_post WHERE slug LIKE 'bulk-%%'",
            [words],
        )
        cursor.execute("ANALYZE posts_search_index")
        cursor.execute("ANALYZE posts_post")


def test_the_index_answers_the_match_even_when_every_post_matches(make_post, author):
    """The plan of a search matching every post, on a table of long bodies: on PostgreSQL the GIN
    index (not a scan that opens every post's TOASTed vector), on SQLite the FTS5 index."""
    make_post(title="Attention gradient")
    if connection.vendor == "postgresql":
        _many_long_posts(author, 3000)
        plan = search("attention gradient").explain()
        assert "Bitmap Index Scan on posts_search_index_document" in plan
        assert "Seq Scan on posts_search_index" not in plan
        assert "ts_rank(posts_search_index.head" in plan  # the order: the small vector only
        # The count (and every match's id, in order) from the search rows alone: no post is
        # joined per match, and the GIN index still finds them.
        with CaptureQueriesContext(connection) as queries:
            assert search("attention gradient").count() == 3001
        [count] = queries.captured_queries
        assert "posts_post" not in count["sql"]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {count['sql']}")
            count_plan = "\n".join(line for (line,) in cursor.fetchall())
        assert "Bitmap Index Scan on posts_search_index_document" in count_plan
        assert "Seq Scan" not in count_plan
    else:
        plan = search("attention gradient").explain()
        assert "VIRTUAL TABLE INDEX" in plan
        assert titles("attention gradient") == ["Attention gradient"]
    assert search("attention gradient")[0].title == "Attention gradient"


def test_pages_follow_the_order_of_the_whole_result(make_post):
    from django.core.paginator import Paginator

    for n in range(7):
        make_post(title=f"Note {n}", body="gradient " * (n + 1), tags=["gradient"] if n % 3 else [])
    make_post(title="Draft gradient", status=Post.Status.DRAFT)
    everything = [post.pk for post in search("gradient")]
    paginator = Paginator(search("gradient").for_results(), 3)
    assert paginator.count == 7 == len(everything)
    pages = [post.pk for number in paginator.page_range for post in paginator.page(number)]
    assert pages == everything
    assert all(post.search_snippet is not None for post in paginator.page(3))

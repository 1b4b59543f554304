"""posts/citation.py and cite.bib: keys, the plain-text citation, BibTeX read back by a parser."""

from datetime import UTC, date, datetime, timedelta

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.utils import timezone

from posts import cite as citation
from posts.models import Post, UpdateNote

SEP_5_2019 = datetime(2019, 9, 5, 12, 0, tzinfo=UTC)


def parse_bibtex(text, decode=True):
    middleware = [LatexDecodingMiddleware(keep_braced_groups=False)] if decode else []
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert not library.failed_blocks
    assert len(library.entries) == 1
    return library.entries[0]


# --- Keys: pure functions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surname", "year", "title", "key"),
    [
        ("Weng", 2019, "Evolution Strategies", "weng2019evolution"),
        ("Weng", 2019, "Are Deep Neural Networks Dramatically Overfitted?", "weng2019deep"),
        ("Weng", 2018, "The Evolution of GANs", "weng2018evolution"),
        ("Weng", 2021, "What are Diffusion Models?", "weng2021diffusion"),
        ("Weng", 2020, "How do we do it? On the T5 Model", "weng2020t5"),
        ("Schölkopf", 2001, "Ça marche: Noyaux à Göttingen", "scholkopf2001ca"),
        ("Łukasiewicz", 1920, "Żółć and Logic", "lukasiewicz1920zolc"),
        ("O'Neil", 2016, "Weapons of Math Destruction", "oneil2016weapons"),
        ("van der Maaten", 2008, "Visualizing Data using t-SNE", "vandermaaten2008visualizing"),
        ("Weng", 2019, "The Of And", "weng2019the"),
        ("", 2019, "Evolution", "anon2019evolution"),
        ("Weng", 2019, "!!!", "weng2019"),
    ],
)
def test_base_key(surname, year, title, key):
    assert citation.base_key(surname, year, title) == key


def test_a_taken_key_gets_the_next_letter():
    assert citation.unique_key("weng2019evolution", set()) == "weng2019evolution"
    assert citation.unique_key("weng2019evolution", {"weng2019evolution"}) == "weng2019evolutionb"
    taken = {"k", "kb", "kc"}
    assert citation.unique_key("k", taken) == "kd"
    taken = {"k"} | {"k" + c for c in "bcdefghijklmnopqrstuvwxyz"}
    assert citation.unique_key("k", taken) == "kaa"


def test_escape_bibtex_writes_every_special_character_literally():
    assert citation.escape_bibtex("Q&A: 50% of $5 #1_a") == r"Q\&A: 50\% of \$5 \#1\_a"
    assert citation.escape_bibtex("{x} a\\b ~ ^") == (
        r"\{x\} a\textbackslash{}b \textasciitilde{} \textasciicircum{}"
    )
    assert citation.escape_bibtex("Schölkopf\n  and  co") == "Schölkopf and co"


# --- Keys on posts -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_post_gets_its_key_when_first_published(make_post):
    post = make_post(title="Evolution Strategies", published_at=SEP_5_2019)
    assert post.citation_key == "weng2019evolution"
    draft = make_post(title="Meta Reinforcement Learning", status=Post.Status.DRAFT)
    assert draft.citation_key == ""
    draft.status = Post.Status.PUBLISHED
    draft.published_at = datetime(2019, 6, 23, tzinfo=UTC)
    draft.save()
    assert Post.objects.get(pk=draft.pk).citation_key == "weng2019meta"


@pytest.mark.django_db
def test_two_weng_2019_evolution_posts_get_distinct_keys(make_post):
    first = make_post(title="Evolution Strategies", published_at=SEP_5_2019)
    second = make_post(title="Evolution of Policies", published_at=SEP_5_2019 + timedelta(days=9))
    third = make_post(title="The Evolution, again", published_at=SEP_5_2019 + timedelta(days=30))
    assert [first.citation_key, second.citation_key, third.citation_key] == [
        "weng2019evolution",
        "weng2019evolutionb",
        "weng2019evolutionc",
    ]


@pytest.mark.django_db
def test_the_key_never_changes_after_publication(make_post):
    post = make_post(title="Evolution Strategies", published_at=SEP_5_2019)
    post.title = "Gradient-free Optimization"
    post.published_at = datetime(2020, 1, 1, tzinfo=UTC)
    post.status = Post.Status.DRAFT
    post.save()
    post.status = Post.Status.PUBLISHED
    post.save()
    assert Post.objects.get(pk=post.pk).citation_key == "weng2019evolution"
    # The freed-up base key is not reused by a newer post with the same base either.
    other = make_post(title="Evolution Strategies", published_at=SEP_5_2019)
    assert other.citation_key == "weng2019evolutionb"


@pytest.mark.django_db
def test_an_author_without_a_surname_is_cited_by_user_name(django_user_model, make_post):
    user = django_user_model.objects.create_user("deepmind-blog", password="x")
    post = make_post(title="Evolution Strategies", author=user, published_at=SEP_5_2019)
    assert post.citation_key == "deepmindblog2019evolution"
    entry = parse_bibtex(citation.bibtex(citation.citation_for(post)))
    assert entry["author"] == "deepmind-blog"


# --- Plain text and BibTeX ---------------------------------------------------------------------


@pytest.mark.django_db
def test_bibtex_parses_back_to_the_posts_metadata(make_post, settings):
    settings.SITE_URL = "https://blog.example.org"
    settings.SITE_NAME = "Lil'Log"
    post = make_post(
        title="Evolution Strategies", slug="evolution-strategies", published_at=SEP_5_2019
    )
    text = citation.bibtex(citation.citation_for(post))
    entry = parse_bibtex(text)
    assert entry.entry_type == "article"
    assert entry.key == post.citation_key == "weng2019evolution"
    assert entry["title"] == post.title
    assert entry["author"] == "Weng, Lilian"
    assert entry["journal"] == "Lil'Log"
    assert entry["year"] == "2019"
    assert entry["month"] == "sep"
    assert entry["url"] == "https://blog.example.org/posts/2019-09-05-evolution-strategies/"
    assert "note" not in entry.fields_dict


@pytest.mark.django_db
def test_special_characters_round_trip_through_bibtex(django_user_model, make_post, settings):
    settings.SITE_NAME = "R&D {Notes} #1"
    user = django_user_model.objects.create_user(
        "bs", password="x", first_name="Bernhard", last_name="Schölkopf"
    )
    title = "Q&A: 50% of $x_1$ is {braced} #tags ~ a\\b, Ünïcödé and “quotes”"
    post = make_post(title=title, author=user, published_at=SEP_5_2019)
    text = citation.bibtex(citation.citation_for(post))
    assert "%" not in text.replace(r"\%", "")  # an unescaped % would start a comment
    entry = parse_bibtex(text)
    assert entry["title"] == title
    assert entry["author"] == "Schölkopf, Bernhard"
    assert entry["journal"] == "R&D {Notes} #1"
    assert entry.key == "scholkopf2019q"


@pytest.mark.django_db
def test_plain_text_citation(make_post, settings):
    settings.SITE_URL = "https://blog.example.org"
    settings.SITE_NAME = "Lil'Log"
    post = make_post(title="Evolution Strategies", slug="es", published_at=SEP_5_2019)
    assert citation.plain_text(citation.citation_for(post)) == (
        "Weng, Lilian. (Sep 2019). Evolution Strategies. Lil'Log. "
        "https://blog.example.org/posts/2019-09-05-es/"
    )
    post.title = "Are Deep Neural Networks Dramatically Overfitted?"
    assert "Dramatically Overfitted? Lil'Log." in citation.plain_text(citation.citation_for(post))


@pytest.mark.django_db
def test_with_update_notes_the_citation_names_the_newest_version(make_post):
    post = make_post(title="Generalized Language Models", published_at=SEP_5_2019)
    UpdateNote.objects.create(post=post, date=date(2020, 12, 30), note="Add GPT-3.")
    UpdateNote.objects.create(post=post, date=date(2020, 2, 29), note="Add ALBERT.")
    notes = list(post.update_notes.all())
    cite = citation.citation_for(post, notes)
    assert parse_bibtex(citation.bibtex(cite))["note"] == "Version of 2020-12-30"
    assert "Version of 2020-12-30." in citation.plain_text(cite)
    assert citation.versions(post, notes) == [
        date(2019, 9, 5),
        date(2020, 2, 29),
        date(2020, 12, 30),
    ]
    older = citation.citation_for(post, notes, version=date(2020, 2, 29))
    assert parse_bibtex(citation.bibtex(older))["note"] == "Version of 2020-02-29"


# --- cite.bib ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cite_bib_serves_the_entry(client, make_post):
    post = make_post(title="Evolution Strategies", slug="es", published_at=SEP_5_2019)
    response = client.get("/posts/2019-09-05-es/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert 'filename="weng2019evolution.bib"' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body == citation.bibtex(citation.citation_for(post))
    assert parse_bibtex(body).key == "weng2019evolution"


@pytest.mark.django_db
def test_cite_bib_is_only_for_published_posts(client, make_post, writer_client):
    make_post(slug="draft", status=Post.Status.DRAFT, published_at=SEP_5_2019)
    future = timezone.now() + timedelta(days=3)
    make_post(slug="future", published_at=future)
    for url in (
        "/posts/2019-09-05-draft/cite.bib",
        f"/posts/{timezone.localdate(future):%Y-%m-%d}-future/cite.bib",
        "/posts/2019-09-05-nothing-here/cite.bib",
    ):
        assert client.get(url).status_code == 404
        assert writer_client.get(url).status_code == 404


@pytest.mark.django_db
def test_cite_bib_at_a_wrong_date_redirects(client, make_post):
    make_post(slug="es", published_at=SEP_5_2019)
    response = client.get("/posts/2020-01-01-es/cite.bib")
    assert response.status_code == 301
    assert response["Location"] == "/posts/2019-09-05-es/cite.bib"


@pytest.mark.django_db
def test_cite_bib_for_one_version(client, make_post):
    post = make_post(slug="lm", published_at=SEP_5_2019)
    UpdateNote.objects.create(post=post, date=date(2020, 12, 30), note="Add GPT-3.")
    url = "/posts/2019-09-05-lm/cite.bib"
    assert parse_bibtex(client.get(url).content.decode())["note"] == "Version of 2020-12-30"
    original = client.get(url, {"version": "2019-09-05"})
    assert parse_bibtex(original.content.decode())["note"] == "Version of 2019-09-05"
    assert client.get(url, {"version": "2020-01-01"}).status_code == 404
    bad = client.get(url, {"version": "yesterday"})
    assert bad.status_code == 400
    assert b"YYYY-MM-DD" in bad.content


# --- The "Cite as" block -----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_post_page_has_a_cite_as_block(client, make_post):
    post = make_post(title="Tom & Jerry <3", slug="tj", published_at=SEP_5_2019)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Cite as" in html
    assert "Weng, Lilian. (Sep 2019). Tom &amp; Jerry &lt;3. " in html
    assert '<pre class="cite-bibtex" id="cite-bibtex">@article{weng2019tom,' in html
    assert r"title   = {Tom \&amp; Jerry &lt;3}," in html
    assert 'href="/posts/2019-09-05-tj/cite.bib"' in html
    # The post page's copy script (static/js/copy.js) wires and shows these buttons.
    assert '<script src="/static/js/copy.js" defer></script>' in html
    assert 'data-copy-target="#cite-bibtex" hidden' in html


@pytest.mark.django_db
def test_the_cite_as_block_links_every_version(client, make_post):
    post = make_post(slug="lm", published_at=SEP_5_2019)
    UpdateNote.objects.create(post=post, date=date(2020, 12, 30), note="Add GPT-3.")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "note    = {Version of 2020-12-30}" in html
    assert 'href="/posts/2019-09-05-lm/cite.bib?version=2019-09-05"' in html
    assert 'href="/posts/2019-09-05-lm/cite.bib?version=2020-12-30"' in html


@pytest.mark.django_db
def test_a_draft_preview_shows_a_citation_without_a_download_link(writer_client, make_post):
    post = make_post(slug="wip", status=Post.Status.DRAFT, published_at=None)
    html = writer_client.get(post.get_absolute_url()).content.decode()
    assert "Cite as" in html
    assert "cite.bib" not in html

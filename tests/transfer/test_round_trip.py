"""export_markdown, then import_markdown into an empty site, gives the same site: posts, tags,
notes, references, series, images and the rendered pages. Proved on the demo site and on a
generated site that uses every feature a writer has."""

import difflib
import re
from datetime import date, timedelta
from io import StringIO

import bibtexparser
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from posts.models import Image, Post, PostAlias, Reference, Series, Tag, UpdateNote
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_site(make_post, author, media_root, django_user_model):
    """Every feature: two authors, references cited, tag and series descriptions, update notes,
    aliases, an image with alt text, caption and source, a sized figure, a draft, a scheduled
    post, a summary, math and code."""
    coauthor = django_user_model.objects.create_user("sam", first_name="Sam", last_name="Ng")
    Reference.objects.create(
        key="vaswani2017attention",
        authors="Vaswani, Ashish; Shazeer, Noam; {Google Brain} Team",
        title="Attention Is All You Need",
        venue="NeurIPS",
        year=2017,
        arxiv_id="1706.03762",
        url="https://arxiv.org/abs/1706.03762",
    )
    Reference.objects.create(
        key="openai2023gpt4", authors="OpenAI", title="GPT-4 Technical Report", year=2023
    )
    Reference.objects.create(
        key="ho2020ddpm",
        authors="Ho, Jonathan; Jain, Ajay; Abbeel, Pieter",
        title="Denoising Diffusion Probabilistic Models",
        doi="10.48550/arXiv.2006.11239",
    )
    Tag.objects.create(name="Attention", slug="attention", description="Posts on *attention*.")
    Tag.objects.create(name="NLP", slug="nlp-tag", description="Language, with $x$ math.")
    series = Series.objects.create(
        title="Object Detection for Dummies", slug="object-detection", description="Four parts."
    )
    figure = Image.create_from_bytes(
        image_bytes(1200, 600),
        "attention.png",
        alt="Attention map",
        caption="The map of $\\alpha_{t,i}$.",
        source="https://example.org/source",
        uploaded_by=author,
    )
    cover = Image.create_from_bytes(
        image_bytes(1200, 630), "cover.png", alt="Cover", uploaded_by=author
    )
    first = make_post(
        cover=cover,
        title="Attention? Attention!",
        slug="attention",
        body=(
            "Intro with $\\alpha_t$, as in [@vaswani2017attention; @openai2023gpt4].\n\n"
            f"{figure.markdown()}\n\n![Small](/static/x.png){{width=40% align=right}}\n\n"
            "## Code\n\n```python\nprint('$$ not math $$')\n```\n\n## Math\n\n"
            "$$\nE = mc^2\n$$\n\nSee @fig:1 and [@ho2020ddpm].\n"
        ),
        summary="Two lines\nof *summary*.",
        tags=["Attention", "NLP"],
        series=series,
        series_part=1,
    )
    PostAlias.objects.create(post=first, path="/2018/06/24/attention-attention.html")
    UpdateNote.objects.create(post=first, date=date(2019, 1, 2), note="Added *BERT*.")
    UpdateNote.objects.create(post=first, date=date(2020, 3, 4), note="Fixed $\\sqrt{d_k}$.")
    second = make_post(
        title="R-CNN", slug="rcnn", series=series, series_part=2, tags=["vision"], author=coauthor
    )
    UpdateNote.objects.create(post=second, date=date(2021, 5, 6), note="New figure.")
    make_post(
        title="Draft: diffusion",
        slug="diffusion",
        status=Post.Status.DRAFT,
        published_at=None,
        tags=["diffusion"],
    )
    make_post(title="Scheduled", slug="scheduled", published_at=timezone.now() + timedelta(days=3))


def snapshot(client):
    posts = {
        post.slug: {
            "fields": {
                name: getattr(post, name)
                for name in (
                    "title",
                    "summary",
                    "body",
                    "status",
                    "published_at",
                    "series_part",
                    "revised_on",
                    "citation_key",
                    "body_html",
                    "summary_html",
                    "toc_html",
                    "render_warnings",
                    "word_count",
                )
            },
            "author": post.author.username,
            "cover": post.cover.file.name if post.cover else None,
            "tags": sorted(post.tags.names()),
            "series": post.series.slug if post.series else None,
            "aliases": sorted(post.aliases.values_list("path", flat=True)),
            "notes": list(post.update_notes.values_list("date", "note", "note_html")),
            "references": sorted(post.references.values_list("key", flat=True)),
        }
        for post in Post.objects.select_related("author", "series")
    }
    pages = {}
    public = Post.objects.published()
    paths = ["/", "/tags/", "/archives/"] + [p.get_absolute_url() for p in public]
    paths += [t.get_absolute_url() for t in Tag.objects.all()]
    paths += [s.get_absolute_url() for s in Series.objects.all()]
    paths += [a.path for a in PostAlias.objects.filter(post__in=public)]
    for path in paths:
        response = client.get(path)
        pages[path] = (
            response.status_code,
            response.get("Location"),
            comparable(response.content),
        )
    return {
        "posts": posts,
        "tags": sorted(Tag.objects.values_list("name", "slug", "description", "description_html")),
        "series": sorted(Series.objects.values_list("title", "slug", "description_html")),
        "references": sorted(
            Reference.objects.values_list(
                "key", "authors", "title", "venue", "year", "arxiv_id", "doi", "url"
            )
        ),
        "images": sorted(Image.objects.values_list("file", "alt", "caption", "source")),
        "pages": pages,
    }


def comparable(page: bytes) -> bytes:
    """A share card is named after the post's pk and what it shows, the cover's pk included
    (posts.cards); in an empty site both have new pks, so card names are left out of the
    comparison (which cover a post has is compared in the snapshot)."""
    return tags_sorted(re.sub(rb"/media/cards/[\w.-]+", b"/media/cards/CARD", page))


def tags_sorted(page: bytes) -> bytes:
    """The page with each list of a post's tags in name order. The site gives those lists no
    ORDER BY, so PostgreSQL may list the same tags in another order after an import; which tags a
    post has is compared exactly in the snapshot."""

    def sort_items(match: re.Match[bytes]) -> bytes:
        items = re.findall(rb"<li>.*?</li>", match.group(2))
        return match.group(1) + b"".join(sorted(items)) + match.group(3)

    page = re.sub(rb'(<ul class="tags"[^>]*>)(.*?)(</ul>)', sort_items, page, flags=re.S)
    page = re.sub(
        rb'((?:  <meta property="article:tag" content="[^"]*">\n)+)',
        lambda m: b"".join(sorted(m.group(1).splitlines(keepends=True))),
        page,
    )
    return re.sub(
        rb'("keywords": ")([^"]*)(")',
        lambda m: m.group(1) + b", ".join(sorted(m.group(2).split(b", "))) + m.group(3),
        page,
    )


def empty_the_site(settings, tmp_path):
    Post.objects.all().delete()
    for model in (Tag, Series, Reference, Image):
        model.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"


def round_trip(client, settings, tmp_path, username, committed):
    before = snapshot(client)
    out = tmp_path / "export"
    call_command("export_markdown", str(out), stdout=StringIO())
    with committed():
        empty_the_site(settings, tmp_path)
    assert snapshot(client)["posts"] == {}
    stdout = StringIO()
    with committed():  # as the command's commit would: the page cache starts a new generation
        call_command("import_markdown", str(out), "--author", username, stdout=stdout)
    return before, snapshot(client), out, stdout.getvalue()


def test_a_site_with_every_feature_comes_back_the_same(
    full_site, client, settings, tmp_path, committed
):
    before, after, _, report = round_trip(client, settings, tmp_path, "lilian", committed)
    assert "4 created, 0 updated, 0 unchanged, 0 failed" in report
    assert after["references"] == before["references"]
    assert after["tags"] == before["tags"]
    assert after["series"] == before["series"]
    assert after["images"] == before["images"]
    for slug, post in before["posts"].items():
        assert after["posts"][slug] == post, slug
    for path, page in before["pages"].items():
        assert after["pages"][path] == page, _debug_diff(page[2], after["pages"][path][2])
    assert after == before
    assert "Unknown reference key" not in str(after["posts"]["attention"])


def test_the_bibliography_is_real_bibtex(full_site, tmp_path):
    call_command("export_markdown", str(tmp_path / "out"), stdout=StringIO())
    library = bibtexparser.parse_string((tmp_path / "out" / "references.bib").read_text())
    assert library.failed_blocks == []
    entries = {entry.key: entry for entry in library.entries}
    vaswani = entries["vaswani2017attention"]
    assert vaswani.entry_type == "article"
    assert vaswani["author"] == "Vaswani, Ashish and Shazeer, Noam and {{Google Brain} Team}"
    assert (vaswani["eprint"], vaswani["archiveprefix"]) == ("1706.03762", "arXiv")
    assert entries["openai2023gpt4"]["author"] == "{OpenAI}"


def test_a_second_import_of_the_export_changes_nothing(
    full_site, client, settings, tmp_path, committed
):
    _, after, out, _ = round_trip(client, settings, tmp_path, "lilian", committed)
    stdout = StringIO()
    with committed():
        call_command("import_markdown", str(out), "--author", "lilian", stdout=stdout)
    assert "0 created, 0 updated, 4 unchanged" in stdout.getvalue()
    assert snapshot(client) == after


def test_the_demo_site_comes_back_the_same(client, settings, tmp_path, media_root, committed):
    with committed():  # as `manage.py load_demo` commits: share cards are made
        call_command("load_demo", stdout=StringIO())
    username = get_user_model().objects.get().username
    before, after, _, report = round_trip(client, settings, tmp_path, username, committed)
    assert " 0 failed" in report
    assert (
        before["posts"]
        and before["references"]
        and any(post["notes"] for post in before["posts"].values())
    )
    for path, page in before["pages"].items():
        assert after["pages"][path] == page, _debug_diff(page[2], after["pages"][path][2])
    assert after == before


def _debug_diff(before: bytes, after: bytes) -> str:
    """The lines of a page that differ, for a readable failure."""
    lines = difflib.unified_diff(
        before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=1
    )
    return "\n".join(lines)


def test_broken_site_files_are_reported_and_the_posts_still_come_in(author, media_root, tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "p.md").write_text(
        "---\ntitle: P\ndate: 2020-01-01\n---\nAs [@good2020].\n"
    )
    (tmp_path / "references.bib").write_text(
        "@misc{good2020, author = {Good, Ann}, title = {Fine}, year = {2020}}\n"
        "@article{bad, title = {Never closed\n"
    )
    (tmp_path / "tags.yml").write_text("- name: [unclosed\n")
    stdout = StringIO()
    call_command("import_markdown", str(tmp_path), "--author", author.username, stdout=stdout)
    output = stdout.getvalue()
    assert "site data 1 references from references.bib" in output
    assert "site data references.bib: a BibTeX entry could not be parsed (line 2)" in output
    assert "site data not read: tags.yml is not readable YAML" in output
    assert "1 created, 0 updated, 0 unchanged, 0 failed" in output
    assert Reference.objects.get().authors == "Good, Ann"
    assert "Unknown reference" not in Post.objects.get().body_html


def test_site_rows_the_database_refuses_are_reported_one_by_one(author, media_root, tmp_path):
    Tag.objects.create(name="Taken", slug="taken")
    (tmp_path / "tags.yml").write_text(
        "- {name: Other, slug: taken, description: clash}\n- {name: Fine, slug: fine}\n"
    )
    (tmp_path / "references.bib").write_text(
        "@misc{long, title = {" + "x" * 600 + "}, year = {99999}}\n@misc{ok, title = {Ok}}\n"
    )
    (tmp_path / "p.md").write_text("---\ntitle: P\ndate: 2020-01-01\n---\nx\n")
    stdout = StringIO()
    call_command("import_markdown", str(tmp_path), "--author", author.username, stdout=stdout)
    output = stdout.getvalue()
    assert "site data not saved: tags.yml: Other" in output
    assert "site data references.bib: long: year '99999' is not a year, left out" in output
    assert Tag.objects.filter(slug="fine").exists()
    assert Reference.objects.filter(key="ok").exists()
    assert "1 created, 0 updated, 0 unchanged, 0 failed" in output


def test_site_data_with_a_forbidden_character_is_left_out(author, media_root, tmp_path):
    (tmp_path / "tags.yml").write_text(
        '- {name: "Ro\\x01bot"}\n- {name: "Lone\\uD800"}\n- {name: Ok}\n'
        '- {name: Described, description: "Line one.\\nLine\\x0b two."}\n'
    )
    (tmp_path / "series.yml").write_text(
        '- {title: "Se\\uFFFFries", slug: series}\n'
        '- {title: Fine, slug: fine, description: "Pa\\x02rt"}\n'
    )
    (tmp_path / "references.bib").write_text(
        "@misc{bad, title = {Atten\x0btion}}\n@misc{ok, title = {Attention}}\n"
    )
    (tmp_path / "images.yml").write_text('- {file: images/x.png, alt: "A\\x1fplot"}\n')
    (tmp_path / "p.md").write_text("---\ntitle: P\ndate: 2020-01-01\n---\nx\n")
    stdout = StringIO()
    call_command("import_markdown", str(tmp_path), "--author", author.username, stdout=stdout)
    output = stdout.getvalue()
    why = "which pages and feeds cannot carry"
    for line in [
        f"not saved: tags.yml: Robot (the name holds the control character U+0001 "
        f"(character 3), {why})",
        f"not saved: tags.yml: Lone (the name holds the control character U+D800 (character 5), "
        f"{why})",
        f"not saved: tags.yml: Described (the description holds the control character U+000B "
        f"(line 2, column 5), {why})",
        f"not saved: series.yml: Series (the title holds the control character U+FFFF "
        f"(character 3), {why})",
        f"not saved: series.yml: Fine (the description holds the control character U+0002 "
        f"(character 3), {why})",
        f"not saved: references.bib: bad (the title holds the control character U+000B "
        f"(character 6), {why})",
        f"not used: images.yml: images/x.png (the alt holds the control character U+001F "
        f"(character 2), {why})",
    ]:
        assert f"site data {line}" in output
    assert list(Tag.objects.values_list("name", flat=True)) == ["Ok"]
    assert not Series.objects.exists()
    assert list(Reference.objects.values_list("key", flat=True)) == ["ok"]
    assert "1 created, 0 updated, 0 unchanged, 0 failed" in output

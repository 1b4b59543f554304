"""The import command over the sample Hugo and Jekyll sites in tests/fixtures/."""

from datetime import UTC, datetime, timedelta, timezone
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.timezone import get_default_timezone

from posts.models import Image, Post, PostAlias, Tag

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "fixtures"
JEKYLL, HUGO = FIXTURES / "jekyll", FIXTURES / "hugo"
POSTS = {
    "kramdown-math-notes",
    "a-short-note",
    "unfinished-thoughts",
    "diffusion-sketch",
    "draft-idea",
}


def run_import(*paths, dry_run=False, author="lilian"):
    out = StringIO()
    args = [str(p) for p in paths] + ["--author", author]
    if dry_run:
        args.append("--dry-run")
    try:
        call_command("import_markdown", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


@pytest.fixture
def imported(author, media_root):
    return run_import(JEKYLL, HUGO)


def test_both_sites_are_imported_and_bad_files_reported(imported):
    output, error = imported
    assert set(Post.objects.values_list("slug", flat=True)) == POSTS
    assert "failed    _posts/2020-02-01-broken-front-matter.md: broken YAML front matter" in output
    assert "failed    content/posts/no-title.md: no title in the front matter" in output
    assert "5 created, 0 updated, 0 unchanged, 2 failed" in output
    assert error == "2 file(s) could not be imported (see above)."
    assert not Post.objects.filter(slug__in=["about", "home", "_index"]).exists()


def test_jekyll_post_front_matter(imported):
    post = Post.objects.get(slug="kramdown-math-notes")
    assert post.title == "Kramdown Math Notes"
    assert post.published_at == datetime(
        2019, 9, 5, 10, 20, 30, tzinfo=timezone(timedelta(hours=8))
    )
    assert post.status == Post.Status.PUBLISHED
    assert sorted(post.tags.names()) == ["kramdown", "math", "notes"]  # tags string + categories
    # redirect_from, and Jekyll's default permalink (categories, then the date)
    assert sorted(post.aliases.values_list("path", flat=True)) == [
        "/2019/09/05/math-notes.html",
        "/notes/2019/09/05/kramdown-math-notes.html",
    ]
    assert post.import_source == "_posts/2019-09-05-kramdown-math-notes.md"


def test_kramdown_conventions_are_converted(imported):
    post = Post.objects.get(slug="kramdown-math-notes")
    assert post.summary == (
        "Kramdown writes every formula with double dollars, so $\\alpha + \\beta$ sits inside "
        "a sentence."
    )
    assert "<!--more-->" not in post.body and "{:" not in post.body.split("```")[0]
    assert "TOC" not in post.body
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in post.body_html
    assert '<div class="math-display"><math' in post.body_html
    assert "{: .not-an-attribute}" in post.body  # code is left alone
    assert "<code>$$x$$</code>" in post.body_html


def test_jekyll_images_are_copied_once_and_rewritten(imported):
    post = Post.objects.get(slug="kramdown-math-notes")
    image = Image.objects.get(alt="Training loss")
    assert image.caption == "Training loss over steps."
    assert "{{" not in post.body and "/assets/" not in post.body
    assert post.body.count(image.url) == 2
    assert f'srcset="{image.srcset()}"' in post.body_html
    assert '<figure id="c-fig-1">' in post.body_html


def test_jekyll_filename_date_description_and_drafts(imported):
    note = Post.objects.get(slug="a-short-note")
    assert note.published_at.date().isoformat() == "2020-01-15"
    assert note.summary == "Why short notes are worth keeping."
    assert sorted(note.tags.names()) == ["Writing", "notes"]
    draft = Post.objects.get(slug="unfinished-thoughts")
    assert (draft.status, draft.published_at) == (Post.Status.DRAFT, None)


def test_hugo_bundle_toml_figure_shortcode_and_aliases(imported):
    post = Post.objects.get(slug="diffusion-sketch")
    assert post.published_at == datetime(2021, 7, 11, 9, 30, tzinfo=UTC)
    assert post.updated_at == datetime(2021, 8, 1, 12, 0, tzinfo=UTC)
    assert sorted(post.tags.names()) == ["diffusion", "generative models"]
    assert set(PostAlias.objects.filter(post=post).values_list("path", flat=True)) == {
        "/posts/diffusion/",
        "/old-diffusion-sketch",
        "/posts/diffusion-sketch/",  # where Hugo served it: /section/slug/
    }
    assert post.summary == "Noise is added step by step, then removed."
    bundle = Image.objects.get(alt="The forward chain")  # page-bundle image, relative path
    shortcode = Image.objects.get(alt="Denoiser")  # from static/
    assert [r["width"] for r in bundle.renditions] == [480, 960]
    assert bundle.url in post.body and shortcode.url in post.body
    assert "(Image source: [Ho et al. 2020](https://arxiv.org/abs/2006.11239))" in post.body
    assert post.body_html.count("<figure") == 2
    assert "{{< youtube abc123 >}}" in post.body


def test_hugo_draft_with_tags_string(imported):
    post = Post.objects.get(slug="draft-idea")
    assert post.status == Post.Status.DRAFT
    assert sorted(post.tags.names()) == ["scaling-laws", "transformers"]
    assert post.summary == "An idea still in progress."
    assert Post.objects.published().filter(slug="draft-idea").count() == 0


def test_the_warning_for_a_shortcode_left_as_text_is_reported(imported):
    output, _ = imported
    assert "left: Hugo shortcode left as text: youtube" in output


def test_dry_run_reports_and_writes_nothing(author, media_root):
    output, _ = run_import(JEKYLL, HUGO, dry_run=True)
    assert "Dry run, nothing written. Would have: 5 created, 0 updated, 0 unchanged" in output
    assert "3 images copied into the library" in output
    assert not Post.objects.exists()
    assert not Tag.objects.exists()
    assert not Image.objects.exists()
    assert not any(p.is_file() for p in Path(media_root).rglob("*"))


def test_reimport_changes_nothing_and_duplicates_nothing(imported, media_root):
    before = {p.slug: (p.pk, p.body, p.updated_at) for p in Post.objects.all()}
    files = sorted(Path(media_root).rglob("*"))
    output, _ = run_import(JEKYLL, HUGO)
    assert "0 created, 0 updated, 5 unchanged, 2 failed" in output
    assert "0 images copied into the library, 3 reused" in output
    assert {p.slug: (p.pk, p.body, p.updated_at) for p in Post.objects.all()} == before
    assert Image.objects.count() == 3
    assert sorted(Path(media_root).rglob("*")) == files


def test_dry_run_of_a_reimport_says_unchanged(imported):
    output, _ = run_import(JEKYLL, HUGO, dry_run=True)
    assert "Would have: 0 created, 0 updated, 5 unchanged" in output


def test_reimport_updates_an_edited_source(imported, tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: x\n")
    source = site / "_posts" / "2020-01-15-a-short-note.md"
    source.write_text("---\ntitle: A Short Note, Revised\ntags: [notes]\n---\n\nNew text.\n")
    output, _ = run_import(source)
    assert "updated   _posts/2020-01-15-a-short-note.md" in output
    post = Post.objects.get(slug="a-short-note")
    assert (post.title, list(post.tags.names())) == ("A Short Note, Revised", ["notes"])
    assert Post.objects.count() == 5


def test_a_bad_date_is_reported_and_the_batch_goes_on(author, media_root, tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: Bad\ndate: someday\n---\nx\n")
    (tmp_path / "good.md").write_text("---\ntitle: Good\ndate: 2020-01-01\n---\nx\n")
    output, error = run_import(tmp_path)
    assert "failed    bad.md: bad date 'someday'" in output
    assert "created   good.md" in output
    assert error


def test_a_missing_image_is_a_warning_and_an_image_outside_the_site_is_not_read(
    author, media_root, tmp_path
):
    (tmp_path / "secret.png").write_bytes((JEKYLL / "assets/images/loss-curve.png").read_bytes())
    site = tmp_path / "site"
    site.mkdir()
    (site / "p.md").write_text(
        "---\ntitle: P\ndate: 2020-01-01\n---\n![a](../secret.png) ![b](/nope.png)\n"
    )
    output, _ = run_import(site)
    assert "left: image not found, reference kept: ../secret.png" in output
    assert "left: image not found, reference kept: /nope.png" in output
    assert not Image.objects.exists()


def test_an_unknown_author_is_a_clear_error(media_root):
    with pytest.raises(CommandError, match='No user "ghost"'):
        call_command("import_markdown", str(HUGO), "--author", "ghost", stdout=StringIO())


def test_without_author_the_only_superuser_writes_new_posts(writer, media_root, tmp_path):
    (tmp_path / "p.md").write_text("---\ntitle: P\ndate: 2020-01-01\n---\nx\n")
    call_command("import_markdown", str(tmp_path), stdout=StringIO())
    assert Post.objects.get().author == writer


def test_a_slug_owned_by_another_imported_file_is_refused(author, media_root, tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.md").write_text("---\ntitle: T\ndate: 2020-01-01\n---\nx\n")
    output, _ = run_import(tmp_path)
    assert "created   one/same.md" in output
    assert 'failed    two/same.md: the slug "same" belongs to a post imported from one/same.md' in (
        output
    )
    assert Post.objects.count() == 1


def _notes_source(path, notes):
    lines = "".join(f'  - {{date: {day}, note: "{note}"}}\n' for day, note in notes)
    notes_yaml = f"update_notes:\n{lines}" if notes else "update_notes: []\n"
    path.write_text(f"---\ntitle: Noted\ndate: 2020-01-01\n{notes_yaml}---\n\nText.\n")


def test_an_imported_post_is_revised_on_its_newest_note(author, media_root, tmp_path):
    source = tmp_path / "noted.md"
    _notes_source(source, [("2021-03-04", "Fix a sign."), ("2022-05-06", "Add a section.")])
    run_import(tmp_path)
    post = Post.objects.get(slug="noted")
    assert post.revised_on == datetime(2022, 5, 6).date()
    assert post.update_notes.count() == 2
    _notes_source(source, [("2021-03-04", "Fix a sign.")])  # the newest note taken out
    run_import(tmp_path)
    assert Post.objects.get(slug="noted").revised_on == datetime(2021, 3, 4).date()
    _notes_source(source, [])
    run_import(tmp_path)
    assert Post.objects.get(slug="noted").revised_on is None


@pytest.mark.parametrize(
    ("front_matter", "field", "code"),
    [
        ('title: "Atten\\x0Btion"', "title", "U+000B"),
        ('title: "Atten\\uFFFFtion"', "title", "U+FFFF"),
        ('title: "Atten\\uD800tion"', "title", "U+D800"),
        ('title: Fine\nsummary: "Why\\x01 it works"', "summary", "U+0001"),
        ('title: Fine\ntags: [ok, "bad\\x1Fname"]', "tag", "U+001F"),
        ('title: Fine\nseries: "Part\\x08s"', "series", "U+0008"),
    ],
)
def test_forbidden_characters_fail_the_file_and_say_where(
    author, media_root, tmp_path, front_matter, field, code
):
    (tmp_path / "bad.md").write_text(f"---\n{front_matter}\ndate: 2020-01-01\n---\nText.\n")
    (tmp_path / "good.md").write_text("---\ntitle: Good\ndate: 2020-01-01\n---\nText.\n")
    output, error = run_import(tmp_path)
    assert f"failed    bad.md: the {field} holds the control character {code}" in output
    assert "created   good.md" in output
    assert list(Post.objects.values_list("title", flat=True)) == ["Good"]
    assert list(Tag.objects.all()) == []
    assert error


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("---\ntitle: Fine\ndate: 2020-01-01\n---\n\nSoft\x0bmax.\n", "line 6, column 5"),
        ("---\ntitle: Fine\ndate: 2020-01-01\n---\n\n```\n\x1b[31mred\n```\n", "line 7, column 1"),
        ("---\ntitle: Fi\x00ne\ndate: 2020-01-01\n---\nText.\n", "line 2, column 10"),
        ("---\ntitle: Fine\ndate: 2020-01-01\n---\n\nA\x00B\n", "line 6, column 2"),
        ("---\r\ntitle: Fine\r\ndate: 2020-01-01\r\n---\r\nA\ufffe\r\n", "line 5, column 2"),
    ],
)
def test_a_forbidden_character_in_the_file_fails_it_naming_line_and_column(
    author, media_root, tmp_path, text, place
):
    """Pasted into the body, usually: the file's own line and column, to find it in an editor."""
    (tmp_path / "bad.md").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "good.md").write_text("---\ntitle: Good\ndate: 2020-01-01\n---\nText.\n")
    output, error = run_import(tmp_path)
    code = next(f"U+{ord(c):04X}" for c in text if c in "\x00\x0b\x1b\ufffe")
    assert (
        f"failed    bad.md: the file holds the control character {code} ({place}), "
        "which pages and feeds cannot carry"
    ) in output
    assert "created   good.md" in output
    assert list(Post.objects.values_list("title", flat=True)) == ["Good"]
    assert error


# A folder of dated Markdown files, neither a Jekyll nor a Hugo site (the plain dialect)


def test_a_dated_file_name_gives_the_slug_and_the_date(author, media_root, tmp_path):
    (tmp_path / "2020-01-03-fine.md").write_text("---\ntitle: Fine\n---\nText.\n")
    (tmp_path / "2021-02-04-dated.md").write_text(
        "---\ntitle: Dated\ndate: 2022-05-06 10:00\n---\nText.\n"
    )
    (tmp_path / "2019-13-40-not-a-date.md").write_text(
        "---\ntitle: Odd\ndate: 2019-01-01\n---\nText.\n"
    )
    output, error = run_import(tmp_path)
    assert error == ""
    zone = get_default_timezone()
    assert Post.objects.get(slug="fine").published_at == datetime(2020, 1, 3, tzinfo=zone)
    # The front matter's date wins, as in Jekyll.
    assert Post.objects.get(slug="dated").published_at == datetime(2022, 5, 6, 10, tzinfo=zone)
    assert Post.objects.filter(slug="2019-13-40-not-a-date").exists()
    assert "created   2020-01-03-fine.md → /posts/2020-01-03-fine/" in output


def test_a_file_naming_its_slug_keeps_its_name_and_takes_no_date_from_it(
    author, media_root, tmp_path
):
    """An export of this site names every file after the post's slug, which may start with a
    date: a draft without a date stays one."""
    (tmp_path / "2020-01-03-fine.md").write_text(
        "---\ntitle: Fine\nslug: 2020-01-03-fine\ndraft: true\n---\nText.\n"
    )
    run_import(tmp_path)
    post = Post.objects.get()
    assert (post.slug, post.published_at, post.status) == ("2020-01-03-fine", None, "draft")


def test_a_post_imported_before_under_the_dated_slug_keeps_its_old_url(
    author, media_root, tmp_path, client
):
    (tmp_path / "2020-01-03-fine.md").write_text("---\ntitle: Fine\ndate: 2020-01-03\n---\nText.\n")
    old = Post.objects.create(
        title="Fine",
        slug="2020-01-03-fine",  # what the import made of that file before
        body="Text.\n",
        author=author,
        status=Post.Status.PUBLISHED,
        published_at=datetime(2020, 1, 3, tzinfo=get_default_timezone()),
        import_source="2020-01-03-fine.md",
    )
    old_url = old.get_absolute_url()
    output, _ = run_import(tmp_path)
    assert "updated   2020-01-03-fine.md → /posts/2020-01-03-fine/" in output
    post = Post.objects.get()
    assert post.slug == "fine"
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, "/posts/2020-01-03-fine/")
    assert client.get("/posts/2020-01-03-fine/").status_code == 200

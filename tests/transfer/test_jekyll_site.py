"""A Jekyll ML blog imported from its site folder (tests/fixtures/jekyll-ml): kramdown math,
Liquid links, attribute lists, includes, old URLs, revisions and the migration report."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from reversion.models import Version

from posts.models import Post, PostAlias

pytestmark = pytest.mark.django_db

SITE = Path(__file__).parents[1] / "fixtures" / "jekyll-ml"
GAN = "/posts/2017-08-20-from-gan-to-wgan/"
ATTENTION = "/posts/2018-06-24-attention-attention/"
GLM = "/posts/2019-01-31-generalized-language-models/"
FAMILY = "/posts/2020-04-07-the-transformer-family/"


def run_import(*paths, author):
    out = StringIO()
    call_command("import_markdown", *map(str, paths), "--author", author.username, stdout=out)
    return out.getvalue()


@pytest.fixture
def report(author, media_root):
    return run_import(SITE, author=author)


def body(slug):
    return Post.objects.get(slug=slug)


def test_every_post_imports_and_none_is_shown_as_plain_text(report):
    assert "6 created, 0 updated, 0 unchanged, 0 failed" in report
    for post in Post.objects.all():
        assert not post.body_html.startswith("<pre>"), post.slug
        assert post.render_warnings == [], (post.slug, post.render_warnings)


def test_post_url_and_link_resolve_case_insensitively_across_the_batch(report):
    attention = body("attention-attention")
    # `2017-08-20-from-gan-to-wgan` names the file `2017-08-20-from-GAN-to-WGAN.md`
    assert f'href="{GAN}"' in attention.body_html
    assert f'href="{GLM}"' in attention.body_html  # {% link _posts/...-Generalized-... %}
    # a post later in the batch, with the anchor kept and the kramdown `{:target}` dropped
    assert f'href="{FAMILY}#c-multi-head-attention"' in attention.body_html  # ids are c-
    glm = body("generalized-language-models")
    assert f'href="{ATTENTION}"' in glm.body_html
    assert f'href="{GAN}#c-what-is-wrong-with-gan"' in glm.body_html
    # a hard-coded link to the old URL goes straight to the new one
    assert "(see here)" not in glm.body and f"[see here]({GAN})" in glm.body
    assert "{% post_url" not in glm.body and "{% link" not in glm.body and "{{ site" not in glm.body


def test_an_unresolved_link_goes_to_its_old_url_and_is_reported(report):
    meta = body("meta-learning")
    assert 'href="/2019/05/01/reptile.html"' in meta.body_html
    assert "left: unresolved link (no such post), pointed at its old URL: post_url " in report
    assert "2019-05-01-reptile" in report


def test_links_resolve_on_reimport_to_posts_imported_before(report, author, tmp_path):
    site = tmp_path / "later"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("permalink: /:year/:month/:day/:title.html\n")
    (site / "_posts" / "2021-01-01-follow-up.md").write_text(
        "---\ntitle: Follow-up\n---\n\nBack to [GAN]({% post_url 2017-08-20-FROM-gan-to-wgan %}).\n"
    )
    output = run_import(site, author=author)
    assert "1 links to other posts resolved" in output
    assert f'href="{GAN}"' in body("follow-up").body_html


def test_kramdown_math_rules(report):
    gan = body("from-gan-to-wgan")
    html = gan.body_html
    inline = html.count('display="inline"')
    block = html.count('display="block"')
    assert (inline, block) == (23, 3)
    # a `$$` block with a blank line inside: one display formula, not raw text
    prose = re.sub(r"<math\b.*?</math>", "", html, flags=re.S)
    assert "\\begin{aligned}" not in prose
    assert re.search(r'<div class="math-display"><math[^>]*>(?:(?!</math>).)*mtable', html, re.S)
    # `$$...$$` inside a paragraph (no blank line around it) is inline
    assert re.search(r"generator\s*<math[^>]*display=\"inline\"", html)
    # `\$$...$$` at a paragraph's start is inline math; `\$5` and `\$\$` are dollars
    assert re.search(r"<p><math[^>]*display=\"inline\".*?starts this paragraph", html)
    assert "the GPU cost $5 an hour, and $$ is just two dollar signs." in gan.body_text
    assert "{:" not in gan.body_text and "{::" not in gan.body


def test_every_formula_of_the_site_is_mathml(report):
    total = sum(post.body_html.count("<math") for post in Post.objects.all())
    counted = re.search(
        r"(\d+) display formulas.*?(\d+) inline formulas", report.split("in all")[1]
    )
    assert total == int(counted.group(1)) + int(counted.group(2)) == 54
    for post in Post.objects.all():
        prose = re.sub(r"<(pre|code)\b.*?</\1>|<math\b.*?</math>", "", post.body_html, flags=re.S)
        assert "$$" not in prose.replace("$$ is just two dollar signs", ""), post.slug


def test_image_attribute_lists_and_figure_includes_become_sized_figures(report):
    gan = body("from-gan-to-wgan").body_html
    # style="width: 640px" of a 736px column, the italic "Fig. 1." line as the caption
    assert re.search(
        r'<figure class="figure-w85" id="c-fig-1"><a class="figure-zoom" href="[^"]*">'
        r'<img alt="KL and JS divergence"[^>]*></a>'
        r'<figcaption><span class="figure-number">Figure 1\.</span> Two Gaussians',
        gan,
    )
    assert "Fig. 1." not in gan
    assert re.search(
        r'<figure class="figure-w70" id="c-fig-2"><a class="figure-zoom" href="[^"]*">'
        r'<img alt="GAN architecture"',
        gan,
    )
    glm = body("generalized-language-models").body_html
    assert re.search(r'<figure class="figure-w80" id="c-fig-1">.*?The CoVe embeddings', glm, re.S)
    assert re.search(r'<figure class="figure-w45 figure-right" id="c-fig-2">.*?BERT', glm, re.S)
    family = body("the-transformer-family").body_html
    assert '<figure class="figure-w55 figure-left" id="c-fig-1">' in family  # 400px, class left
    meta = body("meta-learning").body_html
    assert '<figure class="figure-w40 figure-right" id="c-fig-1">' in meta  # float: right


def test_toc_comments_options_raw_and_nomarkdown(report):
    gan = body("from-gan-to-wgan")
    assert "TOC" not in gan.body and gan.toc_html.count("<li>") >= 4  # the site's own TOC
    assert "WGAN-GP" not in gan.body  # {::comment}
    assert "parse_block_html" not in gan.body  # {::options}
    attention = body("attention-attention")
    assert "{{ page.title }} — {% post_url 2017-08-20-from-GAN-to-WGAN %}" in attention.body
    assert "<code>{{ site.baseurl }}</code>" in attention.body_html
    assert "Draft paragraph" not in attention.body  # {% comment %}
    meta = body("meta-learning")
    assert "<p>kramdown passes this through untouched.</p>" in meta.body_html  # (its class is not
    # on the sanitizer's allow-list)
    assert "# {{ not liquid }} and $$ not math $$" in meta.body  # code is never touched


def test_excerpt_separators_of_the_site_and_of_a_post(report):
    assert body("from-gan-to-wgan").summary.startswith("> This post explains")
    assert body("attention-attention").summary == (
        "Attention is a vector of importance weights: to predict one element, we estimate how "
        "strongly it correlates with the others."
    )
    assert "<!--excerpt-->" not in body("attention-attention").body


def test_old_urls_redirect_permanently(report, client):
    expected = {
        "/2017/08/20/from-GAN-to-WGAN.html": GAN,  # the site's permalink style
        "/2017/08/20/gan-to-wgan.html": GAN,  # redirect_from
        "/gan/": GAN,
        "/2019/01/31/generalized-lm/": GLM,  # the post's own permalink
        "/2019/01/31/generalized-language-models.html": GLM,
        "/2018/06/24/attention-attention.html": ATTENTION,  # categories are not in the style
        "/2019/06/23/meta-learning.html": "/posts/2019-06-23-meta-learning/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert not PostAlias.objects.filter(post__slug="sparse-attention").exists()


def test_each_imported_post_starts_its_history_with_the_import(report, author, tmp_path):
    post = body("from-gan-to-wgan")
    versions = list(Version.objects.get_for_object(post))
    assert len(versions) == 1
    assert versions[0].revision.comment == "Imported from _posts/2017-08-20-from-GAN-to-WGAN.md."
    assert versions[0].revision.user == author
    assert versions[0].field_dict["body"] == post.body

    run_import(SITE, author=author)  # unchanged: no new revision
    assert Version.objects.get_for_object(post).count() == 1


def test_the_report_says_what_was_converted_and_left(report):
    assert re.search(r"converted: .*\b8 links to other posts resolved", report) is None
    assert "Converted in all:" in report
    assert "8 links to other posts resolved" in report.split("Converted in all:")[1]
    assert "left: include not converted (unknown include): {% include youtube.html" in report
    glm = body("generalized-language-models")
    assert '<!-- {% include youtube.html id="xyz123" %} -->' in glm.body  # kept for the writer
    assert "youtube" not in glm.body_html  # but never shown to a reader
    assert "Left as is in all: 1 include not converted (unknown include), 1 unresolved link" in (
        report
    )


def test_a_dry_run_reports_the_same_and_writes_nothing(author, media_root):
    out = StringIO()
    call_command("import_markdown", str(SITE), "--author", author.username, "--dry-run", stdout=out)
    assert "Would have: 6 created" in out.getvalue()
    assert "8 links to other posts resolved" in out.getvalue()
    assert not Post.objects.exists() and not Version.objects.exists()


def test_jekyll_scholar_citations_and_bibliography_come_in(report):
    from posts.models import Reference

    assert "site data 2 references from _bibliography/references.bib" in report
    wgan = Reference.objects.get(key="arjovsky2017wgan")
    assert (wgan.authors, wgan.title, wgan.year) == (
        "Arjovsky, Martin; Chintala, Soumith; Bottou, Léon",
        "Wasserstein GAN",
        2017,
    )
    gan = body("from-gan-to-wgan")
    assert "[@goodfellow2014gan]" in gan.body
    assert "[@arjovsky2017wgan; @goodfellow2014gan]" in gan.body
    assert "{% bibliography" not in gan.body and "{% cite" not in gan.body
    assert sorted(gan.references.values_list("key", flat=True)) == [
        "arjovsky2017wgan",
        "goodfellow2014gan",
    ]
    assert "Unknown reference key" not in gan.body_html
    assert gan.body_html.count('class="references"') <= 1 and "Wasserstein GAN" in gan.body_html


def test_the_first_edit_of_an_imported_post_can_be_undone(report, author):
    from posts.writing.revisions import restore, version_state

    post = body("attention-attention")
    imported_body, imported_tags = post.body, sorted(post.tags.names())
    first = Version.objects.get_for_object(post).get()
    assert sorted(version_state(first)["tags"].split(", ")) == imported_tags
    post.body = "Rewritten by mistake."
    post.save()
    post.tags.set(["oops"])

    restore(first, author)

    post.refresh_from_db()
    assert post.body == imported_body
    assert sorted(post.tags.names()) == imported_tags

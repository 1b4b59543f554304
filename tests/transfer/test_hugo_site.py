"""A Hugo research blog imported from its site folder (tests/fixtures/hugo-ml): shortcodes,
page bundles, ref/relref across the batch, aliases and the section permalink, lastmod, draft,
series and categories."""

import re
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from posts.models import Image, Post

pytestmark = pytest.mark.django_db

SITE = Path(__file__).parents[1] / "fixtures" / "hugo-ml"
DIFFUSION = "/posts/2021-07-11-diffusion-models/"
SCORE = "/posts/2022-01-02-score-matching/"


@pytest.fixture
def report(author, media_root):
    out = StringIO()
    call_command("import_markdown", str(SITE), "--author", author.username, stdout=out)
    return out.getvalue()


def test_posts_front_matter_series_categories_lastmod_and_draft(report):
    assert "3 created, 0 updated, 0 unchanged, 0 failed" in report
    diffusion = Post.objects.get(slug="diffusion-models")
    assert diffusion.updated_at == datetime(2022, 9, 19, 15, 0, tzinfo=UTC)
    assert sorted(diffusion.tags.names(), key=str.lower) == [
        "diffusion",
        "generative-model",
        "Research",
    ]
    assert diffusion.series.title == "Generative Models"
    assert Post.objects.get(slug="score-matching").series == diffusion.series
    assert Post.objects.get(slug="draft-note").status == Post.Status.DRAFT


def test_ref_and_relref_resolve_across_the_batch(report):
    diffusion = Post.objects.get(slug="diffusion-models").body_html
    assert f'href="{SCORE}"' in diffusion  # relref "score-matching.md", later in the batch
    assert f'href="{SCORE}#c-the-objective"' in diffusion
    score = Post.objects.get(slug="score-matching")
    assert f'href="{DIFFUSION}"' in score.body_html  # ref "posts/diffusion-models/index.md"
    assert 'href="#c-the-objective"' in score.body_html  # the pipeline prefixes ids and links
    assert 'href="/posts/never-written/"' in score.body_html
    assert (
        "left: unresolved link (no such post), pointed at its old URL: ref posts/never-written"
        in (report)
    )


def test_shortcodes_become_the_sites_constructs(report):
    post = Post.objects.get(slug="diffusion-models")
    html = post.body_html
    # math shortcodes: a block alone on its lines is display, one in a sentence inline
    assert html.count('display="block"') == 2 and html.count('display="inline"') >= 4
    assert re.search(r"schedule is <math[^>]*display=\"inline\"", html)
    # figures with width and alignment; the bundle's own image and one from static/
    assert re.search(
        r'<figure class="figure-w60" id="c-fig-1"><a class="figure-zoom" href="[^"]*">'
        r'<img alt="The forward and',
        html,
    )
    assert re.search(r'<figure class="figure-w40 figure-right" id="c-fig-2">', html)
    assert 'href="https://arxiv.org/abs/2006.11239"' in html
    assert Image.objects.count() == 2
    # details, with Markdown inside; raw HTML; highlight as code, shortcodes inside untouched
    assert re.search(r"<details>\s*<summary>Why the reverse step is Gaussian</summary>", html)
    assert "<strong>Gaussian</strong>" in html
    assert "<p>A note in raw HTML.</p>" in html  # (its class is not on the allow-list)
    assert "# {{&lt; figure &gt;}} stays" in html or "{{< figure >}} stays" in post.body
    assert '<div class="highlight">' in html
    # an escaped shortcode is shown as the shortcode; an unknown one is reported
    assert '<code>{{&lt; figure src="x.png" &gt;}}</code>' in html
    assert "left: Hugo shortcode left as text: youtube" in report
    assert "<!-- {{< youtube abc123 >}} -->" in post.body and "youtube" not in html


def test_aliases_and_the_hugo_url_redirect(report, client):
    for old, new in {
        "/2021/07/diffusion-models/": DIFFUSION,  # [permalinks] posts = "/:year/:month/:slug/"
        "/diffusion/": DIFFUSION,
        "/score/": SCORE,
        "/2022/01/score-matching/": SCORE,
    }.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old

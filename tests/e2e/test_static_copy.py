"""The static copy (export_site) in Chromium, served by a plain static server under a path
prefix as on GitHub Pages: search works from the prebuilt index, old URLs land on the post;
and an imported kramdown figure is sized as its attribute list said."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from posts.models import PostAlias
from tests.processes import wait_for
from tests.tcp_proxy import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def static_copy(make_post, tmp_path):
    make_post(
        title="Attention? Attention!",
        slug="attention",
        body="Attention weights come from a softmax over alignment scores.",
        tags=["attention"],
    )
    policy = make_post(
        title="Policy Gradient Algorithms",
        slug="policy-gradient",
        body="The policy gradient theorem; REINFORCE uses the return as a weight.",
        tags=["reinforcement learning"],
    )
    PostAlias.objects.create(post=policy, path="/2018/04/08/policy-gradient-algorithms.html")
    make_post(title="Secret draft", slug="secret", body="softmax secrets", status="draft",
              published_at=None)  # fmt: skip
    # The export lives under /blog/ of the server's folder, as a project page on GitHub Pages.
    root = tmp_path / "www"
    port = free_port()
    base = f"http://127.0.0.1:{port}/blog/"
    call_command("export_site", str(root / "blog"), "--base-url", base, stdout=StringIO())
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(base)
        yield base, policy
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def static_page(browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page
    context.close()
    assert errors == []


def test_search_on_the_static_copy_finds_posts_from_the_prebuilt_index(static_copy, static_page):
    base, _ = static_copy
    page = static_page
    page.goto(base)
    page.fill("header input[name=q]", "softmax")
    page.press("header input[name=q]", "Enter")
    page.wait_for_selector(".search-results .search-result")

    titles = page.locator(".search-result h2 a").all_inner_texts()
    assert titles == ["Attention? Attention!"]  # the draft is not in the index
    assert page.locator(".search-count").inner_text() == "1 result"
    assert "softmax" in page.locator(".search-snippet").inner_text()
    results = page.locator(".search-results").bounding_box()
    assert results is not None and results["height"] > 20  # shown, not just in the DOM

    page.locator(".search-result h2 a").click()
    page.wait_for_load_state()
    assert page.url == base + "posts/" + page.url.split("/posts/")[1]
    assert page.locator("h1").inner_text() == "Attention? Attention!"


def test_search_rules_phrase_exclusion_and_no_match(static_copy, static_page):
    base, _ = static_copy
    page = static_page
    page.goto(base + 'search/?q="policy gradient" -softmax')
    page.wait_for_selector(".search-result")
    assert page.locator(".search-result h2 a").all_inner_texts() == ["Policy Gradient Algorithms"]
    page.goto(base + "search/?q=nothingmatchesthis")
    page.wait_for_selector(".search-empty")
    assert page.locator(".search-count").inner_text() == "0 results"


def test_an_old_url_of_the_static_copy_lands_on_the_post(static_copy, static_page):
    base, policy = static_copy
    page = static_page
    page.goto(base + "2018/04/08/policy-gradient-algorithms.html")
    page.wait_for_url(base.rstrip("/") + policy.get_absolute_url())
    assert page.locator("h1").inner_text() == "Policy Gradient Algorithms"


FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_an_imported_kramdown_figure_has_the_width_its_attribute_list_gave(
    page, author, media_root, live_server
):
    call_command(
        "import_markdown", str(FIXTURES / "jekyll-ml"), "--author", author.username,
        stdout=StringIO(),
    )  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/posts/2019-01-31-generalized-language-models/")
    body = page.locator(".post-body").bounding_box()
    cove = page.locator("figure#c-fig-1 img").bounding_box()  # style="width: 80%;" class="center"
    bert = page.locator("figure#c-fig-2 img").bounding_box()  # width="45%" class="right"
    assert abs(cove["width"] - 0.8 * body["width"]) < 2
    centre = cove["x"] + cove["width"] / 2
    assert abs(centre - (body["x"] + body["width"] / 2)) < 2
    assert abs(bert["width"] - 0.45 * body["width"]) < 2
    assert abs(bert["x"] + bert["width"] - (body["x"] + body["width"])) < 2  # flush right
    caption = page.locator("figure#c-fig-1 figcaption").inner_text()
    assert caption.startswith("Figure 1. The CoVe embeddings")

"""The pipeline's promises under hostile input: it never raises, a failing construct costs only
that construct, and a text that would take too long is refused with a reason (issue 11, items
4-6). How long the adversarial inputs take is measured by `python -m bench.adversarial`."""

from __future__ import annotations

import markdown
import pytest
from markdown.extensions.footnotes import FootnoteInlineProcessor

from posts.markup import Rendered, render, render_markdown
from posts.markup.extensions.citations import CitationInlineProcessor
from posts.markup.extensions.figures import FigureBlockProcessor, FigureNumberer
from posts.markup.extensions.links import LinearLinksExtension
from posts.markup.sanitize import limit_nesting
from posts.markup.text import html_to_plain, parse, plain_text, serialize

# Item 5: nesting deep enough to exhaust Python's recursion limit in a recursive walk.
DEEP_INPUTS = {
    "div": "intro\n\n" + "<div>" * 4000 + "deep" + "</div>" * 4000 + "\n\nafter",
    "code": "intro\n\n" + "<code>" * 3333 + "deep",
    "emphasis": "*" * 5000 + "deep" + "*" * 5000,
    "blockquote": ">" * 2000 + " deep",
    "list": "".join("  " * i + "- deep\n" for i in range(1500)),
    "span": "<span>" * 20000 + "deep",
}


@pytest.mark.parametrize("source", DEEP_INPUTS.values(), ids=DEEP_INPUTS.keys())
def test_deep_nesting_renders_without_raising(source):
    rendered = render_markdown(source)
    assert isinstance(rendered, Rendered)
    assert "deep" in rendered.text


def test_html_to_text_walks_any_depth():
    html = "<div>" * 6000 + "<p>deep <sup class='citation'>1</sup></p>" + "</div>" * 6000
    tree = parse(html)
    assert plain_text(tree) == "deep"
    assert html_to_plain(html) == "deep"
    assert serialize(tree).count("<div>") == 6000


def test_limit_nesting_cuts_depth_and_keeps_content():
    html = "<div>" * 300 + "text" + "</div>" * 300 + "<p>after</p>"
    limited = limit_nesting(html, max_depth=50)
    assert limited == "<div>" * 50 + "text" + "</div>" * 50 + "<p>after</p>"


def test_limit_nesting_leaves_ordinary_html_alone():
    html = (
        '<ul><li>a<li>b</ul><p>x<br><img src="a.png"><mspace width="1em"/></p>'
        + "<p>para</p>" * 500
        + "<math><mrow><mi>x</mi></mrow></math>"
    )
    assert limit_nesting(html, max_depth=5) == html


# Item 6: one odd construct must not turn the post into plain text.
ODD_CONSTRUCTS = {
    "kramdown toc": "* TOC\n{:toc}\n\n## First\n\nSome *text*.",
    "bare attribute": "Go [there](#x){:target} now, *please*.",
    "kramdown options": 'Some *text*.\n{::options parse_block_html="true" /}\n\nMore *text*.',
}


@pytest.mark.parametrize("source", ODD_CONSTRUCTS.values(), ids=ODD_CONSTRUCTS.keys())
def test_odd_constructs_keep_the_post_formatted(source):
    rendered = render_markdown(source)
    assert "<pre" not in rendered.html
    assert "<em>" in rendered.html
    assert rendered.warnings == ()


def test_a_bare_attribute_keeps_its_link():
    html = render_markdown("Go [there](#x){:target} now.").html
    assert '<a href="#c-x">there</a>' in html


POST = "Intro with *emphasis* and a citation [@k].\n\nSecond paragraph[^1].\n\n[^1]: A note."


def test_a_failing_inline_extension_marks_only_its_construct(monkeypatch):
    def broken(self, m, data):
        raise ValueError("boom")

    monkeypatch.setattr(CitationInlineProcessor, "handleMatch", broken)
    rendered = render_markdown(POST)
    assert '<span class="markup-error">[@k]</span>' in rendered.html
    assert "<em>emphasis</em>" in rendered.html
    assert 'class="footnote-ref"' in rendered.html
    assert any(
        "[@k]" in warning and "could not be formatted" in warning for warning in rendered.warnings
    )


def test_a_failing_builtin_inline_pattern_marks_only_its_construct(monkeypatch):
    monkeypatch.setattr(FootnoteInlineProcessor, "handleMatch", lambda self, m, data: 1 / 0)
    rendered = render_markdown(POST)
    assert '<span class="markup-error">[^1]</span>' in rendered.html
    assert "<em>emphasis</em>" in rendered.html


def test_a_failing_block_processor_shows_that_block_as_written(monkeypatch):
    def broken(self, parent, blocks):
        raise KeyError("boom")

    monkeypatch.setattr(FigureBlockProcessor, "run", broken)
    source = 'Before *a*.\n\n![Diagram](/d.png "The caption")\n\nAfter *b*.'
    rendered = render_markdown(source)
    assert '<pre class="markup-error">![Diagram](/d.png "The caption")</pre>' in rendered.html
    assert "<p>Before <em>a</em>.</p>" in rendered.html
    assert "<p>After <em>b</em>.</p>" in rendered.html
    assert any("could not be formatted" in warning for warning in rendered.warnings)


def test_a_failing_tree_processor_is_skipped_with_a_warning(monkeypatch):
    monkeypatch.setattr(FigureNumberer, "run", lambda self, root: 1 / 0)
    rendered = render_markdown("Some *text* here.")
    assert "<p>Some <em>text</em> here.</p>" in rendered.html
    assert any("FigureNumberer" in warning for warning in rendered.warnings)


# Item 4: a bounded time, or a refusal that says why.


def test_a_text_past_the_time_limit_is_refused_with_a_reason(monkeypatch):
    monkeypatch.setattr(render, "RENDER_SECONDS", 0.0)
    source = "[" * 5000 + "\n\nThe <b>rest</b>."
    rendered = render_markdown(source)
    assert rendered.problem.startswith("This text takes too long to render")
    assert "5000 more “[” than “]”" in rendered.problem
    assert rendered.warnings == (rendered.problem,)
    assert rendered.html.startswith('<pre class="markup-error">[[[')
    assert "The &lt;b&gt;rest&lt;/b&gt;." in rendered.html


def test_an_ordinary_text_has_no_problem():
    assert render_markdown("Just *text*.").problem == ""


LINK_SAMPLES = [
    "[a](b) [c [d] e](f) ![img](/i.png 'title') [ref][r] [r] ![r]\n\n[r]: /x",
    "[[nested [deep]]](u) [unclosed [x](y) ] [a]b] [",
    "[" * 200 + "x" + "]" * 150 + "(z)",
    '[a](<b c> "t") [a](b(c)d) [a](b "t(") [a](b',
    "![" * 40 + "a](b)" * 40,
    "[a" + "]" * 60 + "(x) [" + "[a]" * 50 + "](y)",
    "\\[not] [a\\]b](c) `[code](x)` [x]: /y\n\n[x]",
]


@pytest.mark.parametrize("source", LINK_SAMPLES, ids=range(len(LINK_SAMPLES)))
def test_linear_link_patterns_parse_like_python_markdown(source):
    ours = markdown.markdown(source, extensions=[LinearLinksExtension()])
    assert ours == markdown.markdown(source)


def test_the_refusal_names_a_huge_table(monkeypatch):
    monkeypatch.setattr(render, "RENDER_SECONDS", 0.0)
    rows = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 6000
    assert "6002 table rows" in render_markdown(rows).problem

"""posts.markup.render_markdown: the contract, derived fields, robustness and speed."""

from __future__ import annotations

import dataclasses
import math
import random
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from posts.markup import (
    SECONDS_PER_FIGURE,
    WORDS_PER_MINUTE,
    Rendered,
    cited_keys,
    code_styles,
    render_markdown,
)
from tests.html_safety import dangers, find_all

ROOT = Path(__file__).resolve().parents[2]


def entry(key):
    return SimpleNamespace(
        key=key,
        authors="Doe, Jane",
        title=f"On {key}",
        venue="ICML",
        year=2021,
        arxiv_id="",
        doi="",
        url="",
    )


def test_rendered_is_frozen():
    rendered = render_markdown("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rendered.html = "y"  # type: ignore[misc]


def test_basic_markdown_features():
    source = (
        "Intro with **bold**.\n\n"
        "```python\ndef f(x):\n    return x\n```\n\n"
        "| h |\n|---|\n| c |\n\n"
        "Term\n:   Meaning\n\n"
        "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n\n"
        "A note[^a].\n\n[^a]: The note.\n"
    )
    html = render_markdown(source).html
    assert len(find_all(html, "div", class_="highlight")) == 1
    assert find_all(html, "span", class_="k")  # Pygments token classes, "def" is a keyword
    assert "style" not in html  # no inline styles anywhere
    assert find_all(html, "table") and find_all(html, "dl")
    assert find_all(html, "abbr", title="Hyper Text Markup Language")
    assert find_all(html, "div", class_="footnote")
    assert find_all(html, "a", class_="footnote-ref")


def test_text_is_plain_with_math_source_and_no_markers():
    bib = {"k": entry("k")}
    source = "# Title\n\nSome *prose* with $\\alpha_1$ and a note[^1] and [@k].\n\n[^1]: Note."
    rendered = render_markdown(source, bibliography=bib)
    assert "<" not in rendered.text
    assert "\\alpha_1" in rendered.text and "$" not in rendered.text
    assert "Some prose with \\alpha_1 and a note and ." in rendered.text
    assert "[1]" not in rendered.text and "\u21a9" not in rendered.text
    assert "On k" not in rendered.text  # the reference list is not part of the text
    assert "#" not in rendered.text  # heading anchors are not text


def test_first_paragraph_skips_headings_images_and_markers():
    bib = {"k": entry("k")}
    source = (
        '# Title\n\n![x](/x.png "cap")\n\n$$x$$\n\n'
        "The *first* real paragraph[^1] cites [@k].\n\nSecond.\n\n[^1]: n"
    )
    first = render_markdown(source, bibliography=bib).first_paragraph_html
    assert first.startswith("<p>") and first.endswith("</p>")
    assert find_all(first, "em")[0].text() == "first"
    assert not find_all(first, "sup")
    assert "Second" not in first
    assert dangers(first) == []


def test_first_paragraph_empty_when_no_prose():
    assert render_markdown("## Only a heading").first_paragraph_html == ""
    assert render_markdown("").first_paragraph_html == ""


def test_word_count_counts_prose_only():
    prose = "one two three four five"
    source = (
        f"{prose}\n\n```\ncode words here that do not count\n```\n\n"
        "$$\\text{display math words}$$\n\n    indented code words\n\n"
        f"{prose} [@k]\n"
    )
    rendered = render_markdown(source, bibliography={"k": entry("k")})
    assert rendered.word_count == 10


def test_inline_formula_counts_as_one_word():
    assert render_markdown("a $x + y = z$ b").word_count == 3


@pytest.mark.parametrize(
    ("words", "figures"), [(0, 0), (199, 0), (200, 0), (201, 0), (1000, 0), (390, 3), (200, 5)]
)
def test_reading_minutes(words, figures):
    source = " ".join(["word"] * words) + "".join(
        f'\n\n![f{i}](/f{i}.png "Figure {i}")' for i in range(figures)
    )
    rendered = render_markdown(source)
    caption_words = 2 * figures  # each caption "Figure i" is prose too
    assert rendered.word_count == words + caption_words
    seconds = (words + caption_words) * 60 / WORDS_PER_MINUTE + figures * SECONDS_PER_FIGURE
    assert rendered.reading_minutes == max(1, math.ceil(seconds / 60))
    assert rendered.figure_count == figures


def test_reading_minutes_rounds_up_with_figure_time():
    # 190 words = 57 s, plus one figure (12 s, caption 1 word = 0.3 s) -> 69.3 s -> 2 minutes
    rendered = render_markdown(" ".join(["w"] * 190) + '\n\n![a](/a.png "cap")')
    assert rendered.reading_minutes == 2


def test_cited_keys():
    text = "A [@a2020] and [@b; @c, p. 3] but not a@b.com or `x`. [@d.]"
    assert cited_keys(text) == {"a2020", "b", "c", "d"}


def test_cited_keys_covers_what_render_cites():
    source = "[@x1] text [@y:2; @z-3] [@x1, ch. 2]"
    keys = cited_keys(source)
    rendered = render_markdown(source, bibliography={k: entry(k) for k in keys})
    assert set(rendered.citations) == keys
    assert rendered.warnings == ()


def test_deterministic():
    source = '# A\n\n$x$ [@k] @fig:a\n\n![a](/a.png "c"){#fig:a}\n\n## B'
    bib = {"k": entry("k")}
    assert render_markdown(source, bibliography=bib) == render_markdown(source, bibliography=bib)


NASTY_INPUTS = [
    "",
    " ",
    "\n" * 1000,
    "$",
    "$$",
    "$$$",
    "$" * 1001,
    "\\(",
    "\\[",
    "\\]\\)",
    "```",
    "```\n$x$",
    "~~~~\n",
    "`" * 99,
    "[@",
    "[@]",
    "[@@@]",
    "@fig:",
    "![",
    "![](",
    '![a](b "',
    "{#fig:}",
    "[^1]",
    "[^1]:",
    "*" * 500,
    "_" * 500,
    "#" * 100,
    "> " * 500 + "x",
    "<" * 300,
    "<div>" * 300,
    "</div>" * 300,
    "<math>" * 100,
    "\x00\x01\x02\x03\x04",
    "\ud800 lone",
    "\x02mathmlblock0\x03",
    "\x02mathmlinline99\x03",
    "\x02wzxhzdk:5\x03",
    "\ufeff\u200b\u202e",
    "".join(f"{'    ' * i}- item {i}\n" for i in range(200)),
    "".join(f"{'>' * i} q\n" for i in range(200)),
    "[" * 500 + "]" * 500,
    "(" * 500,
    "$" + "{" * 2000 + "$",
    "$\\frac" * 300 + "$",
    "| a |\n|---|\n" + "| $x | y$ |\n" * 50,
    "$a$b$c$d$e$f$",
    "\\$\\$\\$",
    "\\\\$x$",
    "\t\tcode\n\t$x$",
    "\r\n\r\n$x$\r\n",
    "# $$x$$",
    "- $$\nx\n$$",
    '![x](/a.png "$$x$$")',
]


@pytest.mark.parametrize("source", NASTY_INPUTS, ids=range(len(NASTY_INPUTS)))
def test_nasty_inputs_never_raise(source):
    rendered = render_markdown(source, bibliography={"k": entry("k")})
    assert isinstance(rendered, Rendered)
    assert rendered.reading_minutes >= 1
    assert "\x02" not in rendered.html and "\x03" not in rendered.html
    assert dangers(rendered.html) == []


def test_random_junk_never_raises():
    rng = random.Random(20240501)
    alphabet = "$\\`*_[]()@#!{}<>|:^~-+=.\n \tabcxyz0123fig:" + "\u00e9\u03b1\x00\x7f"
    for _ in range(300):
        source = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        rendered = render_markdown(source, bibliography={"a": entry("a")})
        assert isinstance(rendered, Rendered)
        assert dangers(rendered.html) == []


def test_huge_input():
    rendered = render_markdown("word " * 200_000)
    assert rendered.word_count == 200_000


def long_post(words: int = 10_000, formulas: int = 50) -> str:
    rng = random.Random(7)
    vocabulary = [
        "the",
        "model",
        "learns",
        "a",
        "representation",
        "of",
        "tokens",
        "attention",
        "gradient",
        "descent",
        "over",
        "many",
        "steps",
        "while",
        "loss",
        "decreases",
    ]
    chunks = []
    per_paragraph = words // (formulas * 2)
    for i in range(formulas * 2):
        if i % 10 == 0:
            chunks.append(f"## Section {i}")
        sentence = " ".join(rng.choice(vocabulary) for _ in range(per_paragraph))
        chunks.append(f"{sentence} with $x_{i}^2$ inline [@k] and `code`.")
        if i % 2 == 0:
            chunks.append(
                r"$$\mathcal{L}(\theta) = -\mathbb{E}_{x \sim p}\Big[\log "
                r"\frac{\exp(f_\theta(x))}{\sum_{j=1}^{N} \exp(f_\theta(x_j))}\Big]$$"
            )
        if i % 20 == 0:
            chunks.append(f'![fig](/f{i}.png "Figure caption {i}")')
            chunks.append("```python\nfor i in range(10):\n    print(i)\n```")
    return "\n\n".join(chunks)


def test_ten_thousand_word_post_renders_every_formula_without_warnings():
    # How fast it renders is measured by `python -m bench.render`, not asserted here.
    rendered = render_markdown(long_post(), bibliography={"k": entry("k")})
    assert rendered.word_count >= 10_000
    assert len(find_all(rendered.html, "math")) == 150  # 100 inline + 50 display
    assert rendered.warnings == ()


def test_code_css_is_generated_and_committed_version_is_current():
    css = code_styles.stylesheet()
    # Each token's colours once, as light-dark(); the dark palette is not written a second time.
    assert re.search(r"^\.highlight \.k \{[^}]*color: light-dark\(#\w+, #\w+\)", css, re.M)
    colour_rules = [line for line in css.splitlines() if line.startswith(".") and "color" in line]
    assert colour_rules and all("light-dark(" in line for line in colour_rules)
    selectors = [line.split(" {", 1)[0] for line in colour_rules]
    assert len(selectors) == len(set(selectors))
    # Typography only the dark style has (if any) applies under both dark conditions.
    dark_only = css.split("/* Typography of the dark style only */\n", 1)[1].splitlines()
    system = [line for line in dark_only if line.startswith("@media (prefers-color-scheme: dark)")]
    chosen = [line for line in dark_only if line.startswith("[data-theme=dark] .highlight")]
    assert len(system) == len(chosen) and len(system) + len(chosen) == len(dark_only)
    committed = (ROOT / "static" / "css" / "code.css").read_text(encoding="utf-8")
    assert committed == css, "run: python -m posts.markup.code_styles"


def test_a_formula_in_a_heading_reads_as_math_in_the_table_of_contents():
    rendered = render_markdown("## The rank-$\\mu$ update & more\n\ntext\n\n## Second\n")
    assert rendered.headings[0].text == "The rank-\\mu update & more"
    toc = rendered.toc_html
    assert "<math" in toc and "\\mu" not in toc.split("<annotation")[0]
    assert "update &amp; more" in toc


def test_math_layout_classes_survive_the_allow_list():
    html = render_markdown(
        "$$\n\\begin{aligned} a &= \\textcolor{red}{b} \\\\ c &= \\overline{d} \\end{aligned}"
        " \\tag{2}\n$$\n"
    ).html
    for fragment in (
        'class="math-align"',
        'class="math-right"',
        'class="math-left"',
        'class="math-color-red"',
        'class="math-overline"',
        '<span class="math-tag">(2)</span>',
    ):
        assert fragment in html


# Images pasted as data: URLs (the sanitizer never lets their bytes through)


def test_a_pasted_data_image_is_cut_before_conversion_with_a_warning():
    pasted = "![A plot](data:image/png;base64," + "iVBORw0KGgo" * 30_000 + ")"
    rendered = render_markdown(f"Before.\n\n{pasted}\n\nAfter.")
    assert '<img alt="A plot">' in rendered.html and "base64" not in rendered.html
    assert "Before." in rendered.html and "After." in rendered.html
    assert rendered.warnings == (
        "An image pasted into the text as a data: URL cannot be shown: add each picture to the "
        "media library (paste or drop it into the editor) and link that.",
    )


def test_a_data_url_in_code_is_left_as_written():
    url = "data:image/png;base64," + "A" * 100
    rendered = render_markdown(f"`![x]({url})`\n\n```\n![y]({url})\n```")
    assert rendered.html.count(url) == 2
    assert rendered.warnings == ()

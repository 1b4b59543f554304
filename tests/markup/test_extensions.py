"""posts.markup.extensions: math, figures, citations and heading anchors, through render_markdown.

Expected values are derived from the input (numbers in order of appearance, ids from the text),
not copied from the function's output.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from posts.markup import render_markdown
from posts.markup.extensions.citations import format_authors, parse_citation
from posts.markup.extensions.headings import slugify
from tests.html_safety import find_all, parse


def entry(key, **fields):
    defaults = {
        "authors": "Doe, Jane",
        "title": f"Title of {key}",
        "venue": "NeurIPS",
        "year": 2020,
        "arxiv_id": "",
        "doi": "",
        "url": "",
    }
    return SimpleNamespace(key=key, **{**defaults, **fields})


def maths(html):
    return find_all(html, "math")


def annotations(html):
    return [a.text() for a in find_all(html, "annotation")]


# --- math -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "tex", "display"),
    [
        ("Let $x_i$ be.", "x_i", "inline"),
        (r"Let \(x_i\) be.", "x_i", "inline"),
        ("$$x_i$$", "x_i", "block"),
        ("\\[\nx_i\n\\]", "x_i", "block"),
        ("Before\n$$\na_{i}^{*}\n$$\nafter", "a_{i}^{*}", "block"),
    ],
)
def test_math_delimiters(source, tex, display):
    html = render_markdown(source).html
    (math,) = maths(html)
    assert math.attrs["display"] == display
    assert annotations(html) == [tex]


def test_display_math_is_wrapped_for_scrolling_and_splits_its_paragraph():
    html = render_markdown("Before the sum\n$$\\sum_i x_i$$\nafter it.").html
    tree = parse(html).root
    top = [c.tag for c in tree.children if not isinstance(c, str)]
    assert top == ["p", "div", "p"]
    assert find_all(html, "div", class_="math-display")[0].children[0].tag == "math"


def test_markdown_does_not_mangle_tex():
    tex = r"a_1 * b_2 * c_{3} \\ \_ \{x\}"
    html = render_markdown(f"$$\\begin{{aligned}} {tex} \\end{{aligned}}$$").html
    assert annotations(html) == [f"\\begin{{aligned}} {tex} \\end{{aligned}}"]
    assert not find_all(html, "em")


def test_underscores_between_formulas_are_not_emphasis():
    html = render_markdown("We have $x_1$ and $y_1$ here.").html
    assert annotations(html) == ["x_1", "y_1"]
    assert not find_all(html, "em")


@pytest.mark.parametrize(
    "source",
    [
        "It costs $5 and $10.",
        "Between $5 and $10 million",
        "From $ 5 to 10 $",
        "Pay $5.",
        "$20, $30, $40",
        "A lone $ sign",
    ],
)
def test_dollar_amounts_are_not_math(source):
    rendered = render_markdown(source)
    assert not maths(rendered.html)
    assert "$" in rendered.text


def test_escaped_dollar_is_literal():
    rendered = render_markdown(r"Price \$x$ here and \$5")
    assert not maths(rendered.html)
    assert rendered.text == "Price $x$ here and $5"


def test_closing_dollar_followed_by_digit_does_not_close():
    assert not maths(render_markdown("between $a and b$5").html)


@pytest.mark.parametrize(
    "source",
    [
        "`$x_i$`",
        "```\n$x_i$\n```",
        "~~~tex\n$$x$$\n~~~",
        "Para.\n\n    $x_i$ indented",
        "<code>$x$</code>",
        "``a `$x$` b``",
    ],
)
def test_math_is_untouched_in_code(source):
    html = render_markdown(source).html
    assert not maths(html)
    code = "".join(c.text() for c in find_all(html, "code"))
    assert "$" in code


def test_math_in_nested_list_paragraphs_still_renders():
    html = render_markdown("- item\n\n    continued with $x^2$\n").html
    assert annotations(html) == ["x^2"]


def test_formula_spanning_a_blank_line_is_not_math():
    assert not maths(render_markdown("$a\n\nb$").html)
    assert not maths(render_markdown("$$a\n\nb$$").html)


def test_bad_formula_falls_back_with_warning():
    rendered = render_markdown(r"See $\foo{x}$ here.")
    (fallback,) = find_all(rendered.html, "code", class_="math-fallback")
    assert fallback.text() == r"\foo{x}"
    assert rendered.warnings == (r"Formula could not be rendered: \foo{x}",)


def test_math_in_headings_links_tables_and_footnotes():
    source = (
        "## Loss $\\mathcal{L}$\n\n[$x$](https://e.org)\n\n| a |\n|---|\n| $y$ |\n\n"
        "Text[^n]\n\n[^n]: Note $z$."
    )
    html = render_markdown(source).html
    assert sorted(annotations(html)) == ["\\mathcal{L}", "x", "y", "z"]


# --- figures --------------------------------------------------------------------------------


def test_captioned_image_becomes_numbered_figure():
    source = (
        '![A cat](/media/cat.png "A *cat* (Image source: [Wiki](https://w.org/cat))")\n\n'
        'Text ![icon](/i.png) inline.\n\n![Dog](/dog.png "A dog")'
    )
    rendered = render_markdown(source)
    figures = find_all(rendered.html, "figure")
    assert [f.attrs["id"] for f in figures] == ["c-fig-1", "c-fig-2"]
    first = figures[0]
    zoom, caption = (c for c in first.children if not isinstance(c, str))
    # Click to zoom without JavaScript: the image is a link to itself at full size.
    assert zoom.tag == "a" and zoom.attrs == {"class": "figure-zoom", "href": "/media/cat.png"}
    (img,) = (c for c in zoom.children if not isinstance(c, str))
    assert img.tag == "img"
    assert img.attrs == {"src": "/media/cat.png", "alt": "A cat", "loading": "lazy"}
    assert caption.tag == "figcaption"
    number = find_all(rendered.html, "span", class_="figure-number")
    assert [n.text() for n in number] == ["Figure 1.", "Figure 2."]
    assert caption.text() == "Figure 1. A cat (Image source: Wiki)"
    assert find_all(rendered.html, "em")[0].text() == "cat"
    assert find_all(rendered.html, "a", href="https://w.org/cat")
    # the inline image without a title stays inline
    (inline,) = [i for i in find_all(rendered.html, "img") if i.attrs["src"] == "/i.png"]
    assert "loading" not in inline.attrs
    assert rendered.figure_count == 2


def test_a_figure_without_alt_text_still_names_its_zoom_link():
    rendered = render_markdown('![](/media/plot.png "A plot")')
    (zoom,) = find_all(rendered.html, "a", class_="figure-zoom")
    assert zoom.attrs["href"] == "/media/plot.png"
    assert zoom.attrs["aria-label"] == "The full-size image"


def test_labels_and_references_including_forward_ones():
    source = (
        "As @fig:b shows, and @fig:a too.\n\n"
        '![a](/a.png "First"){#fig:a}\n\n![b](/b.png "Second")\n{#fig:b}\n\nAgain @fig:a.'
    )
    rendered = render_markdown(source)
    assert [f.attrs["id"] for f in find_all(rendered.html, "figure")] == ["c-fig-a", "c-fig-b"]
    refs = [(a.attrs["href"], a.text()) for a in find_all(rendered.html, "a", class_="figure-ref")]
    assert refs == [("#c-fig-b", "Figure 2"), ("#c-fig-a", "Figure 1"), ("#c-fig-a", "Figure 1")]
    assert rendered.warnings == ()


def test_unknown_figure_label():
    rendered = render_markdown("See @fig:nope.")
    (missing,) = find_all(rendered.html, "span", class_="missing-ref")
    assert missing.text() == "@fig:nope?"
    assert rendered.warnings == ('Unknown figure label "fig:nope"',)


def test_duplicate_figure_label_warns():
    rendered = render_markdown('![a](/a.png "A"){#fig:x}\n\n![b](/b.png "B"){#fig:x}')
    assert [f.attrs["id"] for f in find_all(rendered.html, "figure")] == ["c-fig-x", "c-fig-2"]
    assert rendered.warnings == ('Duplicate figure label "fig:x"',)


def test_figure_caption_with_math_and_citation():
    bib = {"k": entry("k")}
    rendered = render_markdown('![x](/x.png "Loss $\\ell_2$ from [@k]")', bibliography=bib)
    caption = find_all(rendered.html, "figcaption")[0]
    assert annotations(rendered.html) == ["\\ell_2"]
    assert find_all(rendered.html, "a", href="#c-ref-k")
    assert "Figure 1." in caption.text()


def test_email_and_at_mentions_are_not_figure_refs():
    html = render_markdown("Mail me@fig:x.com or @figure.").html
    assert not find_all(html, "a", class_="figure-ref")
    assert not find_all(html, "span", class_="missing-ref")


# --- citations ------------------------------------------------------------------------------


def test_citations_are_numbered_in_order_of_first_use():
    bib = {k: entry(k) for k in ("a2020", "b2021", "c2019")}
    source = "One [@b2021]. Two [@a2020; @b2021]. Three [@c2019, p. 3] and [@b2021]."
    rendered = render_markdown(source, bibliography=bib)
    links = [
        (a.attrs["href"], a.attrs["id"], a.text())
        for sup in find_all(rendered.html, "sup", class_="citation")
        for a in sup.children
        if not isinstance(a, str)
    ]
    assert links == [
        ("#c-ref-b2021", "c-cite-b2021-1", "[1]"),
        ("#c-ref-a2020", "c-cite-a2020-1", "[2]"),
        ("#c-ref-b2021", "c-cite-b2021-2", "[1]"),
        ("#c-ref-c2019", "c-cite-c2019-1", "[3, p. 3]"),
        ("#c-ref-b2021", "c-cite-b2021-3", "[1]"),
    ]
    assert rendered.citations == ("b2021", "a2020", "c2019")


def test_reference_section_lists_entries_with_links_and_backlinks():
    bib = {
        "v": entry(
            "v",
            authors="Vaswani, Ashish; Shazeer, Noam",
            title="Attention",
            venue="NeurIPS",
            year=2017,
            arxiv_id="1706.03762",
            doi="10.5555/3295222",
            url="https://papers.example/v",
        )
    }
    rendered = render_markdown("A [@v] and again [@v].\n\nNote[^1]\n\n[^1]: fn", bibliography=bib)
    (section,) = find_all(rendered.html, "section", class_="references")
    assert section.attrs["id"] == "c-references"
    tree = parse(rendered.html).root
    top = [c for c in tree.children if not isinstance(c, str)]
    assert top[-1].tag == "section" and top[-2].attrs.get("class") == "footnote"  # after notes
    (item,) = find_all(rendered.html, "li", id="c-ref-v")
    text = item.text()
    for part in ("Ashish Vaswani and Noam Shazeer", "2017", "Attention", "NeurIPS"):
        assert part in text
    hrefs = [a.attrs["href"] for a in find_all(rendered.html, "a") if a in item_links(item)]
    assert "https://arxiv.org/abs/1706.03762" in hrefs
    assert "https://doi.org/10.5555/3295222" in hrefs
    assert "https://papers.example/v" in hrefs
    # Cited twice, linked back once (to the first citation): no "↩ ↩".
    assert [a.attrs["href"] for a in find_all(rendered.html, "a", class_="backref")] == [
        "#c-cite-v-1"
    ]
    assert item.text().count("\u21a9") == 1
    assert ("References", "c-references") in [(h.text, h.id) for h in rendered.headings]
    assert 'href="#c-references"' in rendered.toc_html or len(rendered.headings) < 2


@pytest.mark.parametrize(
    ("venue", "reads"),
    [
        (
            "NeurIPS",
            "Ashish Vaswani (2017). \u201cAttention.\u201d NeurIPS. arXiv:1706.03762 \u21a9",
        ),
        ("Proc. NeurIPS.", "(2017). \u201cAttention.\u201d Proc. NeurIPS. arXiv:1706.03762 \u21a9"),
        ("", "Ashish Vaswani (2017). \u201cAttention.\u201d arXiv:1706.03762 \u21a9"),
        ("arXiv preprint", "\u201cAttention.\u201d arXiv preprint arXiv:1706.03762 \u21a9"),
    ],
)
def test_a_reference_reads_as_a_sentence(venue, reads):
    """Authors (year). \u201cTitle.\u201d Venue. Links: one stop after the year and the venue."""
    fields = {"authors": "Vaswani, Ashish", "title": "Attention", "year": 2017}
    bib = {"v": entry("v", venue=venue, arxiv_id="1706.03762", **fields)}
    rendered = render_markdown("A [@v].", bibliography=bib)
    (item,) = find_all(rendered.html, "li", id="c-ref-v")
    assert " ".join(item.text().split()).endswith(reads)


def item_links(item):
    return [c for c in _walk(item) if c.tag == "a"]


def _walk(element):
    for child in element.children:
        if not isinstance(child, str):
            yield child
            yield from _walk(child)


def test_references_heading_is_in_the_toc():
    rendered = render_markdown("## Intro\n\nSee [@k].", bibliography={"k": entry("k")})
    links = find_all(rendered.toc_html, "a")
    assert [a.attrs["href"] for a in links] == ["#c-intro", "#c-references"]


def test_footnotes_are_a_section_under_a_notes_heading():
    rendered = render_markdown("## Notes\n\nA claim[^1].\n\n[^1]: The note.")
    (notes,) = find_all(rendered.html, "div", class_="footnote")
    children = [c for c in notes.children if not isinstance(c, str)]
    assert children[0].tag == "h2" and children[0].text().startswith("Notes")
    assert not find_all(rendered.html, "hr")  # the heading replaces the bare rule
    # Its own id (the writer's "Notes" heading keeps "notes"), and a place in the TOC.
    assert [(h.text, h.id) for h in rendered.headings] == [
        ("Notes", "c-notes"),
        ("Notes", "c-notes-2"),
    ]


def test_unknown_key_is_visible_and_warned():
    rendered = render_markdown(
        "See [@ghost2020] and [@k; @ghost2020].", bibliography={"k": entry("k")}
    )
    missing = find_all(rendered.html, "span", class_="missing-ref")
    assert [m.text() for m in missing] == ["[@ghost2020?]", "[@ghost2020?]"]
    assert rendered.warnings == ('Unknown reference key "ghost2020"',)
    assert rendered.citations == ("k",)


@pytest.mark.parametrize(
    "source",
    [
        "Write to a@b.com or [me@b.com](mailto:me@b.com).",
        "`[@k]`",
        "```\n[@k]\n```",
        "[see @k]",
        "[@]",
        "\\[@k]",
    ],
)
def test_not_citations(source):
    rendered = render_markdown(source, bibliography={"k": entry("k")})
    assert not find_all(rendered.html, "sup", class_="citation")
    assert not find_all(rendered.html, "section", class_="references")
    assert rendered.citations == ()


def test_no_bibliography_means_every_key_is_missing():
    rendered = render_markdown("See [@k].")
    assert rendered.warnings == ('Unknown reference key "k"',)


def test_parse_citation():
    assert parse_citation("@a; @b, p. 3") == [("a", ""), ("b", "p. 3")]
    assert parse_citation("@key.") == [("key", "")]
    assert parse_citation("@a; not a key") is None


def test_format_authors():
    assert format_authors("Doe, Jane") == "Jane Doe"
    assert format_authors("Doe, Jane; Roe, Rick") == "Jane Doe and Rick Roe"
    assert format_authors("A, X; B, Y; C, Z") == "X A, Y B, and Z C"
    assert format_authors("; ".join(f"S{i}, G" for i in range(8))) == "G S0, G S1, G S2 et al."
    assert format_authors("OpenAI") == "OpenAI"
    assert format_authors("") == ""


# --- heading anchors ------------------------------------------------------------------------


def test_heading_ids_are_slugs_deduplicated_with_anchor_links():
    source = "## Results\n\n### Results\n\n## Results\n\n## Über Größe & Co.\n\n## Figure 1"
    rendered = render_markdown(source + '\n\n![x](/x.png "cap")')
    ids = [h.id for h in rendered.headings]
    assert ids == ["c-results", "c-results-2", "c-results-3", "c-über-größe-co", "c-figure-1"]
    for heading_id in ids:
        (anchor,) = [
            a
            for a in find_all(rendered.html, "a", class_="anchor")
            if a.attrs["href"] == f"#{heading_id}"
        ]
        assert anchor.attrs["aria-label"] == "Link to this section"


def test_heading_ids_avoid_other_ids_in_the_document():
    rendered = render_markdown('## Fig 1\n\n![x](/x.png "cap")')
    assert find_all(rendered.html, "figure", id="c-fig-1")
    assert rendered.headings[0].id == "c-fig-1-2"


def test_explicit_heading_id_is_kept():
    rendered = render_markdown("## Title {#custom}\n\n## Other")
    assert rendered.headings[0].id == "c-custom"


def test_toc_is_nested_and_skips_other_levels():
    source = "# Top\n\n## A\n\n### A.1\n\n#### A.1.a\n\n##### deep\n\n## B"
    rendered = render_markdown(source)
    toc = parse(rendered.toc_html).root
    outer = next(c for c in toc.children if not isinstance(c, str))
    assert outer.tag == "ul"
    items = [c for c in outer.children if not isinstance(c, str)]
    assert [i.children[0].text() for i in items] == ["A", "B"]
    nested = [c for c in items[0].children if not isinstance(c, str) and c.tag == "ul"]
    assert nested and "A.1.a" in nested[0].text()
    assert "deep" not in rendered.toc_html and "Top" not in rendered.toc_html


def test_toc_empty_with_fewer_than_two_headings():
    assert render_markdown("## Only one\n\ntext").toc_html == ""
    assert render_markdown("no headings").toc_html == ""


def test_heading_text_with_html_and_math():
    rendered = render_markdown("## <em>Bold</em> claim $x^2$\n\n## Two")
    assert rendered.headings[0].text == "Bold claim x^2"
    assert rendered.headings[0].id == "c-bold-claim-x-2"


def test_slugify():
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("  --  ") == "section"
    assert slugify("Attention Is All You Need (2017)") == "attention-is-all-you-need-2017"


@pytest.mark.parametrize(
    "source",
    [
        '<img src="/a.png" title="costs $x$ here">',
        '<a href="/q?a=$x$&b=$y$">link</a>',
        "[link](/path/$x$/y)",
        'Text ![a](/a.png "title $x_1$") inline.',
    ],
)
def test_no_formula_inside_attributes(source):
    html = render_markdown(source).html
    assert not maths(html)
    for element in parse(html).elements:
        for value in element.attrs.values():
            assert "<" not in value and "math" not in value


def test_inline_image_title_keeps_tex_source():
    html = render_markdown('Text ![a](/a.png "title $x_1$") inline.').html
    (img,) = find_all(html, "img")
    assert img.attrs["title"] == "title x_1"

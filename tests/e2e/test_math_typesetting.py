"""Math looks like math in Chromium with JavaScript off: geometry read with getBoundingClientRect
(checks in tests/e2e/math_geometry.py) on the issue's examples and on the 409-formula corpus."""

from __future__ import annotations

import pytest

from tests.e2e.math_geometry import (
    Formula,
    corpus_markdown,
    ink_extent,
    load_corpus,
    measure,
    share_by_check,
    share_by_group,
    stretched,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FONT_FILE = "latinmodern-math"

# The issue's examples, each with the checks it must pass.
EXAMPLES = [
    (
        Formula(
            "aligned",
            r"\begin{aligned} J(\theta) &= \mathbb{E}_{x \sim p_\theta}\left[ f(x) \right] \\"
            r" \nabla_\theta J(\theta) &= \mathbb{E}_{x \sim p_\theta}\left[ f(x)\,"
            r" \nabla_\theta \log p_\theta(x) \right] \end{aligned}",
            True,
        ),
        {"aligned", "fence"},
    ),
    (
        Formula("display-sum", r"\nabla_\theta J = \frac{1}{N} \sum_{i=1}^{N} R_i", True),
        {"limits", "large-operator"},
    ),
    (Formula("inline-sum", r"\sum_{i=1}^n x_i", False), {"limits"}),
    (Formula("big", r"\Big( x + y \Big)", False), {"delimiter-size"}),
    (
        Formula(
            "cases",
            r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & x = 0 \\ -1 & \text{otherwise} \end{cases}",
            True,
        ),
        {"cases-brace"},
    ),
    (
        Formula("accents", r"\hat{x} + \bar{y} + \tilde{z} + \vec{v} + \dot{\theta}", False),
        {"accent"},
    ),
    (Formula("bold", r"\boldsymbol{\theta} + \mathbf{x} + \mathbb{R}^n", False), set()),
    (Formula("color", r"\color{red}{x} + \textcolor{#1f77b4}{y}", False), {"color"}),
]


def open_post(browser, live_server, make_post, body, **context_options):
    post = make_post(title="Math", slug="math", body=body)
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, **context_options
    )
    page = context.new_page()
    fonts = []
    page.on("response", lambda r: fonts.append(r) if FONT_FILE in r.url else None)
    page.goto(post.get_absolute_url())
    page.evaluate("document.fonts.ready.then(() => true)")
    return context, page, fonts


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_issues_examples_typeset_as_tex(browser, live_server, make_post, scheme):
    formulas = [formula for formula, _ in EXAMPLES]
    context, page, _ = open_post(
        browser, live_server, make_post, corpus_markdown(formulas), color_scheme=scheme
    )
    measured = measure(page, formulas)
    for (formula, wanted), result in zip(EXAMPLES, measured, strict=True):
        assert wanted <= set(result.checks), (formula.tex, result.checks)
        assert result.ok, (formula.tex, result.details)
        assert result.checks["served-font"], formula.tex
    # Bold letters are the math bold characters, drawn by the served font (which has them).
    bold = page.locator("article math").nth(2 + 6).locator("mi").all_text_contents()
    assert "\U0001d73d" in bold and "\U0001d431" in bold
    context.close()


def test_aligned_rows_line_up_on_their_relation_signs(browser, live_server, make_post):
    tex = r"\begin{aligned} a &= b + c \\ a + b + c + d &\le e \\ x &\approx y \end{aligned}"
    context, page, _ = open_post(browser, live_server, make_post, f"$$\n{tex}\n$$\n")
    relations = page.locator("article mtd.math-left > mo:first-of-type")
    lefts = [relations.nth(i).bounding_box()["x"] for i in range(relations.count())]
    assert len(lefts) == 3 and max(lefts) - min(lefts) <= 2, lefts
    context.close()


def test_display_sum_is_large_with_limits_under_and_inline_beside(browser, live_server, make_post):
    body = "Inline $\\sum_{i=1}^n x_i$.\n\n$$\n\\sum_{i=1}^n x_i\n$$\n"
    context, page, _ = open_post(browser, live_server, make_post, body)
    inline, display = page.locator("article math").nth(0), page.locator("article math").nth(1)
    small = inline.locator("mo").first.bounding_box()
    big = display.locator("munderover > mo").bounding_box()
    lower = display.locator("munderover > :nth-child(2)").bounding_box()
    assert big["height"] >= 1.3 * small["height"], (big, small)
    assert abs((lower["x"] + lower["width"] / 2) - (big["x"] + big["width"] / 2)) <= 2
    assert lower["y"] >= big["y"] + big["height"] - 2
    inline_sub = inline.locator("msubsup > :nth-child(2)").bounding_box()
    assert inline_sub["x"] >= small["x"] + small["width"] - 1  # beside, not under
    context.close()


def test_big_paren_is_at_least_one_and_a_half_plain_ones(browser, live_server, make_post):
    context, page, _ = open_post(browser, live_server, make_post, "$($ and $\\Big( x \\Big)$\n")
    plain = page.locator("article math").nth(0).locator("mo").bounding_box()
    big = page.locator("article math").nth(1).locator("mo").first.bounding_box()
    assert big["height"] >= 1.5 * plain["height"], (big, plain)
    context.close()


def test_the_corpus_typesets_correctly(browser, live_server, make_post):
    """At least 95% of each construct's formulas pass every check (measured: 408 of 409)."""
    formulas = load_corpus()
    assert len(formulas) >= 300
    context, page, fonts = open_post(browser, live_server, make_post, corpus_markdown(formulas))
    measured = measure(page, formulas)
    for name, (good, total) in share_by_check(measured).items():
        assert good >= 0.95 * total, (name, good, total)
    for name, (good, total) in share_by_group(measured).items():
        assert good >= 0.95 * total, (name, good, total)
    assert [r.status for r in fonts] == [200]
    context.close()


def test_the_font_is_fetched_only_by_pages_with_math(browser, live_server, make_post):
    plain = make_post(title="Prose", slug="prose", body="Only words here.")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    fonts = []
    page.on("request", lambda r: fonts.append(r.url) if FONT_FILE in r.url else None)
    page.goto(plain.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert fonts == []
    assert page.locator('link[rel="preload"][as="font"]').count() == 0

    with_math = make_post(title="Math", slug="math", body="Let $x \\in \\mathbb{R}$.")
    page.goto(with_math.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert len(fonts) == 1 and fonts[0].endswith(".woff2")
    assert page.locator('link[rel="preload"][as="font"]').count() == 1
    context.close()


def test_on_a_phone_long_formulas_scroll_in_their_own_box(browser, live_server, make_post):
    long_display = " + ".join(f"\\frac{{a_{{{i}}}}}{{b_{{{i}}}}}" for i in range(30))
    long_inline = " + ".join(f"x_{{{i}}}" for i in range(40))
    body = (
        f"Before ${long_inline}$ after.\n\n$$\n{long_display}\n$$\n\n"
        f"$$\n{long_display} \\tag{{7}}\n$$\n"
    )
    context, page, _ = open_post(
        browser, live_server, make_post, body, viewport={"width": 360, "height": 740}
    )
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, overflow
    box = page.locator("article .math-display").first
    sizes = box.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto", sizes
    column = page.locator("article .post-body").bounding_box()
    inline = page.locator("article p math").first.bounding_box()
    assert inline["x"] + inline["width"] <= column["x"] + column["width"] + 1
    context.close()


def test_screen_readers_get_the_formula_as_math(browser, live_server, make_post):
    """Chromium hands assistive technology the formula's MathML structure (a MathMLMath node with
    its scripts and operators; screen readers speak math from it); the TeX source stays in the
    annotation, neither drawn nor read."""
    context, page, _ = open_post(browser, live_server, make_post, "Let $x^2 \\le \\alpha$.\n")
    session = context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    roles = [n.get("role", {}).get("value") for n in nodes if not n.get("ignored")]
    assert {"MathMLMath", "MathMLSup", "MathMLOperator", "MathMLIdentifier"} <= set(roles)
    spoken = [n.get("name", {}).get("value", "") for n in nodes if not n.get("ignored")]
    assert "\u2264" in spoken and "\\le" not in " ".join(map(str, spoken))
    annotation = page.locator("article math annotation")
    assert annotation.text_content() == "x^2 \\le \\alpha"
    assert annotation.bounding_box() is None
    context.close()


def test_an_equation_number_sits_at_the_right_margin_and_the_formula_stays_centred(
    browser, live_server, make_post
):
    body = "$$\nE = mc^2 \\tag{3}\n$$\n\n$$\n\\begin{equation} a = b \\end{equation}\n$$\n"
    context, page, _ = open_post(browser, live_server, make_post, body)
    column = page.locator("article .post-body").bounding_box()
    tags = page.locator("article .math-tag")
    assert tags.nth(0).inner_text() == "(3)"
    # The automatic number is generated content (a CSS counter): read what the page shows.
    session = context.new_cdp_session(page)
    shown = [
        n.get("name", {}).get("value")
        for n in session.send("Accessibility.getFullAXTree")["nodes"]
        if n.get("role", {}).get("value") == "StaticText"
    ]
    assert "(3)" in shown
    assert ["(", "1", ")"] in [shown[i : i + 3] for i in range(len(shown))]
    for index in range(2):
        tag = tags.nth(index).bounding_box()
        assert abs(tag["x"] + tag["width"] - (column["x"] + column["width"])) <= 2
        formula = page.locator("article .math-display > math").nth(index).bounding_box()
        assert abs(formula["x"] + formula["width"] / 2 - (column["x"] + column["width"] / 2)) <= 2
    context.close()


# Wide accents and extensible arrows, each measured in its own paragraph (after the two reference
# formulas of `corpus_markdown`).
STRETCHY = [
    Formula("widetilde", r"\widetilde{xyzw}", False),
    Formula("widetilde-one", r"\widetilde{x}", False),
    Formula("tilde-one", r"\tilde{x}", False),
    Formula("widetilde-long", r"\widetilde{abcdefghijklmnop}", False),
    Formula("utilde", r"\utilde{abc}", False),
    Formula("utilde-one", r"\utilde{x}", False),
    Formula("underrightarrow", r"\underrightarrow{AB}", False),
    Formula("underleftarrow", r"\underleftarrow{AB}", False),
    Formula("underleftrightarrow", r"\underleftrightarrow{AB}", False),
    Formula("widehat", r"\widehat{xyzw}", False),
    Formula("overrightarrow", r"\overrightarrow{ABCD}", False),
    Formula("overleftarrow", r"\overleftarrow{ABCD}", False),
    Formula("overleftrightarrow", r"\overleftrightarrow{ABCD}", False),
    Formula("xrightarrow", r"A \xrightarrow{\text{long label}} B", True),
    Formula("xrightarrow-under", r"A \xrightarrow[\text{under}]{\text{over}} B", True),
    Formula("xleftarrow", r"a \xleftarrow{\text{long label}} b", True),
    Formula("xrightarrow-short", r"X \xrightarrow{f} Y", True),
]


def stretchy_page(browser, live_server, make_post, media="screen", **context_options):
    context, page, _ = open_post(
        browser, live_server, make_post, corpus_markdown(STRETCHY), **context_options
    )
    page.emulate_media(media=media)
    maths = page.locator("article .post-body math")
    assert maths.count() == 2 + len(STRETCHY)
    marks = {f.group: stretched(page, maths.nth(2 + i)) for i, f in enumerate(STRETCHY)}
    return context, maths, marks


def formula(maths, group):
    return maths.nth(2 + [f.group for f in STRETCHY].index(group))


def em(maths, group):
    return formula(maths, group).evaluate("m => parseFloat(getComputedStyle(m).fontSize)")


@pytest.mark.parametrize(
    ("scheme", "scale"), [("light", 1), ("dark", 1), ("light", 2)], ids=["light", "dark", "2x"]
)
def test_wide_accents_are_drawn_across_their_base(browser, live_server, make_post, scheme, scale):
    context, maths, marks = stretchy_page(
        browser, live_server, make_post, color_scheme=scheme, device_scale_factor=scale
    )
    for group in ("widetilde", "widehat", "overrightarrow", "overleftarrow", "overleftrightarrow"):
        [mark] = marks[group]
        assert mark.kind == "accent", group
        # Drawn (not only laid out) across at least 80% of the base, centred, above it.
        assert mark.ink_width >= 0.8 * mark.spans_width, (group, mark.ink, mark.spans)
        assert abs(mark.ink_centre_offset) <= 3, (group, mark.ink_centre_offset)
        assert mark.mark["bottom"] <= mark.spans["top"] + 1, (group, mark.mark, mark.spans)
    # The arrows point the right way: the head is the heavier end of the ink.
    assert marks["overrightarrow"][0].ink.heavier_end() == "right"
    assert marks["overleftarrow"][0].ink.heavier_end() == "left"
    # Over one letter \widetilde is \tilde: the font's glyph, the same size and place.
    assert marks["widetilde-one"] == [] and marks["tilde-one"] == []
    wide_one, tilde_one = (
        formula(maths, g).locator("mover > mo").bounding_box()
        for g in ("widetilde-one", "tilde-one")
    )
    assert abs(wide_one["width"] - tilde_one["width"]) <= 0.5 < wide_one["width"]
    assert abs(wide_one["height"] - tilde_one["height"]) <= 0.5
    context.close()


@pytest.mark.parametrize(
    ("scheme", "scale"), [("light", 1), ("dark", 1), ("light", 2)], ids=["light", "dark", "2x"]
)
def test_a_drawn_tilde_keeps_the_shape_of_a_tilde(browser, live_server, make_post, scheme, scale):
    """As wide as its base up to 1.92 em, then no wider, centred: the widest tilde of Latin Modern
    Math (1.915 x 0.246 em), which TeX sets over any wider base. Stretched further the wave would
    flatten into a line (32:1 over 16 letters)."""
    context, maths, _ = stretchy_page(
        browser, live_server, make_post, color_scheme=scheme, device_scale_factor=scale
    )
    for group in ("widetilde", "widetilde-long", "utilde"):
        size = em(maths, group)
        # The stylesheet paints the tilde in its mark's box (a masked background): unlike a
        # stretched glyph's, that box is the drawing's, so its ink is read there, clear of letters.
        mark = formula(maths, group).locator("mo.math-widetilde")
        mark.scroll_into_view_if_needed()
        box, base = mark.bounding_box(), mark.locator("xpath=../*[1]").bounding_box()
        right, bottom = box["x"] + box["width"], box["y"] + box["height"]
        ink = ink_extent(maths.page, box["x"] - 1, box["y"], right + 1, bottom)
        assert ink.width >= 0.9 * min(base["width"], 1.92 * size), (group, ink, base)
        assert ink.width <= 1.92 * size + 2, (group, ink, size)  # 2 px: the pixels at its ends
        assert ink.height <= 0.3 * size, (group, ink, size)
        # The font's widest is 7.8:1 (the ink at one device pixel per px looks thinner).
        assert ink.width <= 12 * ink.height, (group, ink)
        offset = (ink.left + ink.right) / 2 - (base["x"] + base["width"] / 2)
        assert abs(offset) <= 3, (group, offset)
    context.close()


@pytest.mark.parametrize(
    ("scheme", "scale"), [("light", 1), ("dark", 1), ("light", 2)], ids=["light", "dark", "2x"]
)
def test_under_marks_are_drawn_under_their_base(browser, live_server, make_post, scheme, scale):
    """\\utilde and \\underrightarrow & co: the mark under the base, as wide as it, with TeX's gap
    between them (0.12 em: where Latin Modern Math draws its tilde below, U+0330)."""
    context, maths, marks = stretchy_page(
        browser, live_server, make_post, color_scheme=scheme, device_scale_factor=scale
    )
    for group in ("utilde", "underrightarrow", "underleftarrow", "underleftrightarrow"):
        [mark] = marks[group]
        assert mark.kind == "under-accent", group
        assert mark.ink_width >= 0.8 * mark.spans_width, (group, mark.ink, mark.spans)
        assert abs(mark.ink_centre_offset) <= 3, (group, mark.ink_centre_offset)
        assert mark.mark["top"] >= mark.spans["bottom"] - 1, (group, mark.mark, mark.spans)
        gap = mark.ink_gap / em(maths, group)
        assert 0.05 <= gap <= 0.3, (group, gap)
    assert marks["underrightarrow"][0].ink.heavier_end() == "right"
    assert marks["underleftarrow"][0].ink.heavier_end() == "left"
    both = marks["underleftrightarrow"][0].ink.heights
    fifth = len(both) // 5
    middle = sum(both[2 * fifth : 3 * fifth])
    assert min(sum(both[:fifth]), sum(both[-fifth:])) > 1.5 * middle, both  # a head at each end
    # Under one letter \\utilde is the font's tilde, \\tilde's glyph, below the letter.
    assert marks["utilde-one"] == []
    under = formula(maths, "utilde-one").locator("munder > mo").bounding_box()
    letter = formula(maths, "utilde-one").locator("munder > mrow").bounding_box()
    over = formula(maths, "tilde-one").locator("mover > mo").bounding_box()
    assert abs(under["width"] - over["width"]) <= 0.5 < under["width"]
    assert under["y"] >= letter["y"] + letter["height"] + 1, (under, letter)
    assert abs(under["x"] + under["width"] / 2 - letter["x"] - letter["width"] / 2) <= 2
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_printed_the_stretched_marks_are_still_drawn(browser, live_server, make_post, scheme):
    """The print stylesheet (site.css) turns the page light and drops the site's frame; every drawn
    tilde and stretched arrow is still there. A printer that drops backgrounds would drop the drawn
    tilde (a masked background) but for `print-color-adjust: exact` (seen in a PDF printed without
    backgrounds; a screenshot always paints them)."""
    context, maths, marks = stretchy_page(
        browser, live_server, make_post, media="print", color_scheme=scheme
    )
    page = maths.page
    assert page.evaluate("matchMedia('print').matches")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    for group in ("widetilde", "widetilde-long", "utilde", "widehat", "overrightarrow"):
        [mark] = marks[group]
        assert mark.ink_width >= min(0.8 * mark.spans_width, 1.85 * em(maths, group)), group
    for group in ("underrightarrow", "underleftarrow", "underleftrightarrow"):
        [mark] = marks[group]
        assert mark.ink_width >= 0.8 * mark.spans_width, group
    for group in ("xrightarrow", "xleftarrow", "xrightarrow-under"):
        [arrow] = marks[group]
        assert arrow.ink_width >= arrow.spans_width, group
    drawn = page.locator("article mo.math-widetilde")
    assert drawn.count() == 3
    for index in range(3):
        assert drawn.nth(index).evaluate("e => getComputedStyle(e).printColorAdjust") == "exact"
    context.close()


@pytest.mark.parametrize(
    ("scheme", "scale"), [("light", 1), ("dark", 1), ("light", 2)], ids=["light", "dark", "2x"]
)
def test_extensible_arrows_stretch_under_their_labels(
    browser, live_server, make_post, scheme, scale
):
    context, _, marks = stretchy_page(
        browser, live_server, make_post, color_scheme=scheme, device_scale_factor=scale
    )
    for group, head in (
        ("xrightarrow", "right"),
        ("xrightarrow-under", "right"),
        ("xleftarrow", "left"),
        ("xrightarrow-short", "right"),
    ):
        [arrow] = marks[group]
        assert arrow.kind == "arrow", group
        # As wide as its labels at least (drawn: the head is not cut off), centred under them.
        assert arrow.ink_width >= arrow.spans_width, (group, arrow.ink, arrow.spans)
        assert abs(arrow.ink_centre_offset) <= 2, (group, arrow.ink_centre_offset)
        assert arrow.ink.heavier_end() == head, group
        for label in arrow.over:
            assert label["bottom"] <= arrow.mark["top"] + 1, (group, label, arrow.mark)
        for label in arrow.under:
            assert label["top"] >= arrow.mark["bottom"] - 1, (group, label, arrow.mark)
    assert len(marks["xrightarrow"][0].over) == 1 and not marks["xrightarrow"][0].under
    assert len(marks["xrightarrow-under"][0].over) == 1
    assert len(marks["xrightarrow-under"][0].under) == 1
    # A long label makes a long arrow; a one-letter label leaves TeX's room at its sides.
    long, short = marks["xrightarrow"][0], marks["xrightarrow-short"][0]
    assert long.ink_width >= 2.5 * short.ink_width, (long.ink, short.ink)
    assert short.ink_width >= short.spans_width + 10, (short.ink, short.spans)
    context.close()


def test_in_forced_colours_the_wide_tilde_is_the_fonts_glyph(browser, live_server, make_post):
    """A forced-colours mode drops backgrounds, so the drawn tilde would vanish: the hidden U+02DC
    is shown instead (small, but there)."""
    context, page, _ = open_post(
        browser, live_server, make_post, "$\\widetilde{xyzw}$\n", forced_colors="active"
    )
    math = page.locator("article .post-body math")
    [mark] = stretched(page, math)
    assert mark.ink is not None and mark.ink_width < 0.5 * mark.spans_width, (mark.ink, mark.spans)
    assert abs(mark.ink_centre_offset) <= 2
    context.close()

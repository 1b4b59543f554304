"""posts.markup.mathml: every TeX construct ML writing relies on converts to sensible MathML.

Outputs are parsed as XML and checked for the structure that construct must produce (a fraction is
an <mfrac>, display limits sit under the operator...), so a silently dropped command fails.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from posts.markup.mathml import tex_to_mathml

NS = "{http://www.w3.org/1998/Math/MathML}"


def render(tex: str, display: bool = False) -> ET.Element:
    result = tex_to_mathml(tex, display=display)
    assert result.ok, (tex, result.error, result.html)
    root = ET.fromstring(result.html)
    for element in root.iter():
        element.tag = element.tag.removeprefix(NS)
    return root


def presentation(root: ET.Element) -> ET.Element:
    """The rendered part, without the TeX annotation."""
    return root.find("semantics")[0]


def tags(root: ET.Element) -> list[str]:
    return [e.tag for e in presentation(root).iter()]


def texts(root: ET.Element, tag: str | None = None) -> list[str]:
    return [e.text or "" for e in presentation(root).iter() if tag is None or e.tag == tag]


def test_wrapper_carries_display_mode_and_tex_source():
    inline = render(r"x_i")
    block = render(r"x_i", display=True)
    assert inline.tag == "math" and inline.get("display") == "inline"
    assert block.get("display") == "block"
    annotation = block.find("semantics/annotation")
    assert annotation.get("encoding") == "application/x-tex"
    assert annotation.text == "x_i"


def test_fraction():
    root = render(r"\frac{a+b}{2}")
    frac = presentation(root).find(".//mfrac")
    assert frac is not None and len(frac) == 2
    assert "2" in [e.text for e in frac[1].iter()]


def test_sum_with_limits_goes_under_and_over_in_display():
    display = render(r"\sum_{i=1}^{n} x_i", display=True)
    under_over = presentation(display).find(".//munderover")
    assert under_over is not None and under_over[0].text == "\u2211"
    inline = render(r"\sum_{i=1}^{n} x_i")
    assert presentation(inline).find(".//msubsup")[0].text == "\u2211"


def test_integral_keeps_side_limits():
    root = render(r"\int_0^\infty e^{-x} dx", display=True)
    sub_sup = presentation(root).find(".//msubsup")
    assert sub_sup[0].text == "\u222b"
    assert "\u221e" in texts(root)


@pytest.mark.parametrize(
    ("tex", "char"),
    [
        (r"\mathbb{R}", "\u211d"),
        (r"\mathbb{E}", "\U0001d53c"),
        (r"\mathcal{L}", "\u2112"),
        (r"\nabla", "\u2207"),
        (r"\top", "\u22a4"),
        (r"\sim", "\u223c"),
        (r"\propto", "\u221d"),
        (r"\approx", "\u2248"),
        (r"\leq", "\u2264"),
        (r"\alpha", "\u03b1"),
        (r"\theta", "\u03b8"),
        (r"\Sigma", "\u03a3"),
        (r"\epsilon", "\u03f5"),
        (r"\lVert x \rVert", "\u2016"),
        (r"\|x\|", "\u2016"),
        (r"\Vert x \Vert", "\u2016"),
    ],
)
def test_symbols(tex, char):
    assert char in texts(render(tex))


def test_relations_are_operators_not_identifiers():
    root = render(r"x \sim p")
    assert "\u223c" in texts(root, "mo")


@pytest.mark.parametrize(
    ("tex", "char"),
    [
        (r"\boldsymbol{\theta}", "\U0001d73d"),
        (r"\boldsymbol{x}", "\U0001d499"),
        (r"\mathbf{\theta}", "\U0001d6c9"),
        (r"\mathbf{0}", "\U0001d7ce"),
        (r"\mathbb{1}", "\U0001d7d9"),
        (r"\mathbf{\nabla}", "\U0001d6c1"),
    ],
)
def test_styled_letters_are_unicode_math_alphanumerics(tex, char):
    # Chromium ignores mathvariant (but "normal"): the letter itself must be bold.
    root = render(tex)
    assert char in texts(root)
    assert all(e.get("mathvariant") is None for e in presentation(root).iter())


def test_mathrm_single_letter_is_upright():
    root = render(r"\mathrm{d}x")
    upright = [e for e in presentation(root).iter("mi") if e.get("mathvariant") == "normal"]
    assert [e.text for e in upright] == ["d"]
    plain = next(e for e in presentation(root).iter("mi") if e.text == "x")
    assert plain.get("mathvariant") is None


@pytest.mark.parametrize(
    ("tex", "accent", "stretchy", "css_class"),
    [
        (r"\hat{y}", "\u02c6", "false", None),
        (r"\widehat{xy}", "\u0302", "true", None),
        (r"\tilde{y}", "\u02dc", "false", None),
        (r"\tilde{xy}", "\u02dc", "false", None),
        # No tilde stretches in Chromium: the stylesheet draws this one across its base.
        (r"\widetilde{xy}", "\u02dc", "false", "math-widetilde"),
        (r"\widetilde{x}", "\u02dc", "false", None),  # over one letter, \tilde's glyph
        (r"\widetilde{\alpha}", "\u02dc", "false", None),
        (r"\widetilde{}", "\u02dc", "false", None),
        (r"\bar{y}", "\u00af", "false", None),
        (r"\vec{v}", "\u20d7", "true", None),
        (r"\dot{x}", "\u02d9", "false", None),
        (r"\overrightarrow{AB}", "\u20d7", "true", None),
        (r"\overleftarrow{AB}", "\u20d6", "true", None),
        (r"\overleftrightarrow{AB}", "\u20e1", "true", None),
    ],
)
def test_accents(tex, accent, stretchy, css_class):
    over = presentation(render(tex)).find(".//mover")
    assert over is not None and over.get("accent") == "true"
    assert over[1].text == accent and over[1].get("stretchy") == stretchy
    assert over[1].get("class") == css_class


def test_widetilde_spans_any_base_wider_than_a_letter():
    root = render(r"\widetilde{\mathcal{L}(\theta)} + \widetilde{x_1} + \widetilde{f}")
    marks = [m[1].get("class") for m in presentation(root).iter("mover")]
    assert marks == ["math-widetilde", "math-widetilde", None]


@pytest.mark.parametrize(
    ("tex", "mark", "stretchy", "css_class"),
    [
        # \utilde is the tilde of \widetilde under its base: drawn by the stylesheet when wide.
        (r"\utilde{abc}", "\u02dc", "false", "math-widetilde"),
        (r"\wideutilde{ab}", "\u02dc", "false", "math-widetilde"),
        (r"\utilde{x}", "\u02dc", "false", None),  # under one letter, the font's glyph
        (r"\utilde x", "\u02dc", "false", None),
        # The arrow itself, stretched under the base (Chromium stretches no combining arrow
        # below, and the ones above are drawn above their box).
        (r"\underrightarrow{AB}", "\u2192", "true", None),
        (r"\underleftarrow{AB}", "\u2190", "true", None),
        (r"\underleftrightarrow{AB}", "\u2194", "true", None),
    ],
)
def test_under_accents(tex, mark, stretchy, css_class):
    root = render(tex)
    under = presentation(root).find(".//munder")
    assert under is not None and under.get("accentunder") == "true", tags(root)
    base, accent = list(under)
    assert accent.tag == "mo" and accent.text == mark and accent.get("stretchy") == stretchy
    assert accent.get("class") == css_class
    letters = tex.split("{")[-1].rstrip("}").split()[-1]
    assert "".join(e.text for e in base.iter("mi")) == letters
    assert "\u0330" not in "".join(texts(root))  # no stray combining tilde


def test_under_tilde_keeps_its_place_and_its_scripts():
    root = render(r"a \utilde{b} c + \utilde{x}^2 + \utilde{\utilde{y}}")
    row = presentation(root)
    assert [e.tag for e in row][:3] == ["mi", "munder", "mi"]
    assert texts(root, "mi")[:3] == ["a", "b", "c"]
    # The superscript belongs to the marked x, as in TeX.
    power = row.find("msup")
    assert power[0].tag == "munder" and [e.text for e in power[0].iter("mi")] == ["x"]
    assert [e.text for e in power[1].iter("mn")] == ["2"]
    outer = row.findall("munder")[-1]
    assert outer[0].find(".//munder") is not None  # \utilde{\utilde{y}}: one under the other
    assert [e.text for e in outer.iter("mi")] == ["y"]
    assert "\u0330" not in "".join(texts(root))


def test_a_lone_under_tilde_is_left_as_it_came():
    assert tex_to_mathml(r"\utilde").ok


@pytest.mark.parametrize(
    ("tex", "tag", "arrow"),
    [
        (r"\xrightarrow{f}", "mover", "\u2192"),
        (r"\xleftarrow{f}", "mover", "\u2190"),
        (r"\xRightarrow{f}", "mover", "\u21d2"),
        (r"\xleftrightarrow{f}", "mover", "\u2194"),
    ],
)
def test_extensible_arrow_is_a_stretchy_base_under_its_padded_label(tex, tag, arrow):
    root = render(f"A {tex} B")
    node = presentation(root).find(f".//{tag}")
    base, label = list(node)
    assert base.tag == "mo" and base.text == arrow and base.get("stretchy") == "true"
    # The label keeps its width (no <mpadded width="+0.833em">, which Chromium reads as 0.833em)
    # and gets TeX's room at its sides.
    assert [c.tag for c in label] == ["mspace", "mrow", "mspace"]
    assert label[0].get("width") == label[2].get("width") == "0.3889em"
    assert texts(root, "mi") == ["A", "f", "B"]
    assert "mpadded" not in tags(root) and "mstyle" not in tags(root)


def test_extensible_arrow_with_a_label_under_and_over():
    node = presentation(render(r"\xrightarrow[\text{under}]{\text{over}}")).find(".//munderover")
    base, under, over = list(node)
    assert base.tag == "mo" and base.get("stretchy") == "true"
    assert [e.text for e in under.iter("mtext")] == ["under"]
    assert [e.text for e in over.iter("mtext")] == ["over"]


def test_extensible_arrow_with_an_empty_label_is_the_bare_arrow():
    node = presentation(render(r"\xrightarrow[a]{}")).find(".//munderover")
    assert [c.tag for c in node] == ["mo", "mrow", "mrow"]
    assert len(node[1]) == 3 and len(node[2]) == 0  # no room around an empty label


def test_overline_is_a_rule_drawn_by_the_stylesheet():
    root = render(r"\overline{ab} + \underline{c}")
    classes = [e.get("class") for e in presentation(root).iter("mrow") if e.get("class")]
    assert classes == ["math-overline", "math-underline"]
    assert "\u2015" not in texts(root)


def test_cases():
    root = render(r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}")
    table = presentation(root).find(".//mtable")
    assert len(table.findall("mtr")) == 2
    assert "{" in texts(root, "mo")
    assert "otherwise" in texts(root, "mtext")


@pytest.mark.parametrize("env", ["aligned", "align", "align*"])
def test_aligned_environments_become_tables_without_numbers(env):
    root = render(rf"\begin{{{env}}} a &= b + c \\ &= d \end{{{env}}}", display=True)
    table = presentation(root).find(".//mtable")
    assert table is not None and len(table.findall("mtr")) == 2
    assert "&" not in texts(root)  # alignment marks consumed, not printed
    assert not any(t.startswith("(") for t in texts(root, "mtext"))  # no "(1)" numbers


def test_label_and_nonumber_are_dropped():
    root = render(r"\begin{align} a &= b \label{eq:x} \nonumber \end{align}", display=True)
    assert set(texts(root, "mi")) - {""} == {"a", "b"}
    assert not any("\\" in t for t in texts(root))


@pytest.mark.parametrize(("env", "left", "right"), [("pmatrix", "(", ")"), ("bmatrix", "[", "]")])
def test_matrices(env, left, right):
    root = render(rf"\begin{{{env}}} 1 & 2 \\ 3 & 4 \end{{{env}}}")
    rows = presentation(root).findall(".//mtr")
    assert len(rows) == 2 and len(rows[0]) == 2
    operators = texts(root, "mo")
    assert operators[0] == left and operators[-1] == right


def test_text():
    assert "if " in "".join(texts(render(r"x \text{if } y"), "mtext")).replace("\u00a0", " ")


def test_operatorname():
    assert "KL" in texts(render(r"\operatorname{KL}(p \| q)"), "mo")


def test_log_exp():
    found = texts(render(r"\log p(x) + \exp(x)"))
    assert "log" in found and "exp" in found


@pytest.mark.parametrize("which", ["max", "min"])
def test_argmax_argmin_is_one_operator_with_limits_below(which):
    root = render(rf"\arg\{which}_\theta L(\theta)", display=True)
    under = presentation(root).find(".//munder")
    assert under is not None and under[0].tag == "mo"
    assert under[0].text == f"arg\u2009{which}"
    assert not any("\\" in t for t in texts(root))


def test_left_right_fences_stretch():
    root = render(r"\left( \frac{a}{b} \right)")
    fences = [e for e in presentation(root).iter("mo") if e.get("stretchy") == "true"]
    assert [e.text for e in fences] == ["(", ")"]


def test_sub_and_superscripts():
    root = render(r"x_t^{(i)} + W^\top h")
    assert {"msubsup", "msup"} <= set(tags(root))


def test_expectation_with_subscript():
    root = render(r"\mathbb{E}_{x \sim p_\theta}[\log p(x)]")
    sub = presentation(root).find(".//msub")
    assert sub[0].text == "\U0001d53c"


def test_a_realistic_ml_equation():
    tex = (
        r"\mathcal{L}(\boldsymbol{\theta}) = -\mathbb{E}_{(x,y)\sim\mathcal{D}}\Big[\log "
        r"\frac{\exp(s_\theta(x,y)/\tau)}{\sum_{y'} \exp(s_\theta(x,y')/\tau)}\Big] "
        r"+ \lambda \|\boldsymbol{\theta}\|_2^2"
    )
    root = render(tex, display=True)
    assert {"mfrac", "munder", "msubsup"} <= set(tags(root))


def test_special_characters_are_escaped_not_markup():
    result = tex_to_mathml(r"\text{<img src=x onerror=alert(1)>} a < b")
    assert result.ok
    assert "<img" not in result.html
    assert "&lt;img" in result.html
    root = ET.fromstring(result.html)  # still well-formed
    assert root is not None


@pytest.mark.parametrize(
    "tex",
    [
        r"\foo{x}",
        r"\frac{1}",
        "x^",
        "{",
        r"\left( x",
        r"\begin{tikzpicture} x \end{tikzpicture}",
        r"\href{javascript:alert(1)}{x}",
        r"\style{color:red}{x}",
        r"\def\x{y} \x",
        r"\newcommand{\R}{\mathbb{R}} \R",
        "a & b",
        "{" * 500 + "x" + "}" * 500,
        "",
        "   ",
    ],
)
def test_unconvertible_formulas_fall_back_visibly(tex):
    result = tex_to_mathml(tex)
    assert not result.ok
    assert result.html.startswith('<code class="math-fallback"')
    assert 'title="Formula could not be rendered"' in result.html
    assert "<math" not in result.html


def test_fallback_shows_escaped_source():
    result = tex_to_mathml(r"\foo{<b>}")
    assert r"\foo{&lt;b&gt;}" in result.html


def test_never_raises_on_junk():
    for junk in [
        "\\",
        "$",
        "}}}",
        "\\begin{",
        "\\end{pmatrix}",
        "^_^",
        "\x00",
        "\\sqrt[",
        "\\frac{}{}{}",
        "&&&",
        "\\\\\\\\",
        "\\left.",
        "\\right)",
        "x" * 30000,
    ]:
        tex_to_mathml(junk)
        tex_to_mathml(junk, display=True)


def test_aligned_columns_carry_the_classes_the_stylesheet_lays_out():
    # Chromium ignores columnalign: css/math.css aligns by these classes.
    root = render(r"\begin{aligned} a &= b \\ c + d &= e \end{aligned}", display=True)
    table = presentation(root).find(".//mtable")
    assert table.get("class") == "math-align"
    cells = [[cell.get("class") for cell in row] for row in table]
    assert cells == [["math-right", "math-left"], ["math-right", "math-left"]]


@pytest.mark.parametrize(
    ("tex", "kind"),
    [
        (r"f = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}", "math-cases"),
        (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "math-matrix"),
        (r"\begin{split} a &= b \\ &= c \end{split}", "math-align"),
        (r"\left( \begin{smallmatrix} a & b \end{smallmatrix} \right)", "math-small"),
    ],
)
def test_each_kind_of_table_is_named(tex, kind):
    assert presentation(render(tex, display=True)).find(".//mtable").get("class") == kind


def test_array_rules_become_classes():
    root = render(r"\begin{array}{c|c} x & y \\ \hline 0 & 1 \end{array}", display=True)
    rows = list(presentation(root).find(".//mtable"))
    assert rows[0][0].get("class") == "math-rule-after"
    assert "math-rule-above" in (rows[1].get("class") or "") + (rows[0].get("class") or "")


@pytest.mark.parametrize(
    ("tex", "css_class"),
    [
        (r"\color{red}{x}", "math-color-red"),
        (r"\textcolor{blue}{x}", "math-color-blue"),
        (r"\textcolor{#e41a1c}{x}", "math-color-red"),
        (r"\textcolor{#377eb8}{x}", "math-color-blue"),
        (r"\textcolor{Maroon}{x}", "math-color-red"),
        (r"\textcolor{grey}{x}", "math-color-gray"),
    ],
)
def test_colours_become_palette_classes(tex, css_class):
    root = render(tex)
    styled_parts = [e for e in presentation(root).iter() if e.get("class")]
    assert [e.get("class") for e in styled_parts] == [css_class]
    assert all(e.get("mathcolor") is None for e in presentation(root).iter())


@pytest.mark.parametrize("tex", [r"\color{url(x)}{y}", r"\textcolor{notacolour}{y}"])
def test_colours_outside_the_allow_list_are_refused(tex):
    result = tex_to_mathml(tex)
    assert not result.ok and "colour" in result.error


def test_black_keeps_the_text_colour():
    root = render(r"\textcolor{black}{x}")
    assert not [e for e in presentation(root).iter() if e.get("class")]


def test_tag_becomes_an_equation_number_beside_the_formula():
    result = tex_to_mathml(r"E = mc^2 \tag{3}", display=True)
    assert result.ok
    assert result.html.endswith('</math><span class="math-tag">(3)</span>')
    assert "(3)" not in result.html.split("<annotation")[0]


def test_numbered_equation_gets_a_counter_slot_and_starred_none():
    numbered = tex_to_mathml(r"\begin{equation} a = b \end{equation}", display=True)
    assert numbered.html.endswith('<span class="math-tag math-autonumber"></span>')
    starred = tex_to_mathml(r"\begin{equation*} a = b \end{equation*}", display=True)
    assert "math-tag" not in starred.html


@pytest.mark.parametrize(("tex", "char"), [(r"a \not= b", "\u2260"), (r"a \not\equiv b", "\u2262")])
def test_not_makes_one_negated_relation(tex, char):
    root = render(tex)
    assert char in texts(root, "mo")
    assert presentation(root).find(".//mpadded") is None


def test_nolimits_keeps_display_limits_beside():
    root = render(r"\sum\nolimits_i x_i", display=True)
    assert presentation(root).find(".//munder") is None
    assert presentation(root).find(".//msub") is not None


def test_limits_in_inline_math_stay_under():
    root = render(r"\sum\limits_i x_i")
    under = presentation(root).find(".//munder")
    assert under[0].get("movablelimits") == "false"


def test_big_delimiters_have_a_fixed_size_of_their_own():
    root = render(r"\Big( x \Big)")
    big = [e for e in presentation(root).iter("mo") if e.get("minsize")]
    assert [e.get("minsize") for e in big] == ["1.623em", "1.623em"]
    assert all(e.get("stretchy") == "true" and e.get("lspace") == "0em" for e in big)
    # Alone in an mrow (beside an empty mi): they do not stretch to what they enclose.
    wrappers = [e for e in presentation(root).iter("mrow") if e.find("mo") in big]
    assert len(wrappers) == 2 and all(len(w) == 2 and w[1].tag == "mi" for w in wrappers)


def test_escaped_braces_in_big_delimiters_are_characters():
    assert "{" in texts(render(r"\Bigg\{ x \Bigg\}"), "mo")


def test_operator_names_get_thin_spaces_except_before_a_fence():
    root = render(r"a \log x + \log(x)")
    children = list(presentation(root))
    spaces = [i for i, e in enumerate(children) if e.tag == "mspace"]
    names = [i for i, e in enumerate(children) if e.text == "log"]
    assert spaces == [names[0] - 1, names[0] + 1]  # around the first log only


def test_escaped_ampersand_is_a_symbol_not_a_column():
    assert "&" in texts(render(r"a \& b"), "mo")


@pytest.mark.parametrize(
    ("tex", "script"), [(r"f'(x)", None), (r"x'_i", "msub"), (r"\theta'^2", "msup")]
)
def test_prime_stays_on_the_baseline(tex, script):
    root = render(tex)
    primes = [e for e in presentation(root).iter("mo") if e.text == "\u2032"]
    assert len(primes) == 1
    scripted = [e for e in presentation(root).iter() if e.tag in {"msub", "msup", "msubsup"}]
    assert [e.tag for e in scripted] == ([script] if script else [])
    # The prime follows its base, never inside a script.
    for element in scripted:
        assert primes[0] in list(element[0].iter())


def test_mu_units_become_em():
    root = render(r"a \mkern18mu b")
    assert presentation(root).find(".//mspace").get("width") == "1.0000em"


@pytest.mark.parametrize("tex", [r"(-x)", r"a = -b", r"\Big( -x \Big)", r"a + -b"])
def test_a_sign_after_a_fence_or_an_operator_is_unary(tex):
    minus = next(e for e in presentation(render(tex)).iter("mo") if e.text == "\u2212")
    assert minus.get("form") == "prefix"


def test_a_sign_between_operands_stays_binary():
    minus = next(e for e in presentation(render("a - b")).iter("mo") if e.text == "\u2212")
    assert minus.get("form") is None

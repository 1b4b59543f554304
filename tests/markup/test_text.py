import pytest

from posts.markup import render_markdown
from posts.markup.text import DESCRIPTION_LENGTH, description, html_to_plain, shorten


def test_markup_footnote_marks_and_math_are_stripped_cleanly():
    html = render_markdown(
        "The loss $\\alpha L$ is *minimized*[^1] by [optimizing](/x) &amp; more.\n\n"
        "$$x^2$$\n\nNext.\n\n[^1]: A footnote."
    ).html
    text = html_to_plain(html)
    assert text == "The loss \u03b1L is minimized by optimizing & more. Next."
    for leftover in ("$", "<", "math", "\\alpha", "footnote", "↩"):
        assert leftover not in text


def test_shorten_cuts_at_a_word_boundary():
    text = "word " * 100
    short = shorten(text)
    assert len(short) <= DESCRIPTION_LENGTH
    assert short.endswith("word…")
    assert shorten("Short enough.") == "Short enough."


@pytest.mark.parametrize("limit", [15, 20, 33, 40])
def test_shorten_never_exceeds_the_limit_and_never_splits_a_word(limit):
    text = "Contrastive representation learning, explained slowly and carefully."
    short = shorten(text, limit)
    assert len(short) <= limit
    assert short[:-1].split()[-1] in text.replace(",", "").split()


def test_a_single_long_word_is_cut_hard():
    assert len(shorten("x" * 500)) == DESCRIPTION_LENGTH


def test_description_of_empty_html_is_empty():
    assert description("") == ""


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\alpha + \beta^2", "\u03b1 + \u03b2\u00b2"),
        (r"x \in \mathbb{R}^n", "x \u2208 \u211d\u207f"),
        (
            r"\theta_{t+1} = \theta_t - \eta g_t",
            "\u03b8\u209c\u208a\u2081 = \u03b8\u209c \u2212 \u03b7g\u209c",
        ),
        (r"W^\top x + b", "W\u1d40x + b"),
        (r"\hat{y}_i", "y\u0302\u1d62"),
        (r"\frac{1}{2}", "1/2"),
        (r"\sum_{i=1}^n x_i", "\u2211\u1d62\u208c\u2081\u207f x\u1d62"),
        (r"\log p(x)", "log p(x)"),
        (r"\mathcal{N}(0, I)", "\U0001d4a9(0, I)"),
        # No Unicode form: the TeX source, not the characters run together.
        (r"\frac{a+b}{c}", r"\frac{a+b}{c}"),
        (r"e^{-\lambda t}", r"e^{-\lambda t}"),
        (r"\begin{pmatrix} a & b \end{pmatrix}", r"\begin{pmatrix} a & b \end{pmatrix}"),
    ],
)
def test_inline_formulas_read_as_text_with_unicode_scripts_or_their_tex(tex, text):
    html = render_markdown(f"The formula ${tex}$ here.").html
    assert html_to_plain(html) == f"The formula {text} here."
    assert description(html) == f"The formula {text} here."

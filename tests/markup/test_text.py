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

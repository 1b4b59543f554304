"""Figure sizing: `{width=60% align=left}` after a standalone image, classes the CSS sizes."""

import pytest

from posts.markup import render_markdown


@pytest.mark.parametrize(
    ("source", "figure"),
    [
        ('![A](/a.png "Cap."){width=60%}', '<figure class="figure-w60" id="c-fig-1">'),
        (
            '![A](/a.png "Cap.")\n{#fig:arch align=right width=33%}',
            '<figure class="figure-w35 figure-right" id="c-fig-arch">',
        ),
        ("![A](/a.png){width=100% align=center}", '<figure id="c-fig-1">'),  # the default size
        ("![A](/a.png){width=5%}", '<figure class="figure-w10" id="c-fig-1">'),  # at least 10%
        ("![A](/a.png){ align=left }", '<figure class="figure-left" id="c-fig-1">'),
    ],
)
def test_sizing_becomes_classes_on_the_figure(source, figure):
    html = render_markdown(source).html
    assert html.startswith(figure)
    assert "style=" not in html


def test_a_labelled_figure_keeps_its_reference_with_sizing():
    html = render_markdown('See @fig:x.\n\n![A](/a.png "Cap."){#fig:x width=50%}').html
    assert '<a class="figure-ref" href="#c-fig-x">Figure 1</a>' in html
    assert '<figure class="figure-w50" id="c-fig-x">' in html


@pytest.mark.parametrize(
    "source",
    [
        "![A](/a.png){: .center}",  # a kramdown attribute list is not figure sizing
        "![A](/a.png){width=60px}",  # only shares of the column
        "![A](/a.png){align=middle}",
        "Text ![A](/a.png){width=60%} in a sentence.",
    ],
)
def test_other_braces_are_not_a_figure(source):
    assert "<figure" not in render_markdown(source).html

from datetime import date

from posts.markup import render_markdown
from posts.transfer.importers.jekyll import convert, date_and_slug_from_filename, kramdown_math


def test_filename_gives_date_and_slug():
    assert date_and_slug_from_filename("2019-09-05-are-deep-nets-dramatically-overfitted") == (
        date(2019, 9, 5),
        "are-deep-nets-dramatically-overfitted",
    )
    assert date_and_slug_from_filename("notes") == (None, "notes")
    assert date_and_slug_from_filename("2019-02-30-bad-day") == (None, "2019-02-30-bad-day")


def test_double_dollars_in_a_sentence_become_inline_math():
    assert kramdown_math("where $$ x_i $$ is the input") == "where $x_i$ is the input"
    assert kramdown_math("a $$x$$ and $$y$$.") == "a $x$ and $y$."


def test_double_dollars_alone_in_a_paragraph_stay_display_math():
    text = "Before.\n\n$$\nL = \\sum_i \\ell_i\n$$\n\nAfter."
    assert kramdown_math(text) == text
    assert kramdown_math("$$x^2$$") == "$$\nx^2\n$$"


def test_a_multiline_formula_inside_a_paragraph_is_inline():
    assert kramdown_math("so\n$$a +\nb$$ holds") == "so\n$a + b$ holds"


def test_attribute_lists_and_toc_are_removed():
    text = "* TOC\n{:toc}\n\nA paragraph.\n{: .note}\n\n![x](/a.png){: .center width=300}\n"
    out, warnings = convert(text)
    assert "{:" not in out and "TOC" not in out
    assert "A paragraph." in out and "![x](/a.png)" in out
    assert warnings == []


def test_liquid_image_paths_are_resolved():
    out, _ = convert(
        "![a]({{ '/assets/a.png' | relative_url }}) ![b]({{ \"/assets/b.png\" | absolute_url }})\n"
        "![c]({{ site.baseurl }}/assets/c.png) ![d]({{site.url}}{{ site.baseurl }}/d.png)"
    )
    assert out == "![a](/assets/a.png) ![b](/assets/b.png)\n![c](/assets/c.png) ![d](/d.png)"


def test_highlight_blocks_become_fenced_code_and_code_is_untouched():
    text = "{% highlight python linenos %}\nx = '$$a$$ {: .k}'\n{% endhighlight %}\n\n`{:toc}`"
    out, warnings = convert(text)
    assert out == "```python\nx = '$$a$$ {: .k}'\n```\n\n`{:toc}`"
    assert warnings == []


def test_other_liquid_is_kept_with_a_warning_and_raw_content_is_literal():
    out, warnings = convert(
        "See {% assign x = 1 %}.\n\n{% raw %}{{ x }} {% post_url a %}{% endraw %}"
    )
    assert out == "See {% assign x = 1 %}.\n\n{{ x }} {% post_url a %}"
    assert warnings == ["Liquid left as text: {% assign x = 1 %}"]


def test_a_headings_id_from_an_attribute_list_is_kept_for_links_to_it():
    out, _ = convert(
        "## Loss {: #the-loss .big}\n\nText.\n\n### Other\n{:#other}\n\nSee [it](#the-loss)."
    )
    assert out == "## Loss {#the-loss}\n\nText.\n\n### Other {#other}\n\nSee [it](#the-loss)."
    html = render_markdown(out).html
    assert '<h2 id="c-the-loss">' in html and '<h3 id="c-other">' in html

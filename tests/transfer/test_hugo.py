from pathlib import PurePath

from posts.markup import render_markdown
from posts.transfer.importers.hugo import (
    convert,
    figure_markdown_from,
    shortcode_arguments,
    slug_from_path,
)


def test_slugs_from_bundles_and_files():
    assert slug_from_path(PurePath("content/posts/diffusion/index.md")) == "diffusion"
    assert slug_from_path(PurePath("content/posts/lil-note.md")) == "lil-note"


def test_shortcode_arguments_in_every_quoting():
    args = shortcode_arguments('src="/a b.png" caption=`Raw "c"` alt=\'x\' width=300')
    assert args == {"src": "/a b.png", "caption": 'Raw "c"', "alt": "x", "width": "300"}


def test_figure_shortcode_becomes_a_figure_with_attribution():
    out, warnings = convert(
        'Text.\n\n{{< figure src="/images/arch.png" alt="Denoiser" caption="The \\"U-Net\\"." '
        'attr="Ho et al." attrlink="https://arxiv.org/abs/2006.11239" >}}\n'
    )
    assert warnings == []
    assert out == (
        'Text.\n\n![Denoiser](/images/arch.png "The \\"U-Net\\". (Image source: '
        '[Ho et al.](https://arxiv.org/abs/2006.11239))")\n'
    )
    html = render_markdown(out).html
    assert '<figure id="c-fig-1">' in html
    assert 'href="https://arxiv.org/abs/2006.11239"' in html


def test_percent_shortcode_and_a_figure_without_caption():
    out, _ = convert('{{% figure src="x.png" %}}')
    assert out == "![](x.png)"
    assert figure_markdown_from({"src": "x.png", "title": "T"}) == '![T](x.png "T")'


def test_other_shortcodes_are_kept_with_a_warning_and_code_is_untouched():
    out, warnings = convert('{{< youtube abc >}}\n\n```\n{{< figure src="y.png" >}}\n```')
    # kept for the writer, in a comment no reader sees
    assert out == '<!-- {{< youtube abc >}} -->\n\n```\n{{< figure src="y.png" >}}\n```'
    assert warnings == ["Hugo shortcode left as text: youtube"]

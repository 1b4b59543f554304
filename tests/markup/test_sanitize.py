"""posts.markup.sanitize and the whole pipeline against script injection.

Every vector is rendered and the output is parsed (not substring-matched): no script-capable
element, no event handler attribute, no style attribute, no URL with a scheme other than
http/https/mailto may survive.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from posts.markup import render_markdown
from posts.markup.sanitize import sanitize_html
from tests.html_safety import dangers, find_all, parse

MARKDOWN_VECTORS = {
    "script tag": "Hello <script>alert(1)</script> world",
    "script block": "<script>\nalert(1)\n</script>",
    "img onerror": '<img src=x onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "link javascript": "[x](javascript:alert(1))",
    "link mixed case": "[x](JaVaScRiPt:alert(1))",
    "link entity colon": "[x](javascript&#58;alert(1))",
    "link vbscript": "[x](vbscript:msgbox(1))",
    "link data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "raw a data": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "raw a tab in scheme": '<a href="java\tscript:alert(1)">x</a>',
    "raw a newline in scheme": '<a href="java\nscript:alert(1)">x</a>',
    "raw a leading spaces": '<a href="   javascript:alert(1)">x</a>',
    "raw a entity tab": '<a href="java&#x09;script:alert(1)">x</a>',
    "raw a entity encoded": '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;'
    '&#58;alert(1)">x</a>',
    "image javascript": "![x](javascript:alert(1))",
    "figure javascript src": '![x](javascript:alert(1) "A caption")',
    "reference link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "reference image": "![x][evil]\n\n[evil]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "form": '<form action="https://evil.example"><input name=q><button>go</button></form>',
    "input autofocus": "<input autofocus onfocus=alert(1)>",
    "style element": "<style>body{background:url(javascript:alert(1))}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "math mtext script": "<math><mtext><script>alert(1)</script></mtext></math>",
    "math href": '<math href="javascript:alert(1)"><mi>x</mi></math>',
    "math mi xlink": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "details ontoggle": "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "body onload": "<body onload=alert(1)>",
    "image title breakout": '![x](/a.png "a\\" onerror=\\"alert(1))',
    "image title quotes": "![x](/a.png 'x\" onerror=\"alert(1)')",
    "footnote with script": "Text[^1]\n\n[^1]: <script>alert(1)</script> <img src=x onerror=x>",
    "heading html": "## <img src=x onerror=alert(1)> Title\n\n## Second",
    "heading quote in id": '## x" onmouseover="alert(1)\n\n## y',
    "citation key html": "[@<script>alert(1)</script>]",
    "citation key quote": '[@a"onclick=alert(1)]',
    "caption script": '![x](/a.png "Caption <script>alert(1)</script> <img src=x onerror=x>")',
    "caption link": '![x](/a.png "See [here](javascript:alert(1))")',
    "tex href": r"$\href{javascript:alert(1)}{x}$",
    "tex script": "$<script>alert(1)</script>$",
    "tex text img": r"$\text{<img src=x onerror=alert(1)>}$",
    "tex style": r"$$\style{background:url(javascript:alert(1))}{x}$$",
    "tex class": r"$\class{x}{y}$ and $\unicode{<script>}$",
    "attr list onclick": "Para\n{: onclick=alert(1) }",
    "attr list href": "[x](/ok){: href=javascript:alert(1) }",
    "md in html": '<div markdown="1">[x](javascript:alert(1))</div>',
    "html comment": "<!-- <script>alert(1)</script> -->",
    "nested quotes": "<a href=\"x\" onclick='alert(1)'>x</a>",
    "malformed tag": "<img/src=x/onerror=alert(1)>",
    "unclosed tag": '<img src=x onerror="alert(1)"',
    "code then html": "`<script>` <script>alert(1)</script>",
    "srcset": '<img src="/a.png" srcset="javascript:alert(1) 1x">',
    "a with target": '<a href="https://x.example" target="_blank">x</a>',
}


@pytest.mark.parametrize("source", MARKDOWN_VECTORS.values(), ids=MARKDOWN_VECTORS.keys())
def test_markdown_vector_is_harmless(source):
    rendered = render_markdown(source, bibliography={})
    for html in (rendered.html, rendered.toc_html, rendered.first_paragraph_html):
        assert dangers(html) == [], html


@pytest.mark.parametrize("source", MARKDOWN_VECTORS.values(), ids=MARKDOWN_VECTORS.keys())
def test_raw_html_vector_is_harmless(source):
    assert dangers(sanitize_html(source)) == []


def test_the_checker_itself_detects_danger():
    """Guard against a helper that would pass anything."""
    assert dangers("<script>alert(1)</script>")
    assert dangers('<img src="x" onerror="alert(1)">')
    assert dangers('<a href="java\tscript:alert(1)">x</a>')
    assert dangers('<a href="data:text/html,x">x</a>')
    assert dangers('<p style="color:red">x</p>')
    assert dangers("<math><mi>x</mi></math><iframe></iframe>")
    assert not dangers('<a href="/relative/path:with-colon">x</a><a href="#fn:1">y</a>')


def test_bibliography_fields_cannot_inject():
    evil = SimpleNamespace(
        key="evil",
        authors='<script>alert(1)</script>, "x',
        title="<img src=x onerror=alert(1)>",
        venue="<iframe>",
        year=2020,
        arxiv_id='1"onmouseover="alert(1)',
        doi="<script>",
        url="javascript:alert(1)",
    )
    html = render_markdown("See [@evil].", bibliography={"evil": evil}).html
    assert dangers(html) == []
    item = find_all(html, "li", id="c-ref-evil")[0]
    assert "<img src=x onerror=alert(1)>" in item.text()  # shown as text, not markup


def test_prose_markup_survives():
    source = (
        "| a | b |\n|---|--:|\n| 1 | 2 |\n\n"
        "Term\n:   Definition\n\n"
        "<details><summary>More</summary>Hidden <sub>x</sub><sup>2</sup></details>\n\n"
        "> quote with **bold**, *em*, `code`, ~~no~~ and [a link](https://example.org/p?q=1).\n\n"
        '<img src="/media/a.png" alt="A" width="300" height="200" srcset="/media/a2.png 2x">\n'
    )
    html = render_markdown(source).html
    for tag in (
        "table",
        "th",
        "td",
        "dl",
        "dt",
        "dd",
        "details",
        "summary",
        "sub",
        "sup",
        "blockquote",
        "strong",
        "em",
        "code",
    ):
        assert find_all(html, tag), tag
    assert find_all(html, "td", align="right")
    img = find_all(html, "img")[0]
    assert img.attrs == {
        "src": "/media/a.png",
        "alt": "A",
        "width": "300",
        "height": "200",
        "srcset": "/media/a2.png 2x",
    }


def test_external_links_get_rel_and_internal_links_do_not():
    html = render_markdown(
        "[ext](https://example.org) [proto](//cdn.example.org/x) [int](/posts/x) [frag](#top) "
        "[mail](mailto:a@example.org)"
    ).html
    links = {a.text(): a.attrs for a in find_all(html, "a")}
    assert links["ext"]["rel"] == "noopener noreferrer"
    assert links["proto"]["rel"] == "noopener noreferrer"
    assert "rel" not in links["int"]
    assert "rel" not in links["frag"]
    assert "rel" not in links["mail"]


def test_mathml_elements_and_attributes_are_kept():
    html = sanitize_html(
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><semantics><mrow>'
        '<munderover><mo movablelimits="true" largeop="true">&#x2211;</mo><mi>i</mi><mi>n</mi>'
        '</munderover><mi mathvariant="bold">x</mi><mspace width="1em"></mspace>'
        '<mtable columnalign="left" rowspacing="3pt"><mtr><mtd><mn>1</mn></mtd></mtr></mtable>'
        '</mrow><annotation encoding="application/x-tex">x</annotation></semantics></math>'
    )
    parsed = parse(html)
    tags = [e.tag for e in parsed.elements]
    for tag in (
        "math",
        "semantics",
        "mrow",
        "munderover",
        "mo",
        "mi",
        "mspace",
        "mtable",
        "mtr",
        "mtd",
        "mn",
        "annotation",
    ):
        assert tag in tags
    assert find_all(html, "math", display="block")
    assert find_all(html, "mo", movablelimits="true", largeop="true")
    assert find_all(html, "mi", mathvariant="bold")
    assert find_all(html, "annotation", encoding="application/x-tex")


def test_event_handlers_removed_but_content_kept():
    html = sanitize_html('<p onclick="alert(1)" class="toc" id="n1">Keep me</p>')
    (p,) = find_all(html, "p")
    assert p.attrs == {"class": "toc", "id": "c-n1"}
    assert p.text() == "Keep me"


# Writer content in its own namespace (issue 11, item 10)

PAGE_IDS = ["theme-toggle", "main", "cite-text", "toc", "writer-tools", "content-main"]


def test_writer_ids_never_duplicate_the_pages_own_ids():
    source = "\n\n".join(
        [f'<div id="{page_id}">raw</div>' for page_id in PAGE_IDS]
        + ["## Main", "## Theme toggle", "### Cite text {#cite-text}", "Text {: #toc}"]
    )
    rendered = render_markdown(source)
    ids = [node.attrs["id"] for node in parse(rendered.html).elements if "id" in node.attrs]
    assert ids and all(value.startswith("c-") for value in ids)
    assert not set(ids) & set(PAGE_IDS)


def test_every_fragment_link_still_finds_its_target():
    bib = {
        "k": SimpleNamespace(
            key="k", authors="Doe, J", title="T", venue="", year=2020, arxiv_id="", doi="", url=""
        )
    }
    source = (
        "## Intro\n\nText[^1] cites [@k], see @fig:arch and [the method](#method).\n\n"
        '![x](/a.png "Caption")\n{#fig:arch}\n\n## Method {#method}\n\nBody.\n\n[^1]: A note.'
    )
    rendered = render_markdown(source, bibliography=bib)
    html = rendered.html + rendered.toc_html
    ids = {node.attrs["id"] for node in parse(html).elements if "id" in node.attrs}
    fragments = [
        node.attrs["href"][1:]
        for node in parse(html).elements
        if node.tag == "a" and node.attrs.get("href", "").startswith("#")
    ]
    assert len(fragments) >= 8  # footnote, back-link, citation, back-link, figure, 2 anchors, toc
    assert set(fragments) <= ids
    assert {h.id for h in rendered.headings} <= ids


def test_classes_are_limited_to_the_pipelines_own():
    html = sanitize_html(
        '<p class="theme-toggle skip-link footnote">a</p><span class="highlight k evil">b</span>'
        '<div class="site-header">c</div>'
    )
    p, span, div = find_all(html, "p")[0], find_all(html, "span")[0], find_all(html, "div")[0]
    assert p.attrs == {"class": "footnote"}
    assert span.attrs == {"class": "highlight k"}
    assert "class" not in div.attrs


def test_roles_are_limited_to_note_roles():
    html = sanitize_html('<div role="navigation">a</div><a role="doc-noteref" href="#x">1</a>')
    assert "role" not in find_all(html, "div")[0].attrs
    assert find_all(html, "a")[0].attrs["role"] == "doc-noteref"


def test_code_highlighting_classes_survive():
    html = render_markdown("```python\nimport os\n```").html
    assert find_all(html, "span", class_="kn")

from posts.transfer.importers.markdown_text import (
    ImageReference,
    image_references,
    local_path,
    replace_image_sources,
    split_excerpt,
)

TEXT = """Intro with `code $$x$$` inline.

```python
print("![not](an-image.png)")
```

![Alt](img/a.png "Title \\"quoted\\"") and <img alt="" src="/b.png">
"""


def test_image_references_in_markdown_and_html_outside_code():
    assert image_references(TEXT) == [
        ImageReference("img/a.png", "Alt", 'Title "quoted"'),
        ImageReference("/b.png", "", ""),
    ]


def test_replace_image_sources_keeps_alt_and_title():
    out = replace_image_sources(TEXT, {"img/a.png": "/media/a.png", "/b.png": "/media/b.png"})
    assert '![Alt](/media/a.png "Title \\"quoted\\"")' in out
    assert '<img alt="" src="/media/b.png">' in out
    assert 'print("![not](an-image.png)")' in out


def test_local_path():
    assert local_path("/assets/My%20Image.png?v=2") == "/assets/My Image.png"
    assert local_path("chain.png") == "chain.png"
    assert local_path("https://example.org/x.png") is None
    assert local_path("data:image/png;base64,AAA") is None
    assert local_path("//cdn.example.org/x.png") is None


def test_split_excerpt():
    assert split_excerpt("First.\n\n<!--more-->\n\nRest.") == ("First.", "First.\n\n\nRest.")
    assert split_excerpt("No marker.") == ("", "No marker.")
    assert split_excerpt("```\n<!--more-->\n```") == ("", "```\n<!--more-->\n```")

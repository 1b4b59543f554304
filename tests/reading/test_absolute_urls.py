from posts.absolute_urls import absolute_url, absolutize_html

BASE = "https://blog.example.org/posts/2024-01-01-a/"


def test_absolute_url(settings):
    settings.SITE_URL = "https://blog.example.org"
    assert absolute_url("/tags/nlp/") == "https://blog.example.org/tags/nlp/"
    assert absolute_url("https://elsewhere.org/x") == "https://elsewhere.org/x"


def test_relative_urls_become_absolute():
    html = (
        '<p><a href="/about/">a</a> <a href="#fn:1">1</a> <img src="fig.png" alt="f"> '
        '<img src="/m/a.png" srcset="/m/a.png 1x, /m/a@2x.png 2x" alt="g"> '
        '<a href="https://arxiv.org/abs/1">arXiv</a> <a href="mailto:x@example.org">m</a></p>'
    )
    out = absolutize_html(html, BASE)
    assert 'href="https://blog.example.org/about/"' in out
    assert f'href="{BASE}#fn:1"' in out
    assert f'src="{BASE}fig.png"' in out
    assert (
        'srcset="https://blog.example.org/m/a.png 1x, https://blog.example.org/m/a@2x.png 2x"'
        in out
    )
    assert 'href="https://arxiv.org/abs/1"' in out
    assert 'href="mailto:x@example.org"' in out


def test_text_and_entities_survive():
    out = absolutize_html("<p>a &lt;b&gt; &amp; c</p>", BASE)
    assert out == "<p>a &lt;b&gt; &amp; c</p>"

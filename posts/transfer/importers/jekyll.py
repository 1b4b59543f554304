"""Jekyll and kramdown conventions, turned into this site's Markdown.

- `$$...$$` is kramdown's only math delimiter: a `$$` formula that is a paragraph of its own is
  display math (kept as is); one inside a sentence is inline and becomes `$...$`.
- Inline attribute lists (`{: .class}`, `{:#id}`), attribute definitions and `{:toc}` (with the
  "* TOC" list item before it) are removed: this site writes its own table of contents and
  decides styling itself.
- Liquid: `{{ '/assets/x.png' | relative_url }}` (or `absolute_url`) becomes `/assets/x.png`,
  `{{ site.baseurl }}` and `{{ site.url }}` disappear, `{% highlight lang %}` blocks become
  fenced code, `{% raw %}` markers go. Other Liquid is kept as text, with a warning.
- Filenames: `2019-09-05-slug.md` gives the date and the slug.
"""

from __future__ import annotations

import re
from datetime import date

from posts.markup.scanner import protect_code, restore_code

_FILENAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")


def date_and_slug_from_filename(stem: str) -> tuple[date | None, str]:
    match = _FILENAME.match(stem)
    if not match:
        return None, stem
    try:
        day = date.fromisoformat(match.group("date"))
    except ValueError:
        return None, stem
    return day, match.group("slug")


_HIGHLIGHT = re.compile(
    r"^[ \t]*\{%-?\s*highlight\s+(?P<lang>[\w+#.-]+)[^%]*-?%\}[ \t]*\n(?P<code>.*?)\n?"
    r"[ \t]*\{%-?\s*endhighlight\s*-?%\}[ \t]*$",
    re.M | re.S,
)
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_LIQUID_URL = re.compile(
    r"\{\{-?\s*(['\"])(?P<path>[^'\"]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}"
)
_SITE_VARIABLE = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
_TOC = re.compile(
    r"^[ \t]*(?:[*+-]|\d+\.)[ \t]+[^\n]*\n[ \t]*\{:\s*\.?toc\s*\}[ \t]*$", re.M | re.I
)
_IAL_LINE = re.compile(r"^[ \t]*\{::?[^{}\n]*\}[ \t]*(?:\n|$)", re.M)
_IAL_SPAN = re.compile(r"\{:[^{}\n]*\}")
_LIQUID_LEFT = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_DOUBLE_DOLLAR = re.compile(r"(?<!\\)\$\$(?P<tex>.+?)(?<!\\)\$\$", re.S)


def _fenced(match: re.Match[str]) -> str:
    return f"```{match.group('lang')}\n{match.group('code')}\n```"


def kramdown_math(text: str) -> str:
    """`$$x$$` inside a sentence → `$x$`; a `$$` block standing alone stays display math."""

    def convert(match: re.Match[str]) -> str:
        before = text[: match.start()]
        after = text[match.end() :]
        alone_before = re.search(r"(?:\A|\n[ \t]*\n)[ \t]*\Z", before) is not None
        alone_after = re.match(r"[ \t]*(?:\n[ \t]*\n|\n?[ \t]*\Z)", after) is not None
        tex = match.group("tex")
        if alone_before and alone_after:
            return f"$${tex}$$"
        return "$" + " ".join(tex.split()) + "$"

    return _DOUBLE_DOLLAR.sub(convert, text)


def convert(body: str) -> tuple[str, list[str]]:
    """Jekyll/kramdown Markdown → this site's Markdown, and warnings for what was left as is."""
    body = _HIGHLIGHT.sub(_fenced, body)
    protected, stash = protect_code(body)
    protected = _RAW.sub("", protected)
    protected = _LIQUID_URL.sub(lambda m: m.group("path"), protected)
    protected = _SITE_VARIABLE.sub("", protected)
    protected = _TOC.sub("", protected)
    protected = _IAL_LINE.sub("", protected)
    protected = _IAL_SPAN.sub("", protected)
    protected = kramdown_math(protected)
    warnings = [
        f"Liquid left as text: {' '.join(m.group(0).split())[:80]}"
        for m in _LIQUID_LEFT.finditer(protected)
    ]
    return restore_code(protected, stash), warnings

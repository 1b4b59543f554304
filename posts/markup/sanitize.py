"""The allow-list every rendered fragment passes through (nh3, i.e. the Rust ammonia sanitizer).

Writers may put raw HTML in Markdown; whatever they write, only the elements and attributes listed
here survive. Scripts and styles are dropped with their content; event handlers, `style`
attributes, iframes, objects, forms, `<base>`, `<meta>`, `<link>` and SVG are dropped; URLs keep
only the http, https and mailto schemes, or are relative (so `javascript:`, `vbscript:` and `data:`
URLs go, however they are spelled or entity-encoded: the parser decodes before checking).

Writer content lives in its own namespace, so it can never stand in for the page around it: every
`id` gets the prefix `ID_PREFIX` ("c-": heading `#c-introduction`, footnote `#c-fn:1`, figure
`#c-fig-arch`, reference `#c-ref-key`) and every fragment link `href="#x"` the same prefix, so
footnotes, heading anchors, figure and citation links and the table of contents keep pointing
where they did (`static/js/fragments.js` follows an old unprefixed `#x` in a URL to `#c-x`).
Classes are limited to `ALLOWED_CLASSES` (those the pipeline itself writes, Pygments' token
classes included) and `role` to `ALLOWED_ROLES`: a writer's `class="theme-toggle"` or
`role="navigation"` is dropped.

Nesting is cut at `MAX_DEPTH` elements before the sanitizer sees the HTML (`limit_nesting`): its
parser takes time proportional to the depth for each element, so 100,000 nested `<div>` took 21 s;
elements opened past the limit are left out (their content stays).

External links (absolute http/https or protocol-relative) get `rel="noopener noreferrer"`;
links within the site (relative, fragments like footnotes and references) get no `rel`, so the
browser keeps sending the referrer on internal navigation.
"""

from __future__ import annotations

import re

import nh3
from pygments.token import STANDARD_TYPES

from posts.markup.extensions.figures import FIGURE_CLASSES
from posts.markup.mathml import MATH_CLASSES

PROSE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    ]
)

MATHML_TAGS = frozenset(
    [
        "math",
        "semantics",
        "annotation",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msub",
        "msup",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "merror",
    ]
)

MATHML_ATTRIBUTES = frozenset(
    [
        "display",
        "xmlns",
        "mathvariant",
        "stretchy",
        "fence",
        "separator",
        "accent",
        "accentunder",
        "columnalign",
        "rowspacing",
        "columnspacing",
        "lspace",
        "rspace",
        "linethickness",
        "displaystyle",
        "scriptlevel",
        "minsize",
        "maxsize",
        "movablelimits",
        "form",
        "largeop",
        "symmetric",
        "width",
        "height",
        "depth",
        "notation",
        "encoding",
    ]
)

ALLOWED_TAGS = PROSE_TAGS | MATHML_TAGS

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "aria-label", "aria-hidden", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
}

URL_SCHEMES = {"http", "https", "mailto"}

ID_PREFIX = "c-"

# The classes the pipeline writes (the stylesheet styles them); nothing else survives.
PIPELINE_CLASSES = frozenset(
    [
        "anchor",
        "backref",
        "citation",
        "figure-number",
        "figure-zoom",
        "figure-ref",
        "footnote",
        "footnote-backref",
        "footnote-ref",
        "highlight",
        "markup-error",
        "math-display",
        "math-fallback",
        "missing-ref",
        "ref-authors",
        "ref-title",
        "ref-venue",
        "ref-year",
        "references",
        "toc",
    ]
)
CODE_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name) | {"hll", "linenos"}
ALLOWED_CLASSES = PIPELINE_CLASSES | MATH_CLASSES | CODE_CLASSES | FIGURE_CLASSES
# Digital Publishing ARIA roles for notes and references; landmark and widget roles are the page's.
ALLOWED_ROLES = frozenset(
    ["doc-noteref", "doc-backlink", "doc-endnotes", "doc-footnote", "doc-biblioref", "note"]
)


def writer_id(value: str) -> str:
    """`value` in the writer's id namespace (unchanged when it already is)."""
    return value if value.startswith(ID_PREFIX) else ID_PREFIX + value


# Dropped together with everything inside them (other disallowed tags only lose the tag itself).
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "embed",
    "noscript",
    "svg",
    "textarea",
    "select",
    "title",
    "xmp",
    "noembed",
    "noframes",
}

EXTERNAL_REL = "noopener noreferrer"

_A_TAG = re.compile(r'<a((?:\s+[^\s="<>/]+(?:="[^"]*")?)*)\s*>')
_EXTERNAL_HREF = re.compile(r'\shref="(?:https?:)?//', re.IGNORECASE)


MAX_DEPTH = 100
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# Elements a following sibling closes implicitly (an approximation of HTML's rules, enough to
# keep `<li><li>` or `<p><p>` from counting as nesting).
_SELF_CLOSING_SIBLINGS = frozenset(["p", "li", "dt", "dd", "tr", "td", "th", "option"])
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(/?)>")


def limit_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` with the tags that open an element deeper than `max_depth` (and their end tags)
    removed. Only an upper bound for the sanitizer's parser: what comes out is sanitized anyway."""
    out: list[str] = []
    open_tags: list[str] = []
    dropped: dict[str, int] = {}
    last = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in VOID_ELEMENTS or (self_closing and not closing):
            continue
        keep = True
        if not closing:
            if name in _SELF_CLOSING_SIBLINGS and open_tags and open_tags[-1] == name:
                open_tags.pop()
            if len(open_tags) >= max_depth:
                dropped[name] = dropped.get(name, 0) + 1
                keep = False
            else:
                open_tags.append(name)
        elif name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
        elif dropped.get(name):
            dropped[name] -= 1
            keep = False
        if not keep:
            out.append(html[last : match.start()])
            last = match.end()
    if last == 0:
        return html
    out.append(html[last:])
    return "".join(out)


def sanitize_html(html: str) -> str:
    """Reduce `html` to the allow-list above and mark external links."""
    cleaned = nh3.clean(
        limit_nesting(html),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=DROPPED_WITH_CONTENT - ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )
    return _A_TAG.sub(_mark_external, cleaned)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Writer ids and fragment links prefixed, classes and roles allow-listed; and ammonia
    checks `href` and `src` but not the URLs inside `srcset`: we do."""
    if attribute == "id":
        return writer_id(value) if value else None
    if attribute == "href" and value.startswith("#") and len(value) > 1:
        return "#" + writer_id(value[1:])
    if attribute == "class":
        return " ".join(name for name in value.split() if name in ALLOWED_CLASSES) or None
    if attribute == "role":
        return value if value in ALLOWED_ROLES else None
    if attribute == "srcset":
        for candidate in value.split(","):
            url = re.sub(r"[\t\n\r]", "", candidate.strip().split(" ")[0])
            scheme = _SCHEME.match(url)
            if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                return None
    return value


def _mark_external(match: re.Match[str]) -> str:
    attributes = match.group(1)
    if _EXTERNAL_HREF.search(attributes):
        return f'<a{attributes} rel="{EXTERNAL_REL}">'
    return match.group(0)

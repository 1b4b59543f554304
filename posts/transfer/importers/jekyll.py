"""Jekyll and kramdown conventions, turned into this site's Markdown.

- Math, by kramdown's rules: `$$...$$` is its only delimiter. It is a display formula when the
  opening `$$` starts a line after a block boundary (the start, a blank line, a heading) and the
  closing `$$` ends a line before one (a blank line, the end); the formula may then span blank
  lines, which are dropped (this site's formulas never cross one). Anywhere else `$$...$$` is
  inline, and a paragraph that starts with `\\$$` is inline math too (kramdown's escape for it).
  A single `$` is kramdown text and is left as is. Inline formulas become `$...$`, or `\\(...\\)`
  when a `$` elsewhere in the paragraph could pair with theirs.
- Images with an attribute list (`![x](a.png){: style="width: 60%;" class="center"}`, on the same
  line or the next) become figures with this site's sizing (`{width=60% align=left}`); an italic
  line right below (`*Fig. 3. The model.*`) becomes the caption, without its number (the site
  numbers figures). `{% include figure.html image=... caption=... %}` and the common variants of
  figure and image includes become figures too; other includes are reported.
- `{:toc}` (with its "* TOC" list item) is dropped: this site always builds the table of contents
  of a post with headings. A heading's id (`## Title {: #name}`) is kept. Other attribute lists
  and definitions (`{: .note}`), `{::options /}` and `{::comment}...{:/comment}` are dropped;
  `{::nomarkdown}...{:/}` keeps its content.
- Liquid: `{% post_url 2019-01-31-name %}` and `{% link _posts/....md %}` become link markers that
  the importer resolves once it knows every post of the batch (`resolve_link_markers`);
  `{{ '/x.png' | relative_url }}` (or `absolute_url`, `prepend: site.baseurl`) becomes `/x.png`,
  `{{ site.baseurl }}` and `{{ site.url }}` disappear, `{% highlight lang %}` blocks become fenced
  code, `{% comment %}` blocks go, and `{% raw %}...{% endraw %}` keeps its content literally.
  jekyll-scholar's `{% cite key %}` becomes `[@key]` (its `_bibliography/*.bib` is imported as
  the site's bibliography) and `{% bibliography %}` goes: the site lists the references itself.
  Other Liquid is kept and reported; a tag alone on its line goes into an HTML comment, so the
  writer still has it in the Markdown but no reader sees it.
- Filenames: `2019-09-05-slug.md` gives the date and the slug; `permalink_path()` gives the URL
  Jekyll served a post at, which becomes an old URL of the imported post.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from posts.markup.scanner import protect_code, restore_code

from .hugo import shortcode_arguments
from .markdown_text import (
    Notes,
    figure_markdown,
    hide_from_readers,
    link_marker,
    resolve_link_markers,
    width_percent,
)

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


# Permalinks -----------------------------------------------------------------------------------

_PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":(\w+)")


def permalink_path(
    pattern: str | None, *, when: datetime, title: str, categories: list[str]
) -> str:
    """The path Jekyll gave a post: a style name or a pattern of `:year`, `:title`... expanded."""
    pattern = _PERMALINK_STYLES.get(pattern or "date", pattern or "")
    values = {
        "year": f"{when.year:04d}",
        "short_year": f"{when.year % 100:02d}",
        "month": f"{when.month:02d}",
        "i_month": str(when.month),
        "short_month": when.strftime("%b"),
        "long_month": when.strftime("%B"),
        "day": f"{when.day:02d}",
        "i_day": str(when.day),
        "y_day": f"{when.timetuple().tm_yday:03d}",
        "week": f"{when.isocalendar()[1]:02d}",
        "short_day": when.strftime("%a"),
        "hour": f"{when.hour:02d}",
        "minute": f"{when.minute:02d}",
        "second": f"{when.second:02d}",
        "title": title,
        "slug": title,
        "name": title,
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "output_ext": ".html",
    }
    path = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), pattern)
    path = re.sub(r"/{2,}", "/", "/" + path)
    return path


# Liquid ---------------------------------------------------------------------------------------

_HIGHLIGHT = re.compile(
    r"^[ \t]*\{%-?\s*highlight\s+(?P<lang>[\w+#.-]+)[^%]*-?%\}[ \t]*\n(?P<code>.*?)\n?"
    r"[ \t]*\{%-?\s*endhighlight\s*-?%\}[ \t]*$",
    re.M | re.S,
)
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}(?P<text>.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_LIQUID_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}\n?", re.S)
_LIQUID_URL = re.compile(
    r"\{\{-?\s*(['\"])(?P<path>[^'\"]*)\1\s*\|\s*(?:relative_url|absolute_url|"
    r"prepend:\s*site\.(?:baseurl|url))\s*-?\}\}"
)
_SITE_VARIABLE = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
_POST_LINK = re.compile(
    r"\{%-?\s*(?P<kind>post_url|link)\s+(?P<target>[^\s%]+)\s*-?%\}"
    r"(?P<anchor>#[\w:.-]*)?"
)
_CITE = re.compile(r"\{%-?\s*cite\s+(?P<keys>[^%]*?)\s*-?%\}")
_BIBLIOGRAPHY = re.compile(r"^[ \t]*\{%-?\s*bibliography\b[^%]*-?%\}[ \t]*(?:\n|$)", re.M)
_INCLUDE = re.compile(r"\{%-?\s*include\s+(?P<name>[\w./-]+)(?P<args>.*?)-?%\}", re.S)
_FIGURE_INCLUDES = {"figure", "image", "img", "figure-image", "picture", "responsive-image"}
_LIQUID_LEFT = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)

# kramdown extensions and attribute lists ------------------------------------------------------

_TOC = re.compile(
    r"^[ \t]*(?:[*+-]|\d+\.)[ \t]+[^\n]*\n[ \t]*\{:\s*\.?toc\s*\}[ \t]*(?:\n|$)", re.M | re.I
)
_KRAMDOWN_COMMENT = re.compile(r"\{::comment\}.*?\{:/(?:comment)?\}[ \t]*\n?", re.S)
_KRAMDOWN_OPTIONS = re.compile(r"^[ \t]*\{::options\b[^}]*/\}[ \t]*(?:\n|$)", re.M)
_NOMARKDOWN = re.compile(r"\{::nomarkdown\}(?P<text>.*?)\{:/(?:nomarkdown)?\}", re.S)
_HEADING_IAL = re.compile(
    r"^(?P<heading>#{1,6}[ \t][^\n]*?)[ \t]*"
    r"(?:\{:(?P<same>[^{}\n]*)\}|\n[ \t]*\{:(?P<next>[^{}\n]*)\})[ \t]*$",
    re.M,
)
_IAL_LINE = re.compile(r"^[ \t]*\{::?[^{}\n]*\}[ \t]*(?:\n|$)", re.M)
_IAL_SPAN = re.compile(r"\{:[^{}\n]*\}")

_IMAGE = (
    r"!\[(?P<alt>(?:[^\[\]\\]|\\.)*)\]\(\s*(?P<src><[^<>\n]*>|[^\s()<>]+)"
    r"(?:\s+(?:\"(?P<title1>(?:[^\"\\]|\\.)*)\"|'(?P<title2>(?:[^'\\]|\\.)*)'))?\s*\)"
)
_IMAGE_WITH_ATTRIBUTES = re.compile(
    r"^[ \t]*"
    + _IMAGE
    + r"(?:[ \t]*\n?[ \t]*\{:(?P<ial>[^{}\n]*)\})"
    + r"(?P<caption>[ \t]*\n[ \t]*"
    + r"(?:\*(?!\*)(?P<c1>[^\n]+?)\*|_(?!_)(?P<c2>[^\n]+?)_)[ \t]*(?=\n|\Z))?"
    + r"[ \t]*(?=\n[ \t]*\n|\n?\Z)",
    re.M,
)
_IAL_TOKEN = re.compile(
    r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+))"""
    r"|(?P<cls>\.[\w-]+)|(?P<id>\#[\w:-]+)"
)
_FIGURE_NUMBER = re.compile(r"^\s*(?:Fig(?:ure)?\.?)\s*\d+[.:]?\s*", re.I)
_LEFT = {"left", "float-left", "align-left", "alignleft", "pull-left", "fl"}
_RIGHT = {"right", "float-right", "align-right", "alignright", "pull-right", "fr"}


def ial_sizing(text: str) -> tuple[int | None, str]:
    """Width (percent of the column) and alignment from a kramdown attribute list."""
    width, align, classes = None, "", set()
    for match in _IAL_TOKEN.finditer(text):
        if match.group("cls"):
            classes.add(match.group("cls")[1:].lower())
            continue
        key = (match.group("key") or "").lower()
        value = next((v for v in match.group("dq", "sq", "bare") if v is not None), "")
        if key == "class":
            classes.update(value.lower().split())
        elif key == "width":
            width = width_percent(value)
        elif key == "align":
            classes.add(value.lower())
        elif key == "style":
            for declaration in value.split(";"):
                name, _, setting = declaration.partition(":")
                name, setting = name.strip().lower(), setting.strip().lower()
                if name in ("width", "max-width"):
                    width = width_percent(setting) or width
                elif name == "float" and setting in ("left", "right"):
                    classes.add(setting)
    if classes & _LEFT:
        align = "left"
    elif classes & _RIGHT:
        align = "right"
    return width, align


def _heading_id(match: re.Match[str], notes: Notes) -> str:
    """`## Title {: #name}` (or the list on the next line) keeps its id, for `(#name)` links."""
    found = re.search(r"#([\w-]+)", match.group("same") or match.group("next") or "")
    if not found:
        return match.group("heading")
    notes.did("heading ids kept")
    return f"{match.group('heading')} {{#{found.group(1)}}}"


def _unescape(text: str | None) -> str:
    return re.sub(r"\\(.)", r"\1", text or "")


def _standalone_image(match: re.Match[str], text: str, notes: Notes) -> str:
    """An image alone in its paragraph with an attribute list: a sized figure."""
    before = text[: match.start()]
    if before.strip() and not re.search(r"\n[ \t]*\n\Z", before):
        return match.group(0)  # inside a paragraph: the attribute list is dropped later
    return _sized_image(match, notes)


def _sized_image(match: re.Match[str], notes: Notes) -> str:
    src = match.group("src")
    src = src[1:-1] if src.startswith("<") else src
    title = _unescape(match.group("title1") or match.group("title2"))
    caption_line = match.group("c1") or match.group("c2")
    if caption_line and not title:
        title = _FIGURE_NUMBER.sub("", caption_line.strip())
        notes.did("figure captions joined")
    elif caption_line:  # a figure that already has a caption: the italic line stays below
        return _sized_image_keep_caption(match, notes, src, title)
    width, align = ial_sizing(match.group("ial"))
    notes.did("image attribute lists kept as figure sizing")
    return figure_markdown(
        src, alt=_unescape(match.group("alt")), caption=title, width=width, align=align
    )


def _sized_image_keep_caption(match, notes: Notes, src: str, title: str) -> str:
    width, align = ial_sizing(match.group("ial"))
    notes.did("image attribute lists kept as figure sizing")
    figure = figure_markdown(
        src, alt=_unescape(match.group("alt")), caption=title, width=width, align=align
    )
    return figure + "\n\n" + match.group("caption").strip()


def _figure_include(match: re.Match[str], notes: Notes) -> str:
    name = match.group("name")
    base = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    if base not in _FIGURE_INCLUDES:
        notes.leave(f"include not converted (unknown include): {' '.join(match.group(0).split())}")
        return match.group(0)
    arguments = shortcode_arguments(match.group("args"))
    src = next(
        (
            arguments[key]
            for key in ("image", "src", "url", "file", "path", "image_path", "img")
            if arguments.get(key)
        ),
        "",
    )
    if not src:
        notes.leave(f"include not converted (no image in it): {' '.join(match.group(0).split())}")
        return match.group(0)
    caption = next(
        (arguments[k] for k in ("caption", "description", "title", "desc") if arguments.get(k)), ""
    )
    classes = " ".join(arguments.get(k, "") for k in ("class", "align", "position"))
    width, align = ial_sizing(
        f'class="{classes}" width="{arguments.get("width", arguments.get("size", ""))}"'
    )
    notes.did("figure includes converted")
    return (
        "\n\n"
        + figure_markdown(
            src, alt=arguments.get("alt", ""), caption=caption, width=width, align=align
        )
        + "\n\n"
    )


def _citation(match: re.Match[str]) -> str:
    """jekyll-scholar's `{% cite a b --file refs %}` → `[@a; @b]` (options dropped)."""
    words = match.group("keys").split()
    keys, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("--"):
            skip = "=" not in word and word not in ("--cited", "--cited_in_order")
        else:
            keys.append(word.strip("'\""))
    return "[" + "; ".join(f"@{key}" for key in keys) + "]" if keys else match.group(0)


def _post_link(match: re.Match[str], config: dict) -> str:
    """A marker the importer resolves; unresolved, the link goes to the URL Jekyll gave the
    target (a post imported later answers it: its old URL redirects)."""
    target = match.group("target").strip("'\"")
    anchor = match.group("anchor") or ""
    if match.group("kind") == "post_url":
        day, slug = date_and_slug_from_filename(target.rsplit("/", 1)[-1])
        when = datetime.combine(day, datetime.min.time()) if day else None
        pattern = str(config.get("permalink") or "date")
        old = permalink_path(pattern, when=when, title=slug, categories=[]) if when else target
    else:
        old = "/" + re.sub(r"\.(?:md|markdown)$", ".html", target.lstrip("/"))
    return link_marker(match.group("kind"), target + anchor, old + anchor)


# Math -----------------------------------------------------------------------------------------

_STX, _ETX = "\x02", "\x03"
_MATH_STASH = re.compile(_STX + r"kmath(\d+)" + _ETX)
_BOUNDARY_AFTER = re.compile(r"[ \t]*(?:\n[ \t]*\n|\n?[ \t]*\Z|\n#{1,6}[ \t])")
_LINE_END = re.compile(r"[ \t]*(?:\n|\Z)")
_BLOCK_START = re.compile(r"^([ \t]*)(\\?)\$\$", re.M)
_INLINE = re.compile(r"(?<!\\)\$\$(?P<tex>.+?)(?<!\\)\$\$", re.S)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def _after_block_boundary(text: str, position: int) -> bool:
    """Only indentation before `position` on its line, and the line before is blank, a heading,
    or there is none (kramdown's block boundary). Looks at two lines, whatever the text's size."""
    line_start = text.rfind("\n", 0, position) + 1
    if text[line_start:position].strip():
        return False
    if line_start == 0:
        return True
    previous = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]
    return not previous.strip() or re.match(r"#{1,6}[ \t]", previous) is not None


def kramdown_math(text: str, notes: Notes | None = None) -> str:
    """kramdown's `$$` rules, in this site's math syntax (see the module's docstring)."""
    notes = notes if notes is not None else Notes()
    stash: list[tuple[str, bool]] = []

    def keep(tex: str, display: bool) -> str:
        stash.append((tex, display))
        return f"{_STX}kmath{len(stash) - 1}{_ETX}"

    # Display blocks first: `$$` at a line start after a block boundary, up to a `$$` that ends
    # its line before a block boundary.
    out, position = [], 0
    for start in _BLOCK_START.finditer(text):
        if start.start() < position:
            continue
        if start.group(2):  # `\$$...$$`: inline math at the start of a paragraph
            if _after_block_boundary(text, start.start()):
                out.append(text[position : start.start()] + start.group(1))
                position = start.start() + len(start.group(1)) + 1  # drop the backslash
            continue
        end = text.find("$$", start.end())
        if end == -1 or not text[start.end() : end].strip():
            continue
        if not (
            _after_block_boundary(text, start.start()) and _BOUNDARY_AFTER.match(text, end + 2)
        ):
            # Not a math block for kramdown. Inline math cannot cross a blank line, so kramdown
            # would show such a formula as raw text: it is taken as display math instead.
            if not (_BLANK_LINES.search(text, start.end(), end) and _LINE_END.match(text, end + 2)):
                continue
            notes.did("display formulas kramdown would show as text, repaired")
        tex = _BLANK_LINES.sub("\n", text[start.end() : end]).strip("\n")
        before = text[position : start.start()] + start.group(1)
        line_start = text.rfind("\n", 0, start.start()) + 1
        previous = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : max(0, line_start - 1)]
        blank_before = line_start == 0 or not previous.strip()
        blank_after = not text[end + 2 :].strip() or re.match(r"[ \t]*\n[ \t]*\n", text[end + 2 :])
        out.append(
            before
            + ("" if blank_before else "\n\n")
            + keep(tex, True)
            + ("" if blank_after else "\n\n")
        )
        position = end + 2
    out.append(text[position:])
    text = "".join(out)

    # Everything else is inline math, within its paragraph.
    paragraphs = _BLANK_LINES.split(text)
    separators = _BLANK_LINES.findall(text)
    converted = []
    for paragraph in paragraphs:
        converted.append(
            _INLINE.sub(lambda m: keep(" ".join(m.group("tex").split()), False), paragraph)
        )
    text = "".join(
        p + (separators[i] if i < len(separators) else "") for i, p in enumerate(converted)
    )

    notes.did("display formulas", sum(1 for _, display in stash if display))
    notes.did("inline formulas", sum(1 for _, display in stash if not display))
    return _restore_math(text, stash)


def _restore_math(text: str, stash: list[tuple[str, bool]]) -> str:
    paragraphs = _BLANK_LINES.split(text)
    separators = _BLANK_LINES.findall(text)
    out = []
    for paragraph in paragraphs:
        # A `$` of the paragraph's own could pair with a `$x$`: then write `\(x\)` instead.
        outside = _MATH_STASH.sub("", paragraph).replace("\\$", "")
        dollars_elsewhere = "$" in outside

        def restore(match: re.Match[str], paragraph=paragraph, risky=dollars_elsewhere) -> str:
            tex, display = stash[int(match.group(1))]
            if display:
                return f"$$\n{tex.strip()}\n$$"
            follows = paragraph[match.end() : match.end() + 1]
            precedes = paragraph[max(0, match.start() - 1) : match.start()]
            crowded = bool(re.fullmatch(r"[\d$\x03]", follows) or precedes in ("$", _ETX))
            if risky or crowded or "$" in tex:
                return f"\\({tex}\\)" if "\\)" not in tex else f"${tex}$"
            return f"${tex}$"

        out.append(_MATH_STASH.sub(restore, paragraph))
    return "".join(p + (separators[i] if i < len(separators) else "") for i, p in enumerate(out))


# The conversion -------------------------------------------------------------------------------


def _fenced(match: re.Match[str]) -> str:
    return f"```{match.group('lang')}\n{match.group('code')}\n```"


def convert(
    body: str, notes: Notes | None = None, config: dict | None = None
) -> tuple[str, list[str]]:
    """Jekyll/kramdown Markdown → this site's Markdown; returns it and what was left as is.

    `config` is the site's `_config.yml` (its `permalink` style)."""
    notes = notes if notes is not None else Notes()
    config = config or {}
    body, highlights = _HIGHLIGHT.subn(_fenced, body)
    notes.did("highlight blocks", highlights)
    protected, stash = protect_code(body)

    # `{% raw %}` content is literal: hidden from every Liquid and kramdown rule below.
    raw: list[str] = []

    def keep_raw(match: re.Match[str]) -> str:
        raw.append(match.group("text"))
        return f"{_STX}raw{len(raw) - 1}{_ETX}"

    protected = _RAW_BLOCK.sub(keep_raw, protected)
    notes.did("raw blocks", len(raw))

    def count_sub(pattern: re.Pattern, replacement, what: str, text: str) -> str:
        text, count = pattern.subn(replacement, text)
        notes.did(what, count)
        return text

    protected = count_sub(_LIQUID_COMMENT, "", "comments dropped", protected)
    protected = count_sub(_KRAMDOWN_COMMENT, "", "comments dropped", protected)
    protected = count_sub(_KRAMDOWN_OPTIONS, "", "kramdown options dropped", protected)
    protected = count_sub(_NOMARKDOWN, lambda m: m.group("text"), "nomarkdown blocks", protected)
    protected = count_sub(_LIQUID_URL, lambda m: m.group("path"), "Liquid URLs resolved", protected)
    protected = count_sub(_SITE_VARIABLE, "", "Liquid URLs resolved", protected)
    protected = _POST_LINK.sub(lambda m: _post_link(m, config), protected)
    # `{{ '/' | relative_url }}{% link x %}`: the link's URL is site-absolute already
    protected = re.sub(r"/+(?=\x02link )", "", protected)
    protected = count_sub(_CITE, _citation, "citations", protected)
    protected = count_sub(
        _BIBLIOGRAPHY, "", "bibliography tags (the site lists references)", protected
    )
    protected = _INCLUDE.sub(lambda m: _figure_include(m, notes), protected)
    protected = count_sub(
        _TOC, "", "table of contents markers (the site builds its own)", protected
    )
    protected = _HEADING_IAL.sub(lambda m: _heading_id(m, notes), protected)
    protected = _IMAGE_WITH_ATTRIBUTES.sub(
        lambda m: _standalone_image(m, protected, notes), protected
    )
    protected = count_sub(_IAL_LINE, "", "attribute lists dropped", protected)
    protected = count_sub(_IAL_SPAN, "", "attribute lists dropped", protected)
    protected = kramdown_math(protected, notes)
    reported = " ".join(notes.left)
    for match in _LIQUID_LEFT.finditer(resolve_link_markers(protected, lambda kind, target: "")):
        liquid = " ".join(match.group(0).split())
        if liquid not in reported:  # an include is reported once, by its own rule
            notes.leave(f"Liquid left as text: {liquid[:80]}")
    protected, hidden = hide_from_readers(protected, r"\{%[^\n]*?%\}|\{\{[^\n]*?\}\}")
    notes.did("Liquid tags left alone on their line, hidden from readers", hidden)
    protected = re.sub(_STX + r"raw(\d+)" + _ETX, lambda m: raw[int(m.group(1))], protected)
    return restore_code(protected, stash), notes.left

"""Hugo conventions, turned into this site's Markdown.

- `{{< figure src="..." alt="..." caption="..." attr="..." attrlink="..." >}}` (or `{{% %}}`)
  becomes `![alt](src "caption (Image source: [attr](attrlink))")`, the figure syntax of this site;
  its `width` and `class`/`align` (left, right, center) become the figure's sizing.
- `{{< highlight lang "opts" >}}...{{< /highlight >}}` becomes fenced code.
- `{{< ref "posts/x.md" >}}` and `{{< relref "x#part" >}}` become link markers that the importer
  resolves once it knows every post of the batch (`resolve_link_markers`).
- `{{< rawhtml >}}...{{< /rawhtml >}}` keeps its HTML; `{{< details summary="..." >}}...` becomes
  `<details>` with a `<summary>` and the Markdown inside it.
- `{{< math >}}`, `{{< katex >}}` and `{{< mathjax >}}` become this site's math: display when
  they stand on their own lines or say `display=true`, inline otherwise (dollars already inside
  are kept).
- `{{</* figure */>}}`, Hugo's way to show a shortcode as text, becomes the text `{{< figure >}}`.
- Other shortcodes are kept and reported; one alone on its line goes into an HTML comment, so the
  writer still has it in the Markdown but no reader sees it.
- Slugs: a page bundle's `index.md` takes its folder's name; other files their own.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from posts.markup.scanner import protect_code, restore_code

from .markdown_text import Notes, figure_markdown, hide_from_readers, link_marker, width_percent

_SHORTCODE = re.compile(
    r"\{\{(?P<open>[<%])\s*(?P<name>/?[\w.-]+)(?P<args>.*?)\s*(?P=open)?[>%]\}\}", re.S
)
_PAIRED = (
    r"\{\{[<%]\s*(?P<name>NAME)\b(?P<args>[^\n]*?)\s*[>%]\}\}(?P<inner>.*?)"
    r"\{\{[<%]\s*/\s*(?P=name)\s*[>%]\}\}"
)
_ARGUMENT = re.compile(
    r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<bq>[^`]*)`|'(?P<sq>[^']*)'|(?P<bare>\S+))"""
)
_POSITIONAL = re.compile(
    r"""^\s*(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<bq>[^`]*)`|(?P<bare>[^\s=]+)(?=\s|$))"""
)
_ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)
_STX, _ETX = "\x02", "\x03"


def slug_from_path(path: PurePath) -> str:
    if path.stem in {"index", "_index"}:
        return path.parent.name
    return path.stem


def shortcode_arguments(text: str) -> dict[str, str]:
    arguments = {}
    for match in _ARGUMENT.finditer(text):
        value = next(v for v in match.group("dq", "bq", "sq", "bare") if v is not None)
        if match.group("dq") is not None:
            value = re.sub(r"\\(.)", r"\1", value)
        arguments[match.group("key").lower()] = value
    return arguments


def positional_arguments(text: str) -> list[str]:
    """`"posts/x.md" "opts"`: the arguments given without names, in order."""
    found, rest = [], text
    while True:
        match = _POSITIONAL.match(rest)
        if not match:
            return found
        found.append(next(v for v in match.group("dq", "bq", "bare") if v is not None))
        rest = rest[match.end() :]


def figure_markdown_from(arguments: dict[str, str]) -> str:
    caption = " ".join((arguments.get("caption") or arguments.get("title") or "").split())
    attribution = arguments.get("attr", "").strip()
    link = arguments.get("attrlink", "").strip()
    if attribution and link:
        source = f"[{attribution}]({link})"
    else:
        source = attribution or (f"<{link}>" if link else "")
    if source:
        caption = f"{caption} (Image source: {source})".strip()
    classes = set((arguments.get("class", "") + " " + arguments.get("align", "")).lower().split())
    align = "left" if classes & {"left", "float-left"} else ""
    align = "right" if classes & {"right", "float-right"} else align
    return figure_markdown(
        arguments.get("src", ""),
        alt=arguments.get("alt", ""),
        caption=caption,
        width=width_percent(arguments.get("width", "")),
        align=align,
    )


def _paired(name: str) -> re.Pattern:
    return re.compile(_PAIRED.replace("NAME", name), re.S)


_HIGHLIGHT = _paired("highlight")
_RAWHTML = _paired("rawhtml|raw|html")
_DETAILS = _paired("details")
_MATH = _paired("math|katex|mathjax|tex")


def _math(match: re.Match[str], text: str) -> str:
    inner = match.group("inner").strip()
    if re.fullmatch(r"(?s)\$\$.*\$\$|\\\[.*\\\]|\$[^$].*\$|\\\(.*\\\)", inner):
        return inner if not inner.startswith("$$") else f"\n\n{inner}\n\n"
    setting = shortcode_arguments(match.group("args")).get("display", "").lower()
    before, after = text[: match.start()], text[match.end() :]
    alone = (not before.strip() or before.endswith("\n")) and (
        not after.strip() or after.startswith("\n")
    )
    display = setting in ("true", "block") or (alone and setting != "false")
    if display:
        return f"\n\n$$\n{inner}\n$$\n\n"
    return f"\\({' '.join(inner.split())}\\)"


def convert(body: str, notes: Notes | None = None) -> tuple[str, list[str]]:
    """Hugo Markdown → this site's Markdown; returns it and what was left as is."""
    notes = notes if notes is not None else Notes()
    escaped: list[str] = []

    def keep_escaped(match: re.Match[str]) -> str:
        escaped.append(f"{{{{{match.group(1)}{match.group(2)}{match.group(3)}}}}}")
        return f"{_STX}hugoescaped{len(escaped) - 1}{_ETX}"

    def highlight(match: re.Match[str]) -> str:
        language = (positional_arguments(match.group("args")) or [""])[0]
        notes.did("highlight shortcodes")
        code = match.group("inner").strip("\n")
        return f"\n\n```{language}\n{code}\n```\n\n"

    body = _HIGHLIGHT.sub(highlight, _ESCAPED.sub(keep_escaped, body))
    protected, stash = protect_code(body)

    def rawhtml(match: re.Match[str]) -> str:
        notes.did("raw HTML shortcodes")
        return f"\n\n{match.group('inner').strip()}\n\n"

    def details(match: re.Match[str]) -> str:
        arguments = shortcode_arguments(match.group("args"))
        summary = arguments.get("summary") or (positional_arguments(match.group("args")) or [""])[0]
        opened = " open" if arguments.get("open", "").lower() == "true" else ""
        notes.did("details shortcodes")
        return (
            f'\n\n<details markdown="1"{opened}>\n<summary>{summary or "Details"}</summary>\n\n'
            f"{match.group('inner').strip()}\n\n</details>\n\n"
        )

    protected = _RAWHTML.sub(rawhtml, protected)
    protected = _DETAILS.sub(details, protected)
    protected, count = _MATH.subn(lambda m: _math(m, protected), protected)
    notes.did("math shortcodes", count)

    def shortcode(match: re.Match[str]) -> str:
        name = match.group("name")
        if name == "figure":
            notes.did("figure shortcodes")
            return figure_markdown_from(shortcode_arguments(match.group("args")))
        if name in ("ref", "relref"):
            target = (positional_arguments(match.group("args")) or [""])[0]
            target = target or shortcode_arguments(match.group("args")).get("path", "")
            if target.startswith("#"):  # a heading of the same page
                notes.did("links to other posts resolved")
                return target
            if target:
                path, _, anchor = target.partition("#")
                old = re.sub(r"(?:/?_?index)?\.md$", "", path.strip("/"))
                old = f"/{old}/" + (f"#{anchor}" if anchor else "")
                return link_marker(name, target, old)
        notes.leave(f"Hugo shortcode left as text: {name}")
        return match.group(0)

    protected = _SHORTCODE.sub(shortcode, protected)
    protected, hidden = hide_from_readers(protected, r"\{\{[<%][^\n]*?[>%]\}\}")
    notes.did("shortcodes left alone on their line, hidden from readers", hidden)
    protected = restore_code(protected, stash)
    body = re.sub(_STX + r"hugoescaped(\d+)" + _ETX, lambda m: escaped[int(m.group(1))], protected)
    return body, notes.left

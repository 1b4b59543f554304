"""Hugo conventions, turned into this site's Markdown.

- `{{< figure src="..." alt="..." caption="..." attr="..." attrlink="..." >}}` (or `{{% %}}`)
  becomes `![alt](src "caption (Image source: [attr](attrlink))")`, the figure syntax of this site.
- Other shortcodes are kept as text, with a warning.
- Slugs: a page bundle's `index.md` takes its folder's name; other files their own.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from posts.markup.scanner import protect_code, restore_code

_SHORTCODE = re.compile(
    r"\{\{(?P<open>[<%])\s*(?P<name>/?[\w.-]+)(?P<args>.*?)\s*(?P=open)?[>%]\}\}", re.S
)
_ARGUMENT = re.compile(
    r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<bq>[^`]*)`|'(?P<sq>[^']*)'|(?P<bare>\S+))"""
)


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


def figure_markdown(arguments: dict[str, str]) -> str:
    caption = " ".join((arguments.get("caption") or arguments.get("title") or "").split())
    attribution = arguments.get("attr", "").strip()
    link = arguments.get("attrlink", "").strip()
    if attribution and link:
        source = f"[{attribution}]({link})"
    else:
        source = attribution or (f"<{link}>" if link else "")
    if source:
        caption = f"{caption} (Image source: {source})".strip()
    alt = arguments.get("alt") or re.sub(r"[*_`\[\]]", "", caption) or ""
    alt = alt.replace("[", "\\[").replace("]", "\\]")
    src = arguments.get("src", "")
    if " " in src:
        src = f"<{src}>"
    if not caption:
        return f"![{alt}]({src})"
    title = caption.replace("\\", "\\\\").replace('"', '\\"')
    return f'![{alt}]({src} "{title}")'


def convert(body: str, notes=None) -> tuple[str, list[str]]:
    """Hugo Markdown → this site's Markdown, and warnings for shortcodes left as text."""
    protected, stash = protect_code(body)
    warnings: list[str] = notes.left if notes is not None else []

    def shortcode(match: re.Match[str]) -> str:
        if match.group("name") == "figure":
            return figure_markdown(shortcode_arguments(match.group("args")))
        warnings.append(f"Hugo shortcode left as text: {match.group('name')}")
        return match.group(0)

    return restore_code(_SHORTCODE.sub(shortcode, protected), stash), warnings

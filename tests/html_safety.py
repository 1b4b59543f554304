"""Test helpers: parse rendered HTML with the standard library and find anything executable."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "style",
        "base",
        "meta",
        "link",
        "svg",
        "template",
        "noscript",
        "xmp",
        "portal",
    }
)
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "background",
        "srcset",
        "cite",
        "codebase",
        "lowsrc",
        "dynsrc",
        "ping",
    }
)
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        self.stack[-1].children.append(element)
        if tag not in {
            "img",
            "br",
            "hr",
            "input",
            "meta",
            "link",
            "base",
            "wbr",
            "col",
            "embed",
            "source",
        }:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def find_all(html: str, tag: str, **attrs: str) -> list[Element]:
    """Elements with this tag whose attributes include `attrs` (class matches one class)."""
    found = []
    for element in parse(html).elements:
        if element.tag != tag:
            continue
        ok = True
        for name, value in attrs.items():
            name = name.rstrip("_").replace("_", "-")
            if name == "class":
                ok = ok and value in element.attrs.get("class", "").split()
            else:
                ok = ok and element.attrs.get(name) == value
        if ok:
            found.append(element)
    return found


def _normalized_url(value: str) -> str:
    # The WHATWG URL parser strips leading/trailing C0 controls and spaces and removes tabs and
    # newlines anywhere, so "java\tscript:" is a javascript: URL ("java  script:" is not).
    return re.sub(
        r"[\t\n\r]",
        "",
        value.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b"
            "\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
            "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
        ),
    )


def dangers(html: str) -> list[str]:
    """Everything in `html` that could run script or change the page's behaviour."""
    found = []
    for element in parse(html).elements:
        if element.tag in FORBIDDEN_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"{element.tag}[{name}]")
            if name in {"style", "formaction", "action", "srcdoc"}:
                found.append(f"{element.tag}[{name}]")
            if name in URL_ATTRIBUTES:
                urls = (
                    [u.strip().split(" ")[0] for u in value.split(",")]
                    if name == "srcset"
                    else [value]
                )
                for url in urls:
                    scheme = SCHEME.match(_normalized_url(url))
                    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                        found.append(f"{element.tag}[{name}={value!r}]")
    return found

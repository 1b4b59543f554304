"""Python-Markdown's link and image patterns, without their quadratic worst case.

For every `[` (and `![`) the built-in patterns scan character by character to the end of the
paragraph looking for the matching `]`, and for every `](` to the matching `)`: a paragraph of
20 KB of `[` took over a minute. Here the same patterns find the matching bracket through a table
built once per text (one pass over its brackets), give up on a destination at once when no `)`
follows, and read a destination without parentheses or quotes with one regular expression. What
they accept and produce is unchanged.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

_BRACKET = re.compile(r"[\[\]]")
# A destination without parentheses or quotes, up to its `)`: the built-in pattern walks such a
# destination one character at a time in Python (a pasted 250 KB `data:` image took 0.1 s).
_PLAIN_DESTINATION = re.compile(r"[^()'\"]*\)")
# Brackets looked at directly before the table is built: enough for any ordinary link text.
_DIRECT_SCAN = 32


class _BracketTable:
    """Where each `[` of one text closes, computed once per text (the text changes only when a
    pattern matched, and then one new table is built)."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.closing: dict[int, int] = {}

    def closing_of(self, text: str, opening: int) -> int:
        if text is not self.text:
            self.text, self.closing = text, _matching_brackets(text)
        return self.closing.get(opening, -1)


def _matching_brackets(text: str) -> dict[int, int]:
    closing: dict[int, int] = {}
    open_positions: list[int] = []
    for match in _BRACKET.finditer(text):
        position = match.start()
        if text[position] == "[":
            open_positions.append(position)
        elif open_positions:
            closing[open_positions.pop()] = position
    return closing


class _LinearText:
    """`getText()` of the link patterns through a bracket table (same results)."""

    table: _BracketTable

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        if index < 1 or data[index - 1] != "[":
            return super().getText(data, index)  # type: ignore[misc]
        if data is not self.table.text:
            found = self._direct(data, index)
            if found is not None:
                return found
        end = self.table.closing_of(data, index - 1)
        if end == -1:
            return data[index:], len(data), False
        return data[index:end], end + 1, True

    @staticmethod
    def _direct(data: str, index: int) -> tuple[str, int, bool] | None:
        """The result from the next few brackets, or None when they do not settle it."""
        depth = 1
        for count, match in enumerate(_BRACKET.finditer(data, index)):
            if count == _DIRECT_SCAN:
                break
            depth += 1 if match.group() == "[" else -1
            if depth == 0:
                return data[index : match.start()], match.end(), True
        else:
            return data[index:], len(data), False
        return None


class _LinearLink(_LinearText):
    def getLink(self, data: str, index: int):
        if data.find(")", index) == -1:  # no destination can close: not a link
            return "", None, index, False
        opening = self.RE_LINK.match(data, pos=index)  # type: ignore[attr-defined]
        if opening and not opening.group(1):
            plain = _PLAIN_DESTINATION.match(data, opening.end())
            if plain:  # what the character loop below would find, found by the regex engine
                href = self.unescape(data[opening.end() : plain.end() - 1]).strip()  # type: ignore[attr-defined]
                return href, None, plain.end(), True
        return super().getLink(data, index)  # type: ignore[misc]


class LinearLink(_LinearLink, LinkInlineProcessor):
    pass


class LinearImage(_LinearLink, ImageInlineProcessor):
    pass


class LinearReference(_LinearText, ReferenceInlineProcessor):
    pass


class LinearImageReference(_LinearText, ImageReferenceInlineProcessor):
    pass


class LinearShortReference(_LinearText, ShortReferenceInlineProcessor):
    pass


class LinearShortImageReference(_LinearText, ShortImageReferenceInlineProcessor):
    pass


# (name, priority, class, pattern) as registered by `markdown.inlinepatterns`.
_PATTERNS = [
    ("reference", 170, LinearReference, REFERENCE_RE),
    ("link", 160, LinearLink, LINK_RE),
    ("image_link", 150, LinearImage, IMAGE_LINK_RE),
    ("image_reference", 140, LinearImageReference, IMAGE_REFERENCE_RE),
    ("short_reference", 130, LinearShortReference, REFERENCE_RE),
    ("short_image_ref", 125, LinearShortImageReference, IMAGE_REFERENCE_RE),
]


class LinearLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        table = _BracketTable()  # shared: every pattern looks at the same texts
        for name, priority, cls, pattern in _PATTERNS:
            processor = cls(pattern, md)
            processor.table = table
            md.inlinePatterns.register(processor, name, priority)

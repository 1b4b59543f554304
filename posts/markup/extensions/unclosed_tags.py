"""Runs of unterminated tags (`<a <a <a ...`) are shown as text, not fed to the HTML parser.

Python-Markdown passes the whole text through `html.parser`, which, for a `<` that starts a tag,
looks for the tag's end across everything that follows: 7,000 `<a ` took 8 s. A `<tag` with no
`>` before the next `<` cannot be a well-formed tag, so when a text has more than
`UNTERMINATED_LIMIT` of them (never in a real post), their `<` become `&lt;`: shown exactly as
typed. Code (blocks and spans) is left alone; formulas are already cut out (this runs after the
math preprocessor).
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from posts.markup.scanner import rewrite_prose

UNTERMINATED_LIMIT = 100
_UNTERMINATED = re.compile(r"<(?=[A-Za-z/!?])(?=[^>]*?(?:<|\Z))")


class UnclosedTagsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the math preprocessor (28), before fenced code (25) and raw HTML (20).
        md.preprocessors.register(UnclosedTagsPreprocessor(md), "unclosed_tags", 27)


class UnclosedTagsPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if text.count("<") <= UNTERMINATED_LIMIT:
            return lines
        return rewrite_prose(text, escape_unterminated).split("\n")


def escape_unterminated(text: str) -> str:
    starts = [match.start() for match in _UNTERMINATED.finditer(text)]
    if len(starts) <= UNTERMINATED_LIMIT:
        return text
    return _UNTERMINATED.sub("&lt;", text)

"""Math: `$...$`, `\\(...\\)` inline; `$$...$$`, `\\[...\\]` display; converted to MathML.

Formulas are cut out of the source before Markdown parses it (so underscores, asterisks and
backslashes in TeX reach latex2mathml untouched) and replaced by placeholders; the converted
MathML goes back in after Markdown is done (`RenderContext.restore_formulas`).

The scanner leaves alone fenced code blocks, indented code blocks (outside lists), inline code
spans, raw `<code>`/`<pre>`/`<kbd>`/`<samp>` elements, HTML comments, the inside of raw HTML tags
and link destinations. A formula that lands in an attribute (an inline image's title) is replaced
by its TeX source there. It follows pandoc's
rule for single dollars, so prices stay prose: an opening `$` must be followed by a non-space, a
closing `$` must follow a non-space and not be followed by a digit. `\\$` is a literal dollar. No
formula spans a blank line, so an unbalanced `$` cannot swallow the rest of a post.

Display formulas are wrapped in `<div class="math-display">` (which scrolls horizontally). A
display formula in the middle of a paragraph splits the paragraph around it; where a `div` is not
allowed (headings, table cells...) it becomes `<span class="math-display">`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from posts.markup.mathml import tex_to_mathml
from posts.markup.scanner import split_code_blocks

from .context import ETX, MATH_PLACEHOLDER_RE, STX, Formula, RenderContext

_INTERESTING = re.compile(r"[\\`$<\]]")
_RAW_CODE = re.compile(r"<(code|pre|kbd|samp)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_RAW_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_LINK_DESTINATION = re.compile(r"\]\(\s*(?:<[^<>\n]*>|[^\s()]*)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


class MathExtension(Extension):
    def __init__(self, context: RenderContext, **kwargs):
        self.context = context
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.ESCAPED_CHARS.append("$")
        # After whitespace normalizing (30), before fenced code (25) and raw HTML blocks (20).
        md.preprocessors.register(MathPreprocessor(md, self.context), "math", 28)
        # Before inline processing (20), while paragraphs still hold plain text.
        md.treeprocessors.register(DisplayMathTreeprocessor(md), "math_display", 25)
        # Last: a formula that ended up in an attribute (an inline image's title) becomes its TeX.
        md.treeprocessors.register(
            MathInAttributesTreeprocessor(md, self.context), "math_attributes", 1
        )


class MathPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: RenderContext):
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        return protect_math("\n".join(lines), self.context).split("\n")


def protect_math(source: str, context: RenderContext) -> str:
    """Replace every formula outside code in `source` with a placeholder stashed in `context`."""
    out: list[str] = []
    for is_code, segment in split_code_blocks(source):
        out.append(segment if is_code else _MathScanner(segment, context).run())
    return "\n".join(out)


class _MathScanner:
    """One pass over a prose segment, replacing formulas by placeholders."""

    def __init__(self, text: str, context: RenderContext):
        self.text = text
        self.context = context
        self.blank_lines = [m.start() for m in _BLANK_LINE.finditer(text)]
        self.closers = self._single_dollar_closers()

    def _single_dollar_closers(self) -> list[int]:
        text = self.text
        closers = []
        position = text.find("$")
        while position != -1:
            backslashes = 0
            while position - backslashes > 0 and text[position - backslashes - 1] == "\\":
                backslashes += 1
            if (
                backslashes % 2 == 0
                and position > 0
                and not text[position - 1].isspace()
                and not (position + 1 < len(text) and text[position + 1].isdigit())
            ):
                closers.append(position)
            position = text.find("$", position + 1)
        return closers

    def _paragraph_end(self, position: int) -> int:
        index = bisect_right(self.blank_lines, position)
        return self.blank_lines[index] if index < len(self.blank_lines) else len(self.text)

    def _emit(self, tex: str, display: bool) -> str:
        self.context.check_time()  # thousands of formulas take seconds to convert
        result = tex_to_mathml(tex, display=display)
        if not result.ok:
            self.context.warn(f"Formula could not be rendered: {tex.strip()}")
        return self.context.stash_formula(Formula(tex.strip(), display, result.html, result.ok))

    def run(self) -> str:
        text, out, i, n = self.text, [], 0, len(self.text)
        while i < n:
            found = _INTERESTING.search(text, i)
            if not found:
                out.append(text[i:])
                break
            start = found.start()
            out.append(text[i:start])
            i = self._step(start, out)
        return "".join(out)

    def _step(self, i: int, out: list[str]) -> int:
        """Handle the special character at `i`; append output; return the next position."""
        text = self.text
        char = text[i]
        if char == "\\":
            opener = text[i + 1 : i + 2]
            if opener in ("(", "["):
                closer = "\\)" if opener == "(" else "\\]"
                end = text.find(closer, i + 2, self._paragraph_end(i))
                if end != -1 and text[i + 2 : end].strip():
                    out.append(self._emit(text[i + 2 : end], display=opener == "["))
                    return end + 2
            out.append(text[i : i + 2])
            return i + 2
        if char == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            closing = re.compile(rf"(?<!`){'`' * run}(?!`)").search(text, i + run)
            end = closing.end() if closing else i + run
            out.append(text[i:end])
            return end
        if char == "<":  # raw code elements, comments and tags (with their attributes)
            raw = _RAW_CODE.match(text, i) or _RAW_TAG.match(text, i)
            end = raw.end() if raw else i + 1
            out.append(text[i:end])
            return end
        if char == "]":  # a link destination is a URL, not prose (its title may hold math)
            destination = _LINK_DESTINATION.match(text, i)
            end = destination.end() if destination else i + 1
            out.append(text[i:end])
            return end
        # char == "$"
        if text.startswith("$$", i):
            end = text.find("$$", i + 2, self._paragraph_end(i))
            if end != -1 and text[i + 2 : end].strip():
                out.append(self._emit(text[i + 2 : end], display=True))
                return end + 2
            out.append("$$")
            return i + 2
        if i + 1 < len(text) and not text[i + 1].isspace():
            index = bisect_right(self.closers, i + 1)
            if index < len(self.closers):
                end = self.closers[index]
                if end < self._paragraph_end(i) and not text.startswith("$$", end):
                    out.append(self._emit(text[i + 1 : end], display=False))
                    return end + 1
        out.append("$")
        return i + 1


class MathInAttributesTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext):
        super().__init__(md)
        self.context = context

    def run(self, root: Element) -> None:
        for element in root.iter():
            for name, value in element.attrib.items():
                # attr_list gives a bare word (`{:target}`) the value None.
                if value and "mathml" in value:
                    element.set(name, self.context.formula_source(value))


class DisplayMathTreeprocessor(Treeprocessor):
    """Give each display formula its own block, splitting the paragraph it sits in if needed."""

    def run(self, root: Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag == "p" and len(element) == 0 and _has_display(element.text):
                if element in parents:
                    self._split_paragraph(element, parents[element])
            else:
                self._wrap_in_place(element)

    def _split_paragraph(self, paragraph: Element, container: Element) -> None:
        position = list(container).index(paragraph)
        replacement: list[Element] = []
        for piece in _pieces(paragraph.text or ""):
            if MATH_PLACEHOLDER_RE.fullmatch(piece) and "block" in piece:
                block = Element("div", {"class": "math-display"})
                block.text = piece
                replacement.append(block)
            elif piece.strip():
                new = Element("p", dict(paragraph.attrib))
                new.text = piece.strip()
                replacement.append(new)
        container.remove(paragraph)
        for offset, element in enumerate(replacement):
            element.tail = "\n"
            container.insert(position + offset, element)

    def _wrap_in_place(self, element: Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block_parent = tag in {"li", "dd", "blockquote", "div"}
        if _has_display(element.text):
            pieces = _pieces(element.text or "")
            element.text = pieces[0]
            self._insert_wrapped(element, 0, pieces[1:], block_parent)
        for index, child in reversed(list(enumerate(element))):
            if _has_display(child.tail):
                pieces = _pieces(child.tail or "")
                child.tail = pieces[0]
                self._insert_wrapped(element, index + 1, pieces[1:], block_parent)

    @staticmethod
    def _insert_wrapped(parent: Element, index: int, pieces: list[str], block: bool) -> None:
        # pieces alternate: placeholder, text, placeholder, text...
        for offset in range(0, len(pieces), 2):
            wrapper = Element("div" if block else "span", {"class": "math-display"})
            wrapper.text = pieces[offset]
            wrapper.tail = pieces[offset + 1] if offset + 1 < len(pieces) else ""
            parent.insert(index + offset // 2, wrapper)


_DISPLAY_SPLIT = re.compile("(" + STX + r"mathmlblock\d+" + ETX + ")")


def _has_display(text: str | None) -> bool:
    return bool(text) and "mathmlblock" in text


def _pieces(text: str) -> list[str]:
    """Split text into [text, placeholder, text, placeholder, text...]."""
    return _DISPLAY_SPLIT.split(text)

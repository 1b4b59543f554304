"""Keeping Python-Markdown's promise-free parts inside the pipeline's promises: bounded time, and a
failure in one construct never costs the whole post.

`guard(md, context, deadline)` wraps every processor of one `Markdown` instance (ours and the
built-in ones) on that instance only:

- each call first checks the `Deadline` (the formula scanner checks it per formula, through
  `RenderContext.deadline`); past it, `RenderTooSlow` ends the conversion (the caller
  turns it into a refusal, `Rendered.problem`). The checks sit between processor calls, so the
  time is bounded as long as no single call is slow -- the quadratic loops of the link patterns
  are made linear by `posts.markup.extensions.links`.
- an exception in an inline pattern leaves the text it matched as it was, wrapped in
  `<span class="markup-error">` (a visible marker), with a warning naming the construct;
- an exception in a block processor puts that block back as `<pre class="markup-error">` and the
  rest of the post is parsed normally;
- an exception in a preprocessor, tree processor or postprocessor skips that step (its input is
  kept) with a warning.

`RenderTooSlow` is never swallowed.
"""

from __future__ import annotations

import time
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from .extensions.context import RenderContext

MARKER_CLASS = "markup-error"
SNIPPET_LENGTH = 60
_SAVED_HEAD = 16


class RenderTooSlow(Exception):
    """The conversion ran past its deadline."""


class Deadline:
    """A budget of CPU time of the rendering thread (`time.thread_time`), not of wall-clock time:
    whether a text is refused depends on the work it needs, not on how busy the machine is.

    Reading the thread's CPU clock is a system call (~5 µs), so `check()`, called at every
    processor step, reads it once every CALLS_PER_CLOCK calls; `check_now()` always does."""

    CALLS_PER_CLOCK = 64

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.thread_time() + seconds
        self.calls = 0

    def check(self) -> None:
        self.calls += 1
        if self.calls % self.CALLS_PER_CLOCK == 0:
            self.check_now()

    def check_now(self) -> None:
        if time.thread_time() > self.at:
            raise RenderTooSlow


def snippet(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= SNIPPET_LENGTH else text[: SNIPPET_LENGTH - 1] + "…"


def _name(processor: object) -> str:
    return type(processor).__name__


def guard(md: Markdown, context: RenderContext, deadline: Deadline) -> None:
    for processor in md.preprocessors:
        processor.run = _guard_step(processor.run, processor, context, deadline)
    for processor in md.parser.blockprocessors:
        processor.test = _guard_test(processor.test, deadline)
        processor.run = _guard_block(processor.run, processor, context, deadline)
    patterns = list(md.inlinePatterns)
    for pattern in patterns:
        pattern.handleMatch = _guard_inline(pattern.handleMatch, pattern, context, deadline)
    if patterns:
        # Every piece of text (a table's cells too) starts with the first pattern, matched or not.
        first = patterns[0]
        first.getCompiledRegExp = _ticking(first.getCompiledRegExp, deadline)
    for processor in md.treeprocessors:
        processor.run = _guard_step(processor.run, processor, context, deadline)
    for processor in md.postprocessors:
        processor.run = _guard_step(processor.run, processor, context, deadline)


def _ticking(method, deadline: Deadline):
    def ticking():
        deadline.check()
        return method()

    return ticking


def _guard_step(run, processor, context: RenderContext, deadline: Deadline):
    def guarded(data):
        deadline.check()
        try:
            return run(data)
        except RenderTooSlow:
            raise
        except Exception as error:
            context.warn(
                f"A formatting step ({_name(processor)}) failed and was skipped: {error!r}"
            )
            return None if isinstance(data, Element) else data

    return guarded


def _guard_test(test, deadline: Deadline):
    def guarded(parent, block):
        deadline.check()
        try:
            return test(parent, block)
        except RenderTooSlow:
            raise
        except Exception:
            return False

    return guarded


def _guard_block(run, processor, context: RenderContext, deadline: Deadline):
    def guarded(parent, blocks):
        deadline.check()
        # Processors work at the front of the list: keep its head (copying the whole list at
        # every block would make a post of many short paragraphs quadratic).
        head, length = blocks[:_SAVED_HEAD], len(blocks)
        children = len(parent)
        try:
            return run(parent, blocks)
        except RenderTooSlow:
            raise
        except Exception as error:  # this block becomes a marked <pre>
            for child in list(parent)[children:]:
                parent.remove(child)
            untouched = length - len(head)  # the tail the processor did not reach
            tail = blocks[len(blocks) - untouched :] if 0 < untouched <= len(blocks) else []
            blocks[:] = head[1:] + tail
            block = head[0] if head else ""
            context.warn(
                f"This block could not be formatted and is shown as it was written: "
                f"“{snippet(block)}” ({_name(processor)}: {error!r})"
            )
            marker = Element("pre", {"class": MARKER_CLASS})
            marker.text = AtomicString(block)
            parent.append(marker)
            return True

    return guarded


def _guard_inline(handle, pattern, context: RenderContext, deadline: Deadline):
    if not isinstance(pattern, InlineProcessor):  # an old-style pattern: only the deadline

        def checked(match):
            deadline.check()
            return handle(match)

        return checked

    def guarded(match, data):
        deadline.check()
        try:
            return handle(match, data)
        except RenderTooSlow:
            raise
        except Exception as error:
            source = match.group(0)
            context.warn(
                f"“{snippet(source)}” could not be formatted and is shown as written "
                f"({_name(pattern)}: {error!r})"
            )
            marker = Element("span", {"class": MARKER_CLASS})
            marker.text = AtomicString(source)
            return marker, match.start(0), match.end(0)

    return guarded

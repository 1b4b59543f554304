"""State shared by the extensions during one `render_markdown()` call."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STX, ETX = "\x02", "\x03"

# Our placeholders for stashed formulas; Python-Markdown's own use other words after STX.
MATH_PLACEHOLDER = STX + "mathml{kind}{index}" + ETX
MATH_PLACEHOLDER_RE = re.compile(STX + r"mathml(inline|block)(\d+)" + ETX)
# Python-Markdown's stash for raw HTML, as it appears in element text before postprocessing.
HTML_PLACEHOLDER_RE = re.compile(STX + r"wzxhzdk:(\d+)" + ETX)


@dataclass
class Formula:
    tex: str
    display: bool
    html: str
    ok: bool


@dataclass
class RenderContext:
    bibliography: Mapping[str, Any] = field(default_factory=dict)
    formulas: list[Formula] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    figure_count: int = 0
    citations: list[str] = field(default_factory=list)
    # (level, id, plain text with formulas as TeX, text with formulas still stashed)
    headings: list[tuple[int, str, str, str]] = field(default_factory=list)
    # The conversion's `posts.markup.guard.Deadline`, for extensions' own long loops.
    deadline: Any = None

    def check_time(self) -> None:
        if self.deadline is not None:
            self.deadline.check()

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def stash_formula(self, formula: Formula) -> str:
        self.formulas.append(formula)
        kind = "block" if formula.display else "inline"
        return MATH_PLACEHOLDER.format(kind=kind, index=len(self.formulas) - 1)

    def restore_formulas(self, html: str) -> str:
        def restore(match: re.Match[str]) -> str:
            index = int(match.group(2))
            return self.formulas[index].html if index < len(self.formulas) else ""

        return MATH_PLACEHOLDER_RE.sub(restore, html)

    def formula_source(self, text: str) -> str:
        """`text` with formula placeholders replaced by their TeX (for ids and plain text)."""

        def source(match: re.Match[str]) -> str:
            index = int(match.group(2))
            return self.formulas[index].tex if index < len(self.formulas) else ""

        return MATH_PLACEHOLDER_RE.sub(source, text)

"""Geometry of typeset formulas, read in Chromium with getBoundingClientRect.

Used by tests/e2e/test_math_typesetting.py and by bench/math/geometry.py (which runs it over the
whole corpus of bench/math/corpus.txt). A page built by `corpus_markdown()` holds two reference
formulas (an inline `\\sum` and a plain `(`), then one paragraph per formula, in order; `measure()`
returns, per formula, the checks that apply to it and whether each passed.

Checks (the issue's acceptance criteria):
* aligned: where rows of a table start a cell with a relation sign, the signs start at the same x
  (2 px) and the cells before them end at the same x;
* a big operator in display style (\\sum, \\prod...) is at least 1.3x the height of an inline one,
  its limits are centred under and over it (2 px); in inline style they sit beside it;
* \\big...\\Bigg delimiters are at least their TeX size (\\Big( at least 1.5x a plain `(`),
  \\left...\\right fences cover 90% of what they enclose;
* the brace of `cases` spans at least 85% of its rows;
* an accent is centred over (or under) its base (2 px) and above (below) it; a wide accent spans
  its base;
* every letter, digit and symbol of a formula is drawn in the served font (Latin Modern Math), so
  a bold letter (a Unicode math bold character) is drawn bold;
* a \\color part has a colour other than the text's, with 3:1 contrast to the page background.

`stretched()` reads what getBoundingClientRect cannot: how far a stretched mark is drawn. Chromium
reports a stretched operator's unstretched glyph (or nothing, for a combining mark), and a tilde
drawn by the stylesheet is a masked background; so the ink is read from a screenshot of the
mark's band, between the edges of its box.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "math" / "corpus.txt"
SERVED_FONT = "Latin Modern Math"
# A formula on the page: its <math>, or the TeX source shown when it could not be converted.
UNITS = "article .post-body math, article .post-body code.math-fallback"
# As tests/e2e/conftest.py (which a benchmark cannot import as a module).
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-component-update"]


@dataclass(frozen=True)
class Formula:
    group: str
    tex: str
    display: bool


@dataclass
class Measured:
    formula: Formula
    checks: dict[str, bool] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(self.checks.values())


def load_corpus(path: Path = CORPUS) -> list[Formula]:
    formulas, group = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            group = line[3:].strip()
        elif re.match(r"^[DI]\|", line):
            formulas.append(Formula(group, line[2:], line[0] == "D"))
    return formulas


def corpus_markdown(formulas: list[Formula]) -> str:
    parts = ["Reference: $\\sum$ and $($."]
    for formula in formulas:
        parts.append(f"$$\n{formula.tex}\n$$" if formula.display else f"Formula ${formula.tex}$.")
    return "\n\n".join(parts) + "\n"


_MEASURE_JS = r"""
() => {
  const box = (e) => e.getBoundingClientRect();
  const centre = (r) => (r.left + r.right) / 2;
  const units = [...document.querySelectorAll(UNITS)];
  const maths = units.filter((u) => u.tagName === "math");
  const [refSum, refParen] = maths.slice(0, 2).map((m) => box(m.querySelector("mo")));
  const BIG = new Set([..."\u2211\u220f\u2210\u22c3\u22c2\u2a01\u2a02\u2a00"]);
  const REL = new Set([
    ..."=<>\u2264\u2265\u2248\u2260\u223c\u221d\u2261\u2192\u21d2\u21d4\u225c\u2254\u2208",
  ]);
  const NAMED = /^[A-Za-z][A-Za-z\u2009 ]+$/;
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const pageBackground = getComputedStyle(document.body).backgroundColor;
  const results = [];
  for (const math of units.slice(2)) {
    const checks = {};
    const details = [];
    if (math.tagName !== "math") {
      results.push({ checks: { converted: false }, details: ["converted: shown as TeX source"] });
      continue;
    }
    const record = (name, ok, detail) => {
      checks[name] = (checks[name] ?? true) && ok;
      if (!ok) details.push(`${name}: ${detail}`);
    };
    // Aligned columns: wherever two or more rows of a table start a cell with a relation sign
    // (=, \le...), those signs start at the same x and the cells before them end at the same x.
    // Read from the layout only, so it applies to any converter's tables.
    const tokens = (cell) => [...cell.querySelectorAll("mi, mo, mn, mtext")]
      .filter((e) => box(e).width > 0);
    for (const table of math.querySelectorAll("mtable")) {
      const rows = [...table.children].filter((r) => r.tagName === "mtr");
      const columns = Math.max(0, ...rows.map((r) => r.children.length));
      for (let c = 0; c < columns; c++) {
        const starts = [];
        const ends = [];
        for (const row of rows) {
          const cell = row.children[c];
          const first = cell && tokens(cell)[0];
          if (!first || first.tagName !== "mo" || !REL.has(first.textContent.trim())) continue;
          starts.push(box(first).left);
          const before = c > 0 ? tokens(row.children[c - 1]) : [];
          if (before.length) ends.push(Math.max(...before.map((e) => box(e).right)));
        }
        if (starts.length >= 2) {
          const spread = Math.max(...starts) - Math.min(...starts);
          record("aligned", spread <= 2, `relations spread ${spread.toFixed(1)}px`);
        }
        if (ends.length >= 2) {
          const spread = Math.max(...ends) - Math.min(...ends);
          record("aligned", spread <= 2, `left sides end ${spread.toFixed(1)}px apart`);
        }
      }
    }
    // Big operators and named operators with limits.
    for (const node of math.querySelectorAll("munder, mover, munderover, msub, msup, msubsup")) {
      const base = node.children[0];
      if (!base || base.tagName !== "mo") continue;
      const text = base.textContent;
      if (!BIG.has(text) && !NAMED.test(text)) continue;
      const display = getComputedStyle(base).mathStyle === "normal";
      const b = box(base);
      const under = node.tagName.startsWith("mu") || node.tagName === "mover";
      const scripts = [...node.children].slice(1).map(box);
      const limitsUnder = scripts.every((s) => Math.abs(centre(s) - centre(b)) <= 2)
        && scripts.every((s) => s.top >= b.bottom - 2 || s.bottom <= b.top + 2);
      const limitsBeside = scripts.every((s) => s.left >= b.right - 1);
      if (display && under) {
        record("limits", limitsUnder, `limits of ${text} not centred under/over`);
        if (BIG.has(text)) {
          record("large-operator", b.height >= 1.3 * refSum.height,
            `${text} ${b.height.toFixed(1)}px vs inline ${refSum.height.toFixed(1)}px`);
        }
      } else if (under && base.getAttribute("movablelimits") === "false") {
        record("limits", limitsUnder, `\\limits of ${text} not under/over`);
      } else {
        record("limits", limitsBeside, `limits of ${text} not beside it`);
      }
    }
    // \big...\Bigg and \left...\right.
    for (const mo of math.querySelectorAll("mo[minsize]")) {
      const em = parseFloat(getComputedStyle(mo).fontSize);
      const wanted = parseFloat(mo.getAttribute("minsize")) * em;
      const h = box(mo).height;
      record("delimiter-size", h >= 0.95 * wanted,
        `${mo.textContent} ${h.toFixed(1)}px < ${wanted.toFixed(1)}px`);
      if (Math.abs(parseFloat(mo.getAttribute("minsize")) - 1.623) < 0.01) {
        record("delimiter-size", h >= 1.5 * refParen.height,
          `\\Big ${h.toFixed(1)}px vs ( ${refParen.height.toFixed(1)}px`);
      }
    }
    for (const mo of math.querySelectorAll('mo[fence="true"][stretchy="true"]')) {
      if (!mo.textContent.trim() || mo.hasAttribute("minsize")) continue;
      const siblings = [...mo.parentElement.children]
        .filter((e) => e !== mo && e.getAttribute("fence") !== "true");
      if (!siblings.length) continue;
      const top = Math.min(...siblings.map((e) => box(e).top));
      const bottom = Math.max(...siblings.map((e) => box(e).bottom));
      const covered = box(mo).height / (bottom - top);
      const cases = mo.textContent === "{" && siblings.some((e) => e.tagName === "mtable");
      const name = cases ? "cases-brace" : "fence";
      const need = name === "cases-brace" ? 0.85 : 0.9;
      record(name, covered >= need, `${mo.textContent} covers ${(covered * 100).toFixed(0)}%`);
    }
    // Accents.
    for (const node of math.querySelectorAll('mover[accent="true"], munder[accentunder="true"]')) {
      const [base, mark] = [box(node.children[0]), box(node.children[1])];
      const centred = Math.abs(centre(mark) - centre(base)) <= 2;
      const placed = node.tagName === "mover"
        ? mark.top <= base.top + 0.5 * base.height
        : mark.bottom >= base.bottom - 0.5 * base.height;
      record("accent", centred && placed,
        `accent off by ${(centre(mark) - centre(base)).toFixed(1)}px`);
      // A combining mark (U+0302, U+20D7) reports no width however far it stretches.
      const combining = /^[\u0300-\u036f\u20d0-\u20ff]$/.test(node.children[1].textContent);
      const wide = node.children[1].getAttribute("stretchy") === "true"
        && node.children[0].textContent.length > 1;
      if (!combining && wide) {
        record("accent", mark.width >= 0.75 * base.width,
          `wide accent ${mark.width.toFixed(0)}/${base.width.toFixed(0)}px`);
      }
    }
    for (const rule of math.querySelectorAll(".math-overline, .math-underline")) {
      const style = getComputedStyle(rule);
      const over = rule.classList.contains("math-overline");
      const width = over ? style.borderTopWidth : style.borderBottomWidth;
      record("accent", parseFloat(width) > 0, "no rule drawn");
    }
    // Colours.
    for (const part of math.querySelectorAll('[class*="math-color-"]')) {
      const colour = getComputedStyle(part).color;
      const text = getComputedStyle(math.parentElement).color;
      const ratio = contrast(colour, pageBackground);
      record("color", colour !== text && ratio >= 3, `${colour} contrast ${ratio.toFixed(2)}`);
    }
    if (math.querySelector("[mathvariant]:not([mathvariant=normal])")) {
      record("alphanumerics", false, "mathvariant left for the browser");
    }
    const fallback = math.closest(".math-fallback");
    record("converted", !fallback, "not converted");
    results.push({ checks, details });
  }
  return results;
}
"""


def measure(page, formulas: list[Formula]) -> list[Measured]:
    """Run the checks on a page built from `corpus_markdown(formulas)`."""
    raw = page.evaluate(_MEASURE_JS.replace("UNITS", repr(UNITS)))
    assert len(raw) == len(formulas), (len(raw), len(formulas))
    measured = [Measured(f, r["checks"], r["details"]) for f, r in zip(formulas, raw, strict=True)]
    for index, fonts in enumerate(served_fonts(page)[2:]):
        drawn = set(fonts)
        ok = drawn <= {SERVED_FONT}
        measured[index].checks["served-font"] = ok
        if not ok:
            measured[index].details.append(f"served-font: drawn in {sorted(drawn)}")
    return measured


def served_fonts(page) -> list[list[str]]:
    """Per formula of the post body, the fonts Chromium drew its mi, mn and mo text with."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    units = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": UNITS})["nodeIds"]
    out = []
    for math in units:
        if session.send("DOM.describeNode", {"nodeId": math})["node"]["nodeName"] != "math":
            out.append(["(not converted)"])
            continue
        tokens = session.send("DOM.querySelectorAll", {"nodeId": math, "selector": "mi, mn, mo"})
        families = []
        for node in tokens["nodeIds"]:
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            families.extend(f["familyName"] for f in fonts)
        out.append(families)
    session.detach()
    return out


def share_by_group(measured: list[Measured]) -> dict[str, tuple[int, int]]:
    """group -> (formulas passing every check, formulas)."""
    out: dict[str, tuple[int, int]] = {}
    for m in measured:
        good, total = out.get(m.formula.group, (0, 0))
        out[m.formula.group] = (good + m.ok, total + 1)
    return out


def share_by_check(measured: list[Measured]) -> dict[str, tuple[int, int]]:
    """check -> (formulas passing it, formulas it applies to)."""
    out: dict[str, tuple[int, int]] = {}
    for m in measured:
        for name, ok in m.checks.items():
            good, total = out.get(name, (0, 0))
            out[name] = (good + ok, total + 1)
    return out


# Marks stretched over or under something: accents (the mark spans its base) and extensible arrows
# (the arrow, the base, spans its labels).
_STRETCHED_JS = r"""
(math) => {
  const rect = (e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  const union = (rects) => ({
    left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)),
    top: Math.min(...rects.map((r) => r.top)), bottom: Math.max(...rects.map((r) => r.bottom)),
  });
  // A label's content, without the room at its sides.
  const content = (label) => {
    const parts = [...label.children].filter((c) => c.tagName !== "mspace");
    return parts.length ? union(parts.map(rect)) : rect(label);
  };
  const out = [];
  for (const node of math.querySelectorAll("mover, munder, munderover")) {
    const [first, ...rest] = node.children;
    const last = node.children[node.children.length - 1];
    const accent = node.getAttribute("accent") === "true"
      || node.getAttribute("accentunder") === "true";
    if (first && first.tagName === "mo" && first.getAttribute("stretchy") === "true") {
      const labels = rest.filter((l) => l.textContent.trim());
      if (!labels.length) continue;
      const under = node.tagName === "munder" ? [rest[0]]
        : node.tagName === "munderover" ? [rest[0]] : [];
      const over = node.tagName === "munder" ? [] : [rest[rest.length - 1]];
      out.push({
        kind: "arrow", text: first.textContent, node: rect(node), mark: rect(first),
        spans: union(labels.map(content)),
        over: over.filter((l) => l.textContent.trim()).map(content),
        under: under.filter((l) => l.textContent.trim()).map(content),
      });
    } else if (accent && last !== first && last.tagName === "mo" && (
      last.getAttribute("stretchy") === "true" || last.classList.contains("math-widetilde"))) {
      out.push({
        kind: node.tagName === "munder" ? "under-accent" : "accent",
        text: last.textContent, node: rect(node), mark: rect(last),
        spans: rect(first), over: [], under: [],
      });
    }
  }
  return out;
}
"""


@dataclass(frozen=True)
class Stretched:
    """One stretched mark: rectangles are {left, right, top, bottom} in CSS px (viewport)."""

    # "accent" (the mark over `spans`, its base), "under-accent" (under it) or "arrow" (the mark
    # under or over its labels)
    kind: str
    text: str
    node: dict
    mark: dict
    spans: dict
    over: list
    under: list
    ink: Ink | None  # what is drawn in the mark's band

    @property
    def ink_width(self) -> float:
        return self.ink.width if self.ink else 0.0

    @property
    def ink_centre_offset(self) -> float:
        """How far the drawn mark's centre is from the centre of what it spans."""
        if not self.ink:
            return float("inf")
        return (self.ink.left + self.ink.right) / 2 - (self.spans["left"] + self.spans["right"]) / 2

    @property
    def spans_width(self) -> float:
        return self.spans["right"] - self.spans["left"]

    @property
    def ink_gap(self) -> float:
        """How far an accent's drawn mark is from its base's box (above it, or below it)."""
        if not self.ink:
            return float("-inf")
        if self.kind == "under-accent":
            return self.ink.top - self.spans["bottom"]
        return self.spans["top"] - self.ink.bottom


def stretched(page, math) -> list[Stretched]:
    """The stretched marks of one formula (a locator of its `<math>`), with their ink."""
    math.scroll_into_view_if_needed()
    found = math.evaluate(_STRETCHED_JS)
    out = []
    for item in found:
        mark, base = item["mark"], item["spans"]
        if item["kind"] == "accent":  # the band above the base
            top, bottom = mark["top"] - 1, min(mark["bottom"], base["top"])
        elif item["kind"] == "under-accent":  # the band below it
            top, bottom = max(mark["top"], base["bottom"]), mark["bottom"] + 1
        else:  # the arrow's own height, between its labels
            top, bottom = mark["top"], mark["bottom"]
        left = min(item["node"]["left"], item["spans"]["left"]) - 1
        right = max(item["node"]["right"], item["spans"]["right"]) + 1
        out.append(Stretched(**item, ink=ink_extent(page, left, top, right, bottom)))
    return out


@dataclass(frozen=True)
class Ink:
    left: float  # CSS px
    right: float
    top: float
    bottom: float
    heights: list[int]  # per device pixel column from left to right: how many pixels are inked

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def heavier_end(self) -> str:
        """ "left" or "right": the end with more ink in its outer fifth (an arrow's head)."""
        fifth = max(1, len(self.heights) // 5)
        return "left" if sum(self.heights[:fifth]) > sum(self.heights[-fifth:]) else "right"


def ink_extent(page, left: float, top: float, right: float, bottom: float) -> Ink | None:
    """What differs from the background in this viewport rectangle (None when nothing does)."""
    width, height = right - left, bottom - top
    if width <= 0 or height <= 0:
        return None
    png = page.screenshot(clip={"x": left, "y": top, "width": width, "height": height})
    image = Image.open(io.BytesIO(png)).convert("L")
    scale = image.width / width
    pixels = image.load()
    background = Counter(
        pixels[x, y] for x in range(image.width) for y in range(image.height)
    ).most_common(1)[0][0]
    inked_pixels = [
        [abs(pixels[x, y] - background) > 60 for y in range(image.height)]
        for x in range(image.width)
    ]
    heights = [sum(column) for column in inked_pixels]
    inked = [x for x, h in enumerate(heights) if h]
    if not inked:
        return None
    first, last = inked[0], inked[-1]
    rows = [y for y in range(image.height) if any(column[y] for column in inked_pixels)]
    return Ink(
        left + first / scale,
        left + (last + 1) / scale,
        top + rows[0] / scale,
        top + (rows[-1] + 1) / scale,
        heights[first : last + 1],
    )

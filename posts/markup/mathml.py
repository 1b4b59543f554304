"""TeX to MathML on the server, so reading a post needs no JavaScript.

`tex_to_mathml()` wraps latex2mathml and papers over the gaps found while testing what ML writing
uses:

* `aligned`, bare `align`, `equation`, `gather`/`gathered` environments are rewritten to ones
  latex2mathml knows (`align*`, `array`); `\\label`, `\\nonumber`, `\\notag` are dropped.
* `\\arg\\max`/`\\arg\\min` become one operator "arg max"/"arg min"; `\\operatorname*` is treated
  as `\\operatorname`; `\\Vert` as `\\|`.
* latex2mathml returns unescaped text (`\\text{<b>}` would come back as a raw tag), so we take its
  element tree and serialize it ourselves with proper escaping.
* Relation and fence symbols it emits as `<mi>` (`\\sim`, `\\langle`, `\\implies`...) become `<mo>`.
* `\\utilde{x}` comes back as a stray U+0330 before its argument: it becomes a tilde under it.
* In display mode, limits of big operators (`\\sum`, `\\prod`, `\\lim`, `\\max`, `arg max`...) go
  under and over the operator, as LaTeX typesets them.

A formula that latex2mathml cannot convert -- it raises, or it passes an unknown command through
as text, or it silently drops an unknown environment -- yields `ok=False`; the caller shows
`fallback_html()` instead. Nothing here raises.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from html import escape
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element

from posts.markup.math_alphabets import has_styled_form, styled

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
MAX_TEX_LENGTH = 20_000
MAX_BRACE_DEPTH = 60

# Environments latex2mathml renders, after our rewrites below.
SUPPORTED_ENVIRONMENTS = frozenset(
    {"align*", "split", "cases", "array", "smallmatrix", "substack"}
    | {
        f"{m}{star}"
        for m in ("matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix")
        for star in ("", "*")
    }
)

# Commands that are either unsafe in a browser (links, styles, classes) or rely on macro state.
REFUSED_COMMANDS = frozenset(
    {
        "href",
        "url",
        "style",
        "class",
        "cssId",
        "def",
        "newcommand",
        "renewcommand",
        "let",
        "require",
        "html",
        "htmlClass",
        "htmlId",
        "htmlStyle",
        "unicode",
        "colorbox",
        "fcolorbox",
        "pagecolor",
    }
)

BIG_OPERATORS = frozenset(
    {
        *("\u2211", "\u220f", "\u2210", "\u22c3", "\u22c2", "\u2a01", "\u2a02", "\u2a00"),
        *("\u22c1", "\u22c0", "\u2a04", "\u2a06"),
        *("lim", "max", "min", "sup", "inf", "limsup", "liminf", "det", "gcd", "Pr"),
        *("argmax", "argmin", "arg max", "arg min", "lim sup", "lim inf"),
    }
)

_ENTITY = re.compile(r"&#x([0-9A-Fa-f]+);|&#([0-9]+);")
_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")
_ENV = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")
_COMMAND = re.compile(r"\\([A-Za-z]+)")

_REWRITES = (
    (
        re.compile(
            r"\\(begin|end)\s*\{(?:aligned|align|alignedat|alignat\*?|eqnarray\*?)\}"
            r"(?:\{\d+\})?"
        ),
        r"\\\1{align*}",
    ),
    (re.compile(r"\\begin\s*\{(?:gathered|gather\*?)\}"), r"\\begin{array}{c}"),
    (re.compile(r"\\end\s*\{(?:gathered|gather\*?)\}"), r"\\end{array}"),
    (re.compile(r"\\(?:begin|end)\s*\{equation\*?\}"), ""),
    (re.compile(r"\\label\s*\{[^{}]*\}|\\nonumber\b|\\notag\b"), ""),
    (re.compile(r"\\arg\s*\\(max|min)(?![A-Za-z])"), r"\\operatorname{arg\1}"),
    (re.compile(r"\\arg(?![A-Za-z])"), r"\\operatorname{arg}"),
    (re.compile(r"\\operatorname\*"), r"\\operatorname"),
    (re.compile(r"\\Vert(?![A-Za-z])"), r"\\|"),
    # `\sum\nolimits_i`: a braced operator keeps its limits beside it, even in display.
    (re.compile(r"(\\[A-Za-z]+)\s*\\nolimits(?![A-Za-z])"), r"{\1}"),
)

_OPERATOR_SPELLING = {"argmax": "arg\u2009max", "argmin": "arg\u2009min"}
# Elements that need exactly this many children (a `\\frac{1}` yields an <mfrac> with one).
_ARITY = {
    "mfrac": 2,
    "msub": 2,
    "msup": 2,
    "msubsup": 3,
    "munder": 2,
    "mover": 2,
    "munderover": 3,
    "mroot": 2,
}
_SCRIPT_TO_LIMITS = {"msub": "munder", "msup": "mover", "msubsup": "munderover"}


@dataclass(frozen=True)
class MathResult:
    html: str
    ok: bool
    error: str = ""


def tex_to_mathml(tex: str, *, display: bool = False) -> MathResult:
    """Convert one formula (without its `$` delimiters) to a `<math>` element as HTML."""
    source = tex.strip()
    if not source:
        return MathResult(fallback_html(tex, display=display), False, "empty formula")
    problem = _refuse(source)
    if problem:
        return MathResult(fallback_html(tex, display=display), False, problem)
    body, number = _equation_number(source) if display else (source, None)
    prepared = _prepare(body)
    try:
        root = convert_to_element(prepared, display="block" if display else "inline")
    except (Exception, RecursionError) as exc:  # latex2mathml raises many kinds of errors
        return MathResult(fallback_html(tex, display=display), False, type(exc).__name__)
    try:
        _tidy(root, display=display)
        unknown = _find_problem(root)
        if unknown:
            return MathResult(fallback_html(tex, display=display), False, unknown)
        return MathResult(_serialize_math(root, source, display) + _number_html(number), True)
    except UnknownColor as exc:
        return MathResult(fallback_html(tex, display=display), False, f"unknown colour {exc}")
    except Exception as exc:  # pragma: no cover - defensive: tidy/serialize are our own code
        return MathResult(fallback_html(tex, display=display), False, type(exc).__name__)


_TAG = re.compile(r"\\tag(\*?)\s*\{([^{}]*)\}")
_NUMBERED = re.compile(r"\\begin\s*\{equation\}")
AUTO_NUMBER = ""  # `_number_html(AUTO_NUMBER)`: numbered by a CSS counter, in order on the page


def _equation_number(tex: str) -> tuple[str, str | None]:
    """The formula without its `\\tag{...}`, and the tag: "(3)" (`\\tag*{3}` is "3"),
    `AUTO_NUMBER` for `\\begin{equation}` (not starred), or None. (`align` and `gather`
    number each row in TeX; here they are numbered only by `\\tag`.)"""
    found = _TAG.search(tex)
    if found:
        star, label = found.groups()
        label = label.strip()
        return tex[: found.start()] + tex[found.end() :], label if star else f"({label})"
    if _NUMBERED.search(tex) and not re.search(r"\\nonumber\b|\\notag\b", tex):
        return tex, AUTO_NUMBER
    return tex, None


def _number_html(number: str | None) -> str:
    """The equation number, right of a display formula (HTML, outside the `<math>`)."""
    if number is None:
        return ""
    if number == AUTO_NUMBER:
        return '<span class="math-tag math-autonumber"></span>'
    return f'<span class="math-tag">{escape(number, quote=False)}</span>'


def fallback_html(tex: str, *, display: bool = False) -> str:
    """The formula's source, visibly marked as not rendered."""
    return (
        '<code class="math-fallback" title="Formula could not be rendered">'
        f"{escape(tex.strip(), quote=False)}</code>"
    )


def _refuse(tex: str) -> str:
    if len(tex) > MAX_TEX_LENGTH:
        return "formula too long"
    depth = deepest = 0
    for char in tex:
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth -= 1
    if deepest > MAX_BRACE_DEPTH:
        return "formula nested too deeply"
    for name in _COMMAND.findall(tex):
        if name in REFUSED_COMMANDS:
            return f"unsupported \\{name}"
    for _, env in _ENV.findall(_prepare(tex)):
        if env.strip() not in SUPPORTED_ENVIRONMENTS:
            return f"unsupported environment {env}"
    return ""


def _prepare(tex: str) -> str:
    for pattern, replacement in _REWRITES:
        tex = pattern.sub(replacement, tex)
    return tex


def _decode(text: str | None) -> str | None:
    """latex2mathml stores symbols as entity strings (`&#x0003D;`); turn them into characters."""
    if not text or "&#" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ENTITY.sub(char, text)


def _is_operator_symbol(text: str) -> bool:
    return len(text) == 1 and unicodedata.category(text) in {"Sm", "Ps", "Pe", "So"}


def _tidy(root: Element, *, display: bool) -> None:
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in root.iter():
        _mark_upright(element)
        if element.tag == "mi" and element.text == "&#x00026;":  # \&, not a stray column tab
            element.tag = "mo"
        element.text = _decode(element.text)
        element.tail = _decode(element.tail)
        tag = element.tag
        if tag == "mi" and element.text and _is_operator_symbol(element.text):
            element.tag = "mo"
            if element.text == "~":  # \sim
                element.text = "\u223c"
        if element.tag == "mo" and element.text in _OPERATOR_SPELLING:
            element.text = _OPERATOR_SPELLING[element.text]
        if element.tag == "mo" and element.text in _ESCAPED_FENCES:  # \Big\{, \big\langle...
            element.text = _ESCAPED_FENCES[element.text]
        if element.tag == "mo" and "minsize" in element.attrib:  # \big...: minsize needs stretchy
            _fixed_delimiter_size(element)
        if element.text == "\u25fb":  # \square: the served font has U+25A1
            element.text = "\u25a1"
        _apply_mathvariant(element)
        _convert_units(element)
    for element in list(root.iter()):
        _under_tilde(element)
    for element in list(root.iter()):
        _extensible_arrow(element)
        _unary_signs(element)
        _primes(element)
        _isolate_fixed_delimiters(element)
        _limits(element, display=display)
        _accent(element)
        _table_layout(element, parents)
        _color(element)
        _negations(element)
        _operator_names(element)
        if element.tag == "menclose" and element.get("notation") == "box":
            element.set("class", "math-boxed")


# `\mathrm{d}` comes back as `<mi>&#x00064;</mi>` (a plain letter, entity-encoded), a bare `d` as
# `<mi>d</mi>`: only the first is upright in TeX.
_ENCODED_ASCII_LETTER = re.compile(r"&#x0*(4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa]);")


def _mark_upright(element: Element) -> None:
    if (
        element.tag == "mi"
        and element.text
        and _ENCODED_ASCII_LETTER.fullmatch(element.text)
        and "mathvariant" not in element.attrib
    ):
        element.set("mathvariant", "normal")


_ESCAPED_FENCES = {
    "\\{": "{",
    "\\}": "}",
    "\\lbrace": "{",
    "\\rbrace": "}",
    "\\|": "\u2016",
    "\\Vert": "\u2016",
    "\\lVert": "\u2016",
    "\\rVert": "\u2016",
    "\\vert": "|",
    "\\lvert": "|",
    "\\rvert": "|",
    "\\langle": "\u27e8",
    "\\rangle": "\u27e9",
    "\\lfloor": "\u230a",
    "\\rfloor": "\u230b",
    "\\lceil": "\u2308",
    "\\rceil": "\u2309",
    "\\lbrack": "[",
    "\\rbrack": "]",
    "\\uparrow": "\u2191",
    "\\downarrow": "\u2193",
    "\\backslash": "\\",
}


def _fixed_delimiter_size(element: Element) -> None:
    """\\big (1.2em) ... \\Bigg (2.47em): TeX takes the font's first size at least that tall and
    ignores what the delimiter encloses. A maxsize equal to minsize would make Chromium take a
    smaller size when the font has none in between, so allow the next size up (LM Math's
    sizes for `(` are 1.2, 1.8, 2.1 and 3 em)."""
    found = re.fullmatch(r"([\d.]+)em", element.get("minsize", ""))
    element.set("stretchy", "true")
    # An Open, Close or Ord atom: no space of its own (inside an mrow Chromium would take a
    # `(` that is not first for an infix operator and space it).
    element.set("lspace", "0em")
    element.set("rspace", "0em")
    if found:
        element.set("maxsize", f"{float(found.group(1)) * 1.25:.3f}em")


def _apply_mathvariant(element: Element) -> None:
    """Chromium ignores every `mathvariant` but "normal": use the styled Unicode letters."""
    variant = element.get("mathvariant")
    if not variant or variant == "normal" or not element.text:
        return
    if element.tag in {"mi", "mn", "mo"} and has_styled_form(element.text, variant):
        element.text = styled(element.text, variant)
        del element.attrib["mathvariant"]
        if element.tag == "mo":
            element.tag = "mi"


_MU = re.compile(r"^(-?\d*\.?\d+)\s*mu$")


def _convert_units(element: Element) -> None:
    """`\\mkern3mu`: browsers know no "mu" (1/18 em)."""
    for name in ("width", "lspace", "rspace"):
        value = element.get(name)
        found = _MU.match(value) if value else None
        if found:
            element.set(name, f"{float(found.group(1)) / 18:.4f}em")


_SIGNS = {"\u2212", "+", "\u00b1", "\u2213", "-"}


def _unary_signs(element: Element) -> None:
    """`(-x`, `= -1`: TeX sets a sign after an opening delimiter, a relation or another operator
    as unary, with no space; Chromium takes any `-` inside a row for a spaced infix one."""
    children = list(element)
    for previous, current in itertools.pairwise(children):
        if current.tag != "mo" or current.text not in _SIGNS or "form" in current.attrib:
            continue
        if _ends_with_operator(previous):
            current.set("form", "prefix")


def _ends_with_operator(element: Element) -> bool:
    """An opening fence (also a `\\big(` wrapper), a relation or a binary operator."""
    while element.tag == "mrow" and len(element):
        element = (
            element[0] if element[0].tag == "mo" and "minsize" in element[0].attrib else element[-1]
        )
    if element.tag != "mo" or not element.text:
        return False
    text = element.text
    return text in _OPENING or (len(text) == 1 and unicodedata.category(text) == "Sm")


_PRIMES = re.compile("[\u2032\u2033\u2034\u2057]+")


def _primes(element: Element) -> None:
    """`f'`: Latin Modern's U+2032 is drawn raised already; as a superscript it comes out tiny
    and floating, so the prime follows its base on the baseline."""
    if (element.tag, len(element)) not in {("msup", 2), ("msubsup", 3)}:
        return
    script = element[-1]
    while script.tag == "mrow" and len(script) == 1:
        script = script[0]
    if script.tag == "mrow" and len(script) > 1 and _PRIMES.fullmatch(script[0].text or ""):
        # \theta'^2: theta, then the prime, the 2 as its superscript
        prime = Element("mo", {"lspace": "0em", "rspace": "0em"})
        prime.text = script[0].text
        script.remove(script[0])
        primed = Element("mrow")
        primed.extend([element[0], prime])
        element.remove(element[0])
        element.insert(0, primed)
        return
    if script.tag in {"mi", "mo"} and not len(script) and _PRIMES.fullmatch(script.text or ""):
        prime = Element("mo", {"lspace": "0em", "rspace": "0em"})
        prime.text = script.text
        element.remove(element[-1])
        if element.tag == "msup":  # f': f then the prime
            element.tag = "mrow"
            element.append(prime)
        else:  # x'_i: x, the prime, then the subscript
            primed = Element("mrow")
            primed.extend([element[0], prime])
            element.remove(element[0])
            element.insert(0, primed)
            element.tag = "msub"


def _isolate_fixed_delimiters(element: Element) -> None:
    """Each `\\big(`... in an mrow of its own (with an empty mi): Chromium stretches an operator
    to the height of its siblings, TeX gives \\big a fixed size whatever it encloses. (It also
    sizes a script's base `\\big\\|_2` only this way.)"""
    for index, child in enumerate(list(element)):
        if child.tag == "mo" and "minsize" in child.attrib:
            wrapper = Element("mrow")
            wrapper.tail, child.tail = child.tail, None
            element.remove(child)
            wrapper.append(child)
            # An mrow of one operator is itself an operator that stretches with its siblings; an
            # empty identifier beside it keeps it an ordinary box.
            wrapper.append(Element("mi"))
            element.insert(index, wrapper)


def _limits(element: Element, *, display: bool) -> None:
    if element.tag in _SCRIPT_TO_LIMITS and len(element) and display:
        base = element[0]
        name = (base.text or "").replace("\u2009", " ")
        if base.tag == "mo" and (name in BIG_OPERATORS or base.text in BIG_OPERATORS):
            element.tag = _SCRIPT_TO_LIMITS[element.tag]
    elif element.tag in {"munder", "mover", "munderover"} and len(element) and not display:
        base = element[0]
        if base.tag == "mo" and base.text in BIG_OPERATORS:  # \sum\limits in inline math
            base.set("movablelimits", "false")


# Accents, measured in Chromium with Latin Modern Math: a spacing accent (U+02C6...) is centred
# over its base but never stretches; the font's stretchy variants are on the combining marks
# (U+0302...), which Chromium places well only when they stretch. So \hat is U+02C6 and
# \widehat U+0302 stretchy; \overline and \underline are a rule drawn by the stylesheet.
# A tilde cannot stretch at all: Chromium stretches sideways only the characters its operator
# dictionary lists as horizontal (U+007E and U+02DC are, U+0303 is not: it is taken as vertical),
# and the font has sizes for U+0303 only. So \widetilde over more than one letter keeps a U+02DC
# for readers without the stylesheet and the stylesheet draws the tilde across the base
# (`math-widetilde`); over one letter it is \tilde's glyph, as in TeX. \utilde is the same tilde
# under its base (`_under_tilde`). An arrow under its base is U+2192 (U+2190, U+2194) itself,
# the arrow amsmath's \underrightarrow sets: Chromium stretches none of the font's combining
# arrows below (U+20EE, U+20EF, U+034D).
_ARROW_ACCENTS = {"\u2192": "\u20d7", "\u2190": "\u20d6", "\u2194": "\u20e1"}
_FIXED_ACCENTS = {
    "\u02d9": "\u02d9",  # \dot
    "\u00a8": "\u00a8",  # \ddot
    "\u02c7": "\u02c7",  # \check
    "\u02d8": "\u02d8",  # \breve
    "\u00b4": "\u00b4",  # \acute
    "`": "\u02cb",  # \grave
    "\u02da": "\u02da",  # \mathring
    "\u00af": "\u00af",  # \bar
}


def _under_tilde(element: Element) -> None:
    """`\\utilde{x}` comes back as a U+0330 before its argument: make it the argument with a
    tilde under it (`_accent` makes that \\widetilde's tilde). A superscript or subscript of the
    argument (`\\utilde{x}^2`) stays outside, on the marked base, as in TeX."""
    for index in range(len(element) - 2, -1, -1):
        mark, argument = element[index], element[index + 1]
        if mark.tag != "mi" or mark.text != "\u0330" or len(mark):
            continue
        holder, position = (argument, 0) if argument.tag in _SCRIPTED else (element, index + 1)
        tilde = Element("mo")
        tilde.text = "~"
        marked = Element("munder", {"accentunder": "true"})
        marked.extend([holder[position], tilde])
        holder[position] = marked
        element.remove(mark)


def _accent(element: Element) -> None:
    if element.tag not in {"mover", "munder"} or len(element) != 2:
        return
    mark = element[1]
    if mark.tag != "mo" or not mark.text:
        return
    text = mark.text
    marked = element.get("accent") == "true" or mark.get("accent") == "true"
    if text == "\u2015" and marked:  # \overline, \underline
        element.set("class", "math-overline" if element.tag == "mover" else "math-underline")
        element.tag = "mrow"
        element.remove(mark)
        element.attrib.pop("accent", None)
        return
    if text == "^":
        char, stretchy = ("\u02c6", False) if marked else ("\u0302", True)
    elif text == "~":
        char, stretchy = "\u02dc", False
        if mark.get("stretchy") != "false" and _is_wide(element[0]):  # \widetilde{xy}
            mark.set("class", "math-widetilde")
    elif text in _ARROW_ACCENTS and element.tag == "mover":  # \vec, \overrightarrow
        char, stretchy = _ARROW_ACCENTS[text], True
    elif text in _ARROW_ACCENTS:  # \underrightarrow
        char, stretchy = text, True
    elif text in _FIXED_ACCENTS:
        char, stretchy = _FIXED_ACCENTS[text], False
    else:
        return
    mark.text = char
    mark.attrib.pop("accent", None)
    mark.set("stretchy", "true" if stretchy else "false")
    element.set("accentunder" if element.tag == "munder" else "accent", "true")


# \xrightarrow{f}: latex2mathml puts the arrow in an <mstyle> and each label in an <mpadded>
# whose width "+0.833em" Chromium reads as 0.833em (MathML Core has no relative widths): the
# label was clipped and the arrow kept its natural length. Chromium stretches an operator that is
# the base of an munder/mover to its widest script when the operator is stretchy and the font has
# its sizes (U+2190, U+2192, U+2194, U+21D0, U+21D2... have them), so the arrow becomes the base
# and each label gets TeX's room at its sides (5mu and 9mu in amsmath, split evenly).
_ARROW_LABEL_PAD = "0.3889em"  # 7mu of the label's (script) size


def _extensible_arrow(element: Element) -> None:
    if element.tag not in {"mover", "munder", "munderover"} or len(element) < 2:
        return
    base, labels = element[0], list(element)[1:]
    if (
        base.tag != "mstyle"
        or len(base) != 1
        or base[0].tag != "mo"
        or not all(label.tag == "mpadded" for label in labels)
    ):
        return
    arrow = base[0]
    arrow.set("stretchy", "true")
    element.remove(base)
    element.insert(0, arrow)
    for index, label in enumerate(labels, start=1):
        padded = Element("mrow")
        content = [c for c in label if not (c.tag == "mspace" and "width" not in c.attrib)]
        if any(len(c) or (c.text or "").strip() for c in content):
            padded.append(Element("mspace", {"width": _ARROW_LABEL_PAD}))
            padded.extend(content)
            padded.append(Element("mspace", {"width": _ARROW_LABEL_PAD}))
        element.remove(label)
        element.insert(index, padded)


def _is_wide(element: Element) -> bool:
    """More than one letter (or anything else with content): what a wide accent spans."""
    return not _is_single_letter(element) and bool(len(element) or (element.text or "").strip())


def _is_single_letter(element: Element) -> bool:
    while element.tag == "mrow" and len(element) == 1:
        element = element[0]
    return element.tag in {"mi", "mn"} and len(element.text or "") == 1 and not len(element)


def _table_layout(element: Element, parents: dict[Element, Element]) -> None:
    """Chromium ignores `columnalign`, `columnspacing`, `columnlines`, `rowlines`: say it in
    classes that `static/css/math.css` lays out (an aligned block's columns pair up right/left
    with no gap between the two halves of a relation)."""
    if element.tag != "mtable":
        return
    spacing = (element.get("columnspacing") or "").split()
    parent = parents.get(element)
    if spacing[:1] == ["0em"]:
        kind = "math-align"
    elif parent is not None and parent.tag == "mstyle" and parent.get("scriptlevel") == "1":
        kind = "math-small"
    elif (
        parent is not None
        and len(parent)
        and parent[0].tag == "mo"
        and parent[0].text == "{"
        and parent[0].get("fence") == "true"
    ):
        kind = "math-cases"
    else:
        kind = "math-matrix"
    element.set("class", kind)
    columnlines = (element.get("columnlines") or "").split()
    rowlines = (element.get("rowlines") or "").split()
    for row_index, row in enumerate(r for r in element if r.tag == "mtr"):
        row_classes = []
        if row_index < len(rowlines) and rowlines[row_index] == "solid":
            row_classes.append("math-rule-above")
        if row_classes:
            row.set("class", " ".join(row_classes))
        for column, cell in enumerate(c for c in row if c.tag == "mtd"):
            classes = [_ALIGN_CLASS.get(cell.get("columnalign", ""), "")]
            if column < len(columnlines) and columnlines[column] == "solid":
                classes.append("math-rule-after")
            classes = [c for c in classes if c]
            if classes:
                cell.set("class", " ".join(classes))


_ALIGN_CLASS = {"left": "math-left", "right": "math-right", "center": ""}

# \color and \textcolor: names a writer may use, each drawn from the site's palette so it stays
# readable in the light and the dark theme; other names and hex values map to the nearest one.
MATH_COLORS = {
    "red": (200, 40, 40),
    "orange": (220, 120, 20),
    "yellow": (190, 150, 0),
    "green": (30, 140, 60),
    "teal": (0, 130, 130),
    "cyan": (0, 150, 190),
    "blue": (40, 90, 210),
    "purple": (130, 60, 180),
    "magenta": (190, 40, 150),
    "brown": (140, 80, 40),
    "gray": (120, 120, 120),
}
COLOR_ALIASES = {
    "grey": "gray",
    "violet": "purple",
    "pink": "magenta",
    "maroon": "red",
    "crimson": "red",
    "darkred": "red",
    "navy": "blue",
    "darkblue": "blue",
    "royalblue": "blue",
    "olive": "green",
    "darkgreen": "green",
    "lime": "green",
    "forestgreen": "green",
    "aqua": "cyan",
    "turquoise": "teal",
    "gold": "yellow",
    "darkorange": "orange",
    "fuchsia": "magenta",
    "black": "",
    "white": "",
}
_HEX_COLOR = re.compile(r"^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")


# Every class this module writes (layout and colour for static/css/math.css); the sanitizer's
# allow-list includes them.
MATH_CLASSES = frozenset(
    [
        "math-align",
        "math-autonumber",
        "math-boxed",
        "math-cases",
        "math-fallback",
        "math-left",
        "math-matrix",
        "math-overline",
        "math-right",
        "math-rule-above",
        "math-rule-after",
        "math-small",
        "math-tag",
        "math-underline",
        "math-widetilde",
        *(f"math-color-{name}" for name in MATH_COLORS),
    ]
)


class UnknownColor(ValueError):
    pass


def color_class(value: str) -> str:
    """The class for a `\\color{value}`: "" (the text colour) for black and white; raises
    UnknownColor for anything outside the allow-list."""
    name = value.strip().lower()
    if name in MATH_COLORS:
        return f"math-color-{name}"
    if name in COLOR_ALIASES:
        alias = COLOR_ALIASES[name]
        return f"math-color-{alias}" if alias else ""
    found = _HEX_COLOR.match(name)
    if not found:
        raise UnknownColor(value)
    digits = found.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    rgb = tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    if max(rgb) - min(rgb) < 40:  # grey, black or white: the text colour or grey
        return "math-color-gray" if 60 < sum(rgb) / 3 < 200 else ""
    nearest = min(MATH_COLORS, key=lambda n: _hue_distance(rgb, MATH_COLORS[n]))
    return f"math-color-{nearest}"


def _hue_distance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    import colorsys

    ha, la, sa = colorsys.rgb_to_hls(*(c / 255 for c in a))
    hb, lb, sb = colorsys.rgb_to_hls(*(c / 255 for c in b))
    hue = min(abs(ha - hb), 1 - abs(ha - hb))
    return hue * 4 + abs(la - lb) + abs(sa - sb) * 0.5


def _color(element: Element) -> None:
    value = element.attrib.pop("mathcolor", None)
    if value is None:
        return
    css_class = color_class(value)
    if css_class:
        element.set("class", css_class)


def _negations(element: Element) -> None:
    """`\\not=` comes back as a zero-width slash before the `=`: make it one negated character."""
    children = list(element)
    for first, second in itertools.pairwise(children):
        if (
            first.tag == "mpadded"
            and first.get("width") == "0"
            and len(first) == 1
            and first[0].tag == "mtext"
            and first[0].text == "\u29f8"
            and second.tag == "mo"
            and second.text
        ):
            second.text = unicodedata.normalize("NFC", second.text + "\u0338")
            element.remove(first)


_SCRIPTED = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
_OPENING = {"(", "[", "{", "|", "\u2016", "\u27e8", "\u230a", "\u2308"}


def _operator_names(element: Element) -> None:
    """`\\log x`, `\\max_i x`, `\\operatorname{softmax}`: upright names with TeX's thin space
    after them (none before an opening fence: `\\log(x)`)."""
    if element.tag in _SCRIPTED:  # its base is handled with the parent's children
        return
    children = list(element)
    for index, child in enumerate(children):
        name = child
        if child.tag in {"msub", "msup", "msubsup", "munder", "mover", "munderover"} and len(child):
            name = child[0]
        text = name.text or ""
        if len(text) < 2 or not text.replace("\u2009", "").replace(" ", "").isalpha():
            continue
        if name.tag == "mo":
            name.set("lspace", "0.1667em" if index else "0em")
            following = children[index + 1] if index + 1 < len(children) else None
            opens = following is not None and _opens(following)
            name.set("rspace", "0em" if opens or following is None else "0.1667em")
            name.set("movablelimits", "true")
        elif name.tag == "mi":
            # TeX's thin space between an operator name and an ordinary atom, on either side.
            following = children[index + 1] if index + 1 < len(children) else None
            if following is not None and not _opens(following) and not _is_space_or_op(following):
                element.insert(list(element).index(child) + 1, _thin_space())
            preceding = children[index - 1] if index else None
            if preceding is not None and not _is_space_or_op(preceding):
                element.insert(list(element).index(child), _thin_space())


def _thin_space() -> Element:
    return Element("mspace", {"width": "0.1667em"})


def _is_space_or_op(element: Element) -> bool:
    while element.tag in _SCRIPTED and len(element):
        element = element[0]
    return element.tag in {"mo", "mspace", "mtext"}


def _opens(element: Element) -> bool:
    while element.tag in {"mrow", "msub", "msup", "msubsup"} and len(element):
        element = element[0]
    return element.tag == "mo" and (element.text or "") in _OPENING


def _find_problem(root: Element) -> str:
    for element in root.iter():
        if element.tag == "mi" and element.text == "&":  # an alignment tab outside an environment
            return "&"
        if element.tag in _ARITY and len(element) != _ARITY[element.tag]:
            return f"incomplete {element.tag}"
        for text in (element.text, element.tail):
            if text:
                found = _UNKNOWN_COMMAND.search(text)
                if found:
                    return found.group(0)
    return ""


def _serialize(element: Element, out: list[str]) -> None:
    out.append(f"<{element.tag}")
    for name, value in element.attrib.items():
        out.append(f' {name}="{escape(str(value), quote=True)}"')
    out.append(">")
    if element.text:
        out.append(escape(element.text, quote=False))
    for child in element:
        _serialize(child, out)
        if child.tail:
            out.append(escape(child.tail, quote=False))
    out.append(f"</{element.tag}>")


def _serialize_math(root: Element, tex: str, display: bool) -> str:
    """`<math>` with the presentation in `<semantics>` and the TeX source as an annotation."""
    out = [
        f'<math xmlns="{MATHML_NS}" display="{"block" if display else "inline"}">',
        "<semantics>",
    ]
    children = list(root)
    if len(children) == 1:
        _serialize(children[0], out)
    else:
        out.append("<mrow>")
        for child in children:
            _serialize(child, out)
        out.append("</mrow>")
    out.append(f'<annotation encoding="application/x-tex">{escape(tex, quote=False)}</annotation>')
    out.append("</semantics></math>")
    return "".join(out)

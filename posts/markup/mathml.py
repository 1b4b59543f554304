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
* In display mode, limits of big operators (`\\sum`, `\\prod`, `\\lim`, `\\max`, `arg max`...) go
  under and over the operator, as LaTeX typesets them.

A formula that latex2mathml cannot convert -- it raises, or it passes an unknown command through
as text, or it silently drops an unknown environment -- yields `ok=False`; the caller shows
`fallback_html()` instead. Nothing here raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import escape
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element

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
        "color",
        "textcolor",
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
    prepared = _prepare(source)
    try:
        root = convert_to_element(prepared, display="block" if display else "inline")
    except (Exception, RecursionError) as exc:  # latex2mathml raises many kinds of errors
        return MathResult(fallback_html(tex, display=display), False, type(exc).__name__)
    try:
        _tidy(root, display=display)
        unknown = _find_problem(root)
        if unknown:
            return MathResult(fallback_html(tex, display=display), False, unknown)
        return MathResult(_serialize_math(root, source, display), True)
    except Exception as exc:  # pragma: no cover - defensive: tidy/serialize are our own code
        return MathResult(fallback_html(tex, display=display), False, type(exc).__name__)


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
    for element in root.iter():
        element.text = _decode(element.text)
        element.tail = _decode(element.tail)
        tag = element.tag
        if tag == "mi" and element.text and _is_operator_symbol(element.text):
            element.tag = "mo"
            if element.text == "~":  # \sim
                element.text = "\u223c"
        if tag == "mo" and element.text in _OPERATOR_SPELLING:
            element.text = _OPERATOR_SPELLING[element.text]
    if display:
        for element in root.iter():
            if element.tag in _SCRIPT_TO_LIMITS and len(element):
                base = element[0]
                name = (base.text or "").replace("\u2009", " ")
                if base.tag == "mo" and (name in BIG_OPERATORS or base.text in BIG_OPERATORS):
                    element.tag = _SCRIPT_TO_LIMITS[element.tag]


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

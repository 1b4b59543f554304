"""The Unicode math alphanumerics (U+1D400-U+1D7FF and the letterlike holes) for `mathvariant`.

Chromium implements only `mathvariant="normal"` (MathML Core); a bold, double-struck or script
letter has to be its own character. `styled("x", "bold-italic")` is U+1D499. Characters without a
styled form (punctuation, most symbols) are returned unchanged.
"""

from __future__ import annotations

import unicodedata
from functools import cache

# mathvariant -> the words of the Unicode character names ("MATHEMATICAL BOLD ITALIC SMALL X").
VARIANT_NAMES = {
    "bold": "BOLD",
    "italic": "ITALIC",
    "bold-italic": "BOLD ITALIC",
    "double-struck": "DOUBLE-STRUCK",
    "script": "SCRIPT",
    "bold-script": "BOLD SCRIPT",
    "fraktur": "FRAKTUR",
    "bold-fraktur": "BOLD FRAKTUR",
    "sans-serif": "SANS-SERIF",
    "bold-sans-serif": "SANS-SERIF BOLD",
    "sans-serif-italic": "SANS-SERIF ITALIC",
    "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC",
    "monospace": "MONOSPACE",
}

# Letters encoded before the math block was made (its slots for them are unassigned).
_HOLES = {
    ("italic", "h"): "\u210e",
    **{
        ("script", c): chr(u)
        for c, u in zip(
            "BEFHILMR",
            (0x212C, 0x2130, 0x2131, 0x210B, 0x2110, 0x2112, 0x2133, 0x211B),
            strict=True,
        )
    },
    **{("script", c): chr(u) for c, u in zip("ego", (0x212F, 0x210A, 0x2134), strict=True)},
    **{
        ("fraktur", c): chr(u)
        for c, u in zip("CHIRZ", (0x212D, 0x210C, 0x2111, 0x211C, 0x2128), strict=True)
    },
    **{
        ("double-struck", c): chr(u)
        for c, u in zip(
            "CHNPQRZ", (0x2102, 0x210D, 0x2115, 0x2119, 0x211A, 0x211D, 0x2124), strict=True
        )
    },
}

# Greek (and a few symbols) as their names appear after "MATHEMATICAL <VARIANT> ".
_SYMBOL_NAMES = {
    "\u2207": "NABLA",
    "\u2202": "PARTIAL DIFFERENTIAL",
    "\u03f5": "EPSILON SYMBOL",
    "\u03d1": "THETA SYMBOL",
    "\u03f0": "KAPPA SYMBOL",
    "\u03d5": "PHI SYMBOL",
    "\u03f1": "RHO SYMBOL",
    "\u03d6": "PI SYMBOL",
    "\u03f4": "CAPITAL THETA SYMBOL",
}


@cache
def styled_char(char: str, variant: str) -> str:
    words = VARIANT_NAMES.get(variant)
    if words is None or len(char) != 1:
        return char
    if (variant, char) in _HOLES:
        return _HOLES[(variant, char)]
    try:
        name = unicodedata.name(char)
    except ValueError:
        return char
    if char in _SYMBOL_NAMES:
        tail = _SYMBOL_NAMES[char]
    elif name.startswith("LATIN CAPITAL LETTER ") and len(name) == 22:
        tail = "CAPITAL " + name[-1]
    elif name.startswith("LATIN SMALL LETTER ") and len(name) == 20:
        tail = "SMALL " + name[-1]
    elif name.startswith("DIGIT "):
        tail = name
    elif name.startswith("GREEK CAPITAL LETTER "):
        tail = "CAPITAL " + name.removeprefix("GREEK CAPITAL LETTER ")
    elif name.startswith("GREEK SMALL LETTER "):
        tail = "SMALL " + name.removeprefix("GREEK SMALL LETTER ")
    else:
        return char
    try:
        return unicodedata.lookup(f"MATHEMATICAL {words} {tail}")
    except KeyError:
        return char


def styled(text: str, variant: str) -> str:
    return "".join(styled_char(char, variant) for char in text)


def has_styled_form(text: str, variant: str) -> bool:
    return styled(text, variant) != text

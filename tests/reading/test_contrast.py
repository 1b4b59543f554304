"""Colour contrast of the reader pages, read from the stylesheets themselves, in both themes.

Every pair of text colour and background that the pages use reaches WCAG AA (4.5:1 for text, 3:1
for the focus ring), in the light and in the dark side of each `light-dark()` in site.css; and
every token colour of the generated code.css reaches 4.5:1 on the code background of its theme.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE_CSS = (ROOT / "static" / "css" / "site.css").read_text(encoding="utf-8")
CODE_CSS = (ROOT / "static" / "css" / "code.css").read_text(encoding="utf-8")

TEXT = 4.5
NON_TEXT = 3.0

# (foreground, background, minimum): the custom properties as the pages pair them.
PAIRS = [
    *[(fg, bg, TEXT) for fg in ("fg", "fg-soft", "muted", "link") for bg in ("bg", "bg-soft")],
    *[(fg, "bg-raised", TEXT) for fg in ("fg", "fg-soft", "muted", "link")],
    ("link-visited", "bg", TEXT),
    ("fg", "code-bg", TEXT),
    ("fg", "mark-bg", TEXT),
    ("fg", "note-bg", TEXT),
    ("warn-fg", "warn-bg", TEXT),
    ("error-fg", "bg", TEXT),
    ("bg", "fg", TEXT),  # the current page number and the newer/older buttons
    ("focus", "bg", NON_TEXT),
    ("focus", "bg-soft", NON_TEXT),
]


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette() -> dict[str, tuple[str, str]]:
    found = re.findall(
        r"--([\w-]+):\s*light-dark\((#[0-9a-fA-F]{3,6}),\s*(#[0-9a-fA-F]{3,6})\)", SITE_CSS
    )
    return {name: (light, dark) for name, light, dark in found}


def test_the_contrast_helper_agrees_with_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS, ids=lambda v: str(v))
def test_site_palette_contrast(theme, fg, bg, minimum):
    colours = palette()
    ratio = contrast(colours[fg][theme], colours[bg][theme])
    assert ratio >= minimum, f"--{fg} on --{bg}: {ratio:.2f}"


HEX = r"#[0-9a-fA-F]{3,6}"


def code_sections():
    """(background, {selector: colour}) of code.css for the light and for the dark theme: each
    colour is written once as `light-dark(light, dark)`."""
    sides = []
    for side in (1, 2):
        background = re.search(
            rf"^\.highlight {{[^}}]*background-color: light-dark\(({HEX}), ({HEX})\)",
            CODE_CSS,
            re.MULTILINE,
        ).group(side)
        colours = {
            selector: pair[side - 1]
            for selector, *pair in re.findall(
                rf"^(\.highlight \.[\w-]+) {{[^}}]*?(?<![-\w])color: "
                rf"light-dark\(({HEX}), ({HEX})\)",
                CODE_CSS,
                re.MULTILINE,
            )
        }
        sides.append((background, colours))
    return sides


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
def test_every_code_token_colour_is_readable(theme):
    background, colours = code_sections()[theme]
    assert len(colours) > 20
    weak = {
        selector: round(contrast(colour, background), 2)
        for selector, colour in colours.items()
        if contrast(colour, background) < TEXT
    }
    assert weak == {}

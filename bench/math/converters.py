"""Compare TeX-to-MathML converters on the corpus (bench/math/corpus.txt): coverage, time per
formula, and geometry in Chromium under the site's stylesheet and font (tests/e2e/math_geometry.py).

    python -m bench.math.converters [--temml PATH/temml.cjs] [--pandoc PATH/pandoc] [--json FILE]

* `ours`: `posts.markup.mathml.tex_to_mathml` (latex2mathml plus our post-processing);
* `latex2mathml`: the library alone (what the site served before);
* `temml`: Temml run by Node.js (`npm pack temml`, then point --temml at `package/dist/temml.cjs`);
* `texmath`: pandoc's converter, through `pandoc --mathml` (`apt-get download pandoc`); one pandoc
  run for the whole corpus, so its time per formula includes a share of the process start.

Each converter's MathML goes through the site's allow-list (`posts.markup.sanitize`, which drops
`style` attributes: the CSP forbids them) and is laid out with css/math.css and the served font.
A formula is covered when the converter returns MathML without an error and without a
passed-through macro (a backslash command left in the output's text). Times are the median of
`--repeat` runs over the corpus, divided by the number of formulas.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.math.geometry import HERE, load_checks, page_html

PASSED_THROUGH = re.compile(r">[^<]*\\[A-Za-z]+[^<]*<")
MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.S)


def _strip_annotation(mathml: str) -> str:
    return re.sub(r"<annotation\b.*?</annotation>", "", mathml, flags=re.S)


def run_ours(formulas, repeat):
    from posts.markup.mathml import tex_to_mathml

    times, outputs = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        outputs = [tex_to_mathml(f.tex, display=f.display) for f in formulas]
        times.append(time.perf_counter() - start)
    return times, [r.html if r.ok else None for r in outputs]


def run_latex2mathml(formulas, repeat):
    from latex2mathml.converter import convert

    def one(formula):
        try:
            return convert(formula.tex, display="block" if formula.display else "inline")
        except Exception:
            return None

    times, outputs = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        outputs = [one(f) for f in formulas]
        times.append(time.perf_counter() - start)
    return times, [html.unescape(o) if o else None for o in outputs]


_TEMML_SCRIPT = r"""
const temml = require(process.argv[2]);
const formulas = JSON.parse(require("fs").readFileSync(0, "utf8"));
const repeat = Number(process.argv[3]);
const times = [];
let outputs = [];
for (let r = 0; r < repeat; r++) {
  const start = process.hrtime.bigint();
  outputs = formulas.map(([tex, display]) => {
    try { return temml.renderToString(tex, { displayMode: display, throwOnError: true }); }
    catch (e) { return null; }
  });
  times.push(Number(process.hrtime.bigint() - start) / 1e9);
}
process.stdout.write(JSON.stringify({ times, outputs }));
"""


def run_temml(formulas, repeat, temml_path):
    with tempfile.NamedTemporaryFile("w", suffix=".cjs", delete=False) as script:
        script.write(_TEMML_SCRIPT)
    try:
        result = subprocess.run(
            ["node", script.name, str(Path(temml_path).resolve()), str(repeat)],
            input=json.dumps([[f.tex, f.display] for f in formulas]),
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    data = json.loads(result.stdout)
    return data["times"], data["outputs"]


def run_texmath(formulas, repeat, pandoc_path):
    marker = "FORMULA-SEPARATOR"
    source = f"\n\n{marker}\n\n".join(
        f"$${f.tex}$$" if f.display else f"${f.tex}$" for f in formulas
    )
    times, out = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            [pandoc_path, "-f", "markdown", "-t", "html", "--mathml"],
            input=source,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(time.perf_counter() - start)
        out = done.stdout
    pieces = out.split(marker)
    outputs = []
    for piece in pieces:
        found = MATH_ELEMENT.search(piece)
        outputs.append(found.group(0) if found else None)
    return times, outputs


def covered(output: str | None) -> bool:
    if not output or "<math" not in output or "merror" in output:
        return False
    return not PASSED_THROUGH.search(_strip_annotation(output))


def geometry(formulas, outputs, checks_module, root: Path):
    """The share passing the geometry checks, each converter's MathML laid out like ours."""
    from playwright.sync_api import sync_playwright

    from posts.markup.mathml import tex_to_mathml
    from posts.markup.sanitize import sanitize_html

    parts = [
        "<p>Reference: " + tex_to_mathml(r"\sum").html + " and " + tex_to_mathml("(").html + ".</p>"
    ]
    for formula, output in zip(formulas, outputs, strict=True):
        # Through the site's allow-list, as a stored post would be (it drops style attributes).
        shown = sanitize_html(output) if covered(output) else '<code class="math-fallback">x</code>'
        parts.append(
            f'<div class="math-display">{shown}</div>' if formula.display else f"<p>{shown}</p>"
        )
    page_source = page_html(root, "\n".join(parts), "light")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        path = Path(tmp) / "page.html"
        path.write_text(page_source, encoding="utf-8")
        browser = playwright.chromium.launch(
            executable_path=checks_module.CHROMIUM, args=checks_module.CHROMIUM_ARGS
        )
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(path.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        measured = checks_module.measure(page, formulas)
        browser.close()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--temml", help="path to temml.cjs (npm pack temml)")
    parser.add_argument("--pandoc", help="path to a pandoc binary")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-geometry", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogsite.settings.test")
    checks_module = load_checks()
    formulas = checks_module.load_corpus()
    runs = {
        "ours": lambda: run_ours(formulas, args.repeat),
        "latex2mathml": lambda: run_latex2mathml(formulas, args.repeat),
    }
    if args.temml:
        runs["temml"] = lambda: run_temml(formulas, args.repeat, args.temml)
    if args.pandoc:
        runs["texmath"] = lambda: run_texmath(formulas, max(1, args.repeat // 2), args.pandoc)
    report = {}
    for name, run in runs.items():
        times, outputs = run()
        good = sum(covered(o) for o in outputs)
        ms = statistics.median(times) / len(formulas) * 1000
        styles = sum(1 for o in outputs if o and ' style="' in o)
        row = {
            "covered": good,
            "formulas": len(formulas),
            "ms_per_formula": round(ms, 3),
            "outputs_with_style_attributes": styles,
        }
        if not args.no_geometry:
            measured = geometry(formulas, outputs, checks_module, HERE)
            row["geometry_all_checks"] = sum(m.ok for m in measured)
            row["geometry_without_font_check"] = sum(
                all(v for k, v in m.checks.items() if k != "served-font") for m in measured
            )
            row["by_check"] = checks_module.share_by_check(measured)
        report[name] = row
        print(
            f"{name:13} covered {good}/{len(formulas)} ({100 * good / len(formulas):.1f}%), "
            f"{ms:.3f} ms/formula, style attributes in {styles}"
            + (
                f", geometry {row['geometry_all_checks']}/{len(formulas)}"
                if "geometry_all_checks" in row
                else ""
            )
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()

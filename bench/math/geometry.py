"""Typeset the whole corpus (bench/math/corpus.txt) in Chromium and report, per construct, the
share of formulas that pass the geometry checks of tests/e2e/math_geometry.py.

    python -m bench.math.geometry [--theme dark] [--json FILE] [--show-failures] [--root DIR]

`--root` renders with another checkout's pipeline and stylesheets (e.g. main before the change),
measured with this checkout's checks.

The page is the post body as the pipeline renders it, with the site's stylesheets and the served
font, opened from a temporary file (no server needed); JavaScript is off.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]


def load_checks():
    """tests/e2e/math_geometry.py of this checkout, whatever `--root` puts first on sys.path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "math_geometry", HERE / "tests" / "e2e" / "math_geometry.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["math_geometry"] = module
    spec.loader.exec_module(module)
    return module


def page_html(root: Path, body: str, theme: str) -> str:
    css = "".join(
        f'<link rel="stylesheet" href="{(root / "static" / "css" / name).as_uri()}">'
        for name in ("site.css", "code.css", "math.css")
        if (root / "static" / "css" / name).exists()
    )
    return (
        f'<!doctype html><html lang="en" data-theme="{theme}"><head><meta charset="utf-8">{css}'
        '</head><body><main class="site-main"><article class="post">'
        f'<div class="post-body">{body}</div></article></main></body></html>'
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--theme", default="light", choices=["light", "dark"])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--root", type=Path, default=HERE)
    args = parser.parse_args()
    checks_module = load_checks()
    sys.path.insert(0, str(args.root.resolve()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogsite.settings.test")
    from playwright.sync_api import sync_playwright

    from posts.markup.render import render_markdown

    chromium = checks_module.CHROMIUM
    formulas = checks_module.load_corpus()
    body = render_markdown(checks_module.corpus_markdown(formulas)).html
    html = page_html(args.root.resolve(), body, args.theme)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        path = Path(tmp) / "corpus.html"
        path.write_text(html, encoding="utf-8")
        browser = playwright.chromium.launch(
            executable_path=chromium, args=checks_module.CHROMIUM_ARGS
        )
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": 1200, "height": 900}
        )
        page = context.new_page()
        page.goto(path.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        measured = checks_module.measure(page, formulas)
        browser.close()
    groups = checks_module.share_by_group(measured)
    checks = checks_module.share_by_check(measured)
    good = sum(m.ok for m in measured)
    print(f"{good}/{len(measured)} formulas pass every check ({100 * good / len(measured):.1f}%)")
    layout = sum(all(v for k, v in m.checks.items() if k != "served-font") for m in measured)
    print(f"{layout}/{len(measured)} pass every check but the served font's")
    for name, (ok, total) in groups.items():
        print(f"  group {name:16} {ok:4}/{total:<4} {100 * ok / total:5.1f}%")
    for name, (ok, total) in sorted(checks.items()):
        print(f"  check {name:16} {ok:4}/{total:<4} {100 * ok / total:5.1f}%")
    if args.show_failures:
        for m in measured:
            if not m.ok:
                print(f"FAIL [{m.formula.group}] {m.formula.tex}\n      {'; '.join(m.details)}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "groups": groups,
                    "checks": checks,
                    "all": [good, len(measured)],
                    "all_but_font": [layout, len(measured)],
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()

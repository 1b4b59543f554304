"""Screenshots of each reader page type, 1280 and 390 px wide, light and dark (docs/screenshots/).

Run against a running site with the demo content (`make run`, or any address):

    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8000

It also prints, per page, the site name's and the content column's x, so a layout that jumps
between page types shows at a glance.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
PAGES = {
    "home": "/",
    "post": "/posts/2019-09-05-evolution-strategies/",
    "tag": "/tags/reinforcement-learning/",
    "tags": "/tags/",
    "search": "/search/?q=gradient",
    "archive": "/archives/",
    "archive-year": "/archives/2019/",
    "series": "/series/",
    "404": "/no-such-page/",
}
VIEWPORTS = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
GEOMETRY = """() => {
  const x = (selector) => {
    const el = document.querySelector(selector);
    return el ? Math.round(el.getBoundingClientRect().x) : null;
  };
  const header = document.querySelector('.site-header-inner').getBoundingClientRect();
  return {
    title: x('.site-title'), main: x('.site-main > *'), headerHeight: Math.round(header.height),
  };
}"""


def main(base):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for viewport_name, viewport in VIEWPORTS.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base + path)
                    if scheme == "light":
                        print(viewport_name, name, page.evaluate(GEOMETRY))
                    page.screenshot(path=HERE / f"{name}-{viewport_name}-{scheme}.png")
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")

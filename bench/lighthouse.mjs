// Lighthouse 12 (its default mobile preset) on each reader page type, in the light and the dark
// colour scheme (prefers-color-scheme emulated), in Debian's Chromium. Results: docs/benchmarks.md.
//
//   npm install --prefix /tmp/lh lighthouse@12          # once; Lighthouse brings puppeteer-core
//   NODE_PATH=/tmp/lh/node_modules node bench/lighthouse.mjs https://your.site [out.json]
//
// Measure production: DJANGO_ENV=production behind nginx with the deployment's gzip settings
// (deploy/nginx/blogsite.conf), with the demo content (`manage.py load_demo`).
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(join(process.env.NODE_PATH || process.cwd(), "noop.js"));
const lighthouse = (await import(require.resolve("lighthouse"))).default;
const puppeteer = (await import(require.resolve("puppeteer-core"))).default;

const base = (process.argv[2] || "http://127.0.0.1:8000").replace(/\/$/, "");
const out = process.argv[3];
const PAGES = {
  home: "/",
  post: "/posts/2019-09-05-evolution-strategies/", // the demo's most math-heavy post
  tag: "/tags/reinforcement-learning/",
  tags: "/tags/",
  archive: "/archives/",
  "archive year": "/archives/2019/",
  series: "/series/",
  search: "/search/?q=gradient", // noindex by design: its SEO score stops at 66 (is-crawlable)
  // The 404 page is left out: Lighthouse scores no page that answers with an error status.
};
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox"],
});
const results = {};
for (const scheme of ["light", "dark"]) {
  for (const [name, path] of Object.entries(PAGES)) {
    // A run that could not measure (a null score: a protocol timeout on a loaded machine) is
    // tried again, up to three times; its error is kept if it never measures.
    let lhr;
    for (let attempt = 0; attempt < 3; attempt++) {
      const page = await browser.newPage();
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      ({ lhr } = await lighthouse(
        base + path,
        { output: "json", logLevel: "error", onlyCategories: CATEGORIES },
        undefined,
        page,
      ));
      await page.close();
      if (CATEGORIES.every((id) => lhr.categories[id].score !== null)) break;
    }
    const score = (id) => lhr.categories[id].score;
    const scores = Object.fromEntries(
      CATEGORIES.map((id) => [id, score(id) === null ? null : Math.round(score(id) * 100)]),
    );
    const failing = Object.entries(lhr.audits)
      .filter(([, a]) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
      .map(([id]) => id);
    if (lhr.runtimeError) failing.push(lhr.runtimeError.code);
    results[`${name} (${scheme})`] = { ...scores, failing };
    console.log(`${name} (${scheme})`.padEnd(22), JSON.stringify(scores), failing.join(" "));
  }
}
await browser.close();
if (out) writeFileSync(out, JSON.stringify({ lighthouse: "12", base, results }, null, 2) + "\n");

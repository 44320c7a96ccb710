// Runs axe-core (WCAG 2.0/2.1 A and AA, and best practices) on one page of each kind
// in each language, opened from disk (file://) in headless Chromium.
//
// usage: node tests/e2e/axe.mjs OUTPUT_DIR
//
// The pages: the language chooser (index.html and any other page at the top of the
// site), and in each language folder: its home page, every list page (<folder>/index.html),
// the first item page of every folder (a brief, a country, a journey, a counter-measure...;
// that covers search/ too) and the first free page (<lang>/<slug>.html).
// Fails listing every violation: rule, impact, page, target.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { launch, outDirFromArgs, deadline, listFiles, rel, printLimited, LANGUAGES } from "./lib.mjs";

deadline(420);
const started = Date.now();
const out = outDirFromArgs();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

// --- choose the pages ---------------------------------------------------------------
const pages = listFiles(out, ".html")
  .map((f) => rel(out, f))
  .filter((r) => !r.includes("/")); // the top of the site: the language chooser, a 404 page...
for (const lang of LANGUAGES) {
  const dir = path.join(out, lang);
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    console.error(`FAIL: no ${lang}/index.html in ${out}`);
    process.exit(1);
  }
  pages.push(`${lang}/index.html`);
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const free = entries.find((e) => e.isFile() && /\.html?$/.test(e.name) && e.name !== "index.html");
  if (free) pages.push(`${lang}/${free.name}`);
  for (const e of entries.filter((e) => e.isDirectory())) {
    const files = listFiles(path.join(dir, e.name), ".html").map((f) => rel(out, f));
    const list = `${lang}/${e.name}/index.html`;
    if (files.includes(list)) pages.push(list);
    // An item: prefer a page right in the folder (briefs/x.html), else one a level down (briefs/x/index.html).
    const items = files.filter((f) => f !== list);
    const depth = (f) => f.split("/").length;
    items.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
    if (items.length) pages.push(items[0]);
  }
}
if (!pages.some((p) => p.endsWith("search/index.html"))) {
  console.error("FAIL: no <lang>/search/index.html page in the build");
  process.exit(1);
}

// --- run axe ------------------------------------------------------------------------
const browser = await launch();
// The pages declare a Content-Security-Policy (script-src 'self'); axe is injected inline.
const context = await browser.newContext({ bypassCSP: true });
const violations = [];
let nodes = 0;

async function audit(page, relPath) {
  const url = pathToFileURL(path.join(out, relPath)).href;
  await page.goto(url, { waitUntil: "load", timeout: 20000 });
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  for (const v of result.violations) {
    for (const n of v.nodes) {
      nodes++;
      violations.push({ rule: v.id, impact: v.impact || "", page: relPath, target: n.target.join(" "), help: v.help, summary: n.failureSummary || "", html: n.html });
    }
  }
}

// Two pages at a time: the machine has two cores.
const work = [...pages];
async function worker() {
  const page = await context.newPage();
  for (let p; (p = work.shift()); ) {
    try {
      await audit(page, p);
    } catch (e) {
      violations.push({ rule: "(axe could not run)", impact: "", page: p, target: "", help: e.message.split("\n")[0], summary: "", html: "" });
    }
  }
  await page.close();
}
await Promise.all([worker(), worker()]);
await browser.close();

const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`axe: ${pages.length} pages audited (${TAGS.join(", ")}); ${secs} s`);
for (const p of pages) console.log(`  ${p}`);
if (violations.length) {
  const rules = {};
  for (const v of violations) rules[v.rule] = (rules[v.rule] || 0) + 1;
  console.error(`FAIL: ${violations.length} axe violations: ${Object.entries(rules).map(([r, n]) => `${r} x${n}`).join(", ")}`);
  printLimited(
    violations.map(
      (v) => `  [${v.rule}${v.impact ? ", " + v.impact : ""}] ${v.page} :: ${v.target}\n      ${v.help}` +
        (v.html ? `\n      element: ${v.html.slice(0, 200)}` : "") +
        (v.summary ? `\n      ${v.summary.replace(/\n\s*/g, " | ").slice(0, 300)}` : ""),
    ),
    200,
  );
  process.exit(1);
}
console.log("axe: no violations");

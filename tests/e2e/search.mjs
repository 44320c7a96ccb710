// End-to-end test of search, from file:// in headless Chromium.
//
//   node tests/e2e/search.mjs OUTPUT_DIR
//
// OUTPUT_DIR is the site built from tests/fixtures/search-site. For each of
// the five languages a query for a word that occurs only mid-sentence in
// unspaced text must return the right page first, and a prefix of a longer
// word, which is not a word itself, must return nothing. Also checks: typing
// shows hits, the index loads only when the reader searches, stage and
// counter-measure hits link to their anchor/page, no script errors, and the
// page works without JavaScript (noscript links). Exits non-zero on failure.
import { launch, siteUrl, outDirFromArgs, deadline } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";

const out = outDirFromArgs();
deadline(240);

// word: occurs only mid-sentence in briefs/eye-injury (in that language);
// decoy: briefs/follow-the-money holds the word only inside longer words
// (ตาม, ຕິດຕາມ, eyewitness) and must not be a hit;
// notWord: the start of a longer word of the fixture, not a word itself.
const CASES = [
  { lang: "en", word: "eye", notWord: "bord" },
  { lang: "th", word: "ตา", notWord: "ชายแด" },
  { lang: "lo", word: "ຕາ", notWord: "ຊາຍແດ" },
  { lang: "km", word: "ភ្នែក", notWord: "ព្រំដែ" },
  { lang: "my", word: "မျက်စိ", notWord: "နယ်စ" },
];

let failures = 0;
let passes = 0;
function check(ok, message) {
  if (ok) {
    passes++;
    console.log(`ok - ${message}`);
  } else {
    failures++;
    console.log(`not ok - ${message}`);
  }
}

const browser = await launch();
const context = await browser.newContext();

function searchPage(lang, query) {
  const base = siteUrl(out, `${lang}/search/index.html`);
  return query === undefined ? base : `${base}?q=${encodeURIComponent(query)}`;
}

/** Opens the search page and waits until the query has run. */
async function openQuery(page, lang, query) {
  await page.goto(searchPage(lang, query));
  await waitForResults(page, query);
}

async function waitForResults(page, query) {
  try {
    await page.waitForFunction(
      (q) => {
        const r = document.getElementById("search-results");
        return r && r.getAttribute("data-query") === q;
      },
      query,
      { timeout: 10000 },
    );
  } catch {
    // fall through: the checks below report what is missing
  }
}

async function hits(page) {
  return page.$$eval("#search-results a", (as) =>
    as.map((a) => ({
      href: a.href,
      text: a.textContent,
      marks: Array.from(a.querySelectorAll("mark")).map((m) => m.textContent),
    })),
  );
}

function endsWithPage(href, lang, rel) {
  const p = decodeURIComponent(new URL(href).pathname);
  return p.endsWith(`/${lang}/${rel}`);
}

for (const { lang, word, notWord } of CASES) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.on("requestfailed", (r) => {
    if (/\/search\/|search\.js/.test(r.url())) errors.push(`cannot load ${r.url()}`);
  });

  await openQuery(page, lang, word);
  const found = await hits(page);
  check(found.length > 0, `${lang}: "${word}" has hits`);
  check(
    found.length > 0 && endsWithPage(found[0].href, lang, "briefs/eye-injury.html"),
    `${lang}: "${word}" lists briefs/eye-injury.html first (got ${found[0] && found[0].href})`,
  );
  check(
    !found.some((h) => endsWithPage(h.href, lang, "briefs/follow-the-money.html")),
    `${lang}: "${word}" does not match longer words that contain it`,
  );
  check(
    found.length > 0 && found[0].marks.some((m) => m.normalize() === word.normalize()),
    `${lang}: the matched word is highlighted in the first hit (marks: ${found[0] && found[0].marks.join(", ")})`,
  );
  const status = await page.textContent("#search-status");
  check(status.trim().length > 0, `${lang}: the status tells the number of hits ("${status.trim()}")`);

  await openQuery(page, lang, notWord);
  const none = await hits(page);
  check(none.length === 0, `${lang}: "${notWord}" (not a word) returns nothing (got ${none.map((h) => h.href).join(", ")})`);
  const noneStatus = await page.textContent("#search-status");
  check(noneStatus.trim().length > 0, `${lang}: the status says there are no results ("${noneStatus.trim()}")`);

  check(errors.length === 0, `${lang}: no script errors (${errors.join("; ")})`);
  await page.close();
}

// Typing shows hits as you type; the index is loaded only when searching.
{
  const page = await context.newPage();
  await page.goto(searchPage("th"));
  await page.waitForLoadState("load");
  const before = await page.evaluate(() => ({
    loaded: typeof window.waymarkSearchIndex !== "undefined",
    tag: !!document.querySelector('script[src*="search-index"]'),
  }));
  check(!before.loaded && !before.tag, "the index is not loaded before the reader searches");
  await page.click("#search-input");
  await page.keyboard.type("ตา");
  await page.waitForFunction(() => document.querySelector("#search-results a"), null, { timeout: 10000 }).catch(() => {});
  const typed = await hits(page);
  check(
    typed.length > 0 && endsWithPage(typed[0].href, "th", "briefs/eye-injury.html"),
    "typing a query shows hits without submitting",
  );
  // Submitting the form keeps the page and runs the query.
  await page.fill("#search-input", "ชายแดน");
  await page.press("#search-input", "Enter");
  await waitForResults(page, "ชายแดน");
  const submitted = await hits(page);
  check(submitted.length > 0, "submitting the form runs the query");
  await page.close();
}

// Stage and counter-measure hits link to the exact anchor / page.
{
  const page = await context.newPage();
  await openQuery(page, "en", "tarpaulin");
  const stage = await hits(page);
  check(
    stage.length > 0 && new URL(stage[0].href).hash === "#border-crossing" &&
      endsWithPage(stage[0].href.split("#")[0], "en", "journeys/fishing-boat.html"),
    `a stage hit links to the stage anchor (got ${stage[0] && stage[0].href})`,
  );
  await openQuery(page, "en", "unannounced");
  const measure = await hits(page);
  check(
    measure.length > 0 && measure[0].href.includes("joint-border-integrity-audit"),
    `a counter-measure hit links to the measure (got ${measure[0] && measure[0].href})`,
  );
  // Title hits rank above text hits: "border" is in the title of the stage
  // "Border crossing" and of the brief "Following the money across the border".
  await openQuery(page, "en", "border");
  const border = await hits(page);
  const firstTitles = border.slice(0, 2).map((h) => h.text.toLowerCase());
  check(
    border.length >= 3 && firstTitles.every((t) => t.includes("border")),
    "title hits come before text hits",
  );
  // Hits of all query words come before hits of some.
  await openQuery(page, "en", "money eyewitness");
  const both = await hits(page);
  check(
    both.length > 0 && endsWithPage(both[0].href, "en", "briefs/follow-the-money.html"),
    "documents with all query words come first",
  );
  await page.close();
}

// The page is accessible and free of inline script.
{
  const html = fs.readFileSync(path.join(out, "en", "search", "index.html"), "utf8");
  check(/<label[^>]*for="search-input"/.test(html), "the search field has a label");
  check(/id="search-status"[^>]*role="status"|role="status"[^>]*id="search-status"/.test(html), "the status is a live region");
  check(!/\son[a-z]+\s*=/i.test(html), "no inline event handlers");
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(
    (m) => !/\bsrc\s*=/.test(m[1]) && m[2].trim() !== "",
  );
  check(inline.length === 0, "no inline scripts");
  const noscript = html.match(/<noscript>([\s\S]*?)<\/noscript>/i);
  const links = noscript ? (noscript[1].match(/<a\s[^>]*href=/gi) || []).length : 0;
  check(links >= 4, `without JavaScript the page links the lists of pages (${links} links)`);
}

// Without JavaScript the noscript message is shown.
{
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const page = await noJs.newPage();
  await page.goto(searchPage("en", "eye"));
  const visibleLinks = await page.locator("main a:visible, body a:visible").count();
  check(visibleLinks >= 4, "without JavaScript the lists of pages are linked");
  await noJs.close();
}

await browser.close();
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);

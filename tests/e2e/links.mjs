// Crawls the built site from output/index.html over file:// in headless Chromium,
// the way a reader opening it from a USB stick meets it.
//
// usage: node tests/e2e/links.mjs OUTPUT_DIR [--full LANGS]
//
// Every page it visits is loaded in Chromium; every <a href> (HTML or SVG)/<area href> on it that
// stays on disk (not http(s), mailto, tel...) is resolved and must name a file inside
// OUTPUT_DIR (not a folder: file:// shows a listing there, not index.html), and a
// #fragment must name an element id (or <a name>) in the target page.
// Pages of the languages in --full (default en,th) and pages outside the language
// folders are all visited; in the other languages, the home page and the first page
// reached of each kind (the list and one item of each first-level folder, e.g.
// briefs/, and one free page) are
// visited, and their other pages are checked on disk (existence and ids) only.
// It also fails on a script error, on a failed load of a page's resource, and on
// any request to another host.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launch, outDirFromArgs, deadline, listFiles, rel, printLimited, LANGUAGES } from "./lib.mjs";

deadline(300);
const started = Date.now();
const out = outDirFromArgs();
const fullIdx = process.argv.indexOf("--full");
const FULL = new Set((fullIdx > 0 ? process.argv[fullIdx + 1] : "en,th").split(","));

const errors = [];
const fail = (where, msg) => errors.push(`${where}: ${msg}`);

// --- what the crawler knows about files ---------------------------------------------
const statCache = new Map(); // abs path -> "file" | "dir" | null
function kindOf(p) {
  if (!statCache.has(p)) {
    let k = null;
    try {
      const s = fs.statSync(p);
      k = s.isFile() ? "file" : s.isDirectory() ? "dir" : null;
    } catch { k = null; }
    statCache.set(p, k);
  }
  return statCache.get(p);
}
const domIds = new Map(); // abs path -> Set of ids seen in Chromium
const staticIdCache = new Map();
function staticIds(p) {
  // Ids of a page that was not loaded in Chromium, read from its HTML source.
  if (!staticIdCache.has(p)) {
    const html = fs.readFileSync(p, "utf8");
    const ids = new Set();
    const re = /<[a-zA-Z][^>]*?\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g;
    for (let m; (m = re.exec(html)); ) ids.add(decodeEntities(m[2] ?? m[3] ?? m[4]));
    staticIdCache.set(p, ids);
  }
  return staticIdCache.get(p);
}
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|quot|apos|lt|gt);/gi, (_, e) => {
    const l = e.toLowerCase();
    if (l === "amp") return "&";
    if (l === "quot") return '"';
    if (l === "apos") return "'";
    if (l === "lt") return "<";
    if (l === "gt") return ">";
    return String.fromCodePoint(l[1] === "x" ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10));
  });
}
const isHtml = (p) => /\.html?$/i.test(p);

// Which pages get a visit in Chromium.
const sampled = new Set(); // "lang/kind" already visited once
function groupOf(file) {
  const parts = rel(out, file).split("/");
  if (parts.length < 2 || !LANGUAGES.includes(parts[0])) return null; // outside the language folders
  const lang = parts[0];
  const kind =
    parts.length === 2
      ? (parts[1] === "index.html" ? "home" : "free page")
      : `${parts[1]} ${parts.length === 3 && parts[2] === "index.html" ? "list" : "item"}`;
  return { lang, kind };
}
function wantsVisit(file) {
  const g = groupOf(file);
  if (!g || FULL.has(g.lang)) return true;
  const key = `${g.lang}/${g.kind}`;
  if (sampled.has(key)) return false;
  sampled.add(key);
  return true;
}

// --- the crawl -------------------------------------------------------------------------
const browser = await launch();
const context = await browser.newContext({ javaScriptEnabled: true });
const page = await context.newPage();
let current = "(start)";
page.on("pageerror", (e) => fail(current, `script error: ${String(e.message || e).split("\n")[0]}`));
page.on("request", (r) => {
  const u = r.url();
  if (!/^(file|data|blob|about|chrome-error):/.test(u)) fail(current, `request to another host: ${u}`);
});
page.on("requestfailed", (r) => {
  const why = r.failure()?.errorText || "failed";
  if (why.includes("ERR_ABORTED") || r.resourceType() === "document") return; // left the page / reported by goto
  fail(current, `resource did not load (${why}): ${r.url()}`);
});

const start = path.join(out, "index.html");
const queue = [start];
const queued = new Set([start]);
const visited = [];
const checkedOnDisk = new Set();
const pendingFragments = []; // [where, href, target, fragment]
let linkCount = 0;
let external = 0;

function enqueue(file) {
  if (queued.has(file)) return;
  queued.add(file);
  if (wantsVisit(file)) queue.push(file);
  else checkedOnDisk.add(file);
}

while (queue.length) {
  const file = queue.shift();
  const where = rel(out, file);
  current = where;
  const url = pathToFileURL(file).href;
  try {
    const resp = await page.goto(url, { waitUntil: "domcontentloaded", timeout: 15000 });
    if (!resp || !resp.ok()) { fail(where, `did not load in Chromium (${resp ? resp.status() : "no response"})`); continue; }
  } catch (e) {
    fail(where, `did not load in Chromium: ${e.message.split("\n")[0]}`);
    continue;
  }
  if (fileURLToPath(page.url().split("#")[0]) !== file) { fail(where, `loaded as ${page.url()} instead`); continue; }
  visited.push(file);
  const { links, ids } = await page.evaluate(() => ({
    // HTML and SVG links (an SVG <a>'s .href is no string: resolve the attribute).
    links: Array.from(document.querySelectorAll("a[*|href], area[href]"), (a) => {
      const raw = a.getAttribute("href") ?? a.getAttributeNS("http://www.w3.org/1999/xlink", "href") ?? "";
      let resolved;
      try { resolved = new URL(raw, document.baseURI).href; } catch { resolved = String(raw); }
      return [raw, resolved];
    }),
    ids: [
      ...Array.from(document.querySelectorAll("[id]"), (e) => e.id),
      ...Array.from(document.querySelectorAll("a[name]"), (e) => e.getAttribute("name")),
    ],
  }));
  domIds.set(file, new Set(ids));

  for (const [raw, resolved] of links) {
    linkCount++;
    const at = `${where}: <a href="${raw}">`;
    if (raw.trim() === "") { fail(at, "empty href"); continue; }
    let u;
    try { u = new URL(resolved); } catch { fail(at, `not a valid URL (${resolved})`); continue; }
    if (u.protocol !== "file:") { external++; continue; }
    if (raw.startsWith("/") && !raw.startsWith("//")) { fail(at, "root-relative link: breaks when the site is read from disk"); continue; }
    const frag = u.hash ? safeDecode(u.hash.slice(1)) : "";
    u.hash = ""; u.search = "";
    let target;
    try { target = fileURLToPath(u); } catch (e) { fail(at, `not a local file (${resolved})`); continue; }
    if (target !== out && !target.startsWith(out + path.sep)) { fail(at, `leaves the site folder (${target})`); continue; }
    const k = kindOf(target);
    if (k === "dir") { fail(at, "links to a folder: from disk the browser shows a file listing, not index.html"); continue; }
    if (k !== "file") { fail(at, `target does not exist (${rel(out, target)})`); continue; }
    if (isHtml(target)) {
      enqueue(target);
      if (frag) pendingFragments.push([at, target, frag]);
    }
  }
}

for (const [at, target, frag] of pendingFragments) {
  const ids = domIds.get(target) ?? (kindOf(target) === "file" ? staticIds(target) : null);
  if (ids && !ids.has(frag)) fail(at, `#${frag} names no element id in ${rel(out, target)}`);
}

await browser.close();

// --- report --------------------------------------------------------------------------
function safeDecode(s) { try { return decodeURIComponent(s); } catch { return s; } }
const all = listFiles(out, ".html");
const unreached = all.filter((f) => !queued.has(f));
const perLang = {};
for (const f of visited) { const g = groupOf(f); const l = g ? g.lang : "(root)"; perLang[l] = (perLang[l] || 0) + 1; }
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `links: ${visited.length} pages loaded in Chromium (${Object.entries(perLang).map(([l, n]) => `${l} ${n}`).join(", ")}), ` +
    `${checkedOnDisk.size} more checked on disk; ${linkCount} links checked (${external} to other hosts or schemes not followed), ` +
    `${pendingFragments.length} #fragments; ${all.length} HTML files in the build, ${unreached.length} not reached from index.html; ${secs} s`,
);
for (const l of LANGUAGES) {
  if (!fs.existsSync(path.join(out, l, "index.html"))) fail(l, `no ${l}/index.html`);
  else if (!queued.has(path.join(out, l, "index.html"))) fail(l, `${l}/index.html is not reached from index.html`);
}
if (unreached.length) {
  console.log("note: HTML files no link leads to (first 10):");
  printLimited(unreached.map((f) => `  ${rel(out, f)}`), 10, console.log);
}
if (errors.length) {
  const uniq = [...new Set(errors)];
  console.error(`FAIL: ${uniq.length} broken links or page problems:`);
  printLimited(uniq.map((e) => `  ${e}`), 150);
  process.exit(1);
}
console.log("links: all links resolve");

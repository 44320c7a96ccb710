// Times search in headless Chromium from file:// on a synthetic site made by
// `cargo bench --bench search -- synth N DIR` (see run.sh).
//
//   node bench/search/query-time.mjs DIR [LANG...]
//
// For each language: time from focusing the search box to the index being
// ready (script load + parse + preparation), then, for a set of queries
// drawn from the index itself (the most frequent word, a median one, a rare
// one, two words, an unspaced phrase of three words, a prefix that is not a
// word), the time of one search including rendering the first page of hits.
// Each query runs 7 times; the median and the maximum are printed as a
// Markdown table.
import { launch, siteUrl } from "../../tests/e2e/lib.mjs";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node bench/search/query-time.mjs DIR [LANG...]");
  process.exit(2);
}
const langs = process.argv.length > 3 ? process.argv.slice(3) : ["en", "th", "lo", "km", "my"];
const RUNS = 7;

function loadIndex(lang) {
  const sandbox = { window: {} };
  vm.runInNewContext(fs.readFileSync(path.join(dir, lang, "search", "search-index.js"), "utf8"), sandbox);
  return sandbox.window.waymarkSearchIndex;
}

/** Number of documents in a posting list: one varint (digits of value 32
 * or more continue it) and one weight character per document. */
function df(postings) {
  const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  let n = 0;
  let i = 0;
  while (i < postings.length) {
    while (DIGITS.indexOf(postings[i]) >= 32) i++;
    i += 2; // last varint digit, weight
    n++;
  }
  return n;
}

function pickQueries(index) {
  const byDf = index.terms
    .map((t, i) => ({ t, df: df(index.postings[i]) }))
    .filter((x) => /[\p{L}]/u.test(x.t) && [...x.t].length > 1)
    .sort((a, b) => b.df - a.df || (a.t < b.t ? -1 : 1));
  const top = byDf[0];
  const median = byDf[Math.floor(byDf.length / 2)];
  const rare = byDf.filter((x) => x.df === 1)[0] || byDf[byDf.length - 1];
  const mid2 = byDf[Math.floor(byDf.length / 4)];
  const queries = [
    { name: `most frequent word (in ${top.df} docs)`, q: top.t },
    { name: `median word (in ${median.df} docs)`, q: median.t },
    { name: `rare word (in ${rare.df} docs)`, q: rare.t },
    { name: "two words", q: `${mid2.t} ${median.t}` },
  ];
  // Three adjacent words of unspaced text from a stored document.
  const text = index.docs[Math.floor(index.docs.length / 3)][3];
  const m = text.match(/[^\s\x7f]+\x7f[^\s\x7f]+\x7f[^\s\x7f]+/);
  if (m) queries.push({ name: "unspaced phrase of 3 words", q: m[0].split("\x7f").join("") });
  const long = byDf.find((x) => [...x.t].length >= 5 && !index.terms.includes([...x.t].slice(0, -1).join("")));
  if (long) queries.push({ name: "prefix that is not a word", q: [...long.t].slice(0, -1).join("") });
  return queries;
}

const browser = await launch();
console.log("| language | index ready (ms) | query | hits | median ms | max ms |");
console.log("| --- | ---: | --- | ---: | ---: | ---: |");
for (const lang of langs) {
  const index = loadIndex(lang);
  const queries = pickQueries(index);
  const page = await browser.newPage();
  await page.goto(siteUrl(dir, `${lang}/search/index.html`));
  const ready = await page.evaluate(async () => {
    const t0 = performance.now();
    document.getElementById("search-input").focus();
    const results = document.getElementById("search-results");
    while (!(window.waymarkSearchIndex && !results.hasAttribute("aria-busy"))) {
      await new Promise((r) => setTimeout(r, 2));
    }
    return performance.now() - t0;
  });
  let first = true;
  for (const { name, q } of queries) {
    const times = [];
    let hits = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await page.evaluate((query) => {
        const input = document.getElementById("search-input");
        input.value = query;
        const t0 = performance.now();
        input.form.requestSubmit();
        const t = performance.now() - t0;
        const status = document.getElementById("search-status").textContent;
        return { t, n: parseInt(status, 10) || 0 };
      }, q);
      times.push(r.t);
      hits = r.n;
    }
    times.sort((a, b) => a - b);
    console.log(
      `| ${lang} | ${first ? ready.toFixed(0) : ""} | ${name}: \`${q}\` | ${hits} | ${times[Math.floor(RUNS / 2)].toFixed(1)} | ${times[RUNS - 1].toFixed(1)} |`,
    );
    first = false;
  }
  await page.close();
}
await browser.close();

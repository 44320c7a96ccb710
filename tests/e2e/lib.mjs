// Shared helpers for the end-to-end tests: every script here takes the built
// site folder as its first argument and exits non-zero on any failure.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import fs from "node:fs";
import path from "node:path";

export const CHROMIUM = process.env.WAYMARK_CHROMIUM || "/usr/bin/chromium";
export const LANGUAGES = ["en", "lo", "km", "my", "th"];

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(
      `FAIL: no Chromium at ${CHROMIUM}. Install it with scripts/test.sh ` +
        `(apt-get install chromium) or point WAYMARK_CHROMIUM at a Chromium binary.`,
    );
    process.exit(2);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
    ],
  });
}

/** file:// URL of a path inside the built site. */
export function siteUrl(outDir, rel) {
  return pathToFileURL(path.join(path.resolve(outDir), rel)).href;
}

/** The built site folder from argv[2], checked to be a folder with an index.html. */
export function outDirFromArgs() {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: node <script> OUTPUT_DIR");
    process.exit(2);
  }
  if (!fs.existsSync(path.join(out, "index.html"))) {
    console.error(`FAIL: ${out} has no index.html: is it a built site (waymark build --output DIR)?`);
    process.exit(2);
  }
  return path.resolve(out);
}

/** Ends the process with a failure if the script runs longer than `seconds`. */
export function deadline(seconds, what = path.basename(process.argv[1] || "script")) {
  const t = setTimeout(() => {
    console.error(`FAIL: ${what} did not finish within ${seconds} s`);
    process.exit(3);
  }, seconds * 1000);
  t.unref();
}

/** Every file under `dir` (absolute paths, sorted) whose name ends with `ext`. */
export function listFiles(dir, ext = ".html") {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) found.push(p);
    }
  };
  walk(dir);
  return found.sort();
}

/** Path of `file` relative to the site folder, with forward slashes. */
export function rel(outDir, file) {
  return path.relative(outDir, file).split(path.sep).join("/");
}

/** Prints at most `max` lines of `lines`, then how many were left out. */
export function printLimited(lines, max = 100, stream = console.error) {
  for (const l of lines.slice(0, max)) stream(l);
  if (lines.length > max) stream(`... and ${lines.length - max} more`);
}

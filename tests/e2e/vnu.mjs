// Runs the Nu HTML Checker (npm package vnu-jar, run with the machine's Java) over
// every HTML file of the built site; fails listing every error.
//
// usage: node tests/e2e/vnu.mjs OUTPUT_DIR
//
// Errors only (no warnings or info). The same message on many pages comes from one
// template: they are grouped, with the pages and lines where they occur.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { outDirFromArgs, listFiles, rel, printLimited } from "./lib.mjs";

const started = Date.now();
const out = outDirFromArgs();
const JAVA = process.env.WAYMARK_JAVA || "java";

let jar;
try {
  jar = String(createRequire(import.meta.url)("vnu-jar"));
} catch {
  jar = "";
}
if (!jar || !fs.existsSync(jar)) {
  console.error("FAIL: the Nu HTML checker (node_modules/vnu-jar/build/dist/vnu.jar) is missing: run `npm ci --ignore-scripts` (scripts/test.sh does)");
  process.exit(2);
}
const version = spawnSync(JAVA, ["-version"], { encoding: "utf8" });
if (version.error || version.status !== 0) {
  console.error(`FAIL: no Java runtime (${JAVA}) for the Nu HTML checker: install default-jre-headless (scripts/test.sh does). ${version.error ? version.error.message : version.stderr}`);
  process.exit(2);
}

const files = listFiles(out, ".html");
if (files.length === 0) {
  console.error(`FAIL: no HTML file in ${out}`);
  process.exit(1);
}
const run = spawnSync(
  JAVA,
  ["-Xss2m", "-jar", jar, "--errors-only", "--skip-non-html", "--format", "json", "--exit-zero-always", out],
  { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 600_000 },
);
if (run.error || run.status !== 0) {
  console.error(`FAIL: the Nu HTML checker did not run: ${run.error ? run.error.message : `exit ${run.status}`}`);
  console.error(run.stdout, run.stderr);
  process.exit(2);
}
let report;
try {
  report = JSON.parse(run.stderr.trim() || run.stdout.trim());
} catch {
  console.error("FAIL: could not read the Nu HTML checker's report:");
  console.error(run.stdout, run.stderr);
  process.exit(2);
}
const errors = report.messages.filter((m) => m.type === "error" || m.subType === "fatal" || m.type === "non-document-error");
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`vnu: Nu HTML checker ${report.version} checked ${files.length} HTML files; ${errors.length} errors; ${secs} s`);
if (errors.length) {
  const where = (m) => {
    let f = m.url || "?";
    try { f = rel(out, fileURLToPath(f.replace(/^file:\/(?!\/)/, "file:///"))); } catch {}
    return `${f}:${m.lastLine ?? m.firstLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}`;
  };
  const groups = new Map();
  for (const m of errors) {
    const k = m.message;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(m);
  }
  console.error(`FAIL: ${errors.length} HTML errors, ${groups.size} distinct messages:`);
  const lines = [];
  for (const [msg, ms] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`  error (x${ms.length}): ${msg}`);
    if (ms[0].extract) lines.push(`      extract: ${ms[0].extract.replace(/\n/g, "\\n")}`);
    for (const m of ms.slice(0, 5)) lines.push(`      at ${where(m)}`);
    if (ms.length > 5) lines.push(`      ... and ${ms.length - 5} more places`);
  }
  printLimited(lines, 400);
  process.exit(1);
}
console.log("vnu: no errors");

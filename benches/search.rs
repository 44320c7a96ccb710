//! Search benchmark (not a timed test). Run through `bench/search/run.sh`,
//! or directly:
//!
//! ```text
//! cargo bench --bench search -- f1 bench/search/gold
//! cargo bench --bench search -- synth 10000 bench/work/search-synth [CONTENT_DIR]
//! ```
//!
//! `f1` reports, per language, the word-level precision, recall and F1 of the
//! index tokenizer against the gold segmentation in `GOLD_DIR/<lang>.txt`
//! (see bench/search/README.md for the format and sources) and the
//! tokenizer's throughput.
//!
//! `segments [GOLD_DIR]` times word segmentation of each language's gold
//! text: Waymark's (ICU4X with its own dictionary step for runs of the four
//! scripts) against ICU4X alone, in MB/s.
//!
//! `synth N DIR` builds a site of N documents per language from the gold
//! sentences (and, for English, from the Markdown under CONTENT_DIR, default
//! `content`) and writes `DIR/<lang>/search/search-index.js` plus a search
//! page and `search.js`, so that `bench/search/query-time.mjs` can time
//! queries in Chromium. It prints the raw size of every index and the build
//! time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;
use waymark::search::{fold, SearchDoc, SearchIndexer};

const LANGS: [&str; 4] = ["th", "lo", "km", "my"];

fn main() {
    // cargo bench passes --bench; ignore flags.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    match args.first().map(String::as_str) {
        Some("f1") => f1(Path::new(args.get(1).map(String::as_str).unwrap_or("bench/search/gold"))),
        Some("segments") => segments(Path::new(args.get(1).map(String::as_str).unwrap_or("bench/search/gold"))),
        Some("synth") => {
            let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
            let out = PathBuf::from(args.get(2).map(String::as_str).unwrap_or("bench/work/search-synth"));
            let content = PathBuf::from(args.get(3).map(String::as_str).unwrap_or("content"));
            synth(n, &out, &content, Path::new("bench/search/gold"));
        }
        // `cargo test --all-targets` runs this with no arguments: the F1 table is quick.
        None => f1(Path::new("bench/search/gold")),
        _ => {
            eprintln!("usage: search f1 [GOLD_DIR] | search segments [GOLD_DIR] | search synth [N] [OUT_DIR] [CONTENT_DIR]");
            std::process::exit(2);
        }
    }
}

/// Gold sentences of one language as lists of words. Thai lines separate
/// tokens with `|` (spaces are tokens); the other languages separate words
/// with spaces, and Khmer joins the parts of compounds with `_`, `~` or `^`.
fn gold_sentences(dir: &Path, lang: &str) -> Vec<Vec<String>> {
    // lo.txt is not committed (its corpus states no licence): skipped when absent.
    let Ok(text) = fs::read_to_string(dir.join(format!("{lang}.txt"))) else {
        eprintln!("no gold file for {lang} in {}: skipped", dir.display());
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            if lang == "th" {
                l.split('|').filter(|t| !t.is_empty()).map(fold).collect()
            } else {
                l.split(' ')
                    .filter(|t| !t.is_empty())
                    .map(|t| fold(&t.replace(['_', '~', '^'], "")))
                    .collect()
            }
        })
        .collect()
}

fn is_word(t: &str) -> bool {
    t.chars().any(|c| c.is_alphanumeric())
}

fn f1(dir: &Path) {
    let ix = SearchIndexer::new();
    println!("| language | sentences | gold words | precision | recall | F1 | tokenizer MB/s |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for lang in LANGS {
        let sentences = gold_sentences(dir, lang);
        if sentences.is_empty() {
            continue;
        }
        let (mut tp, mut n_gold, mut n_pred) = (0usize, 0usize, 0usize);
        let mut all = String::new();
        for words in &sentences {
            // Unspaced languages are evaluated on the text without the
            // spaces that the gold files put between words; Thai keeps the
            // spaces it has (they are tokens of its gold file).
            let mut text = String::new();
            let mut gold = Vec::new();
            for w in words {
                let start = text.len();
                text.push_str(w);
                if is_word(w) {
                    gold.push((start, text.len()));
                }
            }
            let pred: Vec<(usize, usize)> = ix
                .segments(&text)
                .into_iter()
                .filter(|(_, word)| *word)
                .map(|(r, _)| (r.start, r.end))
                .collect();
            let gs: std::collections::HashSet<_> = gold.iter().collect();
            tp += pred.iter().filter(|p| gs.contains(p)).count();
            n_gold += gold.len();
            n_pred += pred.len();
            all.push_str(&text);
            all.push('\n');
        }
        let p = tp as f64 / n_pred as f64;
        let r = tp as f64 / n_gold as f64;
        let f = 2.0 * p * r / (p + r);
        // Throughput: segment ~4 MB of the same text.
        let reps = (4_000_000 / all.len()).max(1);
        let big = all.repeat(reps);
        let t = Instant::now();
        let words = ix.tokenize(&big).len();
        let secs = t.elapsed().as_secs_f64();
        assert!(words > 0);
        println!(
            "| {lang} | {} | {n_gold} | {p:.3} | {r:.3} | {f:.3} | {:.1} |",
            sentences.len(),
            big.len() as f64 / 1e6 / secs
        );
    }
}

/// Deterministic pseudo-random numbers (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// English sentences from the Markdown of the flagship content.
fn english_sentences(content: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![content.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md")
                && p.file_stem().is_some_and(|s| !s.to_string_lossy().contains('.'))
            {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        let text = fs::read_to_string(&f).unwrap_or_default();
        let body = text.splitn(3, "+++").nth(2).unwrap_or(&text);
        for s in body.split(['.', '\n']) {
            let s = s.trim().trim_start_matches(['#', '-', '*', ' ', '>']);
            if s.split_whitespace().count() >= 5 && !s.contains('|') {
                out.push(format!("{s}."));
            }
        }
    }
    if out.is_empty() {
        out.push("Officials at the border accepted payments to let trucks pass without inspection.".into());
    }
    out
}

fn synth(n: usize, out: &Path, content: &Path, gold: &Path) {
    let ix = SearchIndexer::new();
    let kinds = ["brief", "country", "journey", "stage", "measure", "page"];
    let mut pools: Vec<(&str, Vec<String>)> = vec![("en", english_sentences(content))];
    for lang in LANGS {
        let sentences = gold_sentences(gold, lang)
            .into_iter()
            .map(|ws| ws.concat())
            .collect();
        pools.push((lang, sentences));
    }
    println!("| language | documents | text chars | index bytes | build ms |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (lang, pool) in &pools {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ lang.len() as u64 ^ (lang.as_bytes()[0] as u64) << 8);
        let mut chars = 0usize;
        let docs: Vec<SearchDoc> = (0..n)
            .map(|i| {
                // 200 to 3,000 characters of text, like stages and briefs.
                let target = 200 + rng.below(2800);
                let mut text = String::new();
                while text.chars().count() < target {
                    text.push_str(&pool[rng.below(pool.len())]);
                    text.push(' ');
                }
                let title_src = &pool[rng.below(pool.len())];
                let title: String = title_src.chars().take(40).collect();
                let kind = kinds[rng.below(kinds.len())];
                let url = if kind == "stage" {
                    format!("journeys/j{}.html#s{i}", i / 5)
                } else {
                    format!("{kind}s/d{i}.html")
                };
                chars += text.chars().count();
                SearchDoc { url, title, kind, text, lang: lang.to_string() }
            })
            .collect();
        let t = Instant::now();
        let js = ix.build_index(lang, &docs);
        let ms = t.elapsed().as_millis();
        let dir = out.join(lang).join("search");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("search-index.js"), &js).unwrap();
        fs::write(dir.join("index.html"), search_page(lang)).unwrap();
        println!("| {lang} | {n} | {chars} | {} | {ms} |", js.len());
    }
    let js_dir = out.join("static/js");
    fs::create_dir_all(&js_dir).unwrap();
    fs::copy("themes/default/static/js/search.js", js_dir.join("search.js")).unwrap();
    fs::write(out.join("index.html"), "<!doctype html><title>synthetic search site</title>\n").unwrap();
}

/// The search page as the template writes it (see src/search/mod.rs).
fn search_page(lang: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Search</title></head>
<body><main>
<form role="search" action="index.html" method="get" class="search-form">
  <label for="search-input">Search</label>
  <input id="search-input" name="q" type="search" autocomplete="off">
  <button type="submit">Search</button>
</form>
<p id="search-status" role="status" aria-live="polite"></p>
<div id="search-results"></div>
<script src="../../static/js/search.js" data-index="search-index.js" data-lang="{lang}" data-kinds='{{"brief":"Brief"}}' data-no-results="No results" defer></script>
</main></body></html>
"#
    )
}

/// Segmentation speed per language: Waymark's path and ICU4X alone.
fn segments(dir: &Path) {
    let ix = SearchIndexer::new();
    println!("| language | MB | Waymark MB/s | ICU4X alone MB/s | speed-up |");
    println!("| --- | --- | --- | --- | --- |");
    for lang in LANGS {
        let Ok(raw) = fs::read_to_string(dir.join(format!("{lang}.txt"))) else { continue };
        // Gold files mark words with separators; join them back into text.
        let text: String = fold(&raw.replace(['|', '_', '~', '^'], "")).lines().map(|l| format!("{l} ")).collect();
        // About 2 MB, so that the figure is not the first call's.
        let text = text.repeat((2_000_000 / text.len().max(1)).max(1));
        assert_eq!(ix.segments(&text), ix.icu_segments(&text), "{lang}: the two paths differ");
        let time = |f: &dyn Fn() -> usize| {
            let mut best = f64::MAX;
            for _ in 0..5 {
                let t = Instant::now();
                std::hint::black_box(f());
                best = best.min(t.elapsed().as_secs_f64());
            }
            best
        };
        let fast = time(&|| ix.segments(&text).len());
        let slow = time(&|| ix.icu_segments(&text).len());
        let mb = text.len() as f64 / 1e6;
        println!("| {lang} | {mb:.2} | {:.1} | {:.1} | {:.2} |", mb / fast, mb / slow, slow / fast);
    }
}

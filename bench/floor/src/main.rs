//! The floor of a Waymark build: what reading, parsing and writing the bytes
//! costs, with no templates, no cross-links and no search index.
//!
//!     waymark-floor --root SITE --out DIR --files N --bytes B
//!
//! Reads every file under SITE/content, parses each Markdown body (after the
//! `+++` front matter) to HTML with pulldown-cmark using Waymark's options,
//! then writes N files holding B bytes in all (Waymark's output of the same
//! site), each filled with the HTML of one input, repeated as needed. Work is
//! spread over rayon's pool, like Waymark's.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read_dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn body(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("+++\n") {
        if let Some(end) = rest.find("\n+++\n") {
            return &rest[end + 5..];
        }
    }
    text
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| -> String {
        let i = args.iter().position(|a| a == name).unwrap_or_else(|| panic!("missing {name}"));
        args[i + 1].clone()
    };
    let root = PathBuf::from(arg("--root"));
    let out = PathBuf::from(arg("--out"));
    let n_files: usize = arg("--files").parse().expect("--files");
    let n_bytes: u64 = arg("--bytes").parse().expect("--bytes");
    let start = Instant::now();
    let mut inputs = Vec::new();
    walk(&root.join("content"), &mut inputs);
    let n_in = inputs.len().max(1);
    let per_file = n_bytes / n_files as u64;
    let extra = n_bytes - per_file * n_files as u64;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_SMART_PUNCTUATION;
    let dirs = n_files.div_ceil(1000);
    (0..dirs).into_par_iter().for_each(|d| std::fs::create_dir_all(out.join(format!("d{d:04}"))).expect("mkdir"));
    let written: u64 = (0..n_in)
        .into_par_iter()
        .map(|i| {
            let mut html_out = String::new();
            if let Some(p) = inputs.get(i) {
                let text = std::fs::read_to_string(p).expect("read");
                if p.extension().is_some_and(|e| e == "md") {
                    html::push_html(&mut html_out, Parser::new_ext(body(&text), opts));
                } else {
                    html_out = text;
                }
            }
            if html_out.is_empty() {
                html_out.push(' ');
            }
            let src = html_out.as_bytes();
            let mut buf = Vec::new();
            let mut total = 0u64;
            let mut j = i;
            while j < n_files {
                let size = (per_file + if j == 0 { extra } else { 0 }) as usize;
                buf.clear();
                while buf.len() < size {
                    let take = (size - buf.len()).min(src.len());
                    buf.extend_from_slice(&src[..take]);
                }
                std::fs::write(out.join(format!("d{:04}/f{j:07}.html", j / 1000)), &buf).expect("write");
                total += size as u64;
                j += n_in;
            }
            total
        })
        .sum();
    eprintln!("floor: {} inputs, {} files, {} bytes in {} ms", inputs.len(), n_files, written, start.elapsed().as_millis());
}

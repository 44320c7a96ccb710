//! The *load* step: walking `content/`, reading and parsing every Markdown
//! and counter-measure file in parallel, and putting each translation with
//! its source document.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::fields::{is_slug, parse_table, Collected, Fields, Sp, Texts};
use super::{brief, country, journey, measure, page, parse_status, rel_path, Content, Document, Keep, Kind, Meta, Parsed, TextDigest, Variant};
use crate::config::Config;
use crate::diag::{did_you_mean, Diagnostic, Severity};
use crate::source::{split_front_matter, SourceFile};

/// Loads and validates every file under `root/content`. Errors are pushed to `errs`.
///
/// `keep` says what is kept of each Markdown file once parsed ([`Keep`]).
pub fn load(root: &Path, cfg: &Config, keep: Keep, errs: &mut Vec<Diagnostic>) -> Content {
    let content = root.join("content");
    let mut media = Vec::new();
    if !content.is_dir() {
        errs.push(Diagnostic::file(Severity::Error, "content", 1, 1, "no content/ folder in the site root"));
        return Content::default();
    }
    let t = std::time::Instant::now();
    // The folder is walked while the files found so far are parsed: each
    // thread that wants a file advances the walk, so no CPU waits for it.
    let mut files = walkdir::WalkDir::new(&content).follow_links(false).sort_by(by_file_name).into_iter();
    let mut walk_errs = Vec::new();
    let mut found = std::iter::from_fn(|| loop {
        let entry = match files.next()? {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().map(|p| rel_path(root, p)).unwrap_or_else(|| "content".into());
                walk_errs.push(Diagnostic::file(Severity::Error, &p, 1, 1, format!("cannot read: {e}")));
                continue;
            }
        };
        let rel = rel_path(&content, entry.path());
        let name = entry.file_name().to_string_lossy();
        if entry.depth() == 0 || name.starts_with('.') {
            continue;
        }
        if entry.path_is_symlink() {
            walk_errs.push(Diagnostic::file(Severity::Error, &rel_path(root, entry.path()), 1, 1, "symbolic links are not allowed in content/").with_hint("copy the file into the site instead"));
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let top = rel.split('/').next().unwrap_or("");
        if top == "media" {
            media.push(PathBuf::from(rel.trim_start_matches("media/")));
        } else if top == "countermeasures" && entry.depth() == 2 && name.ends_with(".toml") {
            return Some(Found::Toml(entry.into_path()));
        } else if Kind::from_dir(top).is_some() && entry.depth() == 2 && name.ends_with(".md") {
            return Some(Found::Markdown(entry.into_path()));
        } else if entry.depth() == 1 {
            walk_errs.push(Diagnostic::file(Severity::Warning, &rel_path(root, entry.path()), 1, 1, "ignored: not a content folder").with_hint("content/ holds briefs/, countries/, journeys/, countermeasures/, pages/ and media/"));
        } else {
            walk_errs.push(Diagnostic::file(Severity::Warning, &rel_path(root, entry.path()), 1, 1, "ignored: not a content file of this folder"));
        }
    });
    // One thread walks and hands out the files in small batches; the others
    // parse them, and so does the walking thread once the walk is done.
    // Each batch's results stay in their own vector, numbered in the walk's
    // order (gathering them into one vector, then into the walk's order,
    // made three vectors of every parsed file: fresh memory, a sixth of
    // `check`'s page faults).
    let results: std::sync::Mutex<Vec<(usize, Batch)>> = std::sync::Mutex::new(Vec::new());
    let dir: &Path = &content;
    rayon::scope(|s| {
        for n in 0.. {
            let batch: Vec<Found> = found.by_ref().take(32).collect();
            if batch.is_empty() {
                break;
            }
            let results = &results;
            s.spawn(move |_| {
                let done: Batch = batch
                    .into_iter()
                    .map(|f| {
                        let mut e = Vec::new();
                        let r = match f {
                            Found::Markdown(p) => Loaded::Markdown(parse_markdown(root, &p, cfg, keep, &mut e)),
                            Found::Toml(p) => Loaded::Measures(parse_measure_file(root, dir, &p, cfg, &mut e)),
                        };
                        (r, e)
                    })
                    .collect();
                results.lock().unwrap_or_else(|p| p.into_inner()).push((n, done));
            });
        }
    });
    let mut batches = results.into_inner().unwrap_or_else(|p| p.into_inner());
    batches.sort_unstable_by_key(|(n, _)| *n);
    errs.append(&mut walk_errs);
    crate::build::timing("load: walk and parse", t);
    let t = std::time::Instant::now();
    // Each document's files together. They are next to each other in the
    // walk (a slug has no '.', so no other document's file name sorts
    // between `a.md` and `a.th.md`): grouped in one pass, and the groups
    // sorted by document (a sort of every file, or a search of a map per
    // file, compared slugs ten times as often). Groups of the same document
    // are merged all the same, in the walk's order.
    let mut groups: Vec<Vec<Parsed>> = Vec::new();
    let mut mfiles = Vec::new();
    for (l, e) in batches.into_iter().flat_map(|(_, b)| b) {
        let p = match l {
            Loaded::Measures(m) => {
                mfiles.push((m, e));
                continue;
            }
            Loaded::Markdown(p) => p,
        };
        errs.extend(e);
        let Some(p) = p else { continue };
        match groups.last_mut() {
            Some(g) if g[0].kind == p.kind && g[0].slug == p.slug => g.push(p),
            _ => groups.push(vec![p]),
        }
    }
    groups.sort_by(|a, b| (a[0].kind, &a[0].slug).cmp(&(b[0].kind, &b[0].slug)));
    let mut merged: Vec<Vec<Parsed>> = Vec::with_capacity(groups.len());
    for g in groups {
        match merged.last_mut() {
            Some(m) if m[0].kind == g[0].kind && m[0].slug == g[0].slug => m.extend(g),
            _ => merged.push(g),
        }
    }
    // Each document made, and its translations compared with its source
    // and put in place, in parallel. Where two files are a document's
    // source (`a.md` and `a.en.md`), the later one in the walk counts.
    let default = cfg.default_language.as_str();
    let made: Vec<(Option<Document>, Vec<Diagnostic>)> = merged
        .into_par_iter()
        .map(|mut group| {
            let mut e = Vec::new();
            let source = group.iter().rposition(|p| p.lang == default).map(|i| group.remove(i));
            let doc = source.and_then(|p| {
                let meta = p.meta?;
                Some(Document { kind: p.kind, slug: p.slug, draft: p.draft, meta, source: *p.variant, translations: BTreeMap::new() })
            });
            let translations = group.into_iter().filter(|p| p.lang != default);
            match doc {
                Some(mut doc) => {
                    for t in translations {
                        compare_structure(&doc.source, &t.variant, &mut e);
                        doc.translations.insert(t.lang, t.variant);
                    }
                    (Some(doc), e)
                }
                None => {
                    for t in translations {
                        let source = format!("content/{}/{}.md", t.kind.dir(), t.slug);
                        if !root.join(&source).exists() {
                            e.push(Diagnostic::file(Severity::Error, &t.variant.file.path, 1, 1, format!("translation without a source document: {source} does not exist")));
                        }
                    }
                    (None, e)
                }
            }
        })
        .collect();
    // In key order already: the map is built in bulk, with full nodes (one
    // insert at a time leaves each node half empty).
    let docs: BTreeMap<(Kind, String), Document> = made
        .into_iter()
        .filter_map(|(d, e)| {
            errs.extend(e);
            d.map(|d| ((d.kind, d.slug.clone()), d))
        })
        .collect();

    crate::build::timing("load: assemble", t);

    let mut measure_files = Vec::new();
    for (m, e) in mfiles {
        errs.extend(e);
        measure_files.extend(m);
    }
    Content { docs, measure_files, media }
}

/// Orders the entries of one folder by name, as `WalkDir::sort_by_file_name`,
/// by comparing their whole paths: siblings share the folder's path up to
/// the name, and taking the name of a path (`Path::file_name`) twice per
/// comparison was a fortieth of `check`.
fn by_file_name(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    a.path().as_os_str().cmp(b.path().as_os_str())
}

/// A content file found by the walk.
enum Found {
    Markdown(PathBuf),
    Toml(PathBuf),
}

/// The parsed files of one batch of the walk, each with its diagnostics.
type Batch = Vec<(Loaded, Vec<Diagnostic>)>;

/// A content file parsed.
enum Loaded {
    Markdown(Option<Parsed>),
    Measures(Option<measure::MeasureFile>),
}

/// Parses one counter-measure file `path` under `content`.
fn parse_measure_file(root: &Path, content: &Path, path: &Path, cfg: &Config, errs: &mut Vec<Diagnostic>) -> Option<measure::MeasureFile> {
    let rel = rel_path(root, path);
    let f = match SourceFile::read(path, rel.clone()) {
        Ok(f) => f,
        Err(d) => {
            errs.push(d);
            return None;
        }
    };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if !is_slug(&stem) {
        errs.push(Diagnostic::file(Severity::Error, &rel, 1, 1, format!("file name '{stem}' is not a valid slug")).with_hint("use lowercase ASCII letters, digits and single hyphens"));
        return None;
    }
    measure::parse(Arc::new(f), rel_path(content, path), cfg, errs)
}

/// Paragraphs of a Markdown body (blank-line separated, trimmed), each with
/// the offset in the body of the piece it was trimmed from.
pub fn paragraphs(body: &str) -> impl Iterator<Item = (usize, &str)> {
    // As `body.split("\n\n")` (non-overlapping separators, left to right),
    // which searched for the two-byte pattern with the general string
    // searcher (a twentieth of `check`), and then a `find('\n')` per line
    // (a `memchr` started for every short line): one vectorised search
    // for the separator over the whole body.
    let mut seps = memchr::memmem::find_iter(body.as_bytes(), b"\n\n");
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        let end = seps.next().unwrap_or(body.len());
        start = (end < body.len()).then_some(end + 2);
        Some((from, body[from..end].trim()))
    })
    .filter(|(_, p)| !p.is_empty())
}

/// Letters a paragraph needs for [`may_be_copied`].
const COPIED_LETTERS: usize = 60;

/// Whether a paragraph found unchanged in a translation is worth a warning:
/// prose of at least 60 letters, not code, a table or a list.
pub fn may_be_copied(p: &str) -> bool {
    !never_copied(p) && p.chars().filter(|c| c.is_alphabetic()).count() >= COPIED_LETTERS
}

/// Code, tables and lists may stay the same in a translation (the cheap
/// part of [`may_be_copied`], checked for every paragraph at load).
fn never_copied(p: &str) -> bool {
    p.len() < COPIED_LETTERS || p.starts_with("```") || p.starts_with('|') || p.starts_with("- ")
}

/// False only if `p` has fewer than `n` letters: counts ASCII letters and
/// every character outside ASCII (by its first byte), up to `n`. A bound of
/// the count in [`may_be_copied`] (exact on ASCII text) that needs no
/// Unicode table. At load, it leaves out pieces of code and data that a
/// translation keeps as they are (a code block cut at a blank line): the
/// lint read the translation and its source again from disk for each.
fn may_have_letters(p: &str, n: usize) -> bool {
    p.bytes().filter(|&b| b.is_ascii_alphabetic() || b >= 0xC0).take(n).count() >= n
}

/// Whether the lint needs a paragraph's hash: it may be worth a warning
/// if copied ([`may_be_copied`] is true only where this is).
fn kept_for_lint(p: &str) -> bool {
    !never_copied(p) && may_have_letters(p, COPIED_LETTERS)
}

/// Parses one Markdown document (source or translation) under `root/content`,
/// keeping what `keep` says ([`Keep`]).
pub fn parse_markdown(root: &Path, path: &Path, cfg: &Config, keep: Keep, errs: &mut Vec<Diagnostic>) -> Option<Parsed> {
    let rel = rel_path(root, path);
    // The folder and file names, from the relative path (`Path::parent` and
    // `Path::file_name` parse the whole path each time).
    let mut names = rel.rsplit('/');
    let name = names.next()?.to_owned();
    let kind = Kind::from_dir(names.next()?)?;
    let stem = name.strip_suffix(".md")?;
    let (slug, lang) = match stem.split_once('.') {
        Some((s, l)) => (s, l),
        None => (stem, cfg.default_language.as_str()),
    };
    if !is_slug(slug) {
        errs.push(Diagnostic::file(Severity::Error, &rel, 1, 1, format!("file name '{slug}' is not a valid slug")).with_hint("use lowercase ASCII letters, digits and single hyphens, e.g. 'lao-pdr.md'"));
        return None;
    }
    if !cfg.languages.iter().any(|l| l == lang) {
        let mut d = Diagnostic::file(Severity::Error, &rel, 1, 1, format!("unknown language suffix '{lang}': site.toml lists {}", cfg.languages.join(", ")));
        if let Some(h) = did_you_mean(lang, cfg.languages.iter().map(String::as_str)) {
            d = d.with_hint(h);
        }
        errs.push(d);
        return None;
    }
    let file = match SourceFile::read(path, rel) {
        Ok(f) => Arc::new(f),
        Err(d) => {
            errs.push(d);
            return None;
        }
    };
    let split = match split_front_matter(&file) {
        Ok(s) => s,
        Err(d) => {
            errs.push(d);
            return None;
        }
    };
    if lang == "my" {
        check_zawgyi(&file, errs);
    }
    let translation = lang != cfg.default_language;
    let text = &file.text()[split.front.clone()];
    let table = parse_table(&file, text, split.front.start, errs)?;
    let mut out = Collected::default();
    let mut f = Fields::new(&file, split.front.start, table.get_ref(), 0..3, translation, errs, &mut out);
    f.text("title", true);
    f.text("summary", false);
    let draft = f.flag("draft").is_some_and(|d| d.v);
    let status = f.meta_string("status").and_then(|s| parse_status(&s, f.file, f.errs));
    let source_hash = f.meta_string("source_hash");
    let meta = match kind {
        Kind::Brief => brief::parse(&mut f).map(Meta::Brief),
        Kind::Country => country::parse(&mut f).map(Meta::Country),
        Kind::Journey => journey::parse(&mut f).map(Meta::Journey),
        Kind::Page => page::parse(&mut f).map(Meta::Page),
    };
    f.finish(kind.keys());
    let body = &file.text()[split.body.clone()];
    let scan = crate::markdown::scan(body);
    let paragraphs = paragraphs(body).filter(|(_, p)| kept_for_lint(p)).map(|(off, p)| (off, crate::hash::hash_str(p))).collect();
    // Unless kept, the text is read again only to render the body, for a
    // diagnostic or a rare lint; everything else was taken from it above.
    let file = if keep == Keep::Text { file.clone() } else { Arc::new(file.set_aside(path)) };
    let (mut texts, mut structure) = (out.texts, out.structure);
    let digests = texts.iter().map(|(_, t)| TextDigest::of(&t.v)).collect();
    let text_findings = if kind == Kind::Journey { journey_text_findings(&texts) } else { Vec::new() };
    if keep == Keep::Digests {
        texts.drop_values();
    }
    texts.shrink_to_fit();
    structure.shrink_to_fit();
    let variant = Box::new(Variant {
        lang: lang.to_owned(),
        file,
        body: split.body,
        texts,
        structure,
        status,
        source_hash,
        heading_ids: scan.heading_ids,
        findings: scan.findings,
        paragraphs,
        text_hash: std::sync::OnceLock::new(),
        digests,
        text_findings,
    });
    Some(Parsed { kind, slug: slug.to_owned(), lang: lang.to_owned(), draft, meta, variant })
}

/// The site links and raw HTML of a journey's stage descriptions and risk
/// texts (Markdown), with the span of each text that has any.
fn journey_text_findings(texts: &Texts) -> Vec<(Range<usize>, Vec<crate::markdown::Finding>)> {
    texts
        .iter()
        .filter(|(k, t)| (k.ends_with(".description") || k.ends_with(".text")) && crate::markdown::may_have_findings(&t.v))
        .map(|(_, t)| (t.span.clone(), crate::markdown::scan(&t.v).findings))
        .filter(|(_, f)| !f.is_empty())
        .collect()
}

/// Burmese typed in the legacy Zawgyi encoding looks right to some readers
/// and breaks for everyone else: report every line that looks like it.
pub fn check_zawgyi(file: &SourceFile, errs: &mut Vec<Diagnostic>) {
    for hit in crate::zawgyi::find_zawgyi_lines(file.text()) {
        errs.push(zawgyi_error(file, hit.byte_start..hit.byte_end));
    }
}

/// The Zawgyi error for a span.
pub fn zawgyi_error(file: &SourceFile, span: Range<usize>) -> Diagnostic {
    file.error(span, "this Burmese text looks like Zawgyi (legacy encoding) or malformed Unicode")
        .with_hint("convert it to Unicode Burmese (e.g. with a Zawgyi-to-Unicode converter) and type with a Unicode keyboard")
}

/// Each entry of `t` with the entry of `source` under the same key, if any.
/// Both lists are in key order, so they are walked side by side (a search
/// of `source` per key compared long shared prefixes such as
/// `stages.border.risks.` many times over).
fn side_by_side<'a>(source: &'a Texts, t: &'a Texts) -> impl Iterator<Item = (&'a String, &'a Sp<String>, Option<&'a Sp<String>>)> {
    let mut src = source.iter().peekable();
    t.iter().map(move |(key, tv)| {
        while src.next_if(|(sk, _)| sk.as_str() < key.as_str()).is_some() {}
        let found = src.peek().filter(|(sk, _)| *sk == key).map(|(_, sv)| *sv);
        (key, tv, found)
    })
}

/// A translation may repeat structure only as the source has it.
pub(super) fn compare_structure(source: &Variant, t: &Variant, errs: &mut Vec<Diagnostic>) {
    for (key, tv, found) in side_by_side(&source.structure, &t.structure) {
        match found {
            Some(sv) if sv.v == tv.v => {}
            Some(sv) => errs.push(
                t.file
                    .error(tv.span.clone(), format!("translation changes structure: '{key}' is {} here but {} in {}", tv.v, sv.v, source.file.path))
                    .with_hint("structure comes from the default-language file; leave the field out of the translation"),
            ),
            None => {
                let what = if tv.v == "present" { format!("'{key}' does not exist in {}", source.file.path) } else { format!("'{key}' is not set in {}", source.file.path) };
                errs.push(t.file.error(tv.span.clone(), format!("translation changes structure: {what}")).with_hint("a translation repeats only the stages, risks and entries of its source, with the same ids"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: what `paragraphs` replaced.
    fn by_split(body: &str) -> Vec<(usize, &str)> {
        let base = body.as_ptr() as usize;
        body.split("\n\n").map(|p| (p.as_ptr() as usize - base, p.trim())).filter(|(_, p)| !p.is_empty()).collect()
    }

    #[test]
    fn side_by_side_finds_what_a_search_finds() {
        let keys = ["a", "a.b", "a.b.c", "ab", "b", "stages.x", "stages.x.risks.y", "stages.y"];
        // Every pair of subsets of `keys`.
        for m in 0..1u32 << keys.len() {
            for n in (0..1u32 << keys.len()).step_by(7) {
                let texts = |mask: u32, v: &str| {
                    let mut t = Texts::default();
                    for (i, k) in keys.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1) {
                        t.insert((*k).to_owned(), Sp { v: v.to_owned(), span: i..i + 1 });
                    }
                    t
                };
                let (source, t) = (texts(m, "s"), texts(n, "t"));
                let walked: Vec<_> = side_by_side(&source, &t).collect();
                let searched: Vec<_> = t.iter().map(|(k, v)| (k, v, source.get(k))).collect();
                assert_eq!(walked, searched, "{m:b} {n:b}");
            }
        }
    }

    #[test]
    fn paragraphs_the_lint_may_report_are_kept() {
        // Pieces of every kind of character the letter count treats
        // differently: ASCII letters, digits and punctuation, letters and
        // marks of Thai, Lao, Khmer and Burmese, Han, emoji, spaces.
        let pool = ["a", "Z", "7", "=", " ", "\n", "ก", "\u{0E31}", "ລ", "ក", "\u{17B6}", "မ", "\u{103A}", "中", "😀", "é", "ß", "\u{0301}", "```", "|", "- "];
        let mut seed = 11u64;
        let mut copied = 0;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let len = 50 + (seed >> 40) as usize % 60;
            let mut p = String::new();
            for _ in 0..len {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                p.push_str(pool[(seed >> 33) as usize % pool.len()]);
            }
            if may_be_copied(&p) {
                assert!(kept_for_lint(&p), "{p:?}");
                copied += 1;
            }
        }
        assert!(copied > 500, "{copied} of the strings may be copied");
        // Code and data of fewer than 60 letters are left out.
        assert!(!kept_for_lint("[[measures]]\nid = \"joint-border-audit\"\ntargets = [\"fishing/border\"]\n"));
        assert!(kept_for_lint(&"ประเทศไทย ".repeat(8)));
    }

    #[test]
    fn paragraphs_split_as_before() {
        let mut cases: Vec<String> = ["", "\n", "\n\n", "a", "a\n\n", "\n\na", "a\nb\n\nc", "a\n\n\nb", "a\n\n\n\nb", "ไทย\r\n\r\nລາວ\n\n  x  \n\n\n", "a\n \nb"].map(String::from).to_vec();
        // Every string of up to seven characters from "a\n \r".
        let alphabet = ['a', '\n', ' ', '\r'];
        for n in 0..=7u32 {
            for k in 0..4usize.pow(n) {
                cases.push((0..n).map(|i| alphabet[k / 4usize.pow(i) % 4]).collect());
            }
        }
        for c in &cases {
            assert_eq!(paragraphs(c).collect::<Vec<_>>(), by_split(c), "{c:?}");
        }
    }
}

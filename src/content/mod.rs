//! Content: loading and validating the four document kinds and the
//! counter-measure files (the *load* and *validate* steps of a build).

pub mod brief;
pub mod country;
pub mod fields;
pub mod journey;
pub mod measure;
pub mod page;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::diag::{did_you_mean, Diagnostic, Severity};
use crate::source::{split_front_matter, SourceFile};
use fields::{is_slug, parse_table, Collected, Fields, Sp};

/// The four kinds of Markdown document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Research briefs, workshop reports, news.
    Brief,
    /// Country profiles.
    Country,
    /// Hypothetical journeys.
    Journey,
    /// Free pages.
    Page,
}

impl Kind {
    /// All kinds, in the order lists are shown.
    pub const ALL: [Kind; 4] = [Kind::Journey, Kind::Country, Kind::Brief, Kind::Page];

    /// Folder under `content/` (and under `output/<lang>/`).
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Brief => "briefs",
            Kind::Country => "countries",
            Kind::Journey => "journeys",
            Kind::Page => "pages",
        }
    }

    /// Singular name (`brief`), used in templates and search.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Brief => "brief",
            Kind::Country => "country",
            Kind::Journey => "journey",
            Kind::Page => "page",
        }
    }

    /// The kind for a folder name.
    pub fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Brief => brief::KEYS,
            Kind::Country => country::KEYS,
            Kind::Journey => journey::KEYS,
            Kind::Page => page::KEYS,
        }
    }
}

/// Translation status declared in a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Machine or unreviewed translation; readers are told.
    Draft,
    /// Reviewed by a person.
    Reviewed,
}

pub(crate) fn parse_status(s: &Sp<String>, file: &SourceFile, errs: &mut Vec<Diagnostic>) -> Option<Status> {
    match s.v.as_str() {
        "draft" => Some(Status::Draft),
        "reviewed" => Some(Status::Reviewed),
        other => {
            errs.push(file.error(s.span.clone(), format!("status must be \"draft\" or \"reviewed\", not \"{other}\"")));
            None
        }
    }
}

/// Kind-specific structure of a document.
#[derive(Debug, Clone)]
pub enum Meta {
    /// A brief.
    Brief(brief::BriefMeta),
    /// A country.
    Country(country::CountryMeta),
    /// A journey.
    Journey(journey::JourneyMeta),
    /// A page.
    Page(page::PageMeta),
}

/// One language version of a document: its file, texts and body.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Language code.
    pub lang: String,
    /// The file.
    pub file: Arc<SourceFile>,
    /// Byte range of the Markdown body in the file.
    pub body: Range<usize>,
    /// Translatable strings by key.
    pub texts: BTreeMap<String, Sp<String>>,
    /// Structure fields, as rendered for comparison.
    pub structure: BTreeMap<String, Sp<String>>,
    /// Declared status (translations).
    pub status: Option<Status>,
    /// Declared source hash (translations).
    pub source_hash: Option<Sp<String>>,
    /// Ids of the body's headings, in order (computed once at load).
    pub heading_ids: Vec<String>,
    /// Site links and raw HTML of the body, for `check` (found at load).
    pub findings: Vec<crate::markdown::Finding>,
    /// Each paragraph of the body ([`paragraphs`]) that the lint may report
    /// if a translation copied it unchanged (not [`never_copied`]): its
    /// offset and a hash of its text, so the lint needs no text (found at
    /// load).
    pub paragraphs: Vec<(usize, u64)>,
    /// Hash of `texts` and the body ([`hash_texts`]), computed on first
    /// use: every translation's state compares with its source's hash.
    pub text_hash: std::sync::OnceLock<String>,
}

impl Variant {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        // `get`: a text read again after the file changed may be shorter.
        self.file.text().get(self.body.clone()).unwrap_or("")
    }

    /// A text by key.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(|s| s.v.as_str())
    }
}

/// A document in the default language with its translations.
#[derive(Debug, Clone)]
pub struct Document {
    /// Kind.
    pub kind: Kind,
    /// Slug (file stem).
    pub slug: String,
    /// Left out of `build` unless `--drafts`.
    pub draft: bool,
    /// Kind-specific structure.
    pub meta: Meta,
    /// The default-language version.
    pub source: Variant,
    /// Translations by language.
    pub translations: BTreeMap<String, Variant>,
}

impl Document {
    /// Path relative to `content/`: `countries/thailand.md`.
    pub fn path(&self) -> String {
        format!("{}/{}.md", self.kind.dir(), self.slug)
    }

    /// The variant for a language, if translated.
    pub fn variant(&self, lang: &str) -> Option<&Variant> {
        if lang == self.source.lang {
            Some(&self.source)
        } else {
            self.translations.get(lang)
        }
    }

    /// A text in `lang`, falling back to the default language: `(text, language of the text)`.
    pub fn text<'a>(&'a self, lang: &str, key: &str) -> Option<(&'a str, &'a str)> {
        if let Some(v) = self.translations.get(lang) {
            if let Some(t) = v.text(key) {
                return Some((t, v.lang.as_str()));
            }
        }
        self.source.text(key).map(|t| (t, self.source.lang.as_str()))
    }

    /// The title in `lang` (with fallback).
    pub fn title(&self, lang: &str) -> &str {
        self.text(lang, "title").map_or(self.slug.as_str(), |(t, _)| t)
    }

    /// Hash of the translatable content of the source (`source_hash`).
    pub fn source_hash(&self) -> String {
        let v = &self.source;
        v.text_hash
            .get_or_init(|| {
                let texts = || v.texts.iter().map(|(k, t)| (k.as_str(), t.v.as_str()));
                // A body set aside is read again for the hash, not kept.
                v.file.with_text(|t| hash_texts(texts(), t.get(v.body.clone()).unwrap_or(""))).unwrap_or_else(|| hash_texts(texts(), v.body()))
            })
            .clone()
    }

    /// Journey structure, if a journey.
    pub fn journey(&self) -> Option<&journey::JourneyMeta> {
        match &self.meta {
            Meta::Journey(j) => Some(j),
            _ => None,
        }
    }
}

/// Hash of translatable texts and a body: line endings and trailing blanks
/// do not count, so an editor's settings never make a translation outdated.
pub fn hash_texts<'a>(texts: impl Iterator<Item = (&'a str, &'a str)>, body: &str) -> String {
    let mut h = Sha256::new();
    let norm = |s: &str| s.replace("\r\n", "\n").lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_owned();
    for (k, v) in texts {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(norm(v).as_bytes());
        h.update([0]);
    }
    h.update(b"body\0");
    h.update(norm(body).as_bytes());
    let digest = h.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Everything loaded from `content/`, before cross-references are resolved.
#[derive(Debug, Default)]
pub struct Content {
    /// Documents by (kind, slug), sorted.
    pub docs: BTreeMap<(Kind, String), Document>,
    /// Measure files, sorted by path.
    pub measure_files: Vec<measure::MeasureFile>,
    /// Media files (relative to `content/media`).
    pub media: Vec<PathBuf>,
}

/// One Markdown file, parsed.
pub struct Parsed {
    /// Kind, from the folder.
    pub kind: Kind,
    /// Slug, from the file stem.
    pub slug: String,
    /// Language, from the suffix.
    pub lang: String,
    /// `draft = true`.
    pub draft: bool,
    /// Structure (None if invalid).
    pub meta: Option<Meta>,
    /// Texts and body.
    pub variant: Variant,
}

impl Content {
    /// Puts one parsed file in place of its previous version; returns the
    /// previous variant (to undo). Translations are compared with their source.
    pub fn apply(&mut self, p: Parsed, errs: &mut Vec<Diagnostic>) -> Option<(Option<Meta>, bool, Variant)> {
        let doc = self.docs.get_mut(&(p.kind, p.slug.clone()))?;
        if p.lang == doc.source.lang {
            let meta = p.meta?;
            let old_meta = std::mem::replace(&mut doc.meta, meta);
            let old_draft = std::mem::replace(&mut doc.draft, p.draft);
            let old = std::mem::replace(&mut doc.source, p.variant);
            for t in doc.translations.values() {
                compare_structure(&doc.source, t, errs);
            }
            Some((Some(old_meta), old_draft, old))
        } else {
            compare_structure(&doc.source, &p.variant, errs);
            let old = doc.translations.insert(p.lang.clone(), p.variant)?;
            Some((None, doc.draft, old))
        }
    }

    /// Undoes [`Content::apply`].
    pub fn restore(&mut self, kind: Kind, slug: &str, undo: (Option<Meta>, bool, Variant)) {
        let Some(doc) = self.docs.get_mut(&(kind, slug.to_owned())) else { return };
        let (meta, draft, v) = undo;
        if let Some(m) = meta {
            doc.meta = m;
            doc.draft = draft;
            doc.source = v;
        } else {
            doc.translations.insert(v.lang.clone(), v);
        }
    }
}

/// Relative path with `/` separators.
pub fn rel_path(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Loads and validates every file under `root/content`. Errors are pushed to `errs`.
///
/// Without `keep_text` (`check`, and `build` unless serving), the text of each
/// Markdown file is set aside once parsed ([`SourceFile::set_aside`]).
pub fn load(root: &Path, cfg: &Config, keep_text: bool, errs: &mut Vec<Diagnostic>) -> Content {
    let content = root.join("content");
    let mut media = Vec::new();
    if !content.is_dir() {
        errs.push(Diagnostic::file(Severity::Error, "content", 1, 1, "no content/ folder in the site root"));
        return Content::default();
    }
    let t = std::time::Instant::now();
    // The folder is walked while the files found so far are parsed: each
    // thread that wants a file advances the walk, so no CPU waits for it.
    let mut files = walkdir::WalkDir::new(&content).follow_links(false).sort_by_file_name().into_iter();
    let mut walk_errs = Vec::new();
    let found = std::iter::from_fn(|| loop {
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
    let results = std::sync::Mutex::new(Vec::new());
    let dir: &Path = &content;
    rayon::scope(|s| {
        let mut found = found.enumerate();
        loop {
            let batch: Vec<(usize, Found)> = found.by_ref().take(32).collect();
            if batch.is_empty() {
                break;
            }
            let results = &results;
            s.spawn(move |_| {
                let done: Vec<(usize, Loaded, Vec<Diagnostic>)> = batch
                    .into_iter()
                    .map(|(i, f)| {
                        let mut e = Vec::new();
                        let r = match f {
                            Found::Markdown(p) => Loaded::Markdown(parse_markdown(root, &p, cfg, keep_text, &mut e)),
                            Found::Toml(p) => Loaded::Measures(parse_measure_file(root, dir, &p, cfg, &mut e)),
                        };
                        (i, r, e)
                    })
                    .collect();
                results.lock().unwrap_or_else(|p| p.into_inner()).extend(done);
            });
        }
    });
    let loaded: Vec<(usize, Loaded, Vec<Diagnostic>)> = results.into_inner().unwrap_or_else(|p| p.into_inner());
    // In the order of the walk, whichever thread parsed what.
    // Each result goes to its place in the walk (moved once: sorting moved
    // these large values many times).
    let mut slots: Vec<Option<(Loaded, Vec<Diagnostic>)>> = std::iter::repeat_with(|| None).take(loaded.len()).collect();
    for (i, l, e) in loaded {
        slots[i] = Some((l, e));
    }
    errs.append(&mut walk_errs);
    let mut parsed = Vec::with_capacity(slots.len());
    let mut mfiles = Vec::new();
    for (l, e) in slots.into_iter().flatten() {
        match l {
            Loaded::Markdown(p) => parsed.push((p, e)),
            Loaded::Measures(m) => mfiles.push((m, e)),
        }
    }
    crate::build::timing("load: walk and parse", t);
    let t = std::time::Instant::now();
    let mut sources = BTreeMap::new();
    let mut trans = Vec::new();
    for (p, e) in parsed {
        errs.extend(e);
        let Some(p) = p else { continue };
        if p.lang == cfg.default_language {
            sources.insert((p.kind, p.slug.clone()), p);
        } else {
            trans.push(p);
        }
    }
    let mut docs = BTreeMap::new();
    for ((kind, slug), p) in sources {
        let Some(meta) = p.meta else { continue };
        docs.insert((kind, slug.clone()), Document { kind, slug, draft: p.draft, meta, source: p.variant, translations: BTreeMap::new() });
    }
    // Each translation's structure against its source, in parallel.
    let compared: Vec<Vec<Diagnostic>> = trans
        .par_iter()
        .map(|t| {
            let mut e = Vec::new();
            if let Some(doc) = docs.get(&(t.kind, t.slug.clone())) {
                compare_structure(&doc.source, &t.variant, &mut e);
            }
            e
        })
        .collect();
    for (t, e) in trans.into_iter().zip(compared) {
        let Some(doc) = docs.get_mut(&(t.kind, t.slug.clone())) else {
            let source = format!("content/{}/{}.md", t.kind.dir(), t.slug);
            if !root.join(&source).exists() {
                errs.push(Diagnostic::file(Severity::Error, &t.variant.file.path, 1, 1, format!("translation without a source document: {source} does not exist")));
            }
            continue;
        };
        errs.extend(e);
        doc.translations.insert(t.lang.clone(), t.variant);
    }

    crate::build::timing("load: assemble", t);

    let mut measure_files = Vec::new();
    for (m, e) in mfiles {
        errs.extend(e);
        measure_files.extend(m);
    }
    Content { docs, measure_files, media }
}

/// A content file found by the walk.
enum Found {
    Markdown(PathBuf),
    Toml(PathBuf),
}

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
    // As `body.split("\n\n")`, which searched for the two-byte pattern
    // with the general string searcher (a twentieth of `check`); a search
    // for '\n' is a `memchr`.
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        let mut at = from;
        let end = loop {
            match body[at..].find('\n') {
                Some(i) if body.as_bytes().get(at + i + 1) == Some(&b'\n') => break at + i,
                Some(i) => at += i + 1,
                None => break body.len(),
            }
        };
        start = (end < body.len()).then_some(end + 2);
        Some((from, body[from..end].trim()))
    })
    .filter(|(_, p)| !p.is_empty())
}

/// Whether a paragraph found unchanged in a translation is worth a warning:
/// prose of at least 60 letters, not code, a table or a list.
pub fn may_be_copied(p: &str) -> bool {
    !never_copied(p) && p.chars().filter(|c| c.is_alphabetic()).count() >= 60
}

/// Code, tables and lists may stay the same in a translation (the cheap
/// part of [`may_be_copied`], checked for every paragraph at load).
fn never_copied(p: &str) -> bool {
    p.len() < 60 || p.starts_with("```") || p.starts_with('|') || p.starts_with("- ")
}

/// Parses one Markdown document (source or translation) under `root/content`;
/// without `keep_text` its text is set aside ([`SourceFile::set_aside`]).
pub fn parse_markdown(root: &Path, path: &Path, cfg: &Config, keep_text: bool, errs: &mut Vec<Diagnostic>) -> Option<Parsed> {
    let rel = rel_path(root, path);
    let kind = Kind::from_dir(path.parent()?.file_name()?.to_str()?)?;
    let name = path.file_name()?.to_string_lossy().into_owned();
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
    let paragraphs = paragraphs(body).filter(|(_, p)| !never_copied(p)).map(|(off, p)| (off, crate::hash::hash_str(p))).collect();
    // Without `keep_text`, the text is read again only to render the body,
    // for a diagnostic or a rare lint; everything else was taken from it above.
    let file = if keep_text { file.clone() } else { Arc::new(file.set_aside(path)) };
    let variant = Variant { lang: lang.to_owned(), file, body: split.body, texts: out.texts, structure: out.structure, status, source_hash, heading_ids: scan.heading_ids, findings: scan.findings, paragraphs, text_hash: std::sync::OnceLock::new() };
    Some(Parsed { kind, slug: slug.to_owned(), lang: lang.to_owned(), draft, meta, variant })
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

/// A translation may repeat structure only as the source has it.
fn compare_structure(source: &Variant, t: &Variant, errs: &mut Vec<Diagnostic>) {
    for (key, tv) in &t.structure {
        match source.structure.get(key) {
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

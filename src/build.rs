//! One run of the pipeline: load → validate → link → render → write.
//! A build is a value: nothing global, so it can run twice in one process.
//! [`Session`] keeps a successful build in memory so `serve` can apply an
//! edit by re-rendering only the pages it touches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tera::Tera;

use crate::config::Config;
use crate::content::{Keep, Kind, Meta, Variant};
use crate::diag::{has_errors, Diagnostic};
use crate::i18n::Strings;
use crate::link::Site;
use crate::markdown::Highlighter;
use crate::render::{Renderer, SearchCache, Sink, Stats};
use crate::search::{SearchIndexer, Spill};
use crate::theme::Theme;
use crate::write::Staging;

/// What to build.
#[derive(Debug, Clone)]
pub struct Build {
    /// Site root (holds `site.toml`).
    pub root: PathBuf,
    /// Output folder; `None` validates only (`check`).
    pub output: Option<PathBuf>,
    /// Include documents marked `draft = true`.
    pub drafts: bool,
}

/// What a run produced.
#[derive(Debug)]
pub struct Report {
    /// Every error and warning, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages per language.
    pub stats: Stats,
    /// Wall time.
    pub elapsed: Duration,
}

/// A failure that is not about content: exit status 2.
#[derive(Debug)]
pub struct IoFailure(pub String);

impl Report {
    /// True if there is any error.
    pub fn failed(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// With `WAYMARK_TIMINGS=1`, prints how long a step took (for profiling).
pub fn timing(step: &str, since: Instant) {
    if std::env::var_os("WAYMARK_TIMINGS").is_some() {
        let ms = since.elapsed().as_millis();
        match (resident_mb(), cpu_ms()) {
            (Some(mb), Some(cpu)) => eprintln!("timing: {step}: {ms} ms (resident {mb} MB, CPU so far {cpu} ms)"),
            _ => eprintln!("timing: {step}: {ms} ms"),
        }
    }
}

/// Resident memory of this process in MB, where the system tells it
/// (Linux `/proc/self/statm`; 4 KiB pages).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / 1_000_000)
}

/// User and system CPU time of this process so far in ms (Linux
/// `/proc/self/stat`, in clock ticks of 10 ms): with the wall time of a
/// step, how many CPUs it kept busy.
fn cpu_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces), from field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut f = rest.split_whitespace().skip(11);
    let (user, system): (u64, u64) = (f.next()?.parse().ok()?, f.next()?.parse().ok()?);
    Some((user + system) * 10)
}

/// Frees a large value on another thread: freeing a whole site's strings
/// takes a tenth of a second or more, which the caller need not wait for.
pub fn drop_later<T: Send + 'static>(value: T) {
    if std::thread::Builder::new().name("waymark-drop".into()).spawn(move || drop(value)).is_err() {
        // No thread: the value was moved into the failed closure and dropped there.
    }
}

/// Loads, validates and links a site (no templates, no output), keeping of
/// each Markdown file what `keep` says ([`Keep`]): unless kept, the file
/// text is set aside once parsed and read again to render it or for a
/// diagnostic (the loaded site holds a third less memory).
pub fn load_site(root: &Path, drafts: bool, keep: Keep, errs: &mut Vec<Diagnostic>) -> Option<Site> {
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(e) => {
            errs.extend(e);
            return None;
        }
    };
    let content = crate::content::load(root, &config, keep, errs);
    let t = Instant::now();
    let site = crate::link::link(config, content, drafts, errs);
    timing("link", t);
    Some(site)
}

/// A successful build kept in memory (for `serve`).
pub struct Session {
    build: Build,
    out: PathBuf,
    tera: Tera,
    strings: BTreeMap<String, Strings>,
    hl: Highlighter,
    indexer: SearchIndexer,
    site: Site,
    search: SearchCache,
    /// Languages whose search index is out of date after an update.
    stale_search: BTreeSet<String>,
}

struct Tools {
    theme: Theme,
    tera: Tera,
    strings: BTreeMap<String, Strings>,
}

fn tools(root: &Path, site: &Site, diags: &mut Vec<Diagnostic>) -> Option<Tools> {
    let theme = match Theme::load(root, &site.config.theme) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let strings = crate::i18n::load(&theme, &site.config.languages, diags);
    let tera = crate::render::load_templates(&theme, diags)?;
    Some(Tools { theme, tera, strings })
}

impl Build {
    /// Runs the build. Content problems are in the report; `Err` is for I/O.
    pub fn run(&self) -> Result<Report, IoFailure> {
        self.run_session(false).map(|(r, _)| r)
    }

    /// Runs the build and, with `keep`, when it wrote a site, keeps it in
    /// memory with the analysed search entries, so an update re-renders and
    /// re-analyses only what changed (costs memory: for `serve`).
    pub fn run_session(&self, keep: bool) -> Result<(Report, Option<Session>), IoFailure> {
        let start = Instant::now();
        let mut diags = Vec::new();
        let finish = |mut diags: Vec<Diagnostic>, stats: Stats| {
            crate::diag::sort(&mut diags);
            Report { diagnostics: diags, stats, elapsed: start.elapsed() }
        };
        if !self.root.join("site.toml").is_file() {
            return Err(IoFailure(format!("no site.toml in {}", self.root.display())));
        }
        // `check` renders nothing: the texts' digests are enough.
        let kept = match (keep, &self.output) {
            (true, _) => Keep::Text,
            (false, Some(_)) => Keep::Texts,
            (false, None) => Keep::Digests,
        };
        let Some(site) = load_site(&self.root, self.drafts || self.output.is_none(), kept, &mut diags) else {
            return Ok((finish(diags, Stats::default()), None));
        };
        timing("load, validate, link", start);
        let t = Instant::now();
        diags.extend(crate::lint::lint(&site));
        timing("lint", t);
        let t = Instant::now();
        let Some(tools) = tools(&self.root, &site, &mut diags) else {
            return Ok((finish(diags, Stats::default()), None));
        };
        timing("theme, strings and templates", t);
        if has_errors(&diags) {
            return Ok((finish(diags, Stats::default()), None));
        }
        let hl = Highlighter::default();
        let Some(output) = &self.output else {
            // check: the links and HTML found at load are checked; no page is rendered.
            let t = Instant::now();
            let indexer = SearchIndexer::new();
            diags.extend(Renderer::new(&site, &tools.tera, &tools.strings, &hl, &indexer).validate_all());
            timing("check links and HTML", t);
            drop(tools);
            drop_later(site);
            return Ok((finish(diags, Stats::default()), None));
        };
        let mut staging = Staging::new(output).map_err(|e| IoFailure(format!("cannot prepare {}: {e}", output.display())))?;
        let folder = site.config.base_url.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty() && !s.contains(':')).unwrap_or("site").to_owned();
        // Pages are compressed for the archive as they are rendered (if that
        // cannot start, the archive step compresses them from disk).
        let _ = staging.precompress(&folder);
        // A build parks search entries in a file inside the staging folder
        // (removed before the archive); serve keeps them in memory.
        let spill = {
            let _w = crate::write::writing();
            Spill::create(staging.path().join(".waymark-search-spill"))
        };
        let indexer = match (keep, spill) {
            (false, Ok(spill)) => SearchIndexer::new().with_spill(spill),
            _ => SearchIndexer::new(),
        };
        let renderer = Renderer::new(&site, &tools.tera, &tools.strings, &hl, &indexer);
        let (d, stats, search) = renderer.render_all(&staging);
        drop(renderer);
        if std::env::var_os("WAYMARK_TIMINGS").is_some() {
            let n: usize = search.values().map(Vec::len).sum();
            let bytes: usize = search.values().flatten().map(|(_, e)| e.heap_bytes()).sum();
            eprintln!("timing: search entries: {n}, {} MB", bytes >> 20);
        }
        diags.extend(d);
        if let Some(e) = write_failure(&diags) {
            drop(staging);
            return Err(e);
        }
        if has_errors(&diags) {
            drop(staging);
            return Ok((finish(diags, stats), None));
        }
        if let Err(e) = copy_static(&tools.theme, &self.root, &site, &staging) {
            drop(staging);
            return Err(IoFailure(e));
        }
        // Unless serving, the site is freed before the search indexes are
        // built, and the search entries before the archive: peak memory.
        let languages = site.config.languages.clone();
        let site = if keep {
            Some(site)
        } else {
            drop_later(site);
            None
        };
        let t = Instant::now();
        diags.extend(crate::render::write_search_langs(&indexer, &search, &staging, &languages));
        timing("search index", t);
        if let Some(e) = write_failure(&diags) {
            drop(staging);
            return Err(e);
        }
        if has_errors(&diags) {
            drop(staging);
            return Ok((finish(diags, stats), None));
        }
        let (Some(site), true) = (site, keep) else {
            drop_later(search);
            drop(indexer); // removes the spill file
            return self.finish_output(staging, output, &folder, finish(diags, stats)).map(|r| (r, None));
        };
        let report = self.finish_output(staging, output, &folder, finish(diags, stats))?;
        let session = Session { build: self.clone(), out: output.clone(), tera: tools.tera, strings: tools.strings, hl, indexer, site, search, stale_search: BTreeSet::new() };
        Ok((report, Some(session)))
    }

    /// Writes the archive and puts the staged output in place.
    fn finish_output(&self, mut staging: Staging, output: &Path, folder: &str, report: Report) -> Result<Report, IoFailure> {
        let t = Instant::now();
        if let Err(e) = staging.write_archive(folder) {
            drop(staging);
            return Err(IoFailure(format!("cannot write the download archive: {e}")));
        }
        timing("archive", t);
        let t = Instant::now();
        staging.commit().map_err(|e| IoFailure(format!("cannot replace {}: {e}", output.display())))?;
        timing("replace output", t);
        Ok(report)
    }
}

/// Writes straight into a folder (for `serve`, where a half-updated preview
/// is harmless and speed matters).
struct DirSink<'a>(&'a Path);

impl Sink for DirSink<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let p = self.0.join(rel);
        // Unchanged pages are not rewritten (compared only when the size matches).
        if std::fs::metadata(&p).is_ok_and(|m| m.len() == bytes.len() as u64) && std::fs::read(&p).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        // A new file replaces the old one (never written in place: it may be
        // linked from an earlier output).
        let tmp = p.with_extension("waymark-tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(tmp, p)
    }
}

impl Session {
    /// The build this session came from.
    pub fn build(&self) -> &Build {
        &self.build
    }

    /// Documents and measures whose pages show something of `key`.
    fn related(&self, key: &(Kind, String), docs: &mut BTreeSet<(Kind, String)>, measures: &mut BTreeSet<usize>) {
        let site = &self.site;
        let slug = &key.1;
        docs.insert(key.clone());
        let Some(doc) = site.content.docs.get(key) else { return };
        match &doc.meta {
            Meta::Brief(b) => {
                docs.extend(b.countries.iter().map(|c| (Kind::Country, c.v.clone())));
                docs.extend(b.journeys.iter().map(|c| (Kind::Journey, c.v.clone())));
            }
            Meta::Journey(j) => {
                docs.extend(j.origin.iter().chain(j.destination.iter()).map(|c| (Kind::Country, c.v.clone())));
                for s in &j.stages {
                    docs.insert((Kind::Country, s.country.v.clone()));
                    if let Some(ms) = site.stage_measures.get(&(slug.clone(), s.id.clone())) {
                        measures.extend(ms.iter().copied());
                    }
                }
                docs.extend(site.journey_briefs.get(slug).into_iter().flatten().map(|b| (Kind::Brief, b.clone())));
            }
            Meta::Country(_) => {
                docs.extend(site.country_stages.get(slug).into_iter().flatten().map(|(j, _)| (Kind::Journey, j.clone())));
                docs.extend(site.country_briefs.get(slug).into_iter().flatten().map(|b| (Kind::Brief, b.clone())));
                measures.extend(site.country_proposed.get(slug).into_iter().flatten().copied());
                measures.extend(site.country_targeted.get(slug).into_iter().flatten().copied());
            }
            Meta::Page(_) => {}
        }
    }

    /// Applies edits of existing Markdown documents (sources or translations)
    /// and re-renders only the pages they touch. `None` means a full build is
    /// needed (a new or removed file, a free page, a measure file, the theme
    /// or site.toml changed). On `Err` nothing changed.
    pub fn update(&mut self, changed: &[PathBuf]) -> Option<Result<Duration, Vec<Diagnostic>>> {
        let start = Instant::now();
        let root = self.build.root.clone();
        let content_dir = root.join("content");
        let mut parsed = Vec::new();
        let mut errs = Vec::new();
        for p in changed {
            let rel = p.strip_prefix(&content_dir).ok()?;
            let kind = Kind::from_dir(rel.parent()?.to_str()?)?;
            if kind == Kind::Page || !p.is_file() {
                return None;
            }
            let f = crate::content::parse_markdown(&root, p, &self.site.config, Keep::Text, &mut errs)?;
            if !self.site.content.docs.contains_key(&(f.kind, f.slug.clone())) {
                return None;
            }
            if f.lang == self.site.config.default_language && f.draft != self.site.content.docs[&(f.kind, f.slug.clone())].draft {
                return None;
            }
            parsed.push(f);
        }
        if has_errors(&errs) {
            return Some(Err(errs));
        }
        let mut docs = BTreeSet::new();
        let mut measures = BTreeSet::new();
        let keys: Vec<(Kind, String)> = parsed.iter().map(|p| (p.kind, p.slug.clone())).collect();
        let config = self.site.config.clone();
        // An edit of a Markdown body alone (same texts in the front matter,
        // same structure and anchors) shows only on the document's own pages:
        // lists, home, feeds and related pages keep their titles and summaries.
        let body_only = parsed.iter().all(|p| {
            let doc = &self.site.content.docs[&(p.kind, p.slug.clone())];
            let old = if p.lang == config.default_language { Some(&doc.source) } else { doc.translations.get(&p.lang).map(|v| &**v) };
            old.is_some_and(|o| same_texts(o, &p.variant) && (p.lang != config.default_language || same_links(o, &p.variant)))
        });
        let states = |site: &Site| -> Vec<crate::translations::State> {
            keys.iter().filter_map(|k| site.content.docs.get(k)).flat_map(|d| config.translations().map(move |l| crate::translations::doc_state(d, l))).collect()
        };
        let states_before = states(&self.site);
        if !body_only {
            for k in &keys {
                self.related(k, &mut docs, &mut measures);
            }
        }
        // The cross-links depend only on the structure (front matter other
        // than texts) and heading ids of sources: when an edit keeps them,
        // the documents are replaced in place and nothing is re-linked.
        let relink = parsed.iter().any(|p| p.lang == config.default_language && self.site.content.docs.get(&(p.kind, p.slug.clone())).is_none_or(|d| !same_links(&d.source, &p.variant)));
        let mut undo = Vec::new();
        if relink {
            let mut content = std::mem::take(&mut self.site.content);
            for p in parsed {
                let key = (p.kind, p.slug.clone());
                if let Some(u) = content.apply(p, &mut errs) {
                    undo.push((key, u));
                }
            }
            self.site = crate::link::link(config.clone(), content, self.build.drafts, &mut errs);
        } else {
            for p in parsed {
                let key = (p.kind, p.slug.clone());
                if let Some(u) = self.site.content.apply(p, &mut errs) {
                    undo.push((key, u));
                }
            }
        }
        timing(if relink { "update: parse and link" } else { "update: parse (links unchanged)" }, start);
        let hl = &self.hl;
        let renderer = Renderer::new(&self.site, &self.tera, &self.strings, hl, &self.indexer);
        if !has_errors(&errs) {
            errs.extend(renderer.validate_docs(&keys));
        }
        if has_errors(&errs) {
            drop(renderer);
            let mut content = std::mem::take(&mut self.site.content);
            for ((kind, slug), u) in undo.into_iter().rev() {
                content.restore(kind, &slug, u);
            }
            if relink {
                self.site = crate::link::link(config, content, self.build.drafts, &mut Vec::new());
            } else {
                self.site.content = content;
            }
            crate::diag::sort(&mut errs);
            return Some(Err(errs));
        }
        drop(renderer);
        if body_only {
            docs.extend(keys.iter().cloned());
        } else {
            for k in &keys {
                self.related(k, &mut docs, &mut measures);
            }
        }
        let status = body_only && states(&self.site) != states_before;
        let renderer = Renderer::new(&self.site, &self.tera, &self.strings, hl, &self.indexer);
        let doc_refs: Vec<&crate::content::Document> = docs.iter().filter_map(|k| self.site.content.docs.get(k)).collect();
        let measure_list: Vec<usize> = measures.into_iter().filter(|i| *i < self.site.measures.len()).collect();
        let feeds = !body_only && keys.iter().any(|(k, _)| *k == Kind::Brief);
        // Lists of the kinds whose titles may show there, home, status; the
        // measures list and matrix only when journeys or countries changed.
        let mut lists: Vec<Kind> = if body_only { Vec::new() } else { keys.iter().map(|(k, _)| *k).collect() };
        lists.sort();
        lists.dedup();
        let parts = crate::render::LangParts { measures: lists.iter().any(|k| matches!(k, Kind::Journey | Kind::Country)), lists, search_page: false, home: !body_only, status: !body_only || status };
        let sink = DirSink(&self.out);
        let t = Instant::now();
        let g = renderer.render_some(&sink, &doc_refs, &measure_list, feeds, &parts);
        timing(&format!("update: render {} documents, {} measures and the lists", doc_refs.len(), measure_list.len()), t);
        if has_errors(&g.diags) {
            return Some(Err(g.diags));
        }
        // Only languages whose entries changed need their index rewritten;
        // that is left to `write_stale_search`, after the pages are served.
        for (owner, entries) in g.search {
            let old = self.search.get(&owner).map(Vec::as_slice).unwrap_or_default();
            for l in &config.languages {
                let of = |v: &[(String, crate::search::IndexEntry)]| v.iter().filter(|(el, _)| el == l).map(|(_, e)| e.clone()).collect::<Vec<_>>();
                if of(old) != of(&entries) {
                    self.stale_search.insert(l.clone());
                }
            }
            self.search.insert(owner, entries);
        }
        Some(Ok(start.elapsed()))
    }

    /// Rewrites the search indexes that [`Session::update`] left out of
    /// date; returns how long it took.
    pub fn write_stale_search(&mut self) -> Result<Duration, Vec<Diagnostic>> {
        let t = Instant::now();
        let langs: Vec<String> = std::mem::take(&mut self.stale_search).into_iter().collect();
        let d = crate::render::write_search_langs(&self.indexer, &self.search, &DirSink(&self.out), &langs);
        timing(&format!("update: search index of {} language(s)", langs.len()), t);
        if has_errors(&d) {
            return Err(d);
        }
        Ok(t.elapsed())
    }
}

/// Whether two versions of a document have the same front-matter texts.
fn same_texts(a: &Variant, b: &Variant) -> bool {
    a.texts.len() == b.texts.len() && a.texts.iter().zip(&b.texts).all(|((ka, va), (kb, vb))| ka == kb && va.v == vb.v)
}

/// Whether two versions of a source link the same: equal structure fields
/// (ignoring where they are in the file) and heading ids.
fn same_links(a: &Variant, b: &Variant) -> bool {
    a.heading_ids == b.heading_ids && a.structure.len() == b.structure.len() && a.structure.iter().zip(&b.structure).all(|((ka, va), (kb, vb))| ka == kb && va.v == vb.v)
}

fn copy_static(theme: &Theme, root: &Path, site: &Site, staging: &Staging) -> Result<(), String> {
    for (rel, bytes) in theme.under("static") {
        staging.put(&format!("static/{rel}"), bytes).map_err(|e| format!("cannot copy theme file {rel}: {e}"))?;
    }
    staging.copy_tree(&root.join("content/media"), "media", &site.content.media).map_err(|e| format!("cannot copy media: {e}"))
}

/// Files that could not be written make the build an I/O failure (exit
/// status 2, the previous output left as it was), reported once: a full disk
/// is not tens of thousands of content errors.
fn write_failure(diags: &[Diagnostic]) -> Option<IoFailure> {
    let failed: Vec<&Diagnostic> = diags.iter().filter(|d| d.io).collect();
    let first = failed.first()?;
    let more = match failed.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more file)".to_owned(),
        n => format!(" (and {n} more files)"),
    };
    Some(IoFailure(format!("cannot write {}: {}{more}", first.path, first.message.trim_start_matches(crate::diag::WRITE_FAILED))))
}

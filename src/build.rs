//! One run of the pipeline: load → validate → link → render → write.
//! A build is a value: nothing global, so it can run twice in one process.
//! [`Session`] keeps a successful build in memory so `serve` can apply an
//! edit by re-rendering only the pages it touches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tera::Tera;

use crate::config::Config;
use crate::content::{Kind, Meta};
use crate::diag::{has_errors, Diagnostic};
use crate::i18n::Strings;
use crate::link::Site;
use crate::markdown::Highlighter;
use crate::render::{Renderer, SearchCache, Sink, Stats};
use crate::search::SearchIndexer;
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
        eprintln!("timing: {step}: {} ms", since.elapsed().as_millis());
    }
}

/// Frees a large value on another thread: freeing a whole site's strings
/// takes a tenth of a second or more, which the caller need not wait for.
pub fn drop_later<T: Send + 'static>(value: T) {
    if std::thread::Builder::new().name("waymark-drop".into()).spawn(move || drop(value)).is_err() {
        // No thread: the value was moved into the failed closure and dropped there.
    }
}

/// Loads, validates and links a site (no templates, no output).
pub fn load_site(root: &Path, drafts: bool, errs: &mut Vec<Diagnostic>) -> Option<Site> {
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(e) => {
            errs.extend(e);
            return None;
        }
    };
    let content = crate::content::load(root, &config, errs);
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
        let Some(site) = load_site(&self.root, self.drafts || self.output.is_none(), &mut diags) else {
            return Ok((finish(diags, Stats::default()), None));
        };
        timing("load, validate, link", start);
        let t = Instant::now();
        diags.extend(crate::lint::lint(&site));
        timing("lint", t);
        let Some(tools) = tools(&self.root, &site, &mut diags) else {
            return Ok((finish(diags, Stats::default()), None));
        };
        if has_errors(&diags) {
            return Ok((finish(diags, Stats::default()), None));
        }
        let hl = Highlighter::default();
        let indexer = SearchIndexer::new();
        let renderer = Renderer::new(&site, &tools.tera, &tools.strings, &hl, &indexer);
        let Some(output) = &self.output else {
            // check: the links and HTML found at load are checked; no page is rendered.
            diags.extend(renderer.validate_all());
            drop(renderer);
            drop(tools);
            drop_later(site);
            return Ok((finish(diags, Stats::default()), None));
        };
        let staging = Staging::new(output).map_err(|e| IoFailure(format!("cannot prepare {}: {e}", output.display())))?;
        let (d, stats, search) = renderer.render_all(&staging);
        let search = if keep {
            Some(search)
        } else {
            drop_later(search);
            None
        };
        diags.extend(d);
        if has_errors(&diags) {
            drop(staging);
            return Ok((finish(diags, stats), None));
        }
        if let Err(e) = copy_static(&tools.theme, &self.root, &site, &staging) {
            drop(staging);
            return Err(IoFailure(e));
        }
        let t = Instant::now();
        let folder = site.config.base_url.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty() && !s.contains(':')).unwrap_or("site").to_owned();
        if let Err(e) = crate::archive::write_archive(staging.path(), &folder) {
            drop(staging);
            return Err(IoFailure(format!("cannot write the download archive: {e}")));
        }
        timing("static files and archive", t);
        let t = Instant::now();
        staging.commit().map_err(|e| IoFailure(format!("cannot replace {}: {e}", output.display())))?;
        timing("replace output", t);
        let report = finish(diags, stats);
        let Some(search) = search else {
            drop(renderer);
            drop_later(site);
            return Ok((report, None));
        };
        let session = Session { build: self.clone(), out: output.clone(), tera: tools.tera, strings: tools.strings, hl, indexer, site, search };
        Ok((report, Some(session)))
    }
}

/// Writes straight into a folder (for `serve`, where a half-updated preview
/// is harmless and speed matters).
struct DirSink<'a>(&'a Path);

impl Sink for DirSink<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let p = self.0.join(rel);
        // Unchanged pages are not rewritten.
        if std::fs::read(&p).is_ok_and(|old| old == bytes) {
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
            let f = crate::content::parse_markdown(&root, p, &self.site.config, &mut errs)?;
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
        for k in &keys {
            self.related(k, &mut docs, &mut measures);
        }
        let config = self.site.config.clone();
        let mut content = std::mem::take(&mut self.site.content);
        let mut undo = Vec::new();
        for p in parsed {
            let key = (p.kind, p.slug.clone());
            if let Some(u) = content.apply(p, &mut errs) {
                undo.push((key, u));
            }
        }
        self.site = crate::link::link(config.clone(), content, self.build.drafts, &mut errs);
        timing("update: parse and link", start);
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
            self.site = crate::link::link(config, content, self.build.drafts, &mut Vec::new());
            crate::diag::sort(&mut errs);
            return Some(Err(errs));
        }
        drop(renderer);
        for k in &keys {
            self.related(k, &mut docs, &mut measures);
        }
        let renderer = Renderer::new(&self.site, &self.tera, &self.strings, hl, &self.indexer);
        let doc_refs: Vec<&crate::content::Document> = docs.iter().filter_map(|k| self.site.content.docs.get(k)).collect();
        let measure_list: Vec<usize> = measures.into_iter().filter(|i| *i < self.site.measures.len()).collect();
        let feeds = keys.iter().any(|(k, _)| *k == Kind::Brief);
        // Lists of the kinds whose titles may show there, home, status; the
        // measures list and matrix only when journeys or countries changed.
        let mut lists: Vec<Kind> = keys.iter().map(|(k, _)| *k).collect();
        lists.sort();
        lists.dedup();
        let parts = crate::render::LangParts { measures: lists.iter().any(|k| matches!(k, Kind::Journey | Kind::Country)), lists, search_page: false };
        let sink = DirSink(&self.out);
        let t = Instant::now();
        let g = renderer.render_some(&sink, &doc_refs, &measure_list, feeds, &parts);
        timing(&format!("update: render {} documents, {} measures and the lists", doc_refs.len(), measure_list.len()), t);
        let t = Instant::now();
        if has_errors(&g.diags) {
            return Some(Err(g.diags));
        }
        for (owner, entries) in g.search {
            self.search.insert(owner, entries);
        }
        let d = renderer.write_search(&self.search, &sink);
        timing("update: search index", t);
        if has_errors(&d) {
            return Some(Err(d));
        }
        Some(Ok(start.elapsed()))
    }
}

fn copy_static(theme: &Theme, root: &Path, site: &Site, staging: &Staging) -> Result<(), String> {
    for (rel, bytes) in theme.under("static") {
        staging.put(&format!("static/{rel}"), bytes).map_err(|e| format!("cannot copy theme file {rel}: {e}"))?;
    }
    staging.copy_tree(&root.join("content/media"), "media", &site.content.media).map_err(|e| format!("cannot copy media: {e}"))
}

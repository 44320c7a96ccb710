//! The *render* step: every page of every language, from Tera templates.
//!
//! Contexts are built from the link step's indexes (never by scanning the
//! whole library per page) and hold every URL already made relative, so a
//! page works opened from disk. Pages are handed to a [`Sink`] as soon as
//! they are rendered: the whole site is never held in memory.

pub(crate) mod ctx;
mod feeds;
mod pages;

pub use pages::LangParts;

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;
use serde_json::{json, Map, Value};
use tera::Tera;

use crate::config::native_name;
use crate::content::fields::Sp;
use crate::content::{Document, Kind, Variant};
use crate::diag::{Diagnostic, Severity};
use crate::i18n::Strings;
use crate::link::Site;
use crate::markdown::{self, Highlighter, LinkResolver, RenderOpts, Resolved};
use crate::search::{IndexEntry, SearchDoc, SearchIndexer};
use crate::source::SourceFile;
use crate::theme::Theme;
use ctx::{obj, val};

/// Where rendered files go.
pub trait Sink: Sync {
    /// Writes one file at a path relative to the output root.
    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// Writes a page of a batch of documents; what the sink keeps for the
    /// batch as a whole goes in `batch` (see [`Sink::batch_done`]).
    fn put_in_batch(&self, rel: &str, bytes: &[u8], batch: &mut Batch) -> std::io::Result<()> {
        let _ = batch;
        self.put(rel, bytes)
    }

    /// Batch `i` of the documents, in their order, is written (a sink
    /// reports what fails here later, when it is finished).
    fn batch_done(&self, i: usize, batch: Batch) {
        let _ = (i, batch);
    }
}

/// What a sink keeps of the pages of one batch of documents (for the
/// staging folder: the pages compressed for the download archive).
pub type Batch = Vec<(String, Vec<u8>)>;

/// A sink that keeps nothing (for `check`).
pub struct NullSink;

impl Sink for NullSink {
    fn put(&self, _rel: &str, _bytes: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

/// Counts of what was rendered.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// HTML pages per language.
    pub pages: BTreeMap<String, usize>,
}

/// Renders a linked site.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    strings: &'a BTreeMap<String, Strings>,
    hl: &'a Highlighter,
    indexer: &'a SearchIndexer,
    /// Translation states, computed once for the status page of every language.
    rows: std::sync::OnceLock<Vec<crate::cli::Row>>,
    /// Pages in footer order.
    pages: std::sync::OnceLock<Vec<&'a Document>>,
}

/// Loads the theme's templates.
pub fn load_templates(theme: &Theme, errs: &mut Vec<Diagnostic>) -> Option<Tera> {
    let mut tera = Tera::default();
    let mut files = Vec::new();
    for (name, bytes) in theme.under("templates") {
        match std::str::from_utf8(bytes) {
            Ok(t) => files.push((name.to_owned(), t.to_owned())),
            Err(_) => errs.push(Diagnostic::file(Severity::Error, &format!("{}/templates/{name}", theme.origin), 1, 1, "template is not UTF-8")),
        }
    }
    if files.is_empty() {
        errs.push(Diagnostic::file(Severity::Error, &format!("{}/templates", theme.origin), 1, 1, "the theme has no templates"));
        return None;
    }
    if let Err(e) = tera.add_raw_templates(files) {
        errs.push(Diagnostic::file(Severity::Error, &format!("{}/templates", theme.origin), 1, 1, format!("template error: {}", error_chain(&e))));
        return None;
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaper also rewrites '/', which bloats every URL.
    tera.set_escape_fn(markdown::html_escape);
    Some(tera)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s.replace('\n', " ")
}

/// Resolves `@/` links from any page at depth two (`<lang>/<kind>/<page>.html`).
struct Resolver<'a> {
    site: &'a Site,
}

impl LinkResolver for Resolver<'_> {
    fn resolve(&self, target: &str) -> Resolved {
        let (path, frag) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        if let Some(media) = path.strip_prefix("media/") {
            let ok = !media.split('/').any(|c| c == ".." || c.is_empty()) && self.site.content.media.iter().any(|m| m.to_string_lossy().replace('\\', "/") == media);
            return if ok { Resolved::Url(format!("../../media/{media}")) } else { Resolved::Error(format!("no media file 'content/media/{media}'"), None) };
        }
        let Some((dir, file)) = path.split_once('/') else {
            return Resolved::Error(format!("link '@/{target}' must name a document: '@/kind/slug.md'"), Some("e.g. @/countries/thailand.md".into()));
        };
        let Some(kind) = Kind::from_dir(dir) else {
            return Resolved::Error(format!("unknown content folder '{dir}' in link '@/{target}'"), crate::diag::did_you_mean(dir, Kind::ALL.iter().map(|k| k.dir())));
        };
        let Some(slug) = file.strip_suffix(".md") else {
            return Resolved::Error(format!("link '@/{target}' must end in '.md'"), None);
        };
        // Every document has an entry in the anchors (one lookup instead of two).
        let Some(anchors) = self.site.anchors.get(&(kind, slug.to_owned())) else {
            let hint = crate::diag::did_you_mean(slug, self.site.docs_of(kind).map(|d| d.slug.as_str()));
            return Resolved::Error(format!("link to a document that does not exist: '@/{path}'"), hint);
        };
        let mut url = format!("../{dir}/{slug}.html");
        if let Some(f) = frag {
            if !anchors.contains(f) {
                let hint = crate::diag::did_you_mean(f, anchors.iter().map(String::as_str));
                return Resolved::Error(format!("'#{f}' is not a stage or heading of '@/{path}'"), hint);
            }
            url.push('#');
            url.push_str(f);
        }
        Resolved::Url(url)
    }
}

/// A text with the language it is actually in (for `lang` on fallbacks).
fn txt(text: &str, text_lang: &str, page_lang: &str) -> Value {
    obj!({ "t": text, "l": if text_lang == page_lang { "" } else { text_lang } })
}

/// Search entries by what they come from (`briefs/x.md`, `measure:id`),
/// each with its language: kept by `serve` so one edit re-indexes one source.
pub type SearchCache = BTreeMap<String, Vec<(String, IndexEntry)>>;

/// The keys of a page's template context that are the same on every page
/// of a language: set once per language and rendering thread.
const LANG_KEYS: [&str; 3] = ["lang", "t", "site_title"];

/// Template contexts by language, reused from page to page on one
/// rendering thread: the interface strings (`t`, over a hundred) were
/// copied into, and dropped from, the context of every page.
///
/// Also the thread's page buffer.
#[derive(Default)]
pub(super) struct Contexts {
    by_lang: BTreeMap<String, tera::Context>,
    buf: Vec<u8>,
    /// The batch of documents being rendered, if any ([`Sink::put_in_batch`]).
    batch: Option<Batch>,
}

/// Per-page outputs gathered for the search index and feeds.
#[derive(Default)]
pub struct Gathered {
    /// Search entries.
    pub search: SearchCache,
    /// Search entries not analysed yet ([`Gathered::search_later`]).
    pending: Vec<Pending>,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
    /// Pages per language.
    pub pages: BTreeMap<String, usize>,
}

/// A search entry waiting to be analysed: its owner (a [`SearchCache`]
/// key), page language, and text or the index of an identical earlier one.
struct Pending {
    owner: String,
    lang: String,
    text: Result<SearchDoc, usize>,
}

/// Documents rendered before their search texts are analysed together.
const SEARCH_BATCH: usize = 32;

impl Gathered {
    /// Queues the search entry of `d` for `owner` in `lang`, to be analysed
    /// with those of other documents ([`Renderer::analyse_pending`]). Pages
    /// of the same owner queued from `first` on with exactly the same texts
    /// (languages that fall back) share one analysis.
    pub(super) fn search_later(&mut self, first: usize, owner: String, lang: &str, d: SearchDoc) {
        let same = self.pending[first..].iter().position(|p| p.text.as_ref().is_ok_and(|t| *t == d));
        let text = match same {
            Some(k) => Err(first + k),
            None => Ok(d),
        };
        self.pending.push(Pending { owner, lang: lang.to_owned(), text });
    }

    fn merge(mut self, other: Gathered) -> Gathered {
        for (owner, mut v) in other.search {
            self.search.entry(owner).or_default().append(&mut v);
        }
        let base = self.pending.len();
        self.pending.extend(other.pending.into_iter().map(|mut p| {
            if let Err(k) = &mut p.text {
                *k += base;
            }
            p
        }));
        self.diags.extend(other.diags);
        for (l, n) in other.pages {
            *self.pages.entry(l).or_default() += n;
        }
        self
    }
}

impl<'a> Renderer<'a> {
    /// A renderer over a linked site.
    pub fn new(site: &'a Site, tera: &'a Tera, strings: &'a BTreeMap<String, Strings>, hl: &'a Highlighter, indexer: &'a SearchIndexer) -> Self {
        Renderer { site, tera, strings, hl, indexer, rows: std::sync::OnceLock::new(), pages: std::sync::OnceLock::new() }
    }

    fn lang_strings(&self, lang: &str) -> &Strings {
        &self.strings[lang]
    }

    /// Renders Markdown of a variant's body, reporting problems at file positions.
    fn body_html(&self, doc: &Document, v: &Variant, diags: &mut Vec<Diagnostic>) -> (String, String) {
        // A translation reuses its source's anchors when it has as many headings.
        let same_count = v.lang != doc.source.lang && v.heading_ids.len() == doc.source.heading_ids.len();
        let opts = RenderOpts { heading_ids: same_count.then_some(doc.source.heading_ids.as_slice()), trusted_html: self.site.config.trusted_html, inline: false };
        // A build sets bodies aside after loading: each is read again here.
        let rendered = v.file.with_text(|t| {
            t.get(v.body.clone()).map(|body| {
                // The translations' state needs the source's hash: taken
                // now, while the body is in memory, not read for it again.
                if std::ptr::eq(v, &doc.source) && !doc.translations.is_empty() {
                    v.hash_with_body(body);
                }
                markdown::render(body, &Resolver { site: self.site }, self.hl, &opts)
            })
        });
        let Some(Some(r)) = rendered else {
            diags.push(Diagnostic::file(Severity::Error, &v.file.path, 1, 1, "the file changed while the site was being built").with_hint("build again"));
            return (String::new(), String::new());
        };
        for p in r.problems {
            let span = v.body.start + p.range.start..v.body.start + p.range.end;
            diags.push(problem(&v.file, span, p));
        }
        (r.html, r.text)
    }

    /// Renders a short Markdown field (stage description, risk text) inline.
    fn field_html(&self, file: &SourceFile, text: &Sp<String>, diags: &mut Vec<Diagnostic>) -> (String, String) {
        let opts = RenderOpts { heading_ids: None, trusted_html: self.site.config.trusted_html, inline: true };
        let r = markdown::render(&text.v, &Resolver { site: self.site }, self.hl, &opts);
        for p in r.problems {
            diags.push(problem(file, text.span.clone(), p));
        }
        (r.html, r.text)
    }

    /// The common context of every page.
    fn base(&self, lang: &str, rel: &str, title: &str, summary: Option<&str>) -> Map<String, Value> {
        let cfg = &self.site.config;
        let depth = rel.matches('/').count() + 1;
        let root = "../".repeat(depth);
        let lang_root = "../".repeat(depth - 1);
        let s = self.lang_strings(lang);
        let alternates: Vec<Value> = cfg
            .languages
            .iter()
            .map(|l| obj!({ "lang": l, "name": native_name(l), "href": format!("{root}{l}/{rel}"), "abs": format!("{}{l}/{rel}", cfg.base_url), "current": l == lang }))
            .collect();
        let section = rel.split('/').next().unwrap_or("");
        let nav: Vec<Value> = [("journeys/index.html", "nav_journeys", "journeys"), ("countries/index.html", "nav_countries", "countries"), ("countermeasures/index.html", "nav_measures", "countermeasures"), ("briefs/index.html", "nav_briefs", "briefs"), ("search/index.html", "nav_search", "search")]
            .iter()
            .map(|(href, key, sec)| obj!({ "href": format!("{lang_root}{href}"), "label": s.get(key), "current": *sec == section }))
            .collect();
        let pages: Vec<Value> = self
            .pages_sorted()
            .iter()
            .map(|d| {
                let (t, tl) = d.text(lang, "title").unwrap_or((&d.slug, lang));
                obj!({ "href": format!("{lang_root}pages/{}.html", d.slug), "title": txt(t, tl, lang) })
            })
            .collect();
        let mut m = Map::new();
        m.insert("root".into(), val(root));
        m.insert("lang_root".into(), val(&lang_root));
        m.insert("home".into(), val(format!("{lang_root}index.html")));
        m.insert("page_title".into(), val(title));
        m.insert("description".into(), val(summary.unwrap_or("")));
        m.insert("canonical".into(), val(format!("{}{lang}/{rel}", cfg.base_url)));
        m.insert("alternates".into(), val(alternates));
        m.insert("x_default".into(), val(format!("{}{}/{rel}", cfg.base_url, cfg.default_language)));
        m.insert("nav".into(), val(nav));
        m.insert("footer_pages".into(), val(pages));
        m.insert("feed".into(), val(format!("{lang_root}atom.xml")));
        m.insert("notices".into(), json!([]));
        m
    }

    /// Pages in footer order, sorted once (the footer of every page lists them).
    fn pages_sorted(&self) -> &[&'a Document] {
        self.pages.get_or_init(|| {
            let mut p: Vec<&'a Document> = self.site.docs_of(Kind::Page).collect();
            p.sort_by_key(|d| (match &d.meta {
                crate::content::Meta::Page(p) => p.weight,
                _ => 0,
            }, d.slug.clone()));
            p
        })
    }

    /// The template context of a page of `lang`: the language's fixed
    /// values ([`Contexts`]) with the page's own values moved in; they are
    /// taken out again after rendering.
    fn emit(&self, cx: &mut Contexts, sink: &dyn Sink, template: &str, rel_in_lang: Option<(&str, &str)>, rel: &str, ctx: Map<String, Value>, g: &mut Gathered) {
        // Rendered into the thread's buffer: no new buffer grown page by
        // page, and no UTF-8 check of the whole page (`Tera::render` makes
        // a `String`); the page goes to the sink as bytes anyway.
        let mut buf = std::mem::take(&mut cx.buf);
        buf.clear();
        let rendered = match rel_in_lang {
            Some((lang, _)) => {
                let context = cx.by_lang.entry(lang.to_owned()).or_insert_with(|| self.lang_context(lang));
                let mut ctx = ctx;
                for k in LANG_KEYS {
                    debug_assert!(!ctx.contains_key(k), "a page context sets the language value {k}");
                    ctx.remove(k);
                }
                let keys: Vec<String> = ctx.keys().cloned().collect();
                context.extend(tera::Context::from_value(Value::Object(ctx)).unwrap_or_default());
                let r = self.tera.render_to(template, context, &mut buf);
                for k in &keys {
                    context.remove(k);
                }
                r
            }
            None => match tera::Context::from_value(Value::Object(ctx)) {
                Ok(c) => self.tera.render_to(template, &c, &mut buf),
                Err(e) => {
                    g.diags.push(Diagnostic::file(Severity::Error, rel, 1, 1, format!("template context: {e}")));
                    return;
                }
            },
        };
        match rendered {
            Ok(()) => {
                let put = match cx.batch.as_mut() {
                    Some(batch) => sink.put_in_batch(rel, &buf, batch),
                    None => sink.put(rel, &buf),
                };
                if let Err(e) = put {
                    g.diags.push(Diagnostic::write_failure(rel, &e));
                }
                if let Some((lang, _)) = rel_in_lang {
                    *g.pages.entry(lang.to_owned()).or_default() += 1;
                }
            }
            Err(e) => g.diags.push(Diagnostic::file(Severity::Error, &format!("themes/{}/templates/{template}", self.site.config.theme), 1, 1, format!("cannot render {rel}: {}", error_chain(&e)))),
        }
        cx.buf = buf;
    }

    /// The values every page of `lang` shares ([`LANG_KEYS`]).
    fn lang_context(&self, lang: &str) -> tera::Context {
        let mut m = Map::new();
        m.insert("lang".into(), val(lang));
        m.insert("t".into(), Value::Object(self.lang_strings(lang).map.clone()));
        m.insert("site_title".into(), val(self.site.config.title_in(lang)));
        tera::Context::from_value(Value::Object(m)).unwrap_or_default()
    }

    /// Renders every Markdown text of the site (bodies, stage and risk texts)
    /// to find bad links and HTML, without templates: what `check` needs.
    pub fn validate_all(&self) -> Vec<Diagnostic> {
        let keys: Vec<(Kind, String)> = self.site.content.docs.keys().cloned().collect();
        self.validate_docs(&keys)
    }

    /// [`Renderer::validate_all`] for some documents.
    pub fn validate_docs(&self, keys: &[(Kind, String)]) -> Vec<Diagnostic> {
        keys.par_iter()
            .filter_map(|k| self.site.content.docs.get(k))
            .flat_map_iter(|doc| {
                let mut diags = Vec::new();
                let resolver = Resolver { site: self.site };
                let trusted = self.site.config.trusted_html;
                for v in std::iter::once(&doc.source).chain(doc.translations.values().map(|v| &**v)) {
                    // The body was scanned at load: only its links and HTML are checked here.
                    for p in markdown::check_findings(&v.findings, &resolver, trusted) {
                        let span = v.body.start + p.range.start..v.body.start + p.range.end;
                        diags.push(problem(&v.file, span, p));
                    }
                    // Journey texts were scanned at load.
                    for (span, findings) in &v.text_findings {
                        for p in markdown::check_findings(findings, &resolver, trusted) {
                            diags.push(problem(&v.file, span.clone(), p));
                        }
                    }
                }
                diags
            })
            .collect()
    }

    /// Renders every page into `sink`; returns diagnostics, page counts and
    /// the search entries.
    ///
    /// The search indexes are not written yet: the caller may free the
    /// site first, then call [`write_search_langs`].
    pub fn render_all(&self, sink: &dyn Sink) -> (Vec<Diagnostic>, Stats, SearchCache) {
        let docs: Vec<&Document> = self.site.content.docs.values().collect();
        let measures: Vec<usize> = (0..self.site.measures.len()).collect();
        let t = std::time::Instant::now();
        // The language chooser, 404 page and sitemap need no rendered page:
        // they are written alongside, not after, the pages (the sitemap
        // alone took half a second at 10,000 documents).
        let (g, rest) = rayon::join(
            || self.render_some(sink, &docs, &measures, true, &LangParts::all()),
            || {
                let mut g = Gathered::default();
                self.render_root(sink, &mut g);
                feeds::write_sitemap(self.site, sink, &mut g.diags);
                g
            },
        );
        let mut g = g.merge(rest);
        crate::build::timing("render pages", t);
        let search = std::mem::take(&mut g.search);
        (g.diags, Stats { pages: g.pages }, search)
    }

    /// Renders some documents and measures, every language's lists, home,
    /// matrix, status and search pages, and (if `feeds`) the Atom feeds.
    pub fn render_some(&self, sink: &dyn Sink, docs: &[&Document], measures: &[usize], feeds: bool, parts: &LangParts) -> Gathered {
        let g = self.in_batches(docs, 0, sink, |d, cx| self.render_doc(d, sink, cx));
        let g2 = self.in_batches(measures, docs.len().div_ceil(SEARCH_BATCH), sink, |i, cx| self.render_measure(*i, sink, cx));
        let langs = &self.site.config.languages;
        // Five languages on fewer threads: the feeds fill the gaps.
        let (g3, feed_diags) = rayon::join(
            || langs.par_iter().map_init(Contexts::default, |cx, l| self.render_lang(l, sink, parts, cx)).reduce(Gathered::default, Gathered::merge),
            || {
                let per_lang: Vec<Vec<Diagnostic>> = if feeds {
                    langs
                        .par_iter()
                        .map(|l| {
                            let mut d = Vec::new();
                            feeds::write_atom(self.site, self.lang_strings(l), l, sink, &mut d);
                            d
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                per_lang.concat()
            },
        );
        let mut g = g.merge(g2).merge(g3);
        g.diags.extend(feed_diags);
        g
    }
}

impl Renderer<'_> {
    /// Renders `items` a batch of [`SEARCH_BATCH`] at a time; batches are
    /// numbered from `first` on for [`Sink::batch_done`].
    ///
    /// Search texts are analysed a batch at a time, grouped by language, so
    /// each language's dictionary stays in the CPU cache (page by page, the
    /// five languages took turns evicting it). Each thread takes the next
    /// batch in order, so batches are done nearly in order, and the sink can
    /// keep what it writes in that order without holding much (the download
    /// archive is written as pages are rendered).
    fn in_batches<T: Sync>(&self, items: &[T], first: usize, sink: &dyn Sink, render: impl Fn(&T, &mut Contexts) -> Gathered + Sync) -> Gathered {
        let batches: Vec<&[T]> = items.chunks(SEARCH_BATCH).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        (0..rayon::current_num_threads().max(1))
            .into_par_iter()
            .map(|_| {
                let mut cx = Contexts::default();
                let mut g = Gathered::default();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(batch) = batches.get(i) else { break };
                    cx.batch = Some(Vec::new());
                    let mut bg = batch.iter().fold(Gathered::default(), |g, item| g.merge(render(item, &mut cx)));
                    self.analyse_pending(&mut bg);
                    sink.batch_done(first + i, cx.batch.take().unwrap_or_default());
                    g = g.merge(bg);
                }
                g
            })
            .reduce(Gathered::default, Gathered::merge)
    }

    /// Analyses the queued search texts of `g`, one language after the
    /// other, and files the entries in queue order.
    fn analyse_pending(&self, g: &mut Gathered) {
        let mut pending = std::mem::take(&mut g.pending);
        let mut order: Vec<usize> = (0..pending.len()).filter(|&i| pending[i].text.is_ok()).collect();
        order.sort_by(|&a, &b| pending[a].text.as_ref().map(|d| &d.lang).ok().cmp(&pending[b].text.as_ref().map(|d| &d.lang).ok()));
        let mut entries: Vec<Option<IndexEntry>> = vec![None; pending.len()];
        for i in order {
            if let Ok(d) = std::mem::replace(&mut pending[i].text, Err(i)) {
                entries[i] = Some(self.indexer.entry(d));
            }
        }
        for (i, p) in pending.into_iter().enumerate() {
            let from = p.text.err().unwrap_or(i);
            if let Some(e) = entries[from].clone() {
                g.search.entry(p.owner).or_default().push((p.lang, e));
            }
        }
    }
}

/// Writes `<lang>/search/search-index.js` for some languages.
pub fn write_search_langs(indexer: &SearchIndexer, cache: &SearchCache, sink: &dyn Sink, languages: &[String]) -> Vec<Diagnostic> {
    let diags = Mutex::new(Vec::new());
    languages.par_iter().for_each(|l| {
        let mut docs: Vec<&IndexEntry> = cache.values().flatten().filter(|(lang, _)| lang == l).map(|(_, d)| d).collect();
        docs.sort_by(|a, b| a.url.cmp(&b.url));
        let written = indexer.write_index(l, &docs).and_then(|js| sink.put(&format!("{l}/search/search-index.js"), js.as_bytes()));
        if let Err(e) = written {
            diags.lock().unwrap_or_else(|p| p.into_inner()).push(Diagnostic::write_failure(&format!("{l}/search/search-index.js"), &e));
        }
    });
    diags.into_inner().unwrap_or_default()
}

impl Renderer<'_> {
    fn render_root(&self, sink: &dyn Sink, g: &mut Gathered) {
        let cfg = &self.site.config;
        let langs: Vec<Value> = cfg
            .languages
            .iter()
            .map(|l| obj!({ "lang": l, "name": native_name(l), "href": format!("{l}/index.html"), "title": cfg.title_in(l), "choose": self.lang_strings(l).get("choose_language") }))
            .collect();
        let d = &cfg.default_language;
        let mut ctx = Map::new();
        ctx.insert("lang".into(), val(d));
        ctx.insert("t".into(), Value::Object(self.lang_strings(d).map.clone()));
        ctx.insert("root".into(), val(""));
        ctx.insert("site_title".into(), val(cfg.title_in(d)));
        ctx.insert("languages".into(), val(langs));
        ctx.insert("canonical".into(), val(&cfg.base_url));
        ctx.insert("alternates".into(), val(cfg.languages.iter().map(|l| obj!({"lang": l, "abs": format!("{}{l}/index.html", cfg.base_url)})).collect::<Vec<_>>()));
        self.emit(&mut Contexts::default(), sink, "choose_language.html", None, "index.html", ctx.clone(), g);
        self.emit(&mut Contexts::default(), sink, "404.html", None, "404.html", ctx, g);
    }
}

fn problem(file: &SourceFile, span: std::ops::Range<usize>, p: markdown::MdProblem) -> Diagnostic {
    let sev = if p.warning { Severity::Warning } else { Severity::Error };
    let d = file.diag(sev, span, p.message);
    match p.hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

//! The fuzz targets' bodies, one function per target (`fuzz_targets/*.rs`
//! only call them), and their helpers: a fixed site configuration, an
//! in-memory copy of the loader's per-file parsing, a link resolver that
//! accepts some `@/` links and rejects others, and checks on diagnostics.
//!
//! Everything here calls only Waymark's public API and std (plus `tempfile`),
//! so `tests/fuzz_regressions.rs` includes this file with `#[path]` and
//! replays every saved input through exactly the code that fuzzed it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use waymark::build::Build;
use waymark::config::Config;
use waymark::content::fields::{parse_table, Collected, Fields};
use waymark::content::{brief, check_zawgyi, country, journey, measure, page, Kind};
use waymark::diag::Diagnostic;
use waymark::markdown::{check_findings, heading_ids, render, scan, Highlighter, LinkResolver, RenderOpts, Resolved};
use waymark::source::{split_front_matter, SourceFile};

/// The targets, as named in `fuzz/Cargo.toml` and `fuzz/corpus/`.
pub const TARGETS: [&str; 5] = ["front_matter", "measures_toml", "markdown", "config", "site"];

/// Runs one target's body on an input (for replaying saved inputs).
pub fn run(target: &str, data: &[u8]) {
    match target {
        "front_matter" => front_matter(data),
        "measures_toml" => measures_toml(data),
        "markdown" => markdown(data),
        "config" => config_toml(data),
        "site" => site(data),
        other => panic!("unknown fuzz target '{other}'"),
    }
}

/// `front_matter`: one Markdown document of any kind and language, from
/// bytes to fields: UTF-8 decoding (BOM, invalid bytes), `+++` splitting
/// (CRLF), the TOML front matter and the kind's field parser, as
/// `content::load` runs them. The first byte picks the kind (bits 0-1) and
/// the language suffix (the rest, modulo 5); the other bytes are the file.
pub fn front_matter(data: &[u8]) {
    let Some((&sel, bytes)) = data.split_first() else { return };
    let kind = Kind::ALL[usize::from(sel & 3)];
    let lang = LANGS[usize::from(sel >> 2) % LANGS.len()];
    let _ = parse_document(bytes, kind, lang);
}

/// `measures_toml`: a counter-measures file through `content::measure::parse`,
/// then the hash and language checks the link and translation steps run on it.
pub fn measures_toml(data: &[u8]) {
    let file = match SourceFile::from_bytes("content/countermeasures/thailand.toml".into(), data.to_vec()) {
        Ok(f) => Arc::new(f),
        Err(_) => return,
    };
    let cfg = config();
    let mut errs = Vec::new();
    let parsed = measure::parse(file.clone(), "countermeasures/thailand.toml".into(), cfg, &mut errs);
    check_diagnostics(&file, &errs);
    if let Some(m) = parsed {
        let _ = m.source_hash(&cfg.default_language);
        for l in LANGS {
            let _ = m.has_language(l);
        }
    }
}

/// `markdown`: a body through `markdown::render` with `@/` links, some of
/// which resolve and some not, plus `heading_ids`. The first byte holds the
/// options: bit 0 trusted HTML, bit 1 inline, bit 2 reuse the heading ids
/// (as a translation does); the other bytes are the Markdown (lossy UTF-8).
pub fn markdown(data: &[u8]) {
    let Some((&flags, bytes)) = data.split_first() else { return };
    let md = String::from_utf8_lossy(bytes);
    let ids = heading_ids(&md);
    let opts = RenderOpts { heading_ids: if flags & 4 != 0 { Some(&ids) } else { None }, trusted_html: flags & 1 != 0, inline: flags & 2 != 0 };
    let r = render(&md, &FuzzResolver, highlighter(), &opts);
    for p in &r.problems {
        assert!(p.range.start <= p.range.end && p.range.end <= md.len(), "problem range {:?} outside the text ({} bytes): {}", p.range, md.len(), p.message);
        assert!(md.is_char_boundary(p.range.start) && md.is_char_boundary(p.range.end), "problem range {:?} splits a character", p.range);
    }
    // `check` does not render: its single scan must find exactly what rendering finds.
    let scan = scan(&md);
    assert_eq!(scan.heading_ids, ids, "scan and heading_ids disagree");
    let found: Vec<_> = check_findings(&scan.findings, &FuzzResolver, opts.trusted_html).into_iter().map(|p| (p.range, p.message, p.warning)).collect();
    let rendered: Vec<_> = r.problems.into_iter().map(|p| (p.range, p.message, p.warning)).collect();
    assert_eq!(found, rendered, "check and build report different problems");
}

/// `config`: `site.toml` through `Config::parse`.
pub fn config_toml(data: &[u8]) {
    let Ok(file) = SourceFile::from_bytes("site.toml".into(), data.to_vec()) else { return };
    match Config::parse(&file) {
        Ok(cfg) => {
            assert_eq!(cfg.languages.first(), Some(&cfg.default_language), "the default language comes first");
            assert!(cfg.base_url.ends_with('/'));
            for l in &cfg.languages {
                let _ = cfg.title_in(l);
            }
            let _ = cfg.translations().count();
        }
        Err(errs) => {
            assert!(!errs.is_empty());
            check_diagnostics(&file, &errs);
        }
    }
}

/// The files of the `site` target, in the order of the input's parts.
pub const SITE_FILES: [&str; 8] = [
    "content/countries/thailand.md",
    "content/countries/thailand.th.md",
    "content/journeys/fishing.md",
    "content/briefs/report.md",
    "content/pages/about.md",
    "content/countermeasures/thailand.toml",
    "content/countries/cambodia.md",
    "site.toml",
];

/// What separates the files in a `site` input (a line `%%FILE%%`).
pub const SITE_SEP: &[u8] = b"\n%%FILE%%\n";

static SITE_ROOT: OnceLock<PathBuf> = OnceLock::new();

fn site_root() -> &'static PathBuf {
    SITE_ROOT.get_or_init(|| tempfile::Builder::new().prefix("waymark-fuzz-site").tempdir().expect("temp dir").keep())
}

/// Removes the `site` target's temporary site root, if one was made.
pub fn remove_site_root() {
    if let Some(root) = SITE_ROOT.get() {
        let _ = std::fs::remove_dir_all(root);
    }
}

fn split_parts(mut data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    while let Some(i) = data.windows(SITE_SEP.len()).position(|w| w == SITE_SEP) {
        parts.push(&data[..i]);
        data = &data[i + SITE_SEP.len()..];
    }
    parts.push(data);
    parts
}

/// `site`: a whole tiny site from fuzzed files. The input after the first
/// byte is split on [`SITE_SEP`] into [`SITE_FILES`] (missing ones are left
/// out), written to a temporary site root (one per process, rewritten each
/// run) and checked and rendered by `Build { output: None, .. }.run()`:
/// load, validate, link and render every page with the built-in theme,
/// without writing output. The first byte holds flags: bit 0 takes
/// `site.toml` from the last part (the fixed [`SITE_TOML`] when there is no
/// such part), bit 1 builds with drafts.
pub fn site(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else { return };
    let root = site_root();
    let _ = std::fs::remove_dir_all(root.join("content"));
    for d in ["countries", "journeys", "briefs", "pages", "countermeasures", "media"] {
        std::fs::create_dir_all(root.join("content").join(d)).expect("create content folder");
    }
    let parts = split_parts(rest);
    let fuzz_config = flags & 1 != 0;
    for (i, name) in SITE_FILES.iter().enumerate() {
        let bytes = match (*name == "site.toml", fuzz_config) {
            (true, true) => Some(parts.get(i).copied().unwrap_or(SITE_TOML.as_bytes())),
            (true, false) => Some(SITE_TOML.as_bytes()),
            (false, _) => parts.get(i).copied(),
        };
        let path = root.join(name);
        match bytes {
            Some(b) => std::fs::write(&path, b).expect("write site file"),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let build = Build { root: root.clone(), output: None, drafts: flags & 2 != 0 };
    let report = build.run().expect("validation without output never fails on I/O");
    for d in &report.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{}", d.headline());
        let _ = d.render_text(false);
    }
}

/// The `site.toml` of the fuzzed sites (five languages, English first).
pub const SITE_TOML: &str = "base_url = \"https://fuzz.example/site/\"\n\
default_language = \"en\"\n\
languages = [\"en\", \"th\", \"lo\", \"km\", \"my\"]\n\
theme = \"default\"\n\
\n\
[title]\n\
en = \"Fuzz site\"\n\
th = \"เว็บไซต์ทดสอบ\"\n";

/// The parsed [`SITE_TOML`], built once per process.
pub fn config() -> &'static Config {
    static CFG: OnceLock<Config> = OnceLock::new();
    CFG.get_or_init(|| Config::parse(&SourceFile::new("site.toml".into(), SITE_TOML.into())).expect("the fuzz site.toml is valid"))
}

/// One highlighter per process (loading syntect's syntaxes is slow).
pub fn highlighter() -> &'static Highlighter {
    static HL: OnceLock<Highlighter> = OnceLock::new();
    HL.get_or_init(Highlighter::default)
}

/// The language suffixes a fuzzed document may have.
pub const LANGS: [&str; 5] = ["en", "th", "lo", "km", "my"];

/// What `content::load` does with one Markdown file once it has read it
/// (the private `content::parse_markdown`), in memory: decode, split the
/// front matter, check Zawgyi for Burmese, parse the TOML and run the kind's
/// field parser. Returns whether the document parsed, and its diagnostics.
pub fn parse_document(bytes: &[u8], kind: Kind, lang: &str) -> (bool, Vec<Diagnostic>) {
    let cfg = config();
    let mut errs = Vec::new();
    let rel = format!("content/{}/fuzz.{lang}.md", kind.dir());
    let file = match SourceFile::from_bytes(rel, bytes.to_vec()) {
        Ok(f) => Arc::new(f),
        Err(d) => return (false, vec![d]),
    };
    let split = match split_front_matter(&file) {
        Ok(s) => s,
        Err(d) => return (false, vec![d]),
    };
    // The split must cut the text at character boundaries, in order.
    assert!(split.front.start <= split.front.end && split.front.end <= split.body.start && split.body.end == file.text().len());
    let _ = &file.text()[split.front.clone()];
    let body = &file.text()[split.body.clone()];
    if lang == "my" {
        check_zawgyi(&file, &mut errs);
    }
    let translation = lang != cfg.default_language;
    let text = &file.text()[split.front.clone()];
    let Some(table) = parse_table(&file, text, split.front.start, &mut errs) else {
        return (false, errs);
    };
    let mut out = Collected::default();
    let mut f = Fields::new(&file, split.front.start, table.get_ref(), 0..3, translation, &mut errs, &mut out);
    f.text("title", true);
    f.text("summary", false);
    let _draft = f.flag("draft").is_some_and(|d| d.v);
    if let Some(s) = f.meta_string("status") {
        if s.v != "draft" && s.v != "reviewed" {
            let e = f.file.error(s.span.clone(), format!("status must be \"draft\" or \"reviewed\", not \"{}\"", s.v));
            f.errs.push(e);
        }
    }
    let _hash = f.meta_string("source_hash");
    let (ok, keys) = match kind {
        Kind::Brief => (brief::parse(&mut f).is_some(), brief::KEYS),
        Kind::Country => (country::parse(&mut f).is_some(), country::KEYS),
        Kind::Journey => (journey::parse(&mut f).is_some(), journey::KEYS),
        Kind::Page => (page::parse(&mut f).is_some(), page::KEYS),
    };
    f.finish(keys);
    // The translation hash normalises the body and texts; run it too.
    let _ = waymark::content::hash_texts(out.texts.iter().map(|(k, v)| (k.as_str(), v.v.as_str())), body);
    check_diagnostics(&file, &errs);
    (ok, errs)
}

/// Every diagnostic must point inside its file and render without panicking.
pub fn check_diagnostics(file: &SourceFile, diags: &[Diagnostic]) {
    let lines = file.text().matches('\n').count() + 1;
    for d in diags {
        assert!(d.line >= 1 && d.column >= 1, "diagnostic at line {} column {}: {}", d.line, d.column, d.message);
        if d.path == file.path {
            assert!(d.line <= lines, "diagnostic past the end of the file: line {} of {lines}: {}", d.line, d.message);
        }
        let _ = d.render_text(true);
        let _ = d.render_github();
    }
}

/// Resolves a few `@/` targets, like a tiny site would, and rejects the rest
/// with the same messages as the real resolver.
pub struct FuzzResolver;

impl LinkResolver for FuzzResolver {
    fn resolve(&self, target: &str) -> Resolved {
        let (path, frag) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        match path {
            "countries/thailand.md" | "briefs/report.md" | "journeys/fishing.md" | "pages/about.md" => {}
            "media/map.png" => return Resolved::Url("../../media/map.png".into()),
            _ => return Resolved::Error(format!("link to a document that does not exist: '@/{path}'"), Some("did you mean 'thailand'?".into())),
        }
        let (dir, file) = path.split_once('/').expect("known paths have a folder");
        let slug = file.strip_suffix(".md").expect("known paths end in .md");
        match frag {
            None => Resolved::Url(format!("../{dir}/{slug}.html")),
            Some(f @ ("border" | "recruitment" | "on-the-way")) => Resolved::Url(format!("../{dir}/{slug}.html#{f}")),
            Some(f) => Resolved::Error(format!("'#{f}' is not a stage or heading of '@/{path}'"), None),
        }
    }
}

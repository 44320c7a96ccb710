//! One run of the pipeline: load → validate → link → render → write.
//! A build is a value: nothing global, so it can run twice in one process.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diag::{has_errors, Diagnostic, Severity};
use crate::markdown::Highlighter;
use crate::render::{Renderer, Sink, Stats};
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

/// Loads, validates and links a site (no templates, no output).
pub fn load_site(root: &Path, drafts: bool, errs: &mut Vec<Diagnostic>) -> Option<crate::link::Site> {
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(e) => {
            errs.extend(e);
            return None;
        }
    };
    let content = crate::content::load(root, &config, errs);
    Some(crate::link::link(config, content, drafts, errs))
}

impl Build {
    /// Runs the build. Content problems are in the report; `Err` is for I/O.
    pub fn run(&self) -> Result<Report, IoFailure> {
        let start = Instant::now();
        let mut diags = Vec::new();
        let finish = |mut diags: Vec<Diagnostic>, stats: Stats| {
            crate::diag::sort(&mut diags);
            Ok(Report { diagnostics: diags, stats, elapsed: start.elapsed() })
        };
        if !self.root.join("site.toml").is_file() {
            return Err(IoFailure(format!("no site.toml in {}", self.root.display())));
        }
        let Some(site) = load_site(&self.root, self.drafts || self.output.is_none(), &mut diags) else {
            return finish(diags, Stats::default());
        };
        diags.extend(crate::lint::lint(&site));
        let theme = match Theme::load(&self.root, &site.config.theme) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                return finish(diags, Stats::default());
            }
        };
        let strings = crate::i18n::load(&theme, &site.config.languages, &mut diags);
        let Some(tera) = crate::render::load_templates(&theme, &mut diags) else {
            return finish(diags, Stats::default());
        };
        if has_errors(&diags) {
            return finish(diags, Stats::default());
        }
        let hl = Highlighter::default();
        let indexer = SearchIndexer::new();
        let renderer = Renderer::new(&site, tera, strings, &hl, &indexer);
        let Some(output) = &self.output else {
            // check: every Markdown text is rendered (links, anchors, HTML) but no page.
            diags.extend(renderer.validate_all());
            return finish(diags, Stats::default());
        };
        let staging = Staging::new(output).map_err(|e| IoFailure(format!("cannot prepare {}: {e}", output.display())))?;
        let (d, stats) = renderer.render_all(&staging);
        diags.extend(d);
        if has_errors(&diags) {
            drop(staging);
            return finish(diags, stats);
        }
        if let Err(e) = copy_static(&theme, &self.root, &site, &staging) {
            drop(staging);
            return Err(IoFailure(e));
        }
        let folder = site.config.base_url.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty() && !s.contains(':')).unwrap_or("site").to_owned();
        if let Err(e) = crate::archive::write_archive(staging.path(), &folder) {
            drop(staging);
            return Err(IoFailure(format!("cannot write the download archive: {e}")));
        }
        staging.commit().map_err(|e| IoFailure(format!("cannot replace {}: {e}", output.display())))?;
        let _ = Severity::Error;
        finish(diags, stats)
    }
}

fn copy_static(theme: &Theme, root: &Path, site: &crate::link::Site, staging: &Staging) -> Result<(), String> {
    for (rel, bytes) in theme.under("static") {
        staging.put(&format!("static/{rel}"), bytes).map_err(|e| format!("cannot copy theme file {rel}: {e}"))?;
    }
    for (rel, bytes) in theme.under("licenses") {
        staging.put(&format!("static/licenses/{rel}"), bytes).map_err(|e| format!("cannot copy {rel}: {e}"))?;
    }
    staging.copy_tree(&root.join("content/media"), "media", &site.content.media).map_err(|e| format!("cannot copy media: {e}"))
}

//! Counter-measures: one TOML file per proposing country.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use toml::de::DeValue;

use super::fields::{is_slug, parse_table, Collected, Fields, Sp};
use super::Status;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::source::SourceFile;

/// Per-language translation metadata of a measures file (`[translations.th]`).
#[derive(Debug, Clone, Default)]
pub struct MeasureTranslation {
    /// Draft or reviewed.
    pub status: Option<Status>,
    /// Source hash recorded when translated.
    pub source_hash: Option<String>,
}

/// One counter-measure.
#[derive(Debug, Clone)]
pub struct Measure {
    /// Slug, unique across the site.
    pub id: Sp<String>,
    /// The file it is defined in.
    pub file: Arc<SourceFile>,
    /// Proposing country (slug; checked in the link phase).
    pub country: Sp<String>,
    /// Title per language (the default language is always present).
    pub title: BTreeMap<String, Sp<String>>,
    /// Summary per language.
    pub summary: BTreeMap<String, Sp<String>>,
    /// Targets as written (`journey/stage` or `journey/stage/risk`).
    pub targets: Vec<Sp<String>>,
    /// Agency kinds.
    pub agencies: Vec<String>,
    /// UNCAC / UNTOC / Protocol articles.
    pub instruments: Vec<String>,
    /// `short`, `medium` or `long`.
    pub horizon: String,
}

/// One measures file.
#[derive(Debug, Clone)]
pub struct MeasureFile {
    /// The file.
    pub file: Arc<SourceFile>,
    /// Path relative to the content folder (`countermeasures/lao-pdr.toml`).
    pub doc_path: String,
    /// Proposing country.
    pub country: Sp<String>,
    /// Measures in file order (shared with the site's sorted list).
    pub measures: Vec<Arc<Measure>>,
    /// Translation metadata per language.
    pub translations: BTreeMap<String, MeasureTranslation>,
}

impl MeasureFile {
    /// Hash of the default-language texts of every measure.
    pub fn source_hash(&self, default: &str) -> String {
        let mut texts = BTreeMap::new();
        for m in &self.measures {
            if let Some(t) = m.title.get(default) {
                texts.insert(format!("{}.title", m.id.v), t.v.as_str());
            }
            if let Some(t) = m.summary.get(default) {
                texts.insert(format!("{}.summary", m.id.v), t.v.as_str());
            }
        }
        super::hash_texts(texts.iter().map(|(k, v)| (k.as_str(), *v)), "")
    }

    /// Does every measure have a title in `lang`?
    pub fn has_language(&self, lang: &str) -> bool {
        !self.measures.is_empty() && self.measures.iter().all(|m| m.title.contains_key(lang))
    }
}

const KEYS: &[&str] = &["country", "translations", "measures"];
const MEASURE_KEYS: &[&str] = &["id", "title", "summary", "targets", "agencies", "instruments", "horizon"];

fn localized(f: &mut Fields, key: &str, cfg: &Config, required: bool, anchor: Range<usize>) -> BTreeMap<String, Sp<String>> {
    let mut out = BTreeMap::new();
    match f.raw(key) {
        None => {
            if required {
                let e = f.file.error(anchor, format!("missing required field '{key}' in measures"));
                f.errs.push(e);
            }
        }
        Some((DeValue::String(s), span)) => {
            out.insert(cfg.default_language.clone(), Sp { v: s.to_string(), span });
        }
        Some((DeValue::Table(t), span)) => {
            for (k, v) in t.iter() {
                let lang = k.get_ref().to_string();
                if !cfg.languages.contains(&lang) {
                    let e = f.file.error(span.clone(), format!("'{key}' has a language '{lang}' that site.toml does not list"));
                    f.errs.push(e);
                    continue;
                }
                match v.get_ref() {
                    DeValue::String(s) => {
                        if lang == "my" && crate::zawgyi::is_zawgyi(s) {
                            let e = super::zawgyi_error(f.file, f.shift(v.span()));
                            f.errs.push(e);
                        }
                        out.insert(lang, Sp { v: s.to_string(), span: f.shift(v.span()) });
                    }
                    _ => {
                        let e = f.file.error(span.clone(), format!("'{key}.{lang}' must be a string"));
                        f.errs.push(e);
                    }
                }
            }
            if required && !out.contains_key(&cfg.default_language) {
                let e = f.file.error(span, format!("'{key}' has no text in the default language '{}'", cfg.default_language));
                f.errs.push(e);
            }
        }
        Some((_, span)) => {
            let e = f.file.error(span, format!("'{key}' must be a string or a table of strings per language"));
            f.errs.push(e);
        }
    }
    out
}

/// Parses one measures file. `doc_path` is relative to `content/`.
pub fn parse(file: Arc<SourceFile>, doc_path: String, cfg: &Config, errs: &mut Vec<Diagnostic>) -> Option<MeasureFile> {
    let text = file.text().to_owned();
    let table = parse_table(&file, &text, 0, errs)?;
    let mut sink = Collected::default();
    let mut f = Fields::new(&file, 0, table.get_ref(), 0..0, false, errs, &mut sink);
    let country = f.slug("country", true);
    let mut translations = BTreeMap::new();
    if let Some((v, span)) = f.raw("translations") {
        match v {
            DeValue::Table(t) => {
                for (k, v) in t.iter() {
                    let lang = k.get_ref().to_string();
                    let kspan = f.shift(k.span());
                    if !cfg.languages.contains(&lang) || lang == cfg.default_language {
                        let e = f.file.error(kspan, format!("'translations.{lang}': '{lang}' is not a translation language of this site"));
                        f.errs.push(e);
                        continue;
                    }
                    let DeValue::Table(tt) = v.get_ref() else {
                        let e = f.file.error(kspan, format!("'translations.{lang}' must be a table with status and source_hash"));
                        f.errs.push(e);
                        continue;
                    };
                    let mut m = f.nested(tt, kspan.clone(), format!("translations.{lang}."));
                    let status = m.meta_string("status").and_then(|s| super::parse_status(&s, m.file, m.errs));
                    let source_hash = m.meta_string("source_hash").map(|s| s.v);
                    m.finish(&["status", "source_hash"]);
                    translations.insert(lang, MeasureTranslation { status, source_hash });
                }
            }
            _ => {
                let e = f.file.error(span, "'translations' must be a table of languages");
                f.errs.push(e);
            }
        }
    }
    let mut measures = Vec::new();
    let tables = f.tables("measures").unwrap_or_default();
    for (span, t) in tables {
        let mut m = f.nested(t, span.clone(), "measures.".into());
        let id = m.meta_string("id");
        let id = match id {
            Some(id) if is_slug(&id.v) => Some(id),
            Some(id) => {
                let e = m.file.error(id.span.clone(), format!("measure id '{}' is not a valid slug", id.v)).with_hint("use lowercase ASCII letters, digits and single hyphens");
                m.errs.push(e);
                None
            }
            None => {
                let e = m.file.error(span.clone(), "missing required field 'id' in measures");
                m.errs.push(e);
                None
            }
        };
        let title = localized(&mut m, "title", cfg, true, span.clone());
        let summary = localized(&mut m, "summary", cfg, false, span.clone());
        let targets = m.string_list("targets");
        if targets.is_empty() {
            let e = m.file.error(span.clone(), "a measure needs at least one target (journey/stage or journey/stage/risk)");
            m.errs.push(e);
        }
        let agencies = m.string_list("agencies").into_iter().map(|s| s.v).collect();
        let instruments = m.string_list("instruments").into_iter().map(|s| s.v).collect();
        let horizon = m.string("horizon", true);
        if let Some(h) = &horizon {
            if !["short", "medium", "long"].contains(&h.v.as_str()) {
                let e = m.file.error(h.span.clone(), format!("horizon must be \"short\", \"medium\" or \"long\", not \"{}\"", h.v));
                m.errs.push(e);
            }
        }
        m.finish(MEASURE_KEYS);
        if let (Some(id), Some(country), Some(horizon)) = (id, country.clone(), horizon) {
            measures.push(Arc::new(Measure { id, file: file.clone(), country, title, summary, targets, agencies, instruments, horizon: horizon.v }));
        }
    }
    f.finish(KEYS);
    Some(MeasureFile { file: file.clone(), doc_path, country: country?, measures, translations })
}

//! `site.toml`: site settings. An unknown key is an error that names it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{did_you_mean, Diagnostic};
use crate::source::SourceFile;

/// Languages Waymark knows how to present (names in their own script).
pub const KNOWN_LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("lo", "ລາວ"), ("km", "ខ្មែរ"), ("my", "မြန်မာ"), ("th", "ไทย")];

/// The name of a language in its own script.
pub fn native_name(lang: &str) -> &str {
    KNOWN_LANGUAGES.iter().find(|(l, _)| *l == lang).map_or(lang, |(_, n)| n)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: Option<Spanned<String>>,
    default_language: Option<Spanned<String>>,
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    theme: Option<Spanned<String>>,
    title: Option<Spanned<toml::Value>>,
    #[serde(default)]
    trusted_html: bool,
}

/// Validated site settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute base URL ending in `/`, used for canonical links, hreflang, sitemap and feeds.
    pub base_url: String,
    /// The language source documents are written in.
    pub default_language: String,
    /// All languages, default first.
    pub languages: Vec<String>,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Site title per language (falls back to the default language).
    pub title: BTreeMap<String, String>,
    /// Raw HTML in Markdown is kept as written instead of sanitized.
    pub trusted_html: bool,
}

impl Config {
    /// The site title in a language.
    pub fn title_in(&self, lang: &str) -> &str {
        self.title.get(lang).or_else(|| self.title.get(&self.default_language)).map_or("Waymark", String::as_str)
    }

    /// Non-default languages.
    pub fn translations(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(String::as_str).filter(move |l| *l != self.default_language)
    }

    /// Reads and validates `site.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let file = SourceFile::read(&root.join("site.toml"), "site.toml".into()).map_err(|d| vec![d])?;
        Self::parse(&file)
    }

    /// Validates already-read `site.toml` text.
    pub fn parse(file: &SourceFile) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(file.text()).map_err(|e| vec![toml_error(file, 0, &e)])?;
        let mut errs = Vec::new();
        let whole = 0..0;
        let base_url = match raw.base_url {
            Some(b) => {
                let span = b.span();
                let mut v = b.into_inner();
                if !(v.starts_with("http://") || v.starts_with("https://")) {
                    errs.push(file.error(span, "base_url must be an absolute http(s) URL"));
                }
                if !v.ends_with('/') {
                    v.push('/');
                }
                v
            }
            None => {
                errs.push(file.error(whole.clone(), "missing required key 'base_url'"));
                String::new()
            }
        };
        let languages: Vec<(String, std::ops::Range<usize>)> = match raw.languages {
            Some(l) => l.into_inner().into_iter().map(|s| (s.get_ref().clone(), s.span())).collect(),
            None => vec![("en".into(), 0..0)],
        };
        let mut seen = Vec::new();
        for (l, span) in &languages {
            if !KNOWN_LANGUAGES.iter().any(|(k, _)| k == l) {
                let e = file.error(span.clone(), format!("unsupported language '{l}'"));
                errs.push(match did_you_mean(l, KNOWN_LANGUAGES.iter().map(|(k, _)| *k)) {
                    Some(h) => e.with_hint(h),
                    None => e.with_hint("supported: en, lo, km, my, th"),
                });
            }
            if seen.contains(l) {
                errs.push(file.error(span.clone(), format!("language '{l}' is listed twice")));
            }
            seen.push(l.clone());
        }
        let default_language = match raw.default_language {
            Some(d) => {
                if !seen.contains(d.get_ref()) {
                    errs.push(file.error(d.span(), format!("default_language '{}' is not in languages", d.get_ref())));
                }
                d.into_inner()
            }
            None => seen.first().cloned().unwrap_or_else(|| "en".into()),
        };
        let mut langs = vec![default_language.clone()];
        langs.extend(seen.into_iter().filter(|l| *l != default_language));
        let theme = match raw.theme {
            Some(t) => {
                let ok = !t.get_ref().is_empty() && t.get_ref().chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !ok {
                    errs.push(file.error(t.span(), "theme must be a folder name under themes/ (letters, digits, '-', '_')"));
                }
                t.into_inner()
            }
            None => "default".into(),
        };
        let mut title = BTreeMap::new();
        match raw.title.map(|t| (t.span(), t.into_inner())) {
            Some((_, toml::Value::String(s))) => {
                title.insert(default_language.clone(), s);
            }
            Some((span, toml::Value::Table(t))) => {
                for (k, v) in t {
                    match v {
                        toml::Value::String(s) if langs.contains(&k) => {
                            title.insert(k, s);
                        }
                        toml::Value::String(_) => errs.push(file.error(span.clone(), format!("title has a language '{k}' that is not in languages"))),
                        _ => errs.push(file.error(span.clone(), format!("title.{k} must be a string"))),
                    }
                }
            }
            Some((span, _)) => errs.push(file.error(span, "title must be a string or a table of strings per language")),
            None => {}
        }
        if errs.is_empty() {
            Ok(Config { base_url, default_language, languages: langs, theme, title, trusted_html: raw.trusted_html })
        } else {
            Err(errs)
        }
    }
}

/// Turns a `toml` parse error into a diagnostic, shifting its span by `offset`
/// (where the TOML starts inside the file).
pub fn toml_error(file: &SourceFile, offset: usize, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().map_or(offset..offset, |s| s.start + offset..s.end + offset);
    let msg = e.message().trim().replace('\n', " ");
    let d = file.error(span, msg.clone());
    // serde's "unknown field `x`, expected one of `a`, `b`": suggest the closest.
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        if let Some((name, expected)) = rest.split_once('`') {
            let cands: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            if let Some(h) = did_you_mean(name, cands.iter().copied()) {
                return file.error(d_span(&d, file), format!("unknown key '{name}'")).with_hint(h);
            }
            return d.with_hint(format!("allowed keys: {}", cands.join(", ")));
        }
    }
    d
}

fn d_span(d: &Diagnostic, file: &SourceFile) -> std::ops::Range<usize> {
    // Recover a byte offset from line/column for re-labelling.
    let line_start: usize = file.text().split_inclusive('\n').take(d.line - 1).map(str::len).sum();
    let col_off: usize = file.text()[line_start..].chars().take(d.column - 1).map(char::len_utf8).sum();
    let s = line_start + col_off;
    s..s + d.width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named() {
        let f = SourceFile::new("site.toml".into(), "base_url = \"https://x.org/\"\nlanguage = [\"en\"]\n".into());
        let e = Config::parse(&f).unwrap_err();
        assert_eq!(e[0].headline(), "site.toml:2:1: error: unknown key 'language'");
        assert_eq!(e[0].hint.as_deref(), Some("did you mean 'languages'?"));
    }

    #[test]
    fn default_first() {
        let f = SourceFile::new("site.toml".into(), "base_url = \"https://x.org\"\ndefault_language = \"th\"\nlanguages = [\"en\", \"th\"]\n".into());
        let c = Config::parse(&f).unwrap();
        assert_eq!(c.languages, ["th", "en"]);
        assert_eq!(c.base_url, "https://x.org/");
    }
}

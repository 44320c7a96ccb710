//! Translation status: missing, outdated, draft or reviewed, per document
//! and language; and `--stamp`, which records the current source hash.

use std::path::Path;

use crate::content::{Document, Status};
use crate::content::measure::MeasureFile;

/// The state of one translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// No translation file.
    Missing,
    /// The source changed since `source_hash`, or there is none.
    Outdated,
    /// Marked `status = "draft"` (or not marked at all).
    Draft,
    /// Marked `status = "reviewed"` and up to date.
    Reviewed,
}

impl State {
    /// Lowercase name as printed.
    pub fn name(self) -> &'static str {
        match self {
            State::Missing => "missing",
            State::Outdated => "outdated",
            State::Draft => "draft",
            State::Reviewed => "reviewed",
        }
    }
}

/// The state of a document's translation into `lang`.
pub fn doc_state(doc: &Document, lang: &str) -> State {
    let Some(t) = doc.translations.get(lang) else { return State::Missing };
    let current = doc.source_hash();
    if t.source_hash.as_ref().map(|h| h.v.as_str()) != Some(current.as_str()) {
        return State::Outdated;
    }
    match t.status {
        Some(Status::Reviewed) => State::Reviewed,
        _ => State::Draft,
    }
}

/// The state of a measures file's translation into `lang`.
pub fn measures_state(mf: &MeasureFile, default: &str, lang: &str) -> State {
    if !mf.has_language(lang) {
        return State::Missing;
    }
    let meta = mf.translations.get(lang);
    if meta.and_then(|m| m.source_hash.as_deref()) != Some(mf.source_hash(default).as_str()) {
        return State::Outdated;
    }
    match meta.and_then(|m| m.status) {
        Some(Status::Reviewed) => State::Reviewed,
        _ => State::Draft,
    }
}

/// Writes `source_hash = "HASH"` into the front matter of a Markdown
/// translation: replacing an existing one, else among the top-level keys
/// (before the first `[table]`, or before the closing `+++`).
pub fn stamp_markdown(path: &Path, hash: &str) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let line = format!("source_hash = \"{hash}\"{nl}");
    let mut out = String::with_capacity(text.len() + 40);
    let mut fences = 0;
    let mut done = false;
    let mut in_tables = false;
    for l in text.split_inclusive('\n') {
        let bare = l.trim_end().trim_start_matches('\u{feff}');
        if bare == "+++" {
            fences += 1;
            if fences == 2 && !done {
                out.push_str(&line);
                done = true;
            }
        } else if fences == 1 && !done {
            let t = bare.trim_start();
            if !in_tables && t.starts_with("source_hash") && t[11..].trim_start().starts_with('=') {
                out.push_str(&line);
                done = true;
                continue;
            }
            if t.starts_with('[') {
                in_tables = true;
                out.push_str(&line);
                done = true;
            }
        }
        out.push_str(l);
    }
    std::fs::write(path, out)
}

/// Records `source_hash` for `lang` in a measures file's `[translations.LANG]` table.
pub fn stamp_measures(path: &Path, lang: &str, hash: &str) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let header = format!("[translations.{lang}]");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if let Some(at) = lines.iter().position(|l| l.trim() == header) {
        let mut i = at + 1;
        while i < lines.len() && !lines[i].trim_start().starts_with('[') {
            if lines[i].trim_start().starts_with("source_hash") {
                lines[i] = format!("source_hash = \"{hash}\"");
                return std::fs::write(path, lines.join("\n") + "\n");
            }
            i += 1;
        }
        lines.insert(at + 1, format!("source_hash = \"{hash}\""));
    } else {
        // Tables must come after the top-level keys: before the first [[measures]].
        let at = lines.iter().position(|l| l.trim_start().starts_with('[')).unwrap_or(lines.len());
        lines.splice(at..at, [header, "status = \"draft\"".to_owned(), format!("source_hash = \"{hash}\""), String::new()]);
    }
    std::fs::write(path, lines.join("\n") + "\n")
}

//! Diagnostics: content errors and warnings as values with positions.
//!
//! Every problem found in a run is collected (never just the first) and
//! printed as `path:line:column: error: message`, then the source line with a
//! caret under the span, then any hint.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::source::SourceFile;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The content is wrong: `check` and `build` exit with status 1.
    Error,
    /// Legal but likely wrong: reported, does not fail the build.
    Warning,
}

/// One problem in the content, with its position in the original file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// One-line message.
    pub message: String,
    /// An optional hint (`did you mean 'thailand'?`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The source line the span starts on, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Width of the caret, in characters (at least 1).
    #[serde(skip)]
    pub width: usize,
    /// A file that could not be written: an I/O failure of the build
    /// (exit status 2), not a problem in the content.
    #[serde(skip)]
    pub io: bool,
}

/// How the message of [`Diagnostic::write_failure`] starts (the build's
/// single I/O failure report puts the path in between).
pub const WRITE_FAILED: &str = "cannot write: ";

impl Diagnostic {
    /// A page or other output file `rel` that could not be written: the
    /// message is [`WRITE_FAILED`] and the reason.
    pub fn write_failure(rel: &str, e: &std::io::Error) -> Self {
        Diagnostic { io: true, ..Diagnostic::file(Severity::Error, rel, 1, 1, format!("{WRITE_FAILED}{e}")) }
    }

    /// A diagnostic at a byte span of a loaded file.
    pub fn at(severity: Severity, file: &SourceFile, span: std::ops::Range<usize>, message: impl Into<String>) -> Self {
        let (line, column) = file.position(span.start);
        let source_line = file.line_text(line).map(str::to_owned);
        let end = span.end.max(span.start).min(file.text().len());
        let width = file.text().get(span.start.min(end)..end).map(|s| s.chars().take_while(|&c| c != '\n').count()).unwrap_or(1).max(1);
        Diagnostic { severity, path: file.path.clone(), line, column, message: message.into(), hint: None, source_line, width, io: false }
    }

    /// A diagnostic about a file as a whole (or one that could not be read), at 1:1.
    pub fn file(severity: Severity, path: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity, path: path.to_owned(), line, column, message: message.into(), hint: None, source_line: None, width: 1, io: false }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The first line: `path:line:column: error: message`.
    pub fn headline(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!("{}:{}:{}: {}: {}", self.path, self.line, self.column, sev, self.message)
    }

    /// Headline, source line with caret, hint; with ANSI colour if asked.
    pub fn render_text(&self, colour: bool) -> String {
        let mut out = String::new();
        let head = self.headline();
        if colour {
            let code = if self.severity == Severity::Error { "31" } else { "33" };
            let _ = writeln!(out, "\x1b[1;{code}m{head}\x1b[0m");
        } else {
            let _ = writeln!(out, "{head}");
        }
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            // Control characters are shown escaped, never sent to the terminal.
            let shown: String = src
                .trim_end_matches(['\r', '\n'])
                .chars()
                .map(|c| if c == '\t' { " ".to_owned() } else if c.is_control() { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() })
                .collect();
            let _ = writeln!(out, " {num} | {shown}");
            let lead = " ".repeat(self.column.saturating_sub(1));
            let carets = "^".repeat(self.width.max(1));
            if colour {
                let _ = writeln!(out, " {pad} | {lead}\x1b[1;32m{carets}\x1b[0m");
            } else {
                let _ = writeln!(out, " {pad} | {lead}{carets}");
            }
        }
        if let Some(h) = &self.hint {
            let _ = writeln!(out, "  = hint: {h}");
        }
        out
    }

    /// A GitHub workflow annotation line.
    pub fn render_github(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut msg = self.message.clone();
        if let Some(h) = &self.hint {
            msg.push_str(" (hint: ");
            msg.push_str(h);
            msg.push(')');
        }
        let esc = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
        format!("::{sev} file={},line={},col={}::{}", esc(&self.path).replace(',', "%2C").replace(':', "%3A"), self.line, self.column, esc(&msg))
    }
}

/// Sorts diagnostics by path and position so output is deterministic.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message)));
}

/// True if any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Suggests the candidate closest to `wrong` (edit distance), if any is close.
pub fn did_you_mean<'a, I: IntoIterator<Item = &'a str>>(wrong: &str, candidates: I) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(wrong, c);
        if best.map_or(true, |(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (wrong.chars().count().max(c.chars().count()) / 3).max(1);
    (d <= limit).then(|| format!("did you mean '{c}'?"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A shared handle on a file, for diagnostics raised after loading.
pub type FileRef = Arc<SourceFile>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("thailnd", ["thailand", "myanmar"]).as_deref(), Some("did you mean 'thailand'?"));
        assert_eq!(did_you_mean("vietnam", ["thailand", "myanmar"]), None);
    }

    #[test]
    fn caret_under_span() {
        let f = SourceFile::new("a.md".into(), "+++\ncountry = \"thailnd\"\n+++\n".into());
        let d = Diagnostic::at(Severity::Error, &f, 14..23, "unknown country 'thailnd'");
        assert_eq!(d.headline(), "a.md:2:11: error: unknown country 'thailnd'");
        let text = d.render_text(false);
        assert!(text.contains(" 2 | country = \"thailnd\"\n   |           ^^^^^^^^^\n"), "{text}");
    }
}

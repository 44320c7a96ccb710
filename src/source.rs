//! Reading source files: UTF-8 check, BOM, line positions, front matter.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diag::{Diagnostic, Severity};

/// A loaded text file with its path relative to the site root.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// The text, without a leading byte order mark ([`SourceFile::text`]).
    text: OnceLock<String>,
    /// Where the text is read again from, if it was set aside.
    reread: Option<PathBuf>,
    /// Length and modification time of the file when it was read: a text
    /// read again is used only if they are the same.
    stamp: Option<(u64, Option<std::time::SystemTime>)>,
    /// Byte offsets of line starts, computed on first use: most files never
    /// need a position (only diagnostics do).
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Wraps text already in memory (a leading BOM is removed).
    pub fn new(path: String, text: String) -> Self {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        SourceFile { path, text: OnceLock::from(text), reread: None, stamp: None, line_starts: OnceLock::new() }
    }

    /// The text, without a leading byte order mark. A file whose text was
    /// set aside ([`SourceFile::set_aside`]) reads it again on first use
    /// (empty if it can no longer be read).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| {
            let again = self.reread.as_deref().and_then(|abs| SourceFile::read(abs, self.path.clone()).ok());
            again.and_then(|f| f.text.into_inner()).unwrap_or_default()
        })
    }

    /// This file without its text in memory: the text is read again from
    /// `abs` if something asks for it. Once a file is parsed, `check` needs
    /// its text again only for a diagnostic, and `build` once to render it
    /// ([`SourceFile::with_text`]); neither holds every text at once (a
    /// third of the loaded site, and of the fresh memory the kernel zeroes).
    pub fn set_aside(&self, abs: &Path) -> SourceFile {
        SourceFile { path: self.path.clone(), text: OnceLock::new(), reread: Some(abs.to_owned()), stamp: self.stamp, line_starts: OnceLock::new() }
    }

    /// Calls `f` with the text: the text in memory, or for a file set aside
    /// the text read again, which is not kept (a build reads each file once
    /// more to render it, and frees it after). `None` if the file changed
    /// on disk since it was first read (or cannot be read any more).
    pub fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        if let Some(t) = self.text.get() {
            return Some(f(t));
        }
        let again = SourceFile::read(self.reread.as_deref()?, self.path.clone()).ok()?;
        (again.stamp == self.stamp).then(|| f(again.text()))
    }

    /// Reads a file; invalid UTF-8 is a diagnostic at the first bad byte.
    pub fn read(abs: &Path, rel: String) -> Result<Self, Diagnostic> {
        let read = || -> std::io::Result<(Vec<u8>, std::fs::Metadata)> {
            use std::io::Read;
            let mut f = std::fs::File::open(abs)?;
            let meta = f.metadata()?;
            // As many bytes as the metadata says, then whatever follows (a
            // file that grew meanwhile) up to the end. `File::read_to_end`
            // would ask the size and position again: two more system calls
            // for each of tens of thousands of files.
            let mut bytes = vec![0; usize::try_from(meta.len()).unwrap_or(0)];
            let mut filled = 0;
            while filled < bytes.len() {
                match f.read(&mut bytes[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            bytes.truncate(filled);
            f.by_ref().take(u64::MAX).read_to_end(&mut bytes)?;
            Ok((bytes, meta))
        };
        let (bytes, meta) = read().map_err(|e| Diagnostic::file(Severity::Error, &rel, 1, 1, format!("cannot read file: {e}")))?;
        let mut file = Self::from_bytes(rel, bytes)?;
        file.stamp = Some((meta.len(), meta.modified().ok()));
        Ok(file)
    }

    /// Decodes bytes as UTF-8, reporting the position of the first invalid byte.
    pub fn from_bytes(rel: String, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        // Most content is Thai, Lao, Khmer or Burmese, where the standard
        // library's check (fast only on ASCII) was 8 % of `check`; the SIMD
        // check is about ten times faster. Invalid files take the standard
        // path, which gives the position of the first bad byte.
        if simdutf8::basic::from_utf8(&bytes).is_ok() {
            // SAFETY: `simdutf8` has just validated these bytes as UTF-8.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            return Ok(Self::new(rel, text));
        }
        match String::from_utf8(bytes) {
            Ok(s) => Ok(Self::new(rel, s)),
            Err(e) => {
                let bytes = e.as_bytes();
                let good = e.utf8_error().valid_up_to();
                let valid = std::str::from_utf8(&bytes[..good]).unwrap_or("");
                let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
                let line = valid.matches('\n').count() + 1;
                let col = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                Err(Diagnostic::file(Severity::Error, &rel, line, col, format!("invalid UTF-8 (byte 0x{:02x}); save the file as UTF-8", bytes[good]))
                    .with_hint("Waymark reads every content file as UTF-8"))
            }
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| std::iter::once(0).chain(self.text().match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let offset = offset.min(text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let mut off = offset;
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        (line, text[start..off].chars().count() + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let starts = self.line_starts();
        let start = *starts.get(line.checked_sub(1)?)?;
        let text = self.text();
        let end = starts.get(line).map_or(text.len(), |&e| e);
        Some(text.get(start..end)?.trim_end_matches(['\n', '\r']))
    }

    /// A diagnostic at a byte span of this file.
    pub fn diag(&self, severity: Severity, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(severity, self, span, message)
    }

    /// An error at a byte span of this file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.diag(Severity::Error, span, message)
    }
}

/// The parts of a Markdown document.
#[derive(Debug, Clone)]
pub struct Split {
    /// Byte range of the TOML front matter inside the file text.
    pub front: Range<usize>,
    /// Byte range of the Markdown body.
    pub body: Range<usize>,
}

/// Splits `+++` front matter from the body. CRLF line endings are accepted.
pub fn split_front_matter(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = file.text();
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "+++" {
        return Err(file
            .error(0..first_end.min(3).max(usize::from(!text.is_empty())), "missing front matter: the file must start with a line '+++'")
            .with_hint("put the TOML front matter between two '+++' lines at the top of the file"));
    }
    // Lines that start with "+++", found in one search from the end of the
    // first line (the line-by-line loop was 2 % of `check`).
    for nl in memchr::memmem::find_iter(&text.as_bytes()[first_end - 1..], b"\n+++") {
        let pos = first_end + nl;
        let end = memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            return Ok(Split { front: first_end..pos, body: end..text.len() });
        }
    }
    Err(file.error(0..3, "front matter is not closed: no second '+++' line").with_hint("end the front matter with a line '+++'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let f = SourceFile::new("x".into(), "ab\nไทย x\n".into());
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(3), (2, 1));
        assert_eq!(f.position(3 + 9 + 1), (2, 5));
    }

    #[test]
    fn bom_and_crlf() {
        let f = SourceFile::new("x".into(), "\u{feff}+++\r\ntitle = \"a\"\r\n+++\r\nbody\r\n".into());
        let s = split_front_matter(&f).unwrap();
        assert_eq!(&f.text()[s.front.clone()], "title = \"a\"\r\n");
        assert_eq!(&f.text()[s.body.clone()], "body\r\n");
    }

    #[test]
    fn a_text_set_aside_is_read_again_unless_the_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let abs = dir.path().join("a.md");
        std::fs::write(&abs, "\u{feff}line one\nไทย two\n").unwrap();
        let read = SourceFile::read(&abs, "a.md".into()).unwrap();
        let aside = read.set_aside(&abs);
        drop(read);
        // Read again for each call, not kept.
        assert_eq!(aside.with_text(str::len), Some("line one\nไทย two\n".len()));
        assert!(aside.text.get().is_none());
        // Positions read it again (and keep it).
        assert_eq!(aside.position(9 + 9), (2, 4));
        assert_eq!(aside.line_text(2), Some("ไทย two"));
        // A changed file is not used in place of the text that was parsed.
        let aside = SourceFile::read(&abs, "a.md".into()).unwrap().set_aside(&abs);
        std::fs::write(&abs, "line one changed\n").unwrap();
        assert_eq!(aside.with_text(str::len), None);
        std::fs::remove_file(&abs).unwrap();
        assert_eq!(aside.with_text(str::len), None);
        // Diagnostics then get what there is (here nothing), without panicking.
        assert_eq!(aside.position(30), (1, 1));
    }

    #[test]
    fn invalid_utf8_position() {
        let e = SourceFile::from_bytes("x.md".into(), b"+++\ntitle = \"a\xff\"\n".to_vec()).unwrap_err();
        assert_eq!((e.line, e.column), (2, 11));
    }
}

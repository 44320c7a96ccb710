//! Themes: templates, static files and interface strings, read from
//! `themes/<name>/` or, for `default` when the site has none, from the copy
//! built into the binary.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Severity};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// A theme's files in memory.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Theme name.
    pub name: String,
    /// Where it came from, relative to the site root, for messages.
    pub origin: String,
    /// Files by path inside the theme (`templates/base.html`).
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads `themes/<name>` under `root`; falls back to the built-in default theme.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            let mut files = BTreeMap::new();
            for e in walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
                let e = e.map_err(|e| Diagnostic::file(Severity::Error, &format!("themes/{name}"), 1, 1, format!("cannot read theme: {e}")))?;
                let rel = crate::content::rel_path(&dir, e.path());
                if e.path_is_symlink() {
                    return Err(Diagnostic::file(Severity::Error, &format!("themes/{name}/{rel}"), 1, 1, "symbolic links are not allowed in themes"));
                }
                if e.file_type().is_file() && !rel.split('/').any(|c| c.starts_with('.')) {
                    let bytes = std::fs::read(e.path()).map_err(|err| Diagnostic::file(Severity::Error, &format!("themes/{name}/{rel}"), 1, 1, format!("cannot read: {err}")))?;
                    files.insert(rel, bytes);
                }
            }
            return Ok(Theme { name: name.to_owned(), origin: format!("themes/{name}"), files });
        }
        if name == "default" {
            return Ok(Self::builtin());
        }
        Err(Diagnostic::file(Severity::Error, "site.toml", 1, 1, format!("theme '{name}' not found: no folder themes/{name}")).with_hint("use theme = \"default\" for the built-in theme"))
    }

    /// The default theme built into the binary.
    pub fn builtin() -> Theme {
        Theme { name: "default".into(), origin: "themes/default".into(), files: DEFAULT_THEME.iter().map(|(p, b)| ((*p).to_owned(), b.to_vec())).collect() }
    }

    /// Files under a folder of the theme, with paths relative to that folder.
    pub fn under<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = (&'a str, &'a [u8])> + 'a {
        let prefix = format!("{folder}/");
        self.files.iter().filter_map(move |(k, v)| k.strip_prefix(prefix.as_str()).map(|r| (r, v.as_slice())))
    }
}

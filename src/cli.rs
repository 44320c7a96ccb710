//! Commands other than build and check: translations, new, init.

use std::path::Path;
use std::process::ExitCode;

/// `waymark translations`: status per document and language, or `--stamp`.
pub fn translations(root: &Path, json: bool, stamp: Option<&Path>, lang: Option<&str>) -> ExitCode {
    let _ = (root, json, stamp, lang);
    eprintln!("error: not implemented yet");
    ExitCode::from(2)
}

/// `waymark new KIND SLUG [--lang L]`.
pub fn new_document(root: &Path, kind: &str, slug: &str, lang: Option<&str>) -> ExitCode {
    let _ = (root, kind, slug, lang);
    eprintln!("error: not implemented yet");
    ExitCode::from(2)
}

/// `waymark init DIR`.
pub fn init(dir: &Path) -> ExitCode {
    let _ = dir;
    eprintln!("error: not implemented yet");
    ExitCode::from(2)
}

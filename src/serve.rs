//! `waymark serve`: build, serve on 127.0.0.1, rebuild on change.

use std::path::Path;
use std::process::ExitCode;

/// Serves the site.
pub fn serve(root: &Path, port: Option<u16>) -> ExitCode {
    let _ = (root, port);
    eprintln!("error: not implemented yet");
    ExitCode::from(2)
}

//! Helpers shared by the integration tests: copy a fixture site into a
//! temporary folder, build it, read what was written.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder of a fixture site under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A fixture copied into a fresh temporary folder (so tests can change it).
pub fn site_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

/// Output of running the `waymark` binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the `waymark` binary with arguments.
pub fn waymark(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).env("NO_COLOR", "1").output().unwrap();
    Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

/// Builds `root` into `out` with the binary; panics with its output on failure.
pub fn build_ok(root: &Path, out: &Path) {
    let r = waymark(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "build failed:\n{}{}", r.stdout, r.stderr);
}

/// Reads a built file as text.
pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Asserts that a built file contains every needle.
#[macro_export]
macro_rules! file_contains {
    ($out:expr, $rel:expr, $($needle:expr),+ $(,)?) => {{
        let text = common::read($out, $rel);
        $( assert!(text.contains($needle), "{} does not contain {:?}", $rel, $needle); )+
    }};
}

/// All files under a folder with their bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

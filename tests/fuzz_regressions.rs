//! Replays saved fuzz inputs through the fuzz targets' own code
//! (fuzz/src/lib.rs): every reproducer in tests/regressions/<target>/ and
//! every seed in fuzz/corpus/<target>/ must run without a panic.
//! See tests/regressions/README.md and fuzz/README.md.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod waymark_fuzz;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("tests/regressions").join(target), root.join("fuzz/corpus").join(target)] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        files.extend(entries.map(|e| e.expect("read dir entry").path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

fn replay(target: &str) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no saved inputs for {target}: fuzz/corpus/{target}/ is missing");
    let mut failed = Vec::new();
    for f in &files {
        let data = std::fs::read(f).expect("read saved input");
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| waymark_fuzz::run(target, &data))) {
            let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            failed.push(format!("{}: {msg}", f.display()));
        }
    }
    assert!(failed.is_empty(), "{target}: {} of {} saved inputs panicked:\n{}", failed.len(), files.len(), failed.join("\n"));
}

#[test]
fn front_matter_inputs() {
    replay("front_matter");
}

#[test]
fn measures_toml_inputs() {
    replay("measures_toml");
}

#[test]
fn markdown_inputs() {
    replay("markdown");
}

#[test]
fn config_inputs() {
    replay("config");
}

#[test]
fn site_inputs() {
    replay("site");
    waymark_fuzz::remove_site_root();
}

#[test]
fn every_target_is_replayed() {
    assert_eq!(waymark_fuzz::TARGETS, ["front_matter", "measures_toml", "markdown", "config", "site"]);
}

/// Inputs in tests/regressions/slow/<target>/ must each run in under a
/// second (release build), once the process has warmed up. Ignored while they are known to be slow: see
/// tests/regressions/README.md.
#[test]
fn slow_inputs_run_quickly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/slow");
    let mut slow = Vec::new();
    for target in waymark_fuzz::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else { continue };
        for f in entries.map(|e| e.expect("read dir entry").path()) {
            let data = std::fs::read(&f).expect("read saved input");
            waymark_fuzz::run(target, &data); // warm-up: syntaxes and regexes are loaded on first use
            let start = std::time::Instant::now();
            waymark_fuzz::run(target, &data);
            let took = start.elapsed();
            if took > std::time::Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 }) {
                slow.push(format!("{}: {:.1} s", f.display(), took.as_secs_f64()));
            }
        }
    }
    assert!(slow.is_empty(), "slow inputs:\n{}", slow.join("\n"));
}

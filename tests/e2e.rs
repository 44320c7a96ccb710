//! End-to-end tests: build the flagship site once, then open it the way readers and
//! validators meet it — from disk in headless Chromium, through the Nu HTML checker,
//! axe-core and the shared site audit. Search is tested on the small site of
//! `tests/fixtures/search-site`, whose words `tests/e2e/search.mjs` looks for.
//!
//! They need what `scripts/test.sh` installs: Chromium, Node.js with `npm ci` run in
//! the repository, Java, and `../shared/tools/site-audit` beside the repository. A
//! missing tool fails the test that needs it, with a message naming what to install;
//! nothing is skipped.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The repository: the tool and its flagship site at once.
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

type Built = OnceLock<Result<(Option<tempfile::TempDir>, PathBuf), String>>;

/// The built flagship site: `waymark build --root <repo> --output <tempdir>/output`,
/// run once per test binary. The temporary folder lives as long as the process.
/// `WAYMARK_E2E_OUTPUT=DIR` checks an already built site folder instead.
fn site() -> &'static Path {
    static SITE: Built = OnceLock::new();
    build_once(&SITE, repo(), Some("WAYMARK_E2E_OUTPUT"))
}

/// The small site that `tests/e2e/search.mjs` expects: `tests/fixtures/search-site`,
/// built once.
fn search_fixture_site() -> &'static Path {
    static SITE: Built = OnceLock::new();
    build_once(&SITE, &repo().join("tests/fixtures/search-site"), None)
}

fn build_once(cell: &'static Built, root: &Path, given_var: Option<&str>) -> &'static Path {
    let built = cell.get_or_init(|| {
        if let Some(given) = given_var.and_then(std::env::var_os) {
            let given = PathBuf::from(given);
            eprintln!(
                "e2e: checking {} ({}), not building",
                given.display(),
                given_var.unwrap_or("")
            );
            return Ok((None, given));
        }
        let tmp_parent = Path::new(env!("CARGO_TARGET_TMPDIR"));
        sweep_old_builds(tmp_parent);
        let dir = tempfile::Builder::new()
            .prefix("e2e-site-")
            .tempdir_in(tmp_parent)
            .map_err(|e| {
                format!(
                    "cannot make a temporary folder in {}: {e}",
                    tmp_parent.display()
                )
            })?;
        let output = dir.path().join("output");
        let started = Instant::now();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_waymark"));
        cmd.arg("build")
            .arg("--root")
            .arg(root)
            .arg("--output")
            .arg(&output);
        let run = run(cmd, Duration::from_secs(600))?;
        if !run.success {
            return Err(format!(
                "`waymark build --root {}` failed ({}):\n{}",
                root.display(),
                run.status,
                run.text
            ));
        }
        if !output.join("index.html").is_file() {
            return Err(format!(
                "`waymark build --root {}` succeeded but wrote no {}:\n{}",
                root.display(),
                output.join("index.html").display(),
                run.text
            ));
        }
        eprintln!(
            "e2e: built {} in {:.1} s",
            root.display(),
            started.elapsed().as_secs_f64()
        );
        Ok((Some(dir), output))
    });
    match built {
        Ok((_, output)) => output,
        Err(e) => panic!("{e}"),
    }
}

/// Statics are never dropped, so each run leaves its build behind: remove those of
/// runs that ended long ago.
fn sweep_old_builds(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(6 * 3600));
        if old && e.file_name().to_string_lossy().starts_with("e2e-site-") {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

struct Run {
    success: bool,
    status: String,
    /// stdout, then stderr.
    text: String,
}

/// Runs `cmd` in the repository with a time limit, capturing its output.
fn run(mut cmd: Command, limit: Duration) -> Result<Run, String> {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("waiting for {shown}: {e}")),
        }
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    let text = format!("--- stdout of {shown}\n{stdout}\n--- stderr\n{stderr}");
    Ok(match status {
        Some(s) => Run {
            success: s.success(),
            status: s.to_string(),
            text,
        },
        None => Run {
            success: false,
            status: format!("killed after {} s", limit.as_secs()),
            text,
        },
    })
}

/// Runs `program args...` in the repository and fails the test, printing all it
/// wrote, unless it exits 0. `need` says what to install when the program is missing.
fn check(program: &str, args: &[&std::ffi::OsStr], need: &str) {
    let mut cmd = Command::new(program);
    cmd.args(args);
    let started = Instant::now();
    let run = match run(cmd, Duration::from_secs(900)) {
        Ok(r) => r,
        Err(e) => panic!("{e}\n{need}"),
    };
    if !run.success {
        panic!("{program} {args:?} failed ({}):\n{}", run.status, run.text);
    }
    // Shown with --nocapture, and by cargo test when another assertion fails.
    println!("{}\n({:.1} s)", run.text, started.elapsed().as_secs_f64());
}

const NODE_HINT: &str = "Node.js 20 and the packages of package-lock.json are needed: run scripts/test.sh (or `npm ci --ignore-scripts`).";

/// Runs `node tests/e2e/<script> <site>`.
fn node_script(script: &str, site: fn() -> &'static Path) {
    let path = repo().join("tests/e2e").join(script);
    assert!(
        path.is_file(),
        "{} does not exist: this test cannot run without it",
        path.display()
    );
    assert!(
        repo().join("node_modules/playwright-core").is_dir(),
        "node_modules/ is missing or incomplete. {NODE_HINT}"
    );
    let out = site();
    check("node", &[path.as_os_str(), out.as_os_str()], NODE_HINT);
}

#[test]
fn links_resolve_in_chromium() {
    node_script("links.mjs", site);
}

/// search.mjs queries words planted in the search fixture site, in every language.
#[test]
fn search_works_from_disk() {
    node_script("search.mjs", search_fixture_site);
}

#[test]
fn axe_reports_zero_violations() {
    node_script("axe.mjs", site);
}

#[test]
fn nu_html_checker_reports_zero_errors() {
    node_script("vnu.mjs", site);
}

#[test]
fn site_audit_passes() {
    let audit = repo().join("../shared/tools/site-audit");
    assert!(
        audit.is_file(),
        "{} is missing: the shared site audit must sit beside the repository (../shared/tools/site-audit)",
        audit.display()
    );
    let out = site();
    check(
        "python3",
        &[audit.as_os_str(), out.as_os_str()],
        "python3 is needed to run ../shared/tools/site-audit.",
    );
}

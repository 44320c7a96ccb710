//! `waymark serve`: builds, serves the site on 127.0.0.1, watches
//! `content/`, `themes/` and `site.toml`, rebuilds on change and reloads
//! open pages. A content error shows as an overlay in the browser with the
//! same text as `check`, while the last good build keeps being served.
//!
//! A small HTTP/1.1 server on the standard library (GET and HEAD of files),
//! file notifications from the `notify` crate (inotify on Linux; polling
//! where notifications are not available), and a polling script for reloads.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::build::{Build, Session};
use crate::diag::Severity;

/// What the server shows: the last good build and the latest result.
#[derive(Default)]
struct State {
    version: u64,
    errors: String,
    last_ms: u128,
}

const RELOAD_JS: &str = r##"(function () {
  var seen = null;
  function overlay(text) {
    var o = document.getElementById("waymark-overlay");
    if (!text) { if (o) o.remove(); return; }
    if (!o) {
      o = document.createElement("pre");
      o.id = "waymark-overlay";
      o.setAttribute("role", "alert");
      var s = o.style;
      s.position = "fixed"; s.inset = "0"; s.margin = "0"; s.padding = "1.5rem"; s.overflow = "auto";
      s.background = "rgba(20,0,0,0.93)"; s.color = "#fff"; s.zIndex = "2147483647"; s.whiteSpace = "pre-wrap";
      s.font = "14px/1.5 ui-monospace, Menlo, Consolas, monospace";
      document.body.appendChild(o);
    }
    o.textContent = "waymark: the last change has errors; showing the last good build.\n\n" + text;
  }
  function poll() {
    var x = new XMLHttpRequest();
    x.open("GET", "/__waymark/status", true);
    x.onload = function () {
      try {
        var s = JSON.parse(x.responseText);
        if (seen !== null && s.version !== seen) { location.reload(); return; }
        seen = s.version;
        overlay(s.errors);
      } catch (e) {}
      setTimeout(poll, 400);
    };
    x.onerror = function () { setTimeout(poll, 1000); };
    x.send();
  }
  poll();
})();
"##;

/// Whether a changed path matters to the site: `site.toml`, a theme file,
/// or a content file (Markdown, measures TOML, media). Editors' backup,
/// swap and probe files (`.x.swp`, `x~`, vim's `4913`) are ignored.
fn relevant(root: &Path, p: &Path) -> bool {
    let Ok(rel) = p.strip_prefix(root) else { return false };
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx") || name.ends_with(".tmp") || name == "4913" {
        return false;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    match parts.next().as_deref() {
        Some("site.toml") => true,
        Some("themes") => true,
        Some("content") => parts.next().as_deref() == Some("media") || name.ends_with(".md") || name.ends_with(".toml"),
        _ => false,
    }
}

/// Watches `content/`, `themes/` and `site.toml` with the platform's file
/// notifications (inotify on Linux), or by polling where they are not
/// available (some network drives); changed paths arrive on the channel.
fn watch(root: &Path) -> Option<(Box<dyn notify::Watcher + Send>, std::sync::mpsc::Receiver<PathBuf>)> {
    use notify::{EventKind, RecursiveMode};
    let (tx, rx) = std::sync::mpsc::channel();
    let handler = move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            if !matches!(ev.kind, EventKind::Access(_)) {
                for p in ev.paths {
                    let _ = tx.send(p);
                }
            }
        }
    };
    let mut watcher: Box<dyn notify::Watcher + Send> = match notify::recommended_watcher(handler.clone()) {
        Ok(w) => Box::new(w),
        Err(e) => {
            eprintln!("note: no file notifications ({e}); polling for changes");
            Box::new(notify::PollWatcher::new(handler, notify::Config::default().with_poll_interval(Duration::from_millis(200))).ok()?)
        }
    };
    // The root itself (not recursively) for site.toml, which editors often
    // replace by renaming a new file over it.
    watcher.watch(root, RecursiveMode::NonRecursive).ok()?;
    for dir in ["content", "themes"] {
        let d = root.join(dir);
        if d.is_dir() {
            if let Err(e) = watcher.watch(&d, RecursiveMode::Recursive) {
                eprintln!("error: cannot watch {}: {e}", d.display());
                return None;
            }
        }
    }
    Some((watcher, rx))
}

/// Waits for the next changes: the first relevant path, then whatever
/// else arrives within a short quiet time (editors write in bursts).
fn next_changes(root: &Path, rx: &std::sync::mpsc::Receiver<PathBuf>) -> Option<Vec<PathBuf>> {
    let mut changed = std::collections::BTreeSet::new();
    loop {
        let p = rx.recv().ok()?;
        if relevant(root, &p) {
            changed.insert(p);
            break;
        }
    }
    while let Ok(p) = rx.recv_timeout(Duration::from_millis(20)) {
        if relevant(root, &p) {
            changed.insert(p);
        }
    }
    Some(changed.into_iter().collect())
}

fn report_errors(state: &Mutex<State>, diags: &[crate::diag::Diagnostic]) -> bool {
    for d in diags {
        eprint!("{}", d.render_text(false));
    }
    let errors: String = diags.iter().filter(|d| d.severity == Severity::Error).map(|d| d.render_text(false)).collect();
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    if errors.is_empty() {
        false
    } else {
        s.errors = errors;
        eprintln!("build failed; still serving the last good build");
        true
    }
}

/// A full build; keeps the session when it succeeded.
fn full(build: &Build, state: &Mutex<State>, session: &mut Option<Session>) -> bool {
    match build.run_session(true) {
        Ok((r, new)) => {
            if report_errors(state, &r.diagnostics) {
                return false;
            }
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            s.version += 1;
            s.errors.clear();
            s.last_ms = r.elapsed.as_millis();
            eprintln!("built in {} ms", s.last_ms);
            *session = new;
            true
        }
        Err(e) => {
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            s.errors = e.0.clone();
            eprintln!("error: {}", e.0);
            false
        }
    }
}

/// Applies changed files: only the pages they touch when possible.
fn rebuild(build: &Build, state: &Mutex<State>, session: &mut Option<Session>, dirty: &mut bool, changed: &[PathBuf]) {
    if !*dirty {
        if let Some(sess) = session.as_mut() {
            match sess.update(changed) {
                Some(Ok(took)) => {
                    {
                        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
                        s.version += 1;
                        s.errors.clear();
                        s.last_ms = took.as_millis();
                    }
                    eprintln!("rebuilt in {} ms ({} file(s) changed, only the pages they touch)", took.as_millis(), changed.len());
                    // Open pages reload now; the search indexes follow.
                    match sess.write_stale_search() {
                        Ok(t) => eprintln!("search index updated in {} ms", t.as_millis()),
                        Err(diags) => {
                            report_errors(state, &diags);
                        }
                    }
                    return;
                }
                Some(Err(diags)) => {
                    report_errors(state, &diags);
                    *dirty = true;
                    return;
                }
                None => {}
            }
        }
    }
    *dirty = !full(build, state, session);
}

/// Maps a request path to a file inside `out`, refusing anything that leaves it.
pub fn resolve(out: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut p = out.to_path_buf();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(n) => {
                let s = n.to_str()?;
                if s.contains('\\') || s.contains('\0') {
                    return None;
                }
                p.push(n);
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    if p.is_dir() {
        p.push("index.html");
    }
    // Symbolic links could point outside: compare canonical paths.
    let canon = p.canonicalize().ok()?;
    let base = out.canonicalize().ok()?;
    canon.starts_with(&base).then_some(canon)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(stream: &mut TcpStream, status: &str, ctype: &str, body: &[u8], head_only: bool) {
    let header = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(header.as_bytes());
    if !head_only {
        let _ = stream.write_all(body);
    }
}

fn handle(mut stream: TcpStream, out: &Path, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.by_ref().take(8192).read_line(&mut line).is_err() {
        return;
    }
    // Drain headers.
    let mut h = String::new();
    while reader.read_line(&mut h).map(|n| n > 2).unwrap_or(false) {
        h.clear();
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let head = method == "HEAD";
    if method != "GET" && !head {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain", b"only GET and HEAD\n", false);
    }
    if target == "/__waymark/reload.js" {
        return respond(&mut stream, "200 OK", "text/javascript; charset=utf-8", RELOAD_JS.as_bytes(), head);
    }
    if target.starts_with("/__waymark/status") {
        let s = state.lock().unwrap_or_else(|p| p.into_inner());
        let body = serde_json::json!({ "version": s.version, "errors": s.errors, "last_ms": s.last_ms }).to_string();
        return respond(&mut stream, "200 OK", "application/json", body.as_bytes(), head);
    }
    let target = if target == "/" { "/index.html" } else { target };
    let Some(file) = resolve(out, target) else {
        let page = std::fs::read(out.join("404.html")).unwrap_or_else(|_| b"not found\n".to_vec());
        return respond(&mut stream, "404 Not Found", "text/html; charset=utf-8", &page, head);
    };
    match std::fs::read(&file) {
        Ok(mut body) => {
            let ct = content_type(&file);
            if ct.starts_with("text/html") {
                let tag = b"<script src=\"/__waymark/reload.js\"></script></body>";
                if let Some(at) = find(&body, b"</body>") {
                    body.splice(at..at + 7, tag.iter().copied());
                }
            }
            respond(&mut stream, "200 OK", ct, &body, head)
        }
        Err(_) => respond(&mut stream, "404 Not Found", "text/plain", b"not found\n", head),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Serves the site; runs until killed.
pub fn serve(root: &Path, port: Option<u16>) -> ExitCode {
    if !root.join("site.toml").is_file() {
        eprintln!("error: no site.toml in {}", root.display());
        return ExitCode::from(2);
    }
    // Notifications name files by absolute path: work from the canonical root.
    let root = &root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out = std::env::temp_dir().join(format!("waymark-serve-{}", std::process::id()));
    let build = Build { root: root.to_path_buf(), output: Some(out.clone()), drafts: true };
    let state = Arc::new(Mutex::new(State::default()));
    let mut session = None;
    // Watching starts before the first build: edits made during it, or
    // right after the address is announced, are not missed.
    let Some((watcher, rx)) = watch(root) else {
        eprintln!("error: cannot watch {} for changes", root.display());
        return ExitCode::from(2);
    };
    let mut dirty = !full(&build, &state, &mut session);
    if !out.exists() {
        let _ = std::fs::create_dir_all(&out);
    }
    let listener = match TcpListener::bind(("127.0.0.1", port.unwrap_or(0))) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", port.unwrap_or(0));
            return ExitCode::from(2);
        }
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    println!("serving {} at http://{addr}/ (Ctrl-C to stop)", root.display());
    let _ = std::io::stdout().flush();
    {
        let state = state.clone();
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            let _watcher = watcher;
            while let Some(changed) = next_changes(&root, &rx) {
                rebuild(&build, &state, &mut session, &mut dirty, &changed);
            }
        });
    }
    for stream in listener.incoming().flatten() {
        let out = out.clone();
        let state = state.clone();
        std::thread::spawn(move || handle(stream, &out, &state));
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_trigger_rebuilds() {
        let root = Path::new("/site");
        for yes in ["/site/site.toml", "/site/content/briefs/a.md", "/site/content/briefs/a.th.md", "/site/content/countermeasures/x.toml", "/site/content/media/map.png", "/site/themes/default/templates/base.html"] {
            assert!(relevant(root, Path::new(yes)), "{yes}");
        }
        for no in ["/site/content/briefs/.a.md.swp", "/site/content/briefs/a.md~", "/site/content/briefs/4913", "/site/content/briefs/notes.txt", "/site/output/en/index.html", "/site/README.md", "/elsewhere/site.toml"] {
            assert!(!relevant(root, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn paths_cannot_leave_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("en")).unwrap();
        std::fs::write(out.join("en/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        assert!(resolve(&out, "/en/").is_some());
        assert!(resolve(&out, "/en/index.html?q=1").is_some());
        assert!(resolve(&out, "/../secret.txt").is_none());
        assert!(resolve(&out, "/en/%2e%2e/%2e%2e/secret.txt").is_none());
        assert!(resolve(&out, "/en/..%2f..%2fsecret.txt").is_none());
        assert!(resolve(&out, "//etc/passwd").is_none());
    }
}

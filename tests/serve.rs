//! `waymark serve`: serves the build, rebuilds after an edit, keeps the last
//! good build on error (reporting it), and refuses paths outside the output.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let code = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (code, body)
}

/// Starts `waymark serve` with `args` in `dir`; returns it and its address.
fn start(args: &[&str], dir: &std::path::Path, stderr: Stdio) -> (Server, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_waymark")).args(args).current_dir(dir).stdout(Stdio::piped()).stderr(stderr).spawn().unwrap();
    let mut server = Server(child);
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).unwrap().split('/').next().unwrap().to_owned();
    (server, addr)
}

fn wait_for(mut f: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serve_rebuilds_reports_errors_and_stays_inside() {
    let site = common::site_copy("mini");
    let (_server, addr) = start(&["serve", "--root", site.path().to_str().unwrap()], site.path(), Stdio::null());

    let (code, body) = get(&addr, "/en/briefs/report.html");
    assert_eq!(code, 200);
    assert!(body.contains("Workshop report"));
    assert!(body.contains("/__waymark/reload.js"), "reload script injected");
    assert_eq!(get(&addr, "/").0, 200);

    // Edit a brief: once the server says the update is done, it is served.
    let version = || -> u64 {
        let (_, s) = get(&addr, "/__waymark/status");
        serde_json::from_str::<serde_json::Value>(&s).unwrap()["version"].as_u64().unwrap()
    };
    let v0 = version();
    let p = site.path().join("content/briefs/report.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("Workshop report", "Workshop report, revised")).unwrap();
    wait_for(|| version() > v0, "the update to finish");
    assert!(get(&addr, "/en/briefs/report.html").1.contains("Workshop report, revised"), "the edit is served");
    // Pages that show the brief's title are updated too, and the search index.
    assert!(get(&addr, "/en/countries/thailand.html").1.contains("Workshop report, revised"), "country page");
    assert!(get(&addr, "/en/journeys/fishing.html").1.contains("Workshop report, revised"), "journey page");
    assert!(get(&addr, "/en/briefs/index.html").1.contains("Workshop report, revised"), "list");
    assert!(get(&addr, "/en/atom.xml").1.contains("Workshop report, revised"), "feed");
    // The search index follows right after the pages.
    wait_for(|| get(&addr, "/en/search/search-index.js").1.contains("revised"), "the search index update");
    // An edit of the body alone re-renders only the brief's own pages.
    let v1 = version();
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}\nA paragraph about quetzalcoatl.\n")).unwrap();
    wait_for(|| version() > v1, "the body edit");
    assert!(get(&addr, "/en/briefs/report.html").1.contains("quetzalcoatl"), "the body edit is served");
    assert!(get(&addr, "/th/briefs/report.html").1.contains("quetzalcoatl"), "the Thai page (English fallback) shows it too");
    wait_for(|| get(&addr, "/en/search/search-index.js").1.contains("quetzalcoatl"), "the search index after a body edit");
    // A translation edit is applied the same way.
    let tp = site.path().join("content/countries/thailand.th.md");
    let tt = std::fs::read_to_string(&tp).unwrap();
    std::fs::write(&tp, tt.replace("ประเทศไทย\"", "ราชอาณาจักรไทย\"")).unwrap();
    wait_for(|| get(&addr, "/th/countries/thailand.html").1.contains("ราชอาณาจักรไทย"), "the translation edit");
    assert!(get(&addr, "/th/journeys/fishing.html").1.contains("ราชอาณาจักรไทย"), "journey page shows the new country name");

    // Break it: the error is reported, the last good page is still served.
    std::fs::write(&p, "+++\ntitle = \"x\"\ndate = 2018-02-30\n+++\n").unwrap();
    wait_for(|| get(&addr, "/__waymark/status").1.contains("invalid date"), "the error in the status");
    let (_, status) = get(&addr, "/__waymark/status");
    assert!(status.contains("content/briefs/report.md:3:8: error: invalid date"), "{status}");
    assert!(get(&addr, "/en/briefs/report.html").1.contains("Workshop report, revised"));

    // Paths that leave the output folder are refused.
    std::fs::write(site.path().join("secret.txt"), "secret").unwrap();
    for evil in ["/../secret.txt", "/en/../../secret.txt", "/%2e%2e/secret.txt", "/en/%2e%2e%2f%2e%2e%2fsecret.txt", "/..\\secret.txt"] {
        let (code, body) = get(&addr, evil);
        assert_eq!(code, 404, "{evil}");
        assert!(!body.contains("secret"), "{evil}");
    }
}

#[test]
fn serve_with_a_relative_root_applies_edits_in_place() {
    let site = common::site_copy("mini");
    let (mut server, addr) = start(&["serve", "--root", "."], site.path(), Stdio::piped());
    let p = site.path().join("content/briefs/report.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}\nA line about axolotls.\n")).unwrap();
    wait_for(|| get(&addr, "/en/briefs/report.html").1.contains("axolotls"), "the edit to be served");
    // It was an update of the brief's pages, not a full build.
    let mut err = String::new();
    let mut stderr = BufReader::new(server.0.stderr.take().unwrap());
    while stderr.read_line(&mut err).unwrap() > 0 && !err.contains("rebuilt in") {}
    assert!(err.contains("rebuilt in") && err.contains("only the pages they touch"), "{err}");
}

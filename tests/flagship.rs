//! The flagship site in `content/`: what it must hold (counts, a real
//! translation of every document in every language), the pictures, and that
//! nothing in the build points at another host.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The flagship built once for this test binary.
fn out() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, p) = OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        common::build_ok(repo(), &out);
        (dir, out)
    });
    p
}

fn site() -> waymark::link::Site {
    let mut errs = Vec::new();
    let site = waymark::build::load_site(repo(), false, waymark::content::Keep::Text, &mut errs).expect("flagship loads");
    assert!(errs.is_empty(), "flagship has problems: {:#?}", errs.iter().map(|d| d.headline()).collect::<Vec<_>>());
    site
}

#[test]
fn check_passes_with_zero_warnings() {
    let r = common::waymark(&["check", "--root", repo().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning:"), "{}", r.stderr);
    assert!(r.stderr.contains("0 error(s), 0 warning(s)"), "{}", r.stderr);
}

#[test]
fn the_site_holds_what_the_research_needs() {
    use waymark::content::Kind;
    let site = site();
    let countries: Vec<&str> = site.docs_of(Kind::Country).map(|d| d.slug.as_str()).collect();
    assert_eq!(countries, ["cambodia", "lao-pdr", "myanmar", "thailand"]);
    let journeys: Vec<_> = site.docs_of(Kind::Journey).collect();
    assert!(journeys.len() >= 4, "journeys: {}", journeys.len());
    for j in &journeys {
        let stages = &j.journey().unwrap().stages;
        assert!(stages.len() >= 4, "{} has {} stages", j.slug, stages.len());
        for s in stages {
            assert!(!s.risks.is_empty(), "{}/{} has no corruption risk", j.slug, s.id);
            assert!(site.stage_measures.contains_key(&(j.slug.clone(), s.id.clone())), "{}/{} has no measure", j.slug, s.id);
        }
    }
    assert!(site.measures.len() >= 24, "measures: {}", site.measures.len());
    for c in &countries {
        let proposed = site.country_proposed.get(*c).map_or(0, Vec::len);
        assert!(proposed >= 6, "{c} proposed {proposed} measures");
        assert!(site.country_stages.contains_key(*c), "{c}: no journey stage there");
        assert!(site.country_targeted.contains_key(*c), "{c}: no measure targets it");
    }
    for (i, t) in site.targets.iter().enumerate() {
        assert!(!t.is_empty(), "measure {} has no target", site.measures[i].id.v);
        assert!(!site.measures[i].instruments.is_empty(), "measure {} cites no instrument", site.measures[i].id.v);
    }
    assert!(site.docs_of(Kind::Brief).count() >= 4);
    assert!(site.doc(Kind::Brief, "vientiane-workshop-2018").is_some());
    let pages: Vec<&str> = site.docs_of(Kind::Page).map(|d| d.slug.as_str()).collect();
    for p in ["about", "methodology", "glossary"] {
        assert!(pages.contains(&p), "page {p}");
    }
}

#[test]
fn every_document_is_translated_into_every_language() {
    let site = site();
    for doc in site.content.docs.values() {
        for lang in ["lo", "km", "my", "th"] {
            let t = doc.translations.get(lang).unwrap_or_else(|| panic!("{} has no {lang} translation", doc.path()));
            // Drafts must say so: nothing here has been reviewed by a person yet.
            assert!(t.status.is_some(), "{} [{lang}] has no status", doc.path());
            assert_ne!(t.text("title"), doc.source.text("title"), "{} [{lang}] title is not translated", doc.path());
        }
    }
    for mf in &site.content.measure_files {
        for lang in ["lo", "km", "my", "th"] {
            assert!(mf.has_language(lang), "{} lacks {lang} titles", mf.doc_path);
            assert!(mf.translations.contains_key(lang), "{} has no [translations.{lang}] status", mf.doc_path);
        }
    }
}

#[test]
fn translated_pages_are_not_the_fallback() {
    for lang in ["lo", "km", "my", "th"] {
        for page in ["journeys/fishing-boat.html", "countries/myanmar.html", "briefs/vientiane-workshop-2018.html", "pages/glossary.html"] {
            let html = common::read(out(), &format!("{lang}/{page}"));
            assert!(!html.contains("notice-missing"), "{lang}/{page} falls back");
            assert!(!html.contains("<div class=\"doc-body\" lang=\"en\">"), "{lang}/{page} body is English");
        }
    }
}

#[test]
fn journey_pages_carry_a_route_with_one_mark_per_risk() {
    let site = site();
    for j in site.docs_of(waymark::content::Kind::Journey) {
        for lang in ["en", "lo", "km", "my", "th"] {
            let html = common::read(out(), &format!("{lang}/journeys/{}.html", j.slug));
            let svg = &html[html.find("<svg class=\"route\"").expect("route svg")..];
            let svg = &svg[..svg.find("</svg>").unwrap()];
            assert!(svg.contains("<title id=") && svg.contains("<desc id="), "text equivalent");
            for s in &j.journey().unwrap().stages {
                assert!(svg.contains(&format!("<a href=\"#{}\">", s.id)), "stage mark {}", s.id);
                for r in &s.risks {
                    let anchor = format!("{}--{}", s.id, r.id);
                    // One mark per risk, linked to its stage.
                    assert_eq!(svg.matches(&format!("<a class=\"risk-mark\" href=\"#{}\" data-risk=\"{anchor}\">", s.id)).count(), 1, "{lang} {} mark {anchor}", j.slug);
                    assert!(html.contains(&format!("id=\"{anchor}\"")), "risk anchor {anchor} exists");
                }
            }
        }
    }
}

/// Every URL-ish reference in HTML, CSS and JS that could load something.
fn references(text: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for key in ["src=\"", "srcset=\"", "url(", "@import", "fetch(", "XMLHttpRequest", ".open(\"GET\", \"", "<link "] {
        let mut rest = text;
        while let Some(i) = rest.find(key) {
            let tail = &rest[i..];
            let end = if key == "<link " { tail.find('>').map_or(tail.len(), |e| e + 1) } else { tail.len() };
            refs.push(tail[..end].chars().take(160).collect());
            rest = &rest[i + key.len()..];
        }
    }
    refs
}

#[test]
fn nothing_is_loaded_from_another_host() {
    let mut checked = 0;
    for e in walkdir::WalkDir::new(out()).into_iter().flatten() {
        let p = e.path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "css" | "js") {
            continue;
        }
        let text = std::fs::read_to_string(p).unwrap();
        for r in references(&text) {
            let lower = r.to_ascii_lowercase();
            // <link> elements: only canonical/alternate may name the public URL (they load nothing).
            if lower.starts_with("<link ") {
                let loads = lower.contains("rel=\"stylesheet\"") || lower.contains("rel=\"preload\"") || lower.contains("rel=\"icon\"") || lower.contains("rel=\"modulepreload\"");
                if loads {
                    assert!(!lower.contains("href=\"http") && !lower.contains("href=\"//"), "{}: {r}", p.display());
                }
                continue;
            }
            let head: String = lower.chars().take(40).collect();
            assert!(!head.contains("http:") && !head.contains("https:") && !head.contains("//"), "{}: loads from another host: {r}", p.display());
        }
        if ext == "html" {
            assert!(text.contains("http-equiv=\"Content-Security-Policy\"") || p.ends_with("404.html"), "{}: no CSP", p.display());
            // External links in content never pass the referrer or the opener.
            let mut rest = text.as_str();
            while let Some(i) = rest.find("<a href=\"http") {
                let tag = &rest[i..i + rest[i..].find('>').unwrap()];
                assert!(tag.contains("rel=\"noopener noreferrer\""), "{}: {tag}", p.display());
                rest = &rest[i + 1..];
            }
        }
        checked += 1;
    }
    assert!(checked > 250, "only {checked} files checked");
}

#[test]
fn page_weight_stays_under_100_kb_before_fonts() {
    // HTML + CSS + JS a page loads (the search index loads only on search).
    let css: u64 = ["static/css/style.css", "static/css/fonts.css"].iter().map(|p| std::fs::metadata(out().join(p)).unwrap().len()).sum();
    let mut weights = Vec::new();
    for e in walkdir::WalkDir::new(out()).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            let html = std::fs::read_to_string(e.path()).unwrap();
            let js = if html.contains("static/js/search.js") { std::fs::metadata(out().join("static/js/search.js")).unwrap().len() } else { 0 };
            weights.push((e.metadata().unwrap().len() + css + js, e.path().to_path_buf()));
        }
    }
    weights.sort();
    let (max, page) = weights.last().unwrap();
    let median = weights[weights.len() / 2].0;
    eprintln!("page weight: median {median} bytes, max {max} bytes ({})", page.display());
    assert!(*max < 100_000, "{} weighs {max} bytes", page.display());
}

#[test]
fn builds_on_one_thread_and_many_give_the_same_bytes() {
    let one = tempfile::tempdir().unwrap();
    let out1 = one.path().join("o");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["build", "--root", repo().to_str().unwrap(), "--output", out1.to_str().unwrap()])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(status.status.success());
    assert!(common::tree(&out1) == common::tree(out()), "one thread and many differ");
}

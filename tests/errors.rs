//! Invalid sites, one defect each: `check` must name the exact
//! `path:line:column`, the message, and exit with status 1.

mod common;

use common::{site_copy, waymark, Run};

/// Copies the mini fixture, writes the given files, runs `check`.
fn check_with(files: &[(&str, &[u8])]) -> Run {
    let site = site_copy("mini");
    for (rel, bytes) in files {
        let p = site.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let r = waymark(&["check", "--root", site.path().to_str().unwrap()]);
    drop(site);
    r
}

fn assert_error(r: &Run, line: &str) {
    assert_eq!(r.code, 1, "exit status; stderr:\n{}", r.stderr);
    assert!(r.stderr.lines().any(|l| l == line), "expected line\n  {line}\nin\n{}", r.stderr);
}

const BRIEF_HEAD: &str = "+++\ntitle = \"Workshop report\"\n";

#[test]
fn toml_syntax_error_in_front_matter() {
    let r = check_with(&[("content/briefs/report.md", b"+++\ntitle = \"Workshop report\ndate = 2018-04-30\n+++\nBody\n")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let first = r.stderr.lines().next().unwrap();
    assert!(first.starts_with("content/briefs/report.md:2:"), "{first}");
    assert!(first.contains(": error: "), "{first}");
}

#[test]
fn missing_required_field() {
    let r = check_with(&[("content/countries/cambodia.md", b"+++\ntitle = \"Cambodia\"\n+++\nBody\n")]);
    assert_error(&r, "content/countries/cambodia.md:1:1: error: missing required field 'iso'");
}

#[test]
fn unknown_country_in_brief_with_hint() {
    let r = check_with(&[("content/briefs/report.md", format!("{BRIEF_HEAD}date = 2018-04-30\ncountries = [\"thailnd\"]\n+++\nBody\n").as_bytes())]);
    assert_error(&r, "content/briefs/report.md:4:14: error: unknown country 'thailnd'");
    assert!(r.stderr.contains("hint: did you mean 'thailand'?"), "{}", r.stderr);
}

#[test]
fn unknown_journey_in_brief() {
    let r = check_with(&[("content/briefs/report.md", format!("{BRIEF_HEAD}date = 2018-04-30\njourneys = [\"fishin\"]\n+++\nBody\n").as_bytes())]);
    assert_error(&r, "content/briefs/report.md:4:13: error: unknown journey 'fishin'");
}

#[test]
fn unknown_stage_country() {
    let site = std::fs::read_to_string(common::fixture("mini").join("content/journeys/fishing.md")).unwrap();
    let bad = site.replacen("country = \"cambodia\"", "country = \"laos\"", 1);
    let r = check_with(&[("content/journeys/fishing.md", bad.as_bytes())]);
    assert_error(&r, "content/journeys/fishing.md:12:11: error: unknown country 'laos'");
}

#[test]
fn unknown_measure_targets() {
    let m = "country = \"thailand\"\n\n[[measures]]\nid = \"a\"\ntitle = \"A\"\ntargets = [\"fishing/boarder\", \"fishing/border/bribe\", \"fishin/border\"]\nhorizon = \"short\"\n";
    let r = check_with(&[("content/countermeasures/thailand.toml", m.as_bytes())]);
    assert_error(&r, "content/countermeasures/thailand.toml:6:12: error: unknown stage 'boarder' in journey 'fishing' (target 'fishing/boarder')");
    assert_error(&r, "content/countermeasures/thailand.toml:6:31: error: unknown risk 'bribe' in stage 'border' of journey 'fishing' (target 'fishing/border/bribe')");
    assert_error(&r, "content/countermeasures/thailand.toml:6:55: error: unknown journey 'fishin' in target 'fishin/border'");
    assert!(r.stderr.contains("hint: did you mean 'border'?"));
}

#[test]
fn duplicate_ids() {
    let site = std::fs::read_to_string(common::fixture("mini").join("content/journeys/fishing.md")).unwrap();
    let bad = site.replacen("id = \"border\"", "id = \"recruitment\"", 1);
    let m = "country = \"cambodia\"\n\n[[measures]]\nid = \"joint-border-audit\"\ntitle = \"Again\"\ntargets = [\"fishing/recruitment\"]\nhorizon = \"long\"\n";
    let r = check_with(&[("content/journeys/fishing.md", bad.as_bytes()), ("content/countermeasures/cambodia.toml", m.as_bytes())]);
    assert_error(&r, "content/journeys/fishing.md:21:6: error: duplicate stage id 'recruitment'");
    assert!(r.stderr.contains("error: duplicate measure id 'joint-border-audit'"), "{}", r.stderr);
}

#[test]
fn bad_slug() {
    let r = check_with(&[("content/pages/About_Us.md", b"+++\ntitle = \"About us\"\n+++\n")]);
    assert_error(&r, "content/pages/About_Us.md:1:1: error: file name 'About_Us' is not a valid slug");
}

#[test]
fn unknown_language_suffix() {
    let r = check_with(&[("content/pages/about.fr.md", b"+++\ntitle = \"A propos\"\n+++\n")]);
    assert_error(&r, "content/pages/about.fr.md:1:1: error: unknown language suffix 'fr': site.toml lists en, th, lo, km, my");
}

#[test]
fn broken_link_and_fragment() {
    let r = check_with(&[("content/pages/about.md", b"+++\ntitle = \"About\"\n+++\nSee [x](@/countries/laos.md) and\n[y](@/journeys/fishing.md#boarder).\n")]);
    assert_error(&r, "content/pages/about.md:4:9: error: link to a document that does not exist: '@/countries/laos.md'");
    assert_error(&r, "content/pages/about.md:5:5: error: '#boarder' is not a stage or heading of '@/journeys/fishing.md'");
    assert!(r.stderr.contains("hint: did you mean 'border'?"));
}

#[test]
fn impossible_date() {
    let r = check_with(&[("content/briefs/older.md", b"+++\ntitle = \"Older\"\ndate = \"2017-02-29\"\n+++\n")]);
    assert_error(&r, "content/briefs/older.md:3:8: error: invalid date '2017-02-29': February has 28 days");
}

#[test]
fn translation_that_changes_structure() {
    let r = check_with(&[("content/countries/thailand.th.md", "+++\ntitle = \"ประเทศไทย\"\niso = \"KH\"\n+++\n".as_bytes())]);
    assert_error(&r, "content/countries/thailand.th.md:3:7: error: translation changes structure: 'iso' is \"KH\" here but \"TH\" in content/countries/thailand.md");
}

#[test]
fn translation_with_a_stage_the_source_lacks() {
    let t = "+++\ntitle = \"ไปเรือประมง\"\n\n[[stages]]\nid = \"harbour\"\ntitle = \"ท่าเรือ\"\n+++\n";
    let r = check_with(&[("content/journeys/fishing.th.md", t.as_bytes())]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.lines().any(|l| l.starts_with("content/journeys/fishing.th.md:4:1: error: translation changes structure: 'stages.harbour' does not exist")), "{}", r.stderr);
}

#[test]
fn invalid_utf8() {
    let r = check_with(&[("content/pages/about.md", b"+++\ntitle = \"About\"\n+++\nCaf\xe9 au lait\n")]);
    assert_error(&r, "content/pages/about.md:4:4: error: invalid UTF-8 (byte 0xe9); save the file as UTF-8");
}

#[test]
fn unknown_key_in_site_toml() {
    let r = check_with(&[("site.toml", b"base_url = \"https://x.example/\"\nlanguages = [\"en\"]\nthem = \"default\"\n")]);
    assert_error(&r, "site.toml:3:1: error: unknown key 'them'");
    assert!(r.stderr.contains("hint: did you mean 'theme'?"));
}

#[test]
fn unknown_key_in_front_matter() {
    let r = check_with(&[("content/pages/about.md", b"+++\ntitle = \"About\"\nweigth = 2\n+++\n")]);
    assert_error(&r, "content/pages/about.md:3:1: error: unknown key 'weigth'");
}

#[test]
fn two_defects_in_two_files_are_both_reported() {
    let r = check_with(&[
        ("content/briefs/older.md", b"+++\ntitle = \"Older\"\ndate = \"2017-02-29\"\n+++\n"),
        ("content/countries/cambodia.md", b"+++\ntitle = \"Cambodia\"\n+++\nBody\n"),
    ]);
    assert_error(&r, "content/briefs/older.md:3:8: error: invalid date '2017-02-29': February has 28 days");
    assert_error(&r, "content/countries/cambodia.md:1:1: error: missing required field 'iso'");
}

#[test]
fn github_and_json_formats() {
    let site = site_copy("mini");
    std::fs::write(site.path().join("content/briefs/older.md"), "+++\ntitle = \"Older\"\ndate = \"2017-02-29\"\n+++\n").unwrap();
    let root = site.path().to_str().unwrap();
    let r = waymark(&["check", "--root", root, "--format", "github"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("::error file=content/briefs/older.md,line=3,col=8::invalid date '2017-02-29': February has 28 days"), "{}", r.stdout);
    let r = waymark(&["check", "--root", root, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["path"], "content/briefs/older.md");
    assert_eq!(v[0]["line"], 3);
    assert_eq!(v[0]["column"], 8);
    assert_eq!(v[0]["severity"], "error");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(waymark(&["build", "--nope"]).code, 2);
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(waymark(&["check", "--root", dir.path().to_str().unwrap()]).code, 2);
}

#[test]
fn warnings_for_what_is_legal_but_likely_wrong() {
    let journey = std::fs::read_to_string(common::fixture("mini").join("content/journeys/fishing.md")).unwrap();
    let extra_stage = journey.replacen("+++\nThe journey", "[[stages]]\nid = \"at-sea\"\ntitle = \"At sea\"\ncountry = \"thailand\"\ndescription = \"Work on the boat.\"\n+++\nThe journey", 1);
    let r = check_with(&[
        ("content/journeys/fishing.md", extra_stage.as_bytes()),
        ("content/countries/laos.md", b"+++\ntitle = \"Lao PDR\"\niso = \"LA\"\n+++\n"),
        ("content/briefs/report.th.md", "+++\ntitle = \"Workshop report\"\nsummary = \"What the workshop found.\"\n+++\nการประชุม\n\n## หัวข้อ\n".as_bytes()),
        ("content/briefs/copied.md", b"+++\ntitle = \"Copied\"\ndate = 2018-04-30\n+++\nIntro.\n\nThe officials at the border crossing accepted payments to let recruiters pass.\n"),
        ("content/briefs/copied.th.md", "+++\ntitle = \"คัดลอก\"\n+++\nบทนำ\n\nThe officials at the border crossing accepted payments to let recruiters pass.\n".as_bytes()),
    ]);
    assert_eq!(r.code, 0, "warnings do not fail check:\n{}", r.stderr);
    for needle in [
        "content/journeys/fishing.md:35:1: warning: no counter-measure targets stage 'at-sea' of journey 'fishing'",
        "content/countries/laos.md:1:1: warning: country 'laos' is not used by any journey, brief or counter-measure",
        "content/briefs/report.th.md:5:1: warning: this translation has 1 heading(s) but content/briefs/report.md has 0",
        "content/briefs/report.th.md:2:9: warning: 'title' is the same as in content/briefs/report.md: not translated?",
        // `check` sets texts aside after parsing: the lint reads this one again.
        "content/briefs/copied.th.md:6:1: warning: this paragraph is the same as in content/briefs/copied.md: not translated?",
    ] {
        assert!(r.stderr.lines().any(|l| l == needle), "missing\n  {needle}\nin\n{}", r.stderr);
    }
}

#[test]
fn zawgyi_in_burmese_is_an_error() {
    // "မင်္ဂလာပါ" typed in Zawgyi (vowel sign before the consonant, Zawgyi kinzi).
    let zawgyi = "+++\ntitle = \"ေျမာက္ဦး ၿမိဳ႕နယ္\"\n+++\nေမာင္ေမာင္ ေက်ာင္းသြားသည္။\n";
    let r = check_with(&[("content/pages/about.my.md", zawgyi.as_bytes())]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.lines().any(|l| l.starts_with("content/pages/about.my.md:2:10: error: this Burmese text looks like Zawgyi")), "{}", r.stderr);
    assert!(r.stderr.lines().any(|l| l.starts_with("content/pages/about.my.md:4:1: error: this Burmese text looks like Zawgyi")), "{}", r.stderr);
    let unicode = "+++\ntitle = \"မြောက်ဦး မြို့နယ်\"\n+++\nမောင်မောင် ကျောင်းသွားသည်။\n";
    let r = check_with(&[("content/pages/about.my.md", unicode.as_bytes())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn translation_without_a_source() {
    // A translation whose source does not exist is an error; one whose
    // source exists but is invalid is not reported twice.
    let r = check_with(&[
        ("content/briefs/lost.th.md", "+++\ntitle = \"หาย\"\n+++\nข้อความ\n".as_bytes()),
        ("content/pages/broken.md", b"+++\nweight = 1\n+++\nNo title.\n"),
        ("content/pages/broken.th.md", "+++\ntitle = \"เสีย\"\n+++\nข้อความ\n".as_bytes()),
    ]);
    assert_error(&r, "content/briefs/lost.th.md:1:1: error: translation without a source document: content/briefs/lost.md does not exist");
    assert!(!r.stderr.contains("content/pages/broken.md does not exist"), "{}", r.stderr);
    assert!(r.stderr.contains("content/pages/broken.md:1:1: error: missing required field 'title'"), "{}", r.stderr);
}

#[test]
fn links_and_html_in_journey_texts() {
    // A stage description and a risk text are Markdown: their site links
    // and raw HTML are checked too, at the text's position.
    let journey = std::fs::read_to_string(common::fixture("mini").join("content/journeys/fishing.md")).unwrap();
    let bad = journey
        .replacen("description = \"A broker visits the village.\"", "description = \"A broker, see [it](@/briefs/nowhere.md).\"", 1)
        .replacen("text = \"Waves the group through for a payment.\"", "text = \"Waves them through <script>alert(1)</script>.\"", 1);
    let r = check_with(&[("content/journeys/fishing.md", bad.as_bytes())]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line_of = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let (d, t) = (line_of("@/briefs/nowhere.md"), line_of("<script>"));
    assert!(r.stderr.lines().any(|l| l.starts_with(&format!("content/journeys/fishing.md:{d}:15: error: ")) && l.contains("nowhere")), "{}", r.stderr);
    assert!(r.stderr.lines().any(|l| l.starts_with(&format!("content/journeys/fishing.md:{t}:8: ")) && l.to_lowercase().contains("script")), "{}", r.stderr);
}

//! Tests of `markdown.rs` (kept apart: the module is long enough).

use super::*;

struct R;
impl LinkResolver for R {
    fn resolve(&self, t: &str) -> Resolved {
        if t == "countries/thailand.md" {
            Resolved::Url("../countries/thailand.html".into())
        } else {
            Resolved::Error(format!("unknown '{t}'"), None)
        }
    }
}

#[test]
fn repeated_headings_get_numbered_ids_quickly() {
    let md = "## Example\n\n".repeat(5000) + "## Example-1\n";
    let ids = heading_ids(&md);
    assert_eq!(&ids[..3], ["example", "example-1", "example-2"]);
    assert_eq!(ids[4999], "example-4999");
    assert_eq!(ids[5000], "example-1-1");
    // Explicit ids are respected and skipped.
    assert_eq!(heading_ids("# A {#a-1}\n\n# A\n\n# A\n"), ["a-1", "a", "a-2"]);
}

#[test]
fn slugs_keep_every_script() {
    assert_eq!(slugify("Where corruption enters"), "where-corruption-enters");
    assert_eq!(slugify("การทุจริต ณ ชายแดน"), "การทุจริต-ณ-ชายแดน");
    assert_eq!(slugify("အကျင့်ပျက်ခြစားမှု။"), "အကျင့်ပျက်ခြစားမှု");
    assert_eq!(slugify("ការពុករលួយ។"), "ការពុករលួយ");
    assert_eq!(slugify("!!!"), "section");
    assert_eq!(slugify("ΣΊΣΥΦΟΣ and İstanbul"), "σίσυφοσ-and-i\u{307}stanbul");
    assert_eq!(slugify("  ไทย။ລາວ — ខ្មែរ၊ X  "), "ไทย-ລາວ-ខ្មែរ-x");
    assert_eq!(slugify("๏ไทย"), "ไทย");
    assert_eq!(slugify("A๚B"), "a-b");
}

#[test]
fn texts_without_at_colon_angle_or_ampersand_have_no_findings() {
    for md in ["[a](@/countries/x.md)", "[a](javascript:alert(1))", "<script>x</script>", "[a](&#64;/countries/x.md)", "[a](javascript&#58;x)", "<https://example.org>", "[a]: javascript:x\n\n[a]"] {
        assert!(may_have_findings(md), "{md}");
    }
    for md in ["[a](@/countries/x.md)", "[a](javascript:alert(1))", "<script>x</script>", "[a](&#64;/countries/x.md)", "[a](javascript&#58;x)"] {
        assert!(!scan(md).findings.is_empty(), "{md}: the cases above are findings");
    }
    for md in ["A plain stage description, with *emphasis*, a [link](https) and `code`.", "ການຄ້າມະນຸດ"] {
        assert!(!may_have_findings(md));
        assert!(scan(md).findings.is_empty());
    }
}

#[test]
fn slugs_match_the_character_by_character_definition() {
    let by_chars = |text: &str| {
        let mut out = String::new();
        let mut dash = false;
        for c in text.chars().flat_map(char::to_lowercase) {
            let keep = if c.is_ascii() { c.is_ascii_alphanumeric() } else { !c.is_whitespace() && !is_punct(c) };
            if keep {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(c);
            } else {
                dash = true;
            }
        }
        if out.is_empty() {
            out.push_str("section");
        }
        out
    };
    let pool = ['a', 'Z', ' ', '-', 'ท', '๏', 'ລ', 'က', '။', 'ក', '។', 'Σ', 'İ'];
    let mut strings = vec![String::new()];
    for _ in 0..4 {
        strings = strings.iter().flat_map(|s| pool.iter().map(move |c| format!("{s}{c}"))).collect();
        for s in &strings {
            assert_eq!(slugify(s), by_chars(s), "{s:?}");
        }
    }
}

#[test]
fn scanning_without_smart_punctuation_finds_the_same() {
    let mut texts = vec![
        "# It's \"quoted\" -- and... 'so' --- on\n\n## A-b.c\n\n[x](@/countries/a.md \"t's\") <b>'x'</b> [y](javascript:'a')\n".to_owned(),
        "# ไทย \"ລາວ\" -- ខ្មែរ...\n\n# ไทย \"ລາວ\" -- ខ្មែរ...\n".to_owned(),
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        for f in std::fs::read_dir(dir.path()).into_iter().flatten().flatten() {
            if f.path().extension().is_some_and(|e| e == "md") {
                texts.push(std::fs::read_to_string(f.path()).unwrap());
            }
        }
    }
    assert!(texts.len() > 50, "{} texts", texts.len());
    for t in &texts {
        let (a, b) = (scan_with(t, options()), scan(t));
        assert_eq!(a.heading_ids, b.heading_ids);
        assert_eq!(format!("{:?}", a.findings), format!("{:?}", b.findings));
    }
}

#[test]
fn scripts_taken_as_caseless_have_no_lowercase_mapping_and_no_spaces() {
    for c in ('\u{0E00}'..='\u{109F}').chain('\u{1780}'..='\u{17FF}') {
        assert!(c.to_lowercase().eq(std::iter::once(c)), "{c:?} has a lowercase form");
        assert!(!c.is_whitespace(), "{c:?} is a space");
    }
}

#[test]
fn links_and_headings() {
    let hl = Highlighter::default();
    let md = "# Title\n\nSee [Thailand](@/countries/thailand.md) and [x](@/countries/nowhere.md).\n\n## Title\n";
    let r = render(md, &R, &hl, &RenderOpts { heading_ids: None, trusted_html: false, inline: false });
    assert!(r.html.contains("<h1 id=\"title\">"), "{}", r.html);
    assert!(r.html.contains("<h2 id=\"title-1\">"));
    assert!(r.html.contains("href=\"../countries/thailand.html\""));
    assert_eq!(r.problems.len(), 1);
    assert_eq!(&md[r.problems[0].range.clone()], "@/countries/nowhere.md");
}

fn clean(md: &str) -> Rendered {
    render(md, &R, &Highlighter::default(), &RenderOpts { heading_ids: None, trusted_html: false, inline: false })
}

#[test]
fn hostile_html_is_removed_with_a_warning() {
    for (md, gone) in [
        ("<script>alert(1)</script>\n", "alert(1)"),
        ("<img src=x onerror=\"alert(1)\">\n", "onerror"),
        ("[x](javascript:alert(1))\n", "javascript:"),
        ("<iframe src=\"https://evil.example/\"></iframe>\n", "iframe"),
        ("<object data=\"x.swf\"></object>\n", "object"),
        ("<p style=\"background:url(https://evil.example/t.png)\">x</p>\n", "evil.example"),
        ("<img src=\"https://tracker.example/pixel.gif\">\n", "tracker.example"),
        ("<a href=\"#\" onclick=\"steal()\">x</a>\n", "steal"),
    ] {
        let r = clean(md);
        assert!(!r.html.contains(gone), "{md} -> {}", r.html);
        assert!(r.problems.iter().any(|p| p.warning), "{md}: no warning");
    }
}

#[test]
fn harmless_html_stays() {
    let r = clean("H<sub>2</sub>O and x<sup>2</sup> <abbr title=\"UN Convention against Corruption\">UNCAC</abbr>\n");
    assert!(r.html.contains("<sub>2</sub>") && r.html.contains("<abbr title=\"UN Convention against Corruption\">"), "{}", r.html);
    assert!(r.problems.is_empty());
}

#[test]
fn trusted_html_is_kept_but_warned() {
    let r = render("<script src=\"a.js\"></script>\n", &R, &Highlighter::default(), &RenderOpts { heading_ids: None, trusted_html: true, inline: false });
    assert!(r.html.contains("<script"));
    assert!(r.problems[0].warning);
}

#[test]
fn code_is_highlighted_with_classes() {
    let hl = Highlighter::default();
    let r = render("```toml\ntitle = \"x\"\n```\n", &R, &hl, &RenderOpts { heading_ids: None, trusted_html: false, inline: false });
    assert!(r.html.contains("class=\"hl-"), "{}", r.html);
    assert!(!r.html.contains("style="));
}

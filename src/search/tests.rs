//! Unit tests of the tokenizer on each script and of the index.

use super::*;
use std::sync::OnceLock;

fn indexer() -> &'static SearchIndexer {
    static I: OnceLock<SearchIndexer> = OnceLock::new();
    I.get_or_init(SearchIndexer::new)
}

fn tokens(text: &str) -> Vec<String> {
    indexer().tokenize(text)
}

fn has(text: &str, word: &str) -> bool {
    tokens(text).iter().any(|t| t == word)
}

#[test]
fn indexer_is_shareable_across_threads() {
    fn check<T: Send + Sync>() {}
    check::<SearchIndexer>();
}

#[test]
fn english_words_are_lowercased_without_punctuation() {
    assert_eq!(
        tokens("Border officials, don’t take bribes: UNCAC art. 30 (2003)."),
        ["border", "officials", "don't", "take", "bribes", "uncac", "art", "30", "2003"]
    );
    assert!(tokens("  \n ,.;—“”  ").is_empty());
}

#[test]
fn thai_words_are_found_inside_unspaced_text() {
    let text = "เจ้าหน้าที่ตำรวจตามหาผู้ต้องสงสัยที่ชายแดน";
    let t = tokens(text);
    assert!(t.contains(&"ตำรวจ".to_string()), "{t:?}");
    assert!(t.contains(&"ชายแดน".to_string()), "{t:?}");
    assert!(t.contains(&"ตาม".to_string()), "{t:?}");
    // ตา (eye) is only a substring of ตาม here: not a word of this text.
    assert!(!t.contains(&"ตา".to_string()), "{t:?}");
    assert!(has("เขาเจ็บที่ตาเมื่อวานนี้", "ตา"));
}

#[test]
fn lao_words_are_found_inside_unspaced_text() {
    let t = tokens("ເຈົ້າໜ້າທີ່ຊາຍແດນໄດ້ຮັບສິນບົນຈາກນາຍໜ້າ");
    assert!(t.contains(&"ຊາຍແດນ".to_string()), "{t:?}");
    assert!(t.contains(&"ສິນບົນ".to_string()), "{t:?}");
    assert!(!t.iter().any(|w| w == "ສິນ"), "{t:?}");
}

#[test]
fn khmer_words_are_found_inside_unspaced_text() {
    let t = tokens("មន្ត្រីព្រំដែនបានទទួលប្រាក់ពីឈ្មួញ");
    assert!(t.contains(&"ព្រំដែន".to_string()), "{t:?}");
    assert!(t.contains(&"មន្ត្រី".to_string()), "{t:?}");
    assert!(t.len() >= 4, "{t:?}");
}

#[test]
fn burmese_words_are_found_inside_unspaced_text() {
    let t = tokens("နယ်စပ်ရဲအရာရှိများသည်လာဘ်ယူသည်။");
    assert!(t.contains(&"နယ်စပ်".to_string()), "{t:?}");
    assert!(t.contains(&"လာဘ်".to_string()), "{t:?}");
    // the sentence-final mark ။ is punctuation, not a word
    assert!(!t.iter().any(|w| w.contains('။')), "{t:?}");
}

#[test]
fn zero_width_characters_do_not_split_or_join_words() {
    // U+200B is a boundary: Khmer text often marks words with it.
    assert_eq!(tokens("ព្រំដែន\u{200b}មន្ត្រី"), ["ព្រំដែន", "មន្ត្រី"]);
    // BOM, ZWJ, ZWNJ, soft hyphen inside a word are dropped.
    assert_eq!(tokens("bor\u{ad}der ชาย\u{feff}แดน"), ["border", "ชายแดน"]);
}

#[test]
fn canonically_equivalent_spellings_are_one_term() {
    // Tone mark before or after the lower vowel; SARA AM as one or two code points.
    assert_eq!(tokens("ปู่"), tokens("ป\u{e48}\u{e39}"));
    assert_eq!(tokens("น้ำ"), tokens("น\u{e49}\u{e4d}\u{e32}"));
}

#[test]
fn repetition_marks_are_not_words() {
    let t = tokens("เด็กๆ ไปโรงเรียน ฯลฯ ផ្សេង ៗ");
    assert!(!t.iter().any(|w| w == "ๆ" || w == "ฯ" || w == "ៗ"), "{t:?}");
    assert!(t.contains(&"เด็ก".to_string()), "{t:?}");
}

#[test]
fn segments_cover_the_text() {
    let text = fold("Hello, ตำรวจตามหา!");
    let segs = indexer().segments(&text);
    assert_eq!(segs.first().unwrap().0.start, 0);
    assert_eq!(segs.last().unwrap().0.end, text.len());
    for w in segs.windows(2) {
        assert_eq!(w[0].0.end, w[1].0.start);
    }
}

fn doc(url: &str, title: &str, kind: &'static str, text: &str, lang: &str) -> SearchDoc {
    SearchDoc { url: url.into(), title: title.into(), kind, text: text.into(), lang: lang.into() }
}

fn parse(js: &str) -> serde_json::Value {
    let json = js
        .strip_prefix("window.waymarkSearchIndex=")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("index is one assignment");
    serde_json::from_str(json).expect("index is JSON")
}

fn sample() -> Vec<SearchDoc> {
    vec![
        doc("briefs/a.html", "ตำรวจชายแดน", "brief", "เจ้าหน้าที่ตำรวจตามหาผู้ต้องสงสัย", "th"),
        doc("journeys/b.html#border", "Border crossing", "stage", "Officials   take\n bribes. Border, border.", "en"),
        doc("measures/c.html", "การตรวจสอบ", "measure", "เขาเจ็บที่ตา", "th"),
    ]
}

#[test]
fn index_is_a_script_assigning_one_object() {
    let js = indexer().build_index("th", &sample());
    let v = parse(&js);
    assert_eq!(v["v"], 1);
    assert_eq!(v["lang"], "th");
    assert_eq!(v["kinds"], serde_json::json!(["brief", "stage", "measure"]));
    let docs = v["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[1][0], "journeys/b.html#border");
    assert_eq!(docs[1][2], 1);
    // whitespace collapsed, original case kept for display
    assert_eq!(docs[1][3], "Officials take bribes. Border, border.");
    // fallback document carries its language
    assert_eq!(docs[1].as_array().unwrap().len(), 7);
    assert_eq!(docs[1][6], "en");
    assert_eq!(docs[0].as_array().unwrap().len(), 6);
    // boundaries between Thai words are marked in stored text
    assert_eq!(docs[0][1], "ตำรวจ\u{7f}ชายแดน");
}

#[test]
fn postings_carry_title_flag_and_frequency() {
    let v = parse(&indexer().build_index("th", &sample()));
    let terms: Vec<&str> = v["terms"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    let mut sorted = terms.clone();
    sorted.sort();
    assert_eq!(terms, sorted);
    let get = |t: &str| {
        let i = terms.iter().position(|x| *x == t).unwrap_or_else(|| panic!("{t} in {terms:?}"));
        encode::decode_postings(v["postings"][i].as_str().unwrap()).unwrap()
    };
    // "border": title of doc 1 and twice in its text
    assert_eq!(get("border"), vec![(1, 1 | 2 << 1)]);
    // ตำรวจ: title and once in the text of doc 0
    assert_eq!(get("ตำรวจ"), vec![(0, 1 | 1 << 1)]);
    assert_eq!(get("ตา"), vec![(2, 1 << 1)]);
    assert_eq!(get("ตาม"), vec![(0, 1 << 1)]);
}

#[test]
fn index_is_deterministic() {
    let docs = sample();
    let a = indexer().build_index("th", &docs);
    let b = SearchIndexer::new().build_index("th", &docs);
    assert_eq!(a, b);
}

#[test]
fn stored_text_is_bounded_but_every_word_indexed() {
    let long = "word ".repeat(50) + "needle";
    let small = SearchIndexer::new().with_max_stored_chars(20);
    let v = parse(&small.build_index("en", &[doc("p.html", "T", "page", &long, "en")]));
    let text = v["docs"][0][3].as_str().unwrap();
    assert!(text.chars().count() <= 20, "{text}");
    assert_eq!(v["docs"][0][5], 1);
    assert_eq!(v["docs"][0][4], 51);
    assert!(v["terms"].as_array().unwrap().iter().any(|t| t == "needle"));
}

#[test]
fn script_breaking_characters_are_escaped() {
    let js = indexer().build_index("en", &[doc("p.html", "a\u{2028}b", "page", "</script> \"x\" \\", "en")]);
    assert!(!js.contains('\u{2028}'));
    parse(&js);
}

#[test]
fn word_char_table_agrees_with_the_unicode_properties() {
    let table = super::WordChars::new();
    for u in 0..0x3_0000u32 {
        if let Some(c) = char::from_u32(u) {
            assert_eq!(table.get(c), super::is_word_char(c), "U+{u:04X}");
        }
    }
    assert!(table.indexable("เรียน") && table.indexable("ເຮືອ") && !table.indexable("ๆ") && !table.indexable("ៗ"));
}

//! ComplexRuns against ICU4X alone: same segments, same grapheme clusters.

use super::*;
use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::WordSegmenter;

/// ICU4X alone: every segment with whether it is word-like.
fn reference(seg: &WordSegmenterBorrowed<'_>, text: &str) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut it = seg.segment_str(text);
    let mut prev = 0;
    while let Some(b) = it.next() {
        if b == 0 {
            continue;
        }
        out.push((prev..b, it.is_word_like()));
        prev = b;
    }
    out
}

/// Compares both on `text`; returns whether the fast path ran.
fn same(runs: &ComplexRuns, seg: &WordSegmenterBorrowed<'_>, text: &str) -> bool {
    match runs.segments(seg, text) {
        Some(fast) => {
            let slow = reference(seg, text);
            if fast != slow {
                let show = |v: &[(Range<usize>, bool)]| v.iter().map(|(r, w)| format!("{}{}", &text[r.clone()], if *w { "" } else { "°" })).collect::<Vec<_>>().join("|");
                panic!("segments differ for {text:?}\nfast: {}\nICU4X: {}", show(&fast), show(&slow));
            }
            true
        }
        None => false,
    }
}

fn files(dir: &std::path::Path, out: &mut Vec<String>) {
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md" || x == "toml" || x == "json") {
            if let Ok(s) = std::fs::read_to_string(e.path()) {
                out.push(s);
            }
        }
    }
}

#[test]
fn same_breaks_as_icu4x_on_the_flagship_and_the_benchmark_texts() {
    let runs = ComplexRuns::new();
    let seg = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    files(&root.join("content"), &mut texts);
    files(&root.join("bench/corpus_text.json"), &mut texts);
    assert!(texts.len() > 50, "found {} texts", texts.len());
    let mut fast = 0;
    for t in &texts {
        fast += same(&runs, &seg, t) as usize;
        let folded = crate::search::collapse_whitespace(&crate::search::text::fold_cow(t));
        same(&runs, &seg, &folded);
        for line in t.lines() {
            same(&runs, &seg, line);
        }
    }
    assert!(fast > 20, "the fast path ran on {fast} texts only");
}

#[test]
fn same_breaks_as_icu4x_on_random_mixtures() {
    // Letters, marks, digits and signs of the four scripts, with the
    // characters that sit at the edges of runs: spaces, Latin, digits,
    // punctuation, zero-width joiners and spaces, combining marks, an
    // emoji, Tai Tham (complex but without a dictionary) and Han.
    let pool: Vec<char> = "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะัาำิีึืุูเแโใไ็่้๊๋์ๆฯ๐๑ຂຄງຈຊຍດຕທນບປຜພມຢຣລວສຫອຮະັາິີຶືຸູົຼຽເແໂໃໄ່້໊໋ໆ໐ໜកខគងចឆជញដណតថទធនបផពមយរលវសហឡអាិីឹឺុូួើឿៀេែៃោៅំះៈ៉៊់៌៍៎៏័្។៕៖ៗ៛០កကခဂဃငစဆဇညတထဒဓနပဖဗဘမယရလဝသဟဠအါာိီုူေဲံ့း္်ျြွှဿ၀၁၊။ꧠꩠᨠᩅ  aZ09.,'’-()\u{200b}\u{200c}\u{200d}\u{00ad}\u{0301}\u{fe0f}😀中\n"
        .chars()
        .collect();
    let runs = ComplexRuns::new();
    let seg = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut fast = 0;
    for _ in 0..20_000 {
        let n = 1 + (next() % 40) as usize;
        let text: String = (0..n).map(|_| pool[(next() % pool.len() as u64) as usize]).collect();
        fast += same(&runs, &seg, &text) as usize;
    }
    assert!(fast > 10_000, "the fast path ran on {fast} texts only");
}

#[test]
fn every_dictionary_loads() {
    let runs = ComplexRuns::new();
    for s in [Script::Thai, Script::Lao, Script::Myanmar, Script::Khmer] {
        let d = runs.dict(s).unwrap_or_else(|| panic!("no dictionary for {s:?}"));
        assert!(d.nodes.len() > 1000, "{s:?}: {} nodes", d.nodes.len());
    }
    assert!(runs.dict(Script::Other).is_none());
    // ICU4X leaves Lao RO out of the Lao range, and so breaks around it.
    assert_eq!(script('\u{0EA3}'), Script::Other);
}

#[test]
fn same_grapheme_clusters_as_icu4x() {
    let runs = ComplexRuns::new();
    let icu = GraphemeClusterSegmenter::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    files(&root.join("content"), &mut texts);
    let lines: Vec<&str> = texts.iter().flat_map(|t| t.lines()).collect();
    let (mut props, mut out) = (Vec::new(), Vec::new());
    let mut checked = 0;
    for l in &lines {
        if runs.graphemes(l, &mut props, &mut out) {
            let reference: Vec<usize> = icu.segment_str(l).skip(1).collect();
            assert_eq!(out, reference, "{l:?}");
            checked += 1;
        }
    }
    assert!(checked * 10 > lines.len() * 9, "{checked} of {} lines", lines.len());
}

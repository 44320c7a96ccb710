//! Full-text search that works from disk in all five languages.
//!
//! The generator hands every page (and every journey stage and
//! counter-measure, with its anchor) to [`SearchIndexer::build_index`] as a
//! [`SearchDoc`] and writes the returned JavaScript to
//! `output/<lang>/search/search-index.js`. The search page loads that file
//! with a classic `<script>` element only when the reader searches, so it
//! works under `file://` where `fetch`, modules and WebAssembly are blocked;
//! `themes/default/static/js/search.js` does the querying and shows hits.
//!
//! Words are cut with the ICU4X dictionary word segmenter, so that words in
//! Thai, Lao, Khmer and Burmese are found inside unspaced text, and a query
//! word matches whole words only: Thai `ตา` (eye) does not find `ตาม`.
//!
//! # Index format (version 1)
//!
//! The file is one statement, `window.waymarkSearchIndex = {...};`, whose
//! object holds:
//!
//! * `v`: format version (`1`); `lang`: the page language;
//! * `kinds`: the distinct [`SearchDoc::kind`] values, in order of first use;
//! * `docs`: one array per document, `[url, title, kind, text, length,
//!   flags]` and, where the document's language differs from the page's, a
//!   seventh item, its language. `kind` indexes `kinds`; `title` and `text`
//!   are folded (see [`text::fold`]), whitespace is collapsed, and word
//!   boundaries between two characters of an unspaced script are marked
//!   with [`text::BOUNDARY`]; `text` keeps at most
//!   [`SearchIndexer::max_stored_chars`] characters (flag bit 1 tells that
//!   it was cut); `length` is the number of words of the full text;
//! * `terms`: every distinct normalized word, sorted;
//! * `postings`: for each term, one string listing the documents that hold
//!   it, in increasing order. Each entry is the gap from the previous
//!   document number (the first from -1) as a base-32 varint, then one
//!   weight character: bit 0 = the word is in the title, bits 1..5 = how
//!   often it occurs in the text, capped at 31. Digits are the characters
//!   of [`encode::ALPHABET`]: a varint digit below 32 ends the number, one
//!   of 32 or more carries five bits and continues; the weight character is
//!   the alphabet entry of its value.

pub mod encode;
pub mod text;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

pub use text::{fold, normalize_term, BOUNDARY};

/// One searchable unit: a page, or one journey stage or counter-measure
/// with the anchor that leads to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// URL relative to the language root, e.g.
    /// `"journeys/fishing-boat.html#recruitment"` or `"briefs/x.html"`.
    pub url: String,
    /// Title shown in the hit and weighted above the text in ranking.
    pub title: String,
    /// `"brief" | "country" | "journey" | "stage" | "measure" | "page"`.
    pub kind: &'static str,
    /// Plain text (Markdown already rendered and stripped of tags).
    pub text: String,
    /// Language of the text: the page language, or the default language
    /// where the page falls back.
    pub lang: String,
}

/// Default for [`SearchIndexer::max_stored_chars`].
pub const DEFAULT_MAX_STORED_CHARS: usize = 20_000;

/// Longest word, in characters, that is indexed; longer "words" (base64,
/// long numbers) are left out.
pub const MAX_TERM_CHARS: usize = 48;

/// Builds the search index of each language. Built once per build and
/// shared across languages and threads: it holds the ICU4X dictionary word
/// segmenter, whose data is compiled into the binary.
#[derive(Debug, Clone)]
pub struct SearchIndexer {
    segmenter: WordSegmenterBorrowed<'static>,
    max_stored_chars: usize,
    memo: Option<std::sync::Arc<std::sync::Mutex<Memo>>>,
}

/// Analyses kept between index builds (for `serve`): by hash of title and
/// text, with the round they were last used in.
#[derive(Debug, Default)]
struct Memo {
    round: u64,
    entries: HashMap<u64, (u64, std::sync::Arc<(Analyzed, Analyzed)>)>,
}

impl Default for SearchIndexer {
    fn default() -> Self {
        Self::new()
    }
}

/// A document cut into words: what the index keeps of it.
#[derive(Debug, Default, Clone)]
struct Analyzed {
    /// Folded text with boundaries marked, cut to the stored length.
    stored: String,
    /// Whether `stored` was cut.
    truncated: bool,
    /// Normalized words in order of appearance.
    terms: Vec<String>,
}

impl SearchIndexer {
    /// Creates an indexer with the dictionary segmenter (not the LSTM one,
    /// which is a hundred times slower for no better accuracy) and
    /// [`DEFAULT_MAX_STORED_CHARS`].
    pub fn new() -> Self {
        SearchIndexer {
            segmenter: WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()),
            max_stored_chars: DEFAULT_MAX_STORED_CHARS,
            memo: None,
        }
    }

    /// Returns this indexer remembering the analysis of every document, so
    /// rebuilding an index after an edit only analyses what changed (for
    /// `serve`). Call [`SearchIndexer::end_round`] after each rebuild.
    pub fn with_memo(mut self) -> Self {
        self.memo = Some(Default::default());
        self
    }

    /// Forgets analyses that were not used since the last call.
    pub fn end_round(&self) {
        if let Some(m) = &self.memo {
            let mut m = m.lock().unwrap_or_else(|p| p.into_inner());
            let round = m.round;
            m.entries.retain(|_, (r, _)| *r == round);
            m.round += 1;
        }
    }

    fn analyze_doc(&self, d: &SearchDoc) -> std::sync::Arc<(Analyzed, Analyzed)> {
        let Some(memo) = &self.memo else {
            return std::sync::Arc::new((self.analyze(&d.title, usize::MAX), self.analyze(&d.text, self.max_stored_chars)));
        };
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&d.title, &d.text).hash(&mut h);
        let key = h.finish();
        {
            let mut m = memo.lock().unwrap_or_else(|p| p.into_inner());
            let round = m.round;
            if let Some((r, a)) = m.entries.get_mut(&key) {
                *r = round;
                return a.clone();
            }
        }
        let a = std::sync::Arc::new((self.analyze(&d.title, usize::MAX), self.analyze(&d.text, self.max_stored_chars)));
        let mut m = memo.lock().unwrap_or_else(|p| p.into_inner());
        let round = m.round;
        m.entries.insert(key, (round, a.clone()));
        a
    }

    /// Returns this indexer with another limit on the characters of text
    /// stored per document for snippets. Every word is indexed whatever the
    /// limit; only snippets of matches past it cannot show the match.
    pub fn with_max_stored_chars(mut self, chars: usize) -> Self {
        self.max_stored_chars = chars;
        self
    }

    /// The limit on stored text per document, in characters.
    pub fn max_stored_chars(&self) -> usize {
        self.max_stored_chars
    }

    /// Segments already folded text (see [`fold`]) and returns the byte
    /// range of every segment with whether it is a word to index. Words are
    /// the word-like segments of the ICU4X word segmenter that hold a
    /// letter or digit other than a repetition mark (Thai `ๆ`, Lao `ໆ`, Khmer
    /// `ៗ`) or abbreviation mark (`ฯ`); spaces and punctuation are not words.
    pub fn segments(&self, folded: &str) -> Vec<(Range<usize>, bool)> {
        let mut out = Vec::new();
        let mut it = self.segmenter.segment_str(folded);
        let mut prev = 0;
        while let Some(b) = it.next() {
            if b == 0 {
                continue;
            }
            let seg = &folded[prev..b];
            let word = it.is_word_like() && is_indexable(seg);
            out.push((prev..b, word));
            prev = b;
        }
        out
    }

    /// The terms that the index holds for `text`, in order: the text is
    /// folded, segmented and each word normalized with [`normalize_term`].
    /// The browser splits queries into the same terms.
    pub fn tokenize(&self, text: &str) -> Vec<String> {
        self.analyze(text, 0).terms
    }

    /// Folds, segments and normalizes one field, and builds its stored
    /// form (at most `max_chars` characters).
    fn analyze(&self, text: &str, max_chars: usize) -> Analyzed {
        let folded = collapse_whitespace(&fold(text));
        let mut out = Analyzed::default();
        let mut stored_chars = 0usize;
        let mut last: Option<char> = None; // last character written to `stored`
        for (range, word) in self.segments(&folded) {
            let seg = &folded[range];
            if word {
                let term = normalize_term(seg);
                if term.chars().count() <= MAX_TERM_CHARS {
                    out.terms.push(term);
                }
            }
            if out.truncated {
                continue;
            }
            let mut chars = seg.chars().filter(|&c| c != '\u{200b}').peekable();
            let Some(&first) = chars.peek() else { continue };
            let need_marker = matches!(last, Some(l) if text::is_complex(l)) && text::is_complex(first);
            let n = seg.chars().filter(|&c| c != '\u{200b}').count() + need_marker as usize;
            if stored_chars + n > max_chars {
                out.truncated = true;
                continue;
            }
            if need_marker {
                out.stored.push(BOUNDARY);
            }
            for c in chars {
                out.stored.push(c);
                last = Some(c);
            }
            stored_chars += n;
        }
        out
    }

    /// JavaScript source of `output/<lang>/search/search-index.js` for the
    /// documents of one language, in the format described in the module
    /// documentation. Deterministic: the same input gives the same bytes.
    /// Documents keep their order; ties in ranking go to the earlier one.
    pub fn build_index(&self, lang: &str, docs: &[SearchDoc]) -> String {
        // Documents are analysed in parallel chunks and folded into the
        // postings at once, so the words of a whole site are never all held
        // in memory (only each term once, with its postings).
        let mut kinds: Vec<&str> = Vec::new();
        let mut doc_rows = Vec::with_capacity(docs.len());
        let mut postings: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
        const CHUNK: usize = 256;
        for (c, chunk) in docs.chunks(CHUNK).enumerate() {
            let analyzed: Vec<std::sync::Arc<(Analyzed, Analyzed)>> = chunk.par_iter().map(|d| self.analyze_doc(d)).collect();
            for (i, (doc, a)) in chunk.iter().zip(&analyzed).enumerate() {
                let n = c * CHUNK + i;
                let (title, body) = (&a.0, &a.1);
                let kind = match kinds.iter().position(|k| *k == doc.kind) {
                    Some(i) => i,
                    None => {
                        kinds.push(doc.kind);
                        kinds.len() - 1
                    }
                };
                let mut row = vec![
                    serde_json::Value::from(doc.url.as_str()),
                    serde_json::Value::from(title.stored.as_str()),
                    serde_json::Value::from(kind),
                    serde_json::Value::from(body.stored.as_str()),
                    serde_json::Value::from(body.terms.len()),
                    serde_json::Value::from(u32::from(body.truncated)),
                ];
                if doc.lang != lang {
                    row.push(serde_json::Value::from(doc.lang.as_str()));
                }
                doc_rows.push(serde_json::Value::Array(row));

                // (in title, occurrences in text) per distinct term
                let mut weights: HashMap<&str, (bool, u32)> = HashMap::new();
                for t in &title.terms {
                    weights.entry(t).or_default().0 = true;
                }
                for t in &body.terms {
                    weights.entry(t).or_default().1 += 1;
                }
                for (term, (in_title, tf)) in weights {
                    let w = u8::from(in_title) | (tf.min(31) as u8) << 1;
                    match postings.get_mut(term) {
                        Some(list) => list.push((n as u32, w)),
                        None => {
                            postings.insert(term.to_owned(), vec![(n as u32, w)]);
                        }
                    }
                }
            }
        }

        let terms: Vec<&str> = postings.keys().map(String::as_str).collect();
        let lists: Vec<String> = postings.values().map(|l| encode::postings(l)).collect();
        let index = serde_json::json!({
            "v": 1,
            "lang": lang,
            "kinds": kinds,
            "docs": doc_rows,
            "terms": terms,
            "postings": lists,
        });
        let json = serde_json::to_string(&index).expect("index serializes");
        // U+2028 and U+2029 are legal in JSON and (since ES2019) in JS
        // strings; escape them anyway for older engines.
        let json = json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029");
        format!("window.waymarkSearchIndex={json};\n")
    }
}

/// Whether a word-like segment is worth indexing: it holds a letter or
/// digit that is not a repetition or abbreviation mark.
fn is_indexable(seg: &str) -> bool {
    seg.chars().any(|c| {
        // Fast paths first: ASCII, and the consonants and independent vowels
        // of Thai, Lao, Myanmar and Khmer (all letters), which almost every
        // word holds; the Unicode tables only for the rest.
        c.is_ascii_alphanumeric()
            || matches!(c as u32, 0x0E01..=0x0E2E | 0x0E81..=0x0EAE | 0x1000..=0x102A | 0x1780..=0x17B3)
            || (!c.is_ascii() && c.is_alphanumeric() && !matches!(c, 'ๆ' | 'ฯ' | 'ໆ' | 'ຯ' | 'ៗ'))
    })
}

/// Replaces every run of whitespace by one space and trims both ends.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;

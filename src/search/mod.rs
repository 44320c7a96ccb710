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

mod complex;
pub mod encode;
pub mod spill;
pub mod text;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use rayon::prelude::*;
use std::ops::Range;

pub use spill::Spill;
pub use text::{fold, normalize_term, BOUNDARY};
use text::{fold_cow, normalize_term_cow};
use std::borrow::Cow;

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
    spill: Option<std::sync::Arc<Spill>>,
    word_chars: WordChars,
    complex: complex::ComplexRuns,
}

impl Default for SearchIndexer {
    fn default() -> Self {
        Self::new()
    }
}

/// A document cut into words: what the index keeps of one field.
#[derive(Debug, Default, Clone)]
struct Analyzed<'a> {
    /// Folded text with boundaries marked, cut to the stored length.
    stored: String,
    /// Whether `stored` was cut.
    truncated: bool,
    /// Normalized words in order of appearance (borrowed from the folded
    /// text unless normalizing changed them).
    terms: Vec<Cow<'a, str>>,
}

type WordMap<'a, V> = crate::hash::FastMap<&'a str, V>;

/// A [`SearchDoc`] analysed for the index by [`SearchIndexer::entry`]: all
/// that the index keeps of it. Pages are analysed as they are rendered, on
/// the rendering threads, and only this compact form waits for the index
/// to be written (not the whole text), in memory or in a [`Spill`] file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// URL relative to the language root.
    pub url: String,
    data: Stored,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Stored {
    Memory(Box<EntryData>),
    /// Offset and length in the indexer's spill file.
    Spilled(u64, u32),
}

/// What the index keeps of one document besides its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EntryData {
    /// Stored (folded, marked) title, as a JSON string (escaped on the
    /// rendering threads, so writing the index only copies it).
    title: String,
    kind: &'static str,
    /// Stored text, at most [`SearchIndexer::max_stored_chars`] characters,
    /// as a JSON string.
    text: String,
    /// Number of words of the whole text.
    words: u32,
    truncated: bool,
    lang: String,
    /// The distinct terms, concatenated; `ends[i]` is where term `i` ends.
    terms: String,
    ends: Vec<u32>,
    /// Weight of each term: bit 0 in the title, bits 1..5 its count in the text (capped at 31).
    weights: Vec<u8>,
}

impl IndexEntry {
    /// Bytes this entry holds on the heap (for memory figures).
    pub fn heap_bytes(&self) -> usize {
        let data = match &self.data {
            Stored::Memory(d) => d.title.capacity() + d.text.capacity() + d.lang.capacity() + d.terms.capacity() + d.ends.capacity() * 4 + d.weights.capacity() + std::mem::size_of::<EntryData>(),
            Stored::Spilled(..) => 0,
        };
        self.url.capacity() + std::mem::size_of::<Self>() + data
    }
}

impl EntryData {
    fn terms(&self) -> impl Iterator<Item = (&str, u8)> {
        let mut start = 0;
        self.ends.iter().zip(&self.weights).map(move |(&e, &w)| {
            let t = &self.terms[start..e as usize];
            start = e as usize;
            (t, w)
        })
    }
}

impl SearchIndexer {
    /// Creates an indexer with the dictionary segmenter (not the LSTM one,
    /// which is a hundred times slower for no better accuracy) and
    /// [`DEFAULT_MAX_STORED_CHARS`].
    pub fn new() -> Self {
        SearchIndexer { segmenter: WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()), max_stored_chars: DEFAULT_MAX_STORED_CHARS, spill: None, word_chars: WordChars::new(), complex: complex::ComplexRuns::new() }
    }

    /// Returns this indexer parking analysed entries in `spill` instead of
    /// memory (entries stay in memory if writing the file fails).
    pub fn with_spill(mut self, spill: Spill) -> Self {
        self.spill = Some(std::sync::Arc::new(spill));
        self
    }

    /// Analyses one document for the index.
    pub fn entry(&self, d: SearchDoc) -> IndexEntry {
        let (title_folded, body_folded) = (collapse_whitespace(&fold_cow(&d.title)), collapse_whitespace(&fold_cow(&d.text)));
        let title = self.analyze(&title_folded, usize::MAX);
        let body = self.analyze(&body_folded, self.max_stored_chars);
        // (in title, occurrences in text) per distinct term, in order of first appearance
        let mut seen: WordMap<usize> = WordMap::with_capacity_and_hasher(body.terms.len() / 2 + title.terms.len(), Default::default());
        let mut weights: Vec<(bool, u32)> = Vec::new();
        let mut order: Vec<&str> = Vec::new();
        for (t, in_title) in title.terms.iter().map(|t| (t, true)).chain(body.terms.iter().map(|t| (t, false))) {
            let i = *seen.entry(t.as_ref()).or_insert_with(|| {
                order.push(t);
                weights.push((false, 0));
                weights.len() - 1
            });
            if in_title {
                weights[i].0 = true;
            } else {
                weights[i].1 += 1;
            }
        }
        let mut terms = String::with_capacity(order.iter().map(|t| t.len()).sum());
        let mut ends = Vec::with_capacity(order.len());
        for t in &order {
            terms.push_str(t);
            ends.push(terms.len() as u32);
        }
        let json = |text: &str| {
            let mut out = String::with_capacity(text.len() + 2);
            push_json_str(&mut out, text);
            out.shrink_to_fit(); // entries wait until the index is written: no spare capacity
            out
        };
        let (title_stored, text_stored) = (json(&title.stored), json(&body.stored));
        let data = EntryData {
            title: title_stored,
            kind: d.kind,
            text: text_stored,
            words: body.terms.len() as u32,
            truncated: body.truncated,
            lang: d.lang,
            terms,
            ends,
            weights: weights.into_iter().map(|(in_title, tf)| u8::from(in_title) | (tf.min(31) as u8) << 1).collect(),
        };
        let data = match self.spill.as_ref().map(|s| s.put(&data)) {
            Some(Ok((at, len))) => Stored::Spilled(at, len),
            _ => Stored::Memory(Box::new(data)),
        };
        IndexEntry { url: d.url, data }
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
        if let Some(mut v) = self.complex.segments(&self.segmenter, folded) {
            for (r, word) in &mut v {
                *word = *word && self.word_chars.indexable(&folded[r.clone()]);
            }
            return v;
        }
        self.icu_segments(folded)
    }

    /// [`SearchIndexer::segments`] by ICU4X alone (slower where there are
    /// runs of Thai, Lao, Khmer or Burmese; the reference in tests).
    pub fn icu_segments(&self, folded: &str) -> Vec<(Range<usize>, bool)> {
        let mut out = Vec::new();
        let mut it = self.segmenter.segment_str(folded);
        let mut prev = 0;
        while let Some(b) = it.next() {
            if b == 0 {
                continue;
            }
            let seg = &folded[prev..b];
            let word = it.is_word_like() && self.word_chars.indexable(seg);
            out.push((prev..b, word));
            prev = b;
        }
        out
    }

    /// The terms that the index holds for `text`, in order: the text is
    /// folded, segmented and each word normalized with [`normalize_term`].
    /// The browser splits queries into the same terms.
    pub fn tokenize(&self, text: &str) -> Vec<String> {
        let folded = collapse_whitespace(&fold_cow(text));
        self.analyze(&folded, 0).terms.into_iter().map(Cow::into_owned).collect()
    }

    /// Segments and normalizes one field, already folded and with its
    /// whitespace collapsed, and builds its stored form (at most
    /// `max_chars` characters).
    fn analyze<'a>(&self, folded: &'a str, max_chars: usize) -> Analyzed<'a> {
        let mut out = Analyzed::default();
        let mut stored_chars = 0usize;
        let mut last: Option<char> = None; // last character written to `stored`
        for (range, word) in self.segments(folded) {
            let seg = &folded[range];
            if word {
                let term = normalize_term_cow(seg);
                if term.len() <= MAX_TERM_CHARS || term.chars().count() <= MAX_TERM_CHARS {
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
        let entries: Vec<IndexEntry> = docs.par_iter().map(|d| self.entry(d.clone())).collect();
        self.write_index(lang, &entries.iter().collect::<Vec<_>>()).unwrap_or_default()
    }

    /// JavaScript source of a language's index from analysed documents, in
    /// their order (see [`SearchIndexer::build_index`]). Fails only when a
    /// spilled entry cannot be read back.
    pub fn write_index(&self, lang: &str, entries: &[&IndexEntry]) -> std::io::Result<String> {
        let mut kinds: Vec<&str> = Vec::new();
        let mut postings: crate::hash::FastMap<Box<str>, Vec<(u32, u8)>> = Default::default();
        let mut out = String::with_capacity(entries.iter().map(|e| e.heap_bytes()).sum::<usize>() / 2 + (1 << 16));
        // Keys in sorted order, as earlier versions wrote them with serde_json.
        out.push_str("window.waymarkSearchIndex={\"docs\":[");
        for (n, entry) in entries.iter().enumerate() {
            let loaded;
            let e: &EntryData = match (&entry.data, &self.spill) {
                (Stored::Memory(d), _) => d,
                (Stored::Spilled(at, len), Some(spill)) => {
                    loaded = spill.get(*at, *len)?;
                    &loaded
                }
                (Stored::Spilled(..), None) => return Err(std::io::Error::other("search entry spilled by another indexer")),
            };
            let kind = match kinds.iter().position(|k| *k == e.kind) {
                Some(i) => i,
                None => {
                    kinds.push(e.kind);
                    kinds.len() - 1
                }
            };
            if n > 0 {
                out.push(',');
            }
            out.push('[');
            push_json_str(&mut out, &entry.url);
            out.push(',');
            out.push_str(&e.title);
            out.push_str(&format!(",{kind},"));
            out.push_str(&e.text);
            out.push_str(&format!(",{},{}", e.words, u32::from(e.truncated)));
            if e.lang != lang {
                out.push(',');
                push_json_str(&mut out, &e.lang);
            }
            out.push(']');
            for (term, w) in e.terms() {
                match postings.get_mut(term) {
                    Some(list) => list.push((n as u32, w)),
                    None => {
                        postings.insert(term.into(), vec![(n as u32, w)]);
                    }
                }
            }
        }
        out.push_str("],\"kinds\":[");
        for (i, k) in kinds.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_str(&mut out, k);
        }
        out.push_str("],\"lang\":");
        push_json_str(&mut out, lang);
        let mut terms: Vec<(Box<str>, Vec<(u32, u8)>)> = postings.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out.push_str(",\"postings\":[");
        for (i, (_, list)) in terms.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // Digits of the alphabet need no escaping.
            out.push('"');
            out.push_str(&encode::postings(list));
            out.push('"');
        }
        out.push_str("],\"terms\":[");
        for (i, (t, _)) in terms.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_str(&mut out, t);
        }
        out.push_str("],\"v\":1};\n");
        Ok(out)
    }
}

/// Appends `s` as a JSON string, escaped as serde_json does, and U+2028 and
/// U+2029 too: they are legal in JSON and (since ES2019) in JavaScript
/// strings, but not for older engines.
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let esc: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\u{2028}' => Some("\\u2028"),
            '\u{2029}' => Some("\\u2029"),
            c if (c as u32) < 0x20 => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Whether `c` counts as a letter or digit of a word: alphanumeric, and not
/// a repetition or abbreviation mark.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !matches!(c, 'ๆ' | 'ฯ' | 'ໆ' | 'ຯ' | 'ៗ')
}

/// The first code point of [`WordChars`]' table.
const TABLE_START: u32 = 0x0E00;
/// The end of [`WordChars`]' table (exclusive): Thai, Lao, Tibetan,
/// Myanmar, Georgian, Hangul Jamo, Ethiopic, Cherokee, Canadian syllabics,
/// Ogham, Runic, Philippine scripts and Khmer.
const TABLE_END: u32 = 0x1800;

/// [`is_word_char`] looked up in a table for the blocks of the four
/// complex scripts: the Unicode property search took a twentieth of
/// indexing, mostly for Thai and Lao words that start with a vowel sign.
#[derive(Debug, Clone)]
struct WordChars(Box<[bool]>);

impl WordChars {
    fn new() -> Self {
        WordChars((TABLE_START..TABLE_END).map(|u| char::from_u32(u).is_some_and(is_word_char)).collect())
    }

    fn get(&self, c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric();
        }
        match (c as u32).checked_sub(TABLE_START).and_then(|i| self.0.get(i as usize)) {
            Some(&w) => w,
            None => is_word_char(c),
        }
    }

    /// Whether a word-like segment is worth indexing: it holds a letter
    /// or digit that is not a repetition or abbreviation mark.
    fn indexable(&self, seg: &str) -> bool {
        seg.chars().any(|c| self.get(c))
    }
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

//! Word breaks inside runs of Thai, Lao, Khmer and Burmese, the same as
//! ICU4X's dictionary word segmenter gives, in about half its time.
//!
//! These scripts write words without spaces. ICU4X finds their words by
//! greedy longest match in a dictionary (a compact `ZeroTrie`), stepping a
//! trie cursor and a grapheme iterator one character at a time and rewinding
//! after every match. In a profile of a 10,000-document build that was 14 %
//! of all CPU time. This module gives the same breaks from the same
//! dictionaries, turned once into a trie whose step is a table lookup, with
//! each run's grapheme boundaries found once.
//!
//! Everything around the runs (spaces, punctuation, Latin text, the edges of
//! runs and whether a segment is word-like) is still decided by ICU4X:
//! [`ComplexRuns::segments`] gives it the text with each run of two or more
//! complex characters replaced by one placeholder character of the same
//! word-break class, then puts the dictionary breaks of the real run where the
//! placeholder was. Where that cannot give ICU4X's result (the placeholder
//! would not end a segment where the run does, or a run holds Han or kana),
//! the caller falls back to ICU4X for the whole text. Tests compare both
//! paths.

use std::ops::Range;
use std::sync::OnceLock;

use icu_provider::prelude::*;
use icu_segmenter::provider::{Baked, BreakState, DictionaryBreakData, RuleBreakData, SegmenterDictionaryExtendedV2};
use icu_segmenter::{GraphemeClusterSegmenter, WordSegmenterBorrowed};

/// The scripts with a dictionary, in the order of [`ComplexRuns::dicts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Thai,
    Lao,
    Myanmar,
    Khmer,
    /// Any other script (ICU4X's `ComplexScript::None`; this includes Lao
    /// `U+0EA3`, which ICU4X's ranges leave out): no dictionary, one segment.
    Other,
    /// Han, kana and the like (no run holds them: the caller falls back).
    Cjk,
}

/// ICU4X's split of a complex run into scripts (`get_complex_script` in
/// `icu_segmenter`: the intersection of `Line_Break=SA` with each script).
fn script(c: char) -> Script {
    match c as u32 {
        0xE01..=0xE3A | 0xE40..=0x0E4E => Script::Thai,
        0x0E81 | 0x0E82 | 0x0E84 | 0x0E86..=0x0E8A | 0x0E8C..0x0EA3 | 0x0EA5 | 0x0EA7..=0x0EBD | 0x0EC0..=0x0EC4 | 0x0EC6 | 0x0EC8..=0x0ECE | 0x0EDC..=0x0EDF => Script::Lao,
        0x1000..=0x103F | 0x1050..=0x108F | 0x109A..=0x109F | 0xA9E0..=0xA9EF | 0xA9FA..=0xA9FE | 0xAA60..=0xAA7F => Script::Myanmar,
        0x1780..=0x17d3 | 0x17d7 | 0x17dc | 0x17dd => Script::Khmer,
        // A superset of ICU4X's Chinese and Japanese ranges.
        0x2E80..=0x9FFF | 0xF900..=0xFAD9 | 0x16FE2.. => Script::Cjk,
        _ => Script::Other,
    }
}

/// Data attribute of each script's dictionary in ICU4X's compiled data.
const DICT_NAMES: [&str; 4] = ["thaidict", "laodict", "burmesedict", "khmerdict"];

/// Stands for a run in the text given to ICU4X: a Thai letter, of the same
/// word-break class as every character of any run. ICU4X sees a run of one
/// complex character, which it leaves to its rules (no dictionary); where
/// those would not end a segment after it, the caller falls back.
const PLACEHOLDER: char = '\u{0E01}';

/// A dictionary as a trie whose children are found with one population count.
#[derive(Debug)]
struct Dict {
    /// Alphabet index of each code point from `first` on (`0xFF`: not in it).
    symbols: Vec<u8>,
    first: u32,
    nodes: Vec<Node>,
    /// Per node, [`WORD`] and [`LEAF`]: a walk reads them for the node it
    /// steps to, and that node's children only if it steps on (most walks
    /// end on a leaf, whose children need not be loaded).
    flags: Vec<u8>,
}

/// A word ends at the node.
const WORD: u8 = 1;
/// The node has no children.
const LEAF: u8 = 2;

#[derive(Debug, Clone, Copy, Default)]
struct Node {
    /// Which alphabet indexes (below 96: ICU4X's largest alphabet, Khmer's,
    /// has 96 letters) have a child. Three words keep the node at 16 bytes,
    /// four to a cache line.
    children: [u32; 3],
    /// Index of the first child; children follow in alphabet order.
    first_child: u32,
}

impl Node {
    fn leaf(&self) -> bool {
        self.children == [0, 0, 0]
    }
}

impl Dict {
    /// Copies one of ICU4X's compiled dictionaries (`None` if it has none
    /// under that name or it is not a `ZeroTrie`).
    fn load(name: &str) -> Option<Dict> {
        let attrs = DataMarkerAttributes::try_from_str(name).ok()?;
        let req = DataRequest { id: DataIdentifierBorrowed::for_marker_attributes(attrs), ..Default::default() };
        let response: DataResponse<SegmenterDictionaryExtendedV2> = Baked.load(req).ok()?;
        let DictionaryBreakData::ZeroTrie { alphabet, trie } = response.payload.get() else { return None };
        // The alphabet index of a code point is its rank in the set.
        let ranges: Vec<(u32, u32)> = alphabet.iter_ranges().map(|r| (*r.start(), *r.end())).collect();
        let first = ranges.first()?.0;
        let last = ranges.last()?.1;
        if last - first > 0x1_0000 {
            return None;
        }
        let mut symbols = vec![0xFF_u8; (last - first + 1) as usize];
        let mut rank = 0usize;
        for (lo, hi) in ranges {
            for cp in lo..=hi {
                symbols[(cp - first) as usize] = u8::try_from(rank).ok().filter(|r| *r < 96)?;
                rank += 1;
            }
        }
        // The children of a node are contiguous; blocks of children are
        // laid out depth first, so that the nodes of one word are close.
        let mut nodes = vec![Node::default()];
        let mut words = vec![false];
        let mut stack = vec![(trie.cursor(), 0usize)];
        while let Some((mut cursor, at)) = stack.pop() {
            words[at] = cursor.take_value().is_some();
            let Some(total) = cursor.clone().probe(0).map(|p| p.total_siblings as usize) else { continue };
            let mut kids: Vec<(u8, _)> = (0..total)
                .filter_map(|i| {
                    let mut c = cursor.clone();
                    c.probe(i).map(|p| (p.byte, c))
                })
                .collect();
            kids.sort_by_key(|(b, _)| *b);
            let first_child = nodes.len();
            nodes[at].first_child = u32::try_from(first_child).ok()?;
            for (b, _) in &kids {
                if *b >= 96 {
                    return None;
                }
                nodes[at].children[usize::from(*b >> 5)] |= 1u32 << (b & 31);
                nodes.push(Node::default());
                words.push(false);
            }
            // The first child is visited next (its block follows this one).
            for (k, (_, c)) in kids.into_iter().enumerate().rev() {
                stack.push((c, first_child + k));
            }
        }
        let flags = nodes.iter().zip(&words).map(|(n, &w)| u8::from(w) * WORD | u8::from(n.leaf()) * LEAF).collect();
        Some(Dict { symbols, first, nodes, flags })
    }

    fn symbol(&self, c: char) -> u8 {
        (c as u32).checked_sub(self.first).and_then(|i| self.symbols.get(i as usize)).copied().unwrap_or(0xFF)
    }

    /// The child of `node` for `c`, if any.
    #[inline]
    fn step(&self, node: u32, c: char) -> Option<u32> {
        let s = self.symbol(c);
        if s >= 96 {
            return None;
        }
        let n = &self.nodes[node as usize];
        let (word, bit) = (usize::from(s >> 5), 1u32 << (s & 31));
        if n.children[word] & bit == 0 {
            return None;
        }
        let below = match word {
            0 => 0,
            1 => n.children[0].count_ones(),
            _ => n.children[0].count_ones() + n.children[1].count_ones(),
        };
        Some(n.first_child + below + (n.children[word] & (bit - 1)).count_ones())
    }

    /// Appends the breaks of `text` (one script) after `offset`, as ICU4X's
    /// `DictionaryBreakIterator` finds them: the longest dictionary word
    /// that ends at a grapheme boundary; else the rest of the grapheme
    /// cluster where no word starting here continues.
    fn breaks(&self, text: &str, graphemes: &[usize], offset: usize, out: &mut Vec<usize>) {
        let len = text.len();
        let mut pos = 0usize; // start of the remaining input
        let mut g = 0usize; // next grapheme boundary to take from `graphemes`
        while pos < len {
            let mut node = 0u32;
            let mut not_match = false;
            let mut previous: Option<(usize, usize)> = None; // (end, g) of the longest match so far
            let mut last_grapheme = pos;
            let mut i = pos;
            let mut found = None;
            while let Some(c) = text[i..].chars().next() {
                let end = i + c.len_utf8();
                let (word, empty) = match self.step(node, c) {
                    Some(n) => {
                        node = n;
                        let f = self.flags[n as usize];
                        (f & WORD != 0, f & LEAF != 0)
                    }
                    None => (false, true),
                };
                if last_grapheme < end {
                    last_grapheme = graphemes.get(g).copied().unwrap_or(len);
                    g += 1;
                }
                let at_boundary = last_grapheme == end;
                i = end;
                match (word, empty) {
                    (true, true) if at_boundary => {
                        found = Some((end, end));
                        break;
                    }
                    (true, false) if at_boundary => previous = Some((end, g)),
                    (_, false) => not_match = true,
                    (_, true) => {
                        found = Some(match previous {
                            Some((e, pg)) => {
                                g = pg;
                                (e, e)
                            }
                            // No word: the rest of the grapheme cluster.
                            None => (last_grapheme, last_grapheme.max(i)),
                        });
                        break;
                    }
                }
            }
            let (brk, next) = match found {
                Some(f) => f,
                None => match previous {
                    Some((e, pg)) => {
                        g = pg;
                        (e, e)
                    }
                    None if not_match => (len, len),
                    None => break,
                },
            };
            out.push(offset + brk);
            pos = next;
        }
    }
}

/// Finds the runs of complex-script characters and segments them with the
/// dictionaries, which are loaded on first use.
#[derive(Debug)]
pub struct ComplexRuns {
    /// ICU4X's word-break rules (for the class of each character).
    rules: &'static RuleBreakData<'static>,
    /// Whether each code point from [`TABLE_START`] is complex.
    table: Box<[bool]>,
    /// ICU4X's grapheme cluster rules.
    grapheme: &'static RuleBreakData<'static>,
    /// Its table of states (left × count + right), decoded once.
    grapheme_table: Box<[BreakState]>,
    /// The grapheme class of each code point from [`TABLE_START`].
    grapheme_classes: Box<[u8]>,
    dicts: [OnceLock<Option<Dict>>; 4],
}

/// The code points of the table: Thai to the end of Khmer.
const TABLE_START: u32 = 0x0E00;
const TABLE_END: u32 = 0x1800;

impl Default for ComplexRuns {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for ComplexRuns {
    /// A clone loads its own dictionaries when it needs them.
    fn clone(&self) -> Self {
        ComplexRuns { rules: self.rules, table: self.table.clone(), grapheme: self.grapheme, grapheme_table: self.grapheme_table.clone(), grapheme_classes: self.grapheme_classes.clone(), dicts: Default::default() }
    }
}

impl ComplexRuns {
    /// Reads ICU4X's word-break classes; dictionaries wait until needed.
    pub fn new() -> Self {
        let rules = Baked::SINGLETON_SEGMENTER_BREAK_WORD_V1;
        let grapheme = Baked::SINGLETON_SEGMENTER_BREAK_GRAPHEME_CLUSTER_V1;
        let grapheme_table = grapheme.break_state_table.iter().collect();
        let grapheme_classes = (TABLE_START..TABLE_END).map(|u| grapheme.property_table.get32(u)).collect();
        let mut runs = ComplexRuns { rules, table: Box::new([]), grapheme, grapheme_table, grapheme_classes, dicts: Default::default() };
        runs.table = (TABLE_START..TABLE_END).map(|u| char::from_u32(u).is_some_and(|c| runs.class_is_complex(c))).collect();
        runs
    }

    /// Whether ICU4X's word segmenter hands `c` to a dictionary (its
    /// word-break class is the one of `Line_Break=SA`).
    fn class_is_complex(&self, c: char) -> bool {
        self.rules.property_table.get32(c as u32) == self.rules.complex_property
    }

    #[inline]
    fn is_complex(&self, c: char) -> bool {
        let u = c as u32;
        if u < 0x80 {
            false
        } else if (TABLE_START..TABLE_END).contains(&u) {
            self.table[(u - TABLE_START) as usize]
        } else {
            self.class_is_complex(c)
        }
    }

    fn dict(&self, s: Script) -> Option<&Dict> {
        let i = match s {
            Script::Thai => 0,
            Script::Lao => 1,
            Script::Myanmar => 2,
            Script::Khmer => 3,
            Script::Other | Script::Cjk => return None,
        };
        self.dicts[i].get_or_init(|| Dict::load(DICT_NAMES[i])).as_ref()
    }

    /// The grapheme cluster boundaries of `text` after its start, as ICU4X's
    /// grapheme segmenter finds them: the same walk over the same rule
    /// table (`RuleBreakIterator` of `icu_segmenter`'s first rule engine),
    /// without its iterator machinery (`false`: the text does not start
    /// with a break, and `out` is not complete).
    fn graphemes(&self, text: &str, props: &mut Vec<(usize, u8)>, out: &mut Vec<usize>) -> bool {
        out.clear();
        let g = self.grapheme;
        let n = usize::from(g.property_count);
        let state = |l: u8, r: u8| self.grapheme_table.get(usize::from(l) * n + usize::from(r)).copied().unwrap_or(BreakState::Keep);
        // Each character's start and class; the end of the text closes the list.
        props.clear();
        props.extend(text.char_indices().map(|(i, c)| (i, self.grapheme_class(c))));
        let len = props.len();
        props.push((text.len(), 0));
        let Some(&(_, first)) = props.first().filter(|_| len > 0) else { return true };
        if !matches!(state(g.sot_property, first), BreakState::Break | BreakState::NoMatch) {
            return false;
        }
        let mut k = 0; // the character left of the next boundary looked for
        while k < len {
            let brk = 'a: loop {
                if k + 1 >= len {
                    break 'a len;
                }
                match state(props[k].1, props[k + 1].1) {
                    BreakState::Keep => k += 1,
                    BreakState::Break | BreakState::NoMatch => break 'a k + 1,
                    BreakState::Index(i) | BreakState::Intermediate(i) => {
                        // A rule over more characters: look ahead, with a
                        // marker to come back to.
                        let (mut index, mut marker, mut at) = (i, k + 1, k + 1);
                        loop {
                            at += 1;
                            if at >= len {
                                break 'a if state(index, g.eot_property) == BreakState::NoMatch { marker } else { len };
                            }
                            let on_code_point = index <= g.last_codepoint_property;
                            match state(index, props[at].1) {
                                BreakState::Keep => {
                                    k = at;
                                    continue 'a;
                                }
                                BreakState::NoMatch => break 'a marker,
                                BreakState::Break => break 'a at,
                                BreakState::Intermediate(i) => {
                                    index = i;
                                    marker = at;
                                }
                                BreakState::Index(i) => {
                                    index = i;
                                    if on_code_point {
                                        marker = at;
                                    }
                                }
                            }
                        }
                    }
                }
            };
            out.push(props[brk].0);
            k = brk;
        }
        true
    }

    /// ICU4X's grapheme cluster class of `c`.
    #[inline]
    fn grapheme_class(&self, c: char) -> u8 {
        let u = c as u32;
        match u.checked_sub(TABLE_START).and_then(|i| self.grapheme_classes.get(i as usize)) {
            Some(&p) => p,
            None => self.grapheme.property_table.get32(u),
        }
    }

    /// Appends the dictionary breaks of one run, relative to the text, the
    /// run's end included (`None`: a script this module does not handle).
    fn run_breaks(&self, text: &str, run: Range<usize>, scratch: &mut (Vec<(usize, u8)>, Vec<usize>), out: &mut Vec<usize>) -> Option<()> {
        let (props, graphemes) = scratch;
        let s = &text[run.clone()];
        let grapheme = GraphemeClusterSegmenter::new();
        let mut start = 0;
        while start < s.len() {
            let sc = script(s[start..].chars().next()?);
            let end = s[start..].char_indices().find(|&(_, c)| script(c) != sc).map_or(s.len(), |(i, _)| start + i);
            let piece = &s[start..end];
            let dict = match sc {
                Script::Cjk => return None,
                // As ICU4X: a piece of a script without dictionary is one segment.
                Script::Other => {
                    out.push(run.start + end);
                    start = end;
                    continue;
                }
                _ => self.dict(sc)?,
            };
            if !self.graphemes(piece, props, graphemes) {
                graphemes.clear();
                graphemes.extend(grapheme.segment_str(piece).skip(1));
            }
            dict.breaks(piece, graphemes, run.start + start, out);
            start = end;
        }
        Some(())
    }

    /// The segments of `text` as `segmenter` (ICU4X's dictionary word
    /// segmenter) gives them, each with whether ICU4X calls it word-like,
    /// or `None` where this module cannot give the same (the caller then
    /// asks ICU4X for the whole text). Text without a run of two or more
    /// complex characters is `None` too: ICU4X alone is as fast there.
    pub fn segments(&self, segmenter: &WordSegmenterBorrowed<'_>, text: &str) -> Option<Vec<(Range<usize>, bool)>> {
        // Runs of two or more complex characters.
        let mut runs: Vec<Range<usize>> = Vec::new();
        let mut run_start: Option<(usize, usize)> = None; // (byte, chars)
        for (i, c) in text.char_indices() {
            match (self.is_complex(c), run_start) {
                (true, None) => run_start = Some((i, 1)),
                (true, Some((s, n))) => run_start = Some((s, n + 1)),
                (false, Some((s, n))) => {
                    if n >= 2 {
                        runs.push(s..i);
                    }
                    run_start = None;
                }
                (false, None) => {}
            }
        }
        if let Some((s, n)) = run_start {
            if n >= 2 {
                runs.push(s..text.len());
            }
        }
        if runs.is_empty() {
            return None;
        }
        // The dictionary breaks of every run (`ends[r]`: end of run r's in
        // `breaks`), and the text with one placeholder character per run.
        let mut breaks: Vec<usize> = Vec::with_capacity(text.len() / 8);
        let mut ends: Vec<usize> = Vec::with_capacity(runs.len());
        let mut scratch = (Vec::new(), Vec::new());
        let mut masked = String::with_capacity(text.len());
        let mut at = 0;
        for r in &runs {
            self.run_breaks(text, r.clone(), &mut scratch, &mut breaks)?;
            if breaks.last() != Some(&r.end) {
                return None;
            }
            breaks.pop(); // the run's end comes from ICU4X
            ends.push(breaks.len());
            masked.push_str(&text[at..r.start]);
            masked.push(PLACEHOLDER);
            at = r.end;
        }
        masked.push_str(&text[at..]);
        // ICU4X on the masked text; the run's own breaks go where its
        // placeholder was.
        let mut out = Vec::with_capacity(breaks.len() + text.len() / 4);
        let mut it = segmenter.segment_str(&masked);
        let mut prev = 0; // in `text`
        let mut r = 0; // next run
        let mut from = 0; // run r's first break in `breaks`
        let mut shift = 0isize; // text offset minus masked offset, before run r
        let ph = PLACEHOLDER.len_utf8();
        while let Some(b) = it.next() {
            if b == 0 {
                continue;
            }
            let word = it.is_word_like();
            let mut real = (b as isize + shift) as usize;
            if let Some(run) = runs.get(r) {
                let me = (run.start as isize - shift) as usize + ph;
                match b.cmp(&me) {
                    std::cmp::Ordering::Less => {}
                    // A multi-character run always ends a segment in ICU4X;
                    // a placeholder that does not cannot stand for it.
                    std::cmp::Ordering::Greater => return None,
                    std::cmp::Ordering::Equal => {
                        for &x in &breaks[from..ends[r]] {
                            if x > prev {
                                out.push((prev..x, word));
                                prev = x;
                            }
                        }
                        from = ends[r];
                        shift += (run.len() - ph) as isize;
                        r += 1;
                        real = run.end;
                    }
                }
            }
            out.push((prev..real, word));
            prev = real;
        }
        (r == runs.len()).then_some(out)
    }
}

#[cfg(test)]
#[path = "complex_tests.rs"]
mod tests;

//! Character-level text handling shared by the indexer and, in the same
//! form, by `themes/default/static/js/search.js`.
//!
//! Two steps, which the browser repeats on the query:
//!
//! * [`fold`] rewrites text into a canonical form that does not change how
//!   it looks: it drops invisible format characters, composes the Thai and
//!   Lao "sara am" vowel and the Myanmar `ဦ`, and puts stacked combining
//!   marks of the Thai, Lao, Khmer and Myanmar scripts into canonical order
//!   (the order NFC would give), so that the two ways people type `ที่`
//!   (tone mark before or after the lower vowel) are the same word.
//! * [`normalize_term`] lower-cases one word and unifies apostrophes.
//!
//! Both are deliberately small, table-free and mirrored character for
//! character in JavaScript: a difference between the two sides would make
//! words impossible to find.

/// Marker that the index puts between two adjacent words of an unspaced
/// script in stored text (U+007F DELETE, one byte in UTF-8, never part of
/// real prose and legal unescaped in a JavaScript string). The browser
/// uses it to find word boundaries for highlighting and phrase checks and
/// removes it before display.
pub const BOUNDARY: char = '\u{7f}';

/// Whether `c` belongs to a script written without spaces between words
/// whose word boundaries come from a dictionary: Thai, Lao, Myanmar, Khmer
/// and their neighbours (Tai Tham, New Tai Lue, Tai Viet), the characters
/// of Unicode line-break class SA.
pub fn is_complex(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F      // Thai
        | 0x0E80..=0x0EFF    // Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x1950..=0x19DF    // Tai Le, New Tai Lue
        | 0x19E0..=0x19FF    // Khmer symbols
        | 0x1A20..=0x1AAF    // Tai Tham
        | 0xA9E0..=0xA9FF    // Myanmar extended-B
        | 0xAA60..=0xAA7F    // Myanmar extended-A
        | 0xAA80..=0xAADF    // Tai Viet
    )
}

/// Characters that are dropped everywhere: soft hyphen, zero-width
/// non-joiner and joiner, word joiner, byte-order mark, and the
/// [`BOUNDARY`] marker itself. The zero-width space U+200B is *not* in this
/// list: it marks a word boundary and is handled by the indexer.
pub fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | BOUNDARY)
}

/// Canonical combining class of the combining marks of Thai, Lao, Myanmar
/// and Khmer (from UnicodeData.txt); 0 for every other character. Only
/// these scripts are reordered.
fn ccc(c: char) -> u8 {
    match c as u32 {
        0x0E38 | 0x0E39 => 103,
        0x0E3A => 9,
        0x0E48..=0x0E4B => 107,
        0x0EB8 | 0x0EB9 => 118,
        0x0EBA => 9,
        0x0EC8..=0x0ECB => 122,
        0x1037 => 7,
        0x1039 | 0x103A => 9,
        0x108D => 220,
        0x17D2 => 9,
        0x17DD => 230,
        _ => 0,
    }
}

/// Whether [`fold`] would leave `text` as it is (the common case, checked
/// without allocating).
fn is_folded(text: &str) -> bool {
    let mut prev = '\0';
    let mut prev_ccc = 0u8;
    for c in text.chars() {
        if is_ignorable(c) || matches!((prev, c), ('\u{e4d}', '\u{e32}') | ('\u{ecd}', '\u{eb2}') | ('\u{1025}', '\u{102e}')) {
            return false;
        }
        let k = ccc(c);
        if k != 0 && prev_ccc > k {
            return false;
        }
        prev = c;
        prev_ccc = k;
    }
    true
}

/// Rewrites `text` into the canonical form described in the module
/// documentation. Characters that are kept keep their order except inside
/// runs of combining marks; the zero-width space is kept.
pub fn fold(text: &str) -> String {
    fold_cow(text).into_owned()
}

/// [`fold`], borrowing `text` when it is already folded (the common case).
pub fn fold_cow(text: &str) -> std::borrow::Cow<'_, str> {
    if is_folded(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(fold_chars(text))
}

fn fold_chars(text: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        if is_ignorable(c) {
            continue;
        }
        match (out.last().copied(), c) {
            // Thai NIKHAHIT + SARA AA -> SARA AM
            (Some('\u{e4d}'), '\u{e32}') => {
                out.pop();
                out.push('\u{e33}');
                continue;
            }
            // Lao NIGGAHITA + AA -> AM
            (Some('\u{ecd}'), '\u{eb2}') => {
                out.pop();
                out.push('\u{eb3}');
                continue;
            }
            // Myanmar U + II -> UU (canonical composition)
            (Some('\u{1025}'), '\u{102e}') => {
                out.pop();
                out.push('\u{1026}');
                continue;
            }
            _ => {}
        }
        let k = ccc(c);
        if k == 0 {
            out.push(c);
            continue;
        }
        // Canonical ordering: move c before preceding marks of higher class.
        let mut i = out.len();
        while i > 0 {
            let p = ccc(out[i - 1]);
            if p > k {
                i -= 1;
            } else {
                break;
            }
        }
        out.insert(i, c);
    }
    out.into_iter().collect()
}

/// Lower-cases one word of folded text and writes the right single
/// quotation mark and the modifier-letter apostrophe as `'`, so that
/// `Don’t` and `don't` are one term.
pub fn normalize_term(word: &str) -> String {
    normalize_term_cow(word).into_owned()
}

/// [`normalize_term`], borrowing `word` when it is already normal: no
/// allocation for most words (the indexer normalizes every word of a site).
pub fn normalize_term_cow(word: &str) -> std::borrow::Cow<'_, str> {
    let changes = |c: char| {
        // Fast paths: lower-case ASCII, digits and the caseless scripts.
        if c.is_ascii_lowercase() || c.is_ascii_digit() || is_complex(c) {
            return false;
        }
        let mut lower = c.to_lowercase();
        lower.next() != Some(c) || lower.next().is_some() || c == '\u{2019}' || c == '\u{2bc}'
    };
    if !word.chars().any(changes) {
        return std::borrow::Cow::Borrowed(word);
    }
    std::borrow::Cow::Owned(
        word.to_lowercase()
            .chars()
            .map(|c| match c {
                '\u{2019}' | '\u{2bc}' => '\'',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complex_scripts() {
        for c in ['ก', 'ກ', 'က', 'ក', 'ๆ', '៕'] {
            assert!(is_complex(c), "{c}");
        }
        for c in ['a', ' ', '1', '\u{200b}', 'é'] {
            assert!(!is_complex(c), "{c}");
        }
    }

    #[test]
    fn fold_drops_invisible_characters() {
        assert_eq!(fold("ab\u{feff}c\u{200d}d\u{ad}e\u{7f}"), "abcde");
        // The zero-width space marks a boundary and is kept.
        assert_eq!(fold("ทุก\u{200b}สอง"), "ทุก\u{200b}สอง");
    }

    #[test]
    fn fold_composes_sara_am() {
        assert_eq!(fold("น\u{e4d}\u{e32}"), "น\u{e33}");
        assert_eq!(fold("ນ\u{ecd}\u{eb2}"), "ນ\u{eb3}");
        assert_eq!(fold("\u{1025}\u{102e}"), "\u{1026}");
    }

    #[test]
    fn fold_orders_thai_and_lao_marks() {
        // ที่ typed vowel-after-tone and tone-after-vowel: same word.
        let a = "ท\u{e35}\u{e48}"; // SARA II has class 0: unchanged
        assert_eq!(fold(a), a);
        let tone_first = "ป\u{e48}\u{e39}"; // tone mark, then SARA UU
        let vowel_first = "ป\u{e39}\u{e48}";
        assert_eq!(fold(tone_first), vowel_first);
        assert_eq!(fold(vowel_first), vowel_first);
        assert_eq!(fold("ປ\u{ec8}\u{eb9}"), "ປ\u{eb9}\u{ec8}");
    }

    #[test]
    fn terms_fold_case_and_apostrophes() {
        assert_eq!(normalize_term("Don\u{2019}t"), "don't");
        assert_eq!(normalize_term("BORDER"), "border");
        assert_eq!(normalize_term("ตำรวจ"), "ตำรวจ");
    }
}

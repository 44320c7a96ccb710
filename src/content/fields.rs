//! Reading TOML tables with spans: typed getters that report every problem
//! (missing, wrong type, unknown key) as a diagnostic instead of stopping.
//!
//! The same kind parser runs on a source document and on its translations:
//! *text* getters collect translatable strings, *structure* getters collect
//! the fields a translation may not change, so the two can be compared.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diag::{did_you_mean, Diagnostic};
use crate::source::SourceFile;

/// A value with its byte span in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    /// The value.
    pub v: T,
    /// Byte span in the source file.
    pub span: Range<usize>,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day, 1..=31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists in that month.
    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let digits = |r: Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(format!("invalid date '{s}': expected YYYY-MM-DD"));
        }
        let year: i32 = s[0..4].parse().map_err(|_| "bad year".to_string())?;
        let month: u32 = s[5..7].parse().map_err(|_| "bad month".to_string())?;
        let day: u32 = s[8..10].parse().map_err(|_| "bad day".to_string())?;
        if !(1..=12).contains(&month) {
            return Err(format!("invalid date '{s}': month {month} does not exist"));
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1];
        if day == 0 || day > days {
            return Err(format!("invalid date '{s}': {} has {days} days", MONTHS[month as usize - 1]));
        }
        Ok(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// Is `s` a valid slug: lowercase ASCII letters, digits and single hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Where translatable texts and structure fields are collected.
#[derive(Debug, Default, Clone)]
pub struct Collected {
    /// Translatable strings by key (`title`, `stages.border.title`, …).
    pub texts: Texts,
    /// Structure fields by key, with a canonical rendering for comparison.
    pub structure: Texts,
}

/// Strings with spans by key, in key order: a sorted vector.
///
/// Most documents have a handful of keys, for which a `BTreeMap`'s node
/// (room for eleven) took more memory than the strings themselves, and
/// every document has one per language.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Texts(Vec<(String, Sp<String>)>, bool);

/// The entries of [`Texts`], in key order.
pub type TextsIter<'a> = std::iter::Map<std::slice::Iter<'a, (String, Sp<String>)>, fn(&'a (String, Sp<String>)) -> (&'a String, &'a Sp<String>)>;

impl Texts {
    /// Sets the value of `key`, replacing any earlier one.
    pub fn insert(&mut self, key: String, value: Sp<String>) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Sp<String>> {
        self.position(key).map(|i| &self.0[i].1)
    }

    /// Where `key` is in key order.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()
    }

    /// Empties every value, keeping keys and spans ([`super::Keep::Digests`]).
    pub fn drop_values(&mut self) {
        for (_, v) in &mut self.0 {
            v.v = String::new();
        }
        self.1 = true;
    }

    /// Whether the values were dropped ([`Texts::drop_values`]).
    pub fn values_dropped(&self) -> bool {
        self.1
    }

    /// Whether `key` has a value.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> TextsIter<'_> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Gives back room kept for more keys (once all are in).
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

impl<'a> IntoIterator for &'a Texts {
    type Item = (&'a String, &'a Sp<String>);
    type IntoIter = TextsIter<'a>;
    fn into_iter(self) -> TextsIter<'a> {
        self.iter()
    }
}

/// `s` as `format!("{s:?}")` gives it: in double quotes, with escapes.
/// Structure strings are mostly slugs, which need none: those are quoted
/// directly (the general formatter looks up every character).
pub fn quoted(s: &str) -> String {
    if s.bytes().all(|b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\') {
        let mut q = String::with_capacity(s.len() + 2);
        q.push('"');
        q.push_str(s);
        q.push('"');
        q
    } else {
        format!("{s:?}")
    }
}

/// A list of strings as `format!("{list:?}")` gives it: `["a", "b"]`.
pub fn quoted_list<'s>(items: impl Iterator<Item = &'s str>) -> String {
    let mut q = String::from("[");
    for (i, s) in items.enumerate() {
        if i > 0 {
            q.push_str(", ");
        }
        q.push_str(&quoted(s));
    }
    q.push(']');
    q
}

/// A reader over one TOML table.
pub struct Fields<'a, 'i> {
    /// The file the table comes from.
    pub file: &'a SourceFile,
    offset: usize,
    table: &'a DeTable<'i>,
    /// Where "missing key" errors point.
    anchor: Range<usize>,
    /// Prefix of keys in `Collected` (`stages.border.`).
    pub prefix: String,
    /// Translation mode: structure fields are optional (and compared later).
    pub translation: bool,
    /// Which entries of `table` (in its order) were asked for.
    used: Vec<bool>,
    /// Problems found.
    pub errs: &'a mut Vec<Diagnostic>,
    /// Texts and structure collected.
    pub out: &'a mut Collected,
}

/// Parses TOML text that starts at `offset` in `file`, reporting every syntax error.
pub fn parse_table<'i>(file: &SourceFile, text: &'i str, offset: usize, errs: &mut Vec<Diagnostic>) -> Option<Spanned<DeTable<'i>>> {
    let (table, problems) = DeTable::parse_recoverable(text);
    if problems.is_empty() {
        return Some(table);
    }
    for e in problems.iter().take(5) {
        errs.push(crate::config::toml_error(file, offset, e));
    }
    None
}

impl<'a, 'i> Fields<'a, 'i> {
    /// A reader over `table`; spans inside it are shifted by `offset`.
    pub fn new(file: &'a SourceFile, offset: usize, table: &'a DeTable<'i>, anchor: Range<usize>, translation: bool, errs: &'a mut Vec<Diagnostic>, out: &'a mut Collected) -> Self {
        Fields { file, offset, table, anchor, prefix: String::new(), translation, used: vec![false; table.len()], errs, out }
    }

    /// Shifts a span inside the TOML text to a span in the file.
    pub fn shift(&self, s: Range<usize>) -> Range<usize> {
        s.start + self.offset..s.end + self.offset
    }

    fn get(&mut self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        let (i, (_, v)) = self.table.iter().enumerate().find(|(_, (k, _))| k.get_ref().as_ref() == key)?;
        self.used[i] = true;
        Some(v)
    }

    fn missing(&mut self, key: &str) {
        let what = if self.prefix.is_empty() { String::new() } else { format!(" in {}", self.prefix.trim_end_matches('.')) };
        let e = self.file.error(self.anchor.clone(), format!("missing required field '{key}'{what}"));
        self.errs.push(e);
    }

    fn wrong_type(&mut self, key: &str, v: &Spanned<DeValue<'_>>, expected: &str) {
        let e = self.file.error(self.shift(v.span()), format!("'{key}' must be {expected}, not {}", v.get_ref().type_str()));
        self.errs.push(e);
    }

    fn string_of(&mut self, key: &str, v: &Spanned<DeValue<'_>>) -> Option<Sp<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Sp { v: s.to_string(), span: self.shift(v.span()) }),
            _ => {
                self.wrong_type(key, v, "a string");
                None
            }
        }
    }

    /// A string value; a missing one is reported when `required` and not a translation.
    fn present_string(&mut self, key: &str, required: bool) -> Option<Sp<String>> {
        match self.get(key) {
            Some(v) => self.string_of(key, v),
            None => {
                if required && !self.translation {
                    self.missing(key);
                }
                None
            }
        }
    }

    /// A translatable string, collected into the texts; `required` only
    /// applies to the source document.
    pub fn text(&mut self, key: &str, required: bool) {
        if let Some(s) = self.present_string(key, required) {
            let k = self.key(key);
            self.out.texts.insert(k, s);
        }
    }

    fn record(&mut self, key: &str, canonical: String, span: Range<usize>) {
        let k = self.key(key);
        self.out.structure.insert(k, Sp { v: canonical, span });
    }

    /// `key` after the prefix (`stages.border.title`), without the
    /// formatting machinery: hundreds of thousands of keys at 10,000
    /// documents.
    fn key(&self, key: &str) -> String {
        let mut k = String::with_capacity(self.prefix.len() + key.len());
        k.push_str(&self.prefix);
        k.push_str(key);
        k
    }

    /// A structure string (optional in a translation, where it must match the source).
    pub fn string(&mut self, key: &str, required: bool) -> Option<Sp<String>> {
        let s = self.present_string(key, required)?;
        self.record(key, quoted(&s.v), s.span.clone());
        Some(s)
    }

    /// A structure slug: a string that must be a valid slug.
    pub fn slug(&mut self, key: &str, required: bool) -> Option<Sp<String>> {
        let s = self.string(key, required)?;
        if !is_slug(&s.v) {
            let e = self.file.error(s.span.clone(), format!("'{}' is not a valid slug for '{key}'", s.v)).with_hint("use lowercase ASCII letters, digits and single hyphens");
            self.errs.push(e);
            return None;
        }
        Some(s)
    }

    /// A structure list of strings.
    pub fn string_list(&mut self, key: &str) -> Vec<Sp<String>> {
        let Some(v) = self.get(key) else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            if let Some(s) = self.string_of(key, item) {
                out.push(s);
            }
        }
        let canon = quoted_list(out.iter().map(|s| s.v.as_str()));
        let span = self.shift(v.span());
        self.record(key, canon, span);
        out
    }

    /// A structure integer.
    pub fn int(&mut self, key: &str) -> Option<Sp<i64>> {
        let v = self.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
            _ => None,
        };
        let Some(n) = n else {
            self.wrong_type(key, v, "an integer");
            return None;
        };
        let span = self.shift(v.span());
        self.record(key, n.to_string(), span.clone());
        Some(Sp { v: n, span })
    }

    /// A boolean flag (not compared between languages).
    pub fn flag(&mut self, key: &str) -> Option<Sp<bool>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Sp { v: *b, span: self.shift(v.span()) }),
            _ => {
                self.wrong_type(key, v, "true or false");
                None
            }
        }
    }

    /// A free string not compared between languages (status, source_hash).
    pub fn meta_string(&mut self, key: &str) -> Option<Sp<String>> {
        let v = self.get(key)?;
        self.string_of(key, v)
    }

    /// A structure date: TOML local date or a `"YYYY-MM-DD"` string.
    pub fn date(&mut self, key: &str, required: bool) -> Option<Sp<Date>> {
        let Some(v) = self.get(key) else {
            if required && !self.translation {
                self.missing(key);
            }
            return None;
        };
        let span = self.shift(v.span());
        let text = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Datetime(d) if d.date.is_some() && d.time.is_none() => d.to_string(),
            _ => {
                self.wrong_type(key, v, "a date (YYYY-MM-DD)");
                return None;
            }
        };
        match Date::parse(&text) {
            Ok(d) => {
                self.record(key, d.to_string(), span.clone());
                Some(Sp { v: d, span })
            }
            Err(m) => {
                let e = self.file.error(span, m);
                self.errs.push(e);
                None
            }
        }
    }

    /// An array of tables (`[[stages]]`), each with its span.
    pub fn tables(&mut self, key: &str) -> Option<Vec<(Range<usize>, &'a DeTable<'i>)>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of tables");
            return Some(Vec::new());
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((self.shift(item.span()), t)),
                _ => self.wrong_type(key, item, "a table"),
            }
        }
        Some(out)
    }

    /// A raw value, for kinds with their own shapes (localized strings).
    pub fn raw(&mut self, key: &str) -> Option<(&'a DeValue<'i>, Range<usize>)> {
        let v = self.get(key)?;
        Some((v.get_ref(), self.shift(v.span())))
    }

    /// A reader over a nested table, sharing the sinks.
    pub fn nested<'b>(&'b mut self, table: &'a DeTable<'i>, anchor: Range<usize>, prefix: String) -> Fields<'b, 'i>
    where
        'a: 'b,
    {
        Fields { file: self.file, offset: self.offset, table, anchor, prefix, translation: self.translation, used: vec![false; table.len()], errs: self.errs, out: self.out }
    }

    /// Reports keys that no getter asked for; `allowed` lists every key of this table.
    pub fn finish(self, allowed: &[&str]) {
        for ((k, v), used) in self.table.iter().zip(&self.used) {
            let name = k.get_ref().as_ref();
            if !used {
                let span = k.span().start + self.offset..k.span().end + self.offset;
                let what = if self.translation && allowed.contains(&name) { "a translation may not set" } else { "unknown key" };
                let mut e = self.file.error(span, format!("{what} '{name}'{}", if self.prefix.is_empty() { String::new() } else { format!(" in {}", self.prefix.trim_end_matches('.')) }));
                if let Some(h) = did_you_mean(name, allowed.iter().copied()) {
                    e = e.with_hint(h);
                } else {
                    e = e.with_hint(format!("allowed keys: {}", allowed.join(", ")));
                }
                let _ = v;
                self.errs.push(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(Date::parse("2018-04-30").is_ok());
        assert!(Date::parse("2024-02-29").is_ok());
        assert_eq!(Date::parse("2018-02-30").unwrap_err(), "invalid date '2018-02-30': February has 28 days");
        assert!(Date::parse("2018-13-01").is_err());
        assert!(Date::parse("18-1-1").is_err());
    }

    #[test]
    fn slugs() {
        assert!(is_slug("lao-pdr"));
        assert!(is_slug("a1"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "ก", "../x", "a.b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn texts_keep_key_order_and_the_last_value_of_a_key() {
        let sp = |v: &str, at: usize| Sp { v: v.to_owned(), span: at..at + 1 };
        let mut t = Texts::default();
        for (k, v, at) in [("title", "A", 0), ("stages.b.title", "B", 1), ("summary", "S", 2), ("stages.a.title", "C", 3), ("title", "A2", 4)] {
            t.insert(k.to_owned(), sp(v, at));
        }
        let keys: Vec<&str> = t.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["stages.a.title", "stages.b.title", "summary", "title"]);
        assert_eq!(t.len(), 4);
        assert_eq!(t.get("title"), Some(&sp("A2", 4)));
        assert!(t.contains_key("summary") && !t.contains_key("stages") && !t.contains_key("zzz"));
        assert_eq!((&t).into_iter().count(), 4);
    }

    #[test]
    fn quoted_is_debug_formatting() {
        let mut cases: Vec<String> = ["", "lao-pdr", "a b", "say \"hi\"", "back\\slash", "tab\there", "line\n", "ไทย", "e\u{301}", "\u{7f}", "~ !", "'"].map(String::from).to_vec();
        // Every string of up to three characters from a pool with each kind of byte.
        let pool = ['a', '"', '\\', ' ', '~', '\u{7f}', '\n', '\'', 'é', '\u{200b}'];
        for n in 0..=3u32 {
            for k in 0..pool.len().pow(n) {
                cases.push((0..n).map(|i| pool[k / pool.len().pow(i) % pool.len()]).collect());
            }
        }
        for c in &cases {
            assert_eq!(quoted(c), format!("{c:?}"), "{c:?}");
        }
        let list = ["a", "b \"c\"", ""];
        assert_eq!(quoted_list(list.into_iter()), format!("{list:?}"));
        assert_eq!(quoted_list(std::iter::empty()), format!("{:?}", Vec::<&str>::new()));
    }
}

//! Interface strings: `themes/<theme>/i18n/<lang>.toml`, one file per
//! language, falling back key by key to the default language.

use std::collections::BTreeMap;

use crate::content::fields::Date;
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::theme::Theme;

/// The strings of one language.
#[derive(Debug, Clone)]
pub struct Strings {
    /// Language code.
    pub lang: String,
    /// Flat key → string (arrays and numbers are kept as JSON).
    pub map: serde_json::Map<String, serde_json::Value>,
}

impl Strings {
    /// A string by key; the key itself if missing (never panics in a template).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).and_then(|v| v.as_str()).unwrap_or(key)
    }

    /// A string with `{name}` placeholders filled.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_owned();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// A label from a family (`agency.immigration`), or the raw value humanised.
    pub fn label(&self, family: &str, value: &str) -> String {
        match self.map.get(&format!("{family}.{value}")).and_then(|v| v.as_str()) {
            Some(s) => s.to_owned(),
            None => value.replace('-', " "),
        }
    }

    /// Writes a number with the language's digits when `native_digits` is set.
    pub fn number(&self, n: i64) -> String {
        let s = n.to_string();
        let native = self.map.get("native_digits").and_then(|v| v.as_bool()).unwrap_or(false);
        let digits: Vec<char> = self.map.get("digits").and_then(|v| v.as_str()).unwrap_or("").chars().collect();
        if !native || digits.len() != 10 {
            return s;
        }
        s.chars().map(|c| c.to_digit(10).map_or(c, |d| digits[d as usize])).collect()
    }

    /// A date in this language: month names, era offset (Thai Buddhist Era), digits.
    pub fn date(&self, d: Date) -> String {
        let month = self.map.get("months").and_then(|m| m.as_array()).and_then(|m| m.get(d.month as usize - 1)).and_then(|m| m.as_str()).unwrap_or("");
        let offset = self.map.get("year_offset").and_then(|v| v.as_i64()).unwrap_or(0);
        let format = self.map.get("date_format").and_then(|v| v.as_str()).unwrap_or("{day} {month} {year}");
        format.replace("{day}", &self.number(d.day as i64)).replace("{month}", month).replace("{year}", &self.number(d.year as i64 + offset))
    }
}

/// Loads the strings of every language, each falling back to the default.
pub fn load(theme: &Theme, languages: &[String], errs: &mut Vec<Diagnostic>) -> BTreeMap<String, Strings> {
    let mut raw: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
    for lang in languages {
        let key = format!("i18n/{lang}.toml");
        let rel = format!("{}/{key}", theme.origin);
        let Some(bytes) = theme.files.get(&key) else {
            errs.push(Diagnostic::file(Severity::Error, &rel, 1, 1, format!("the theme has no interface strings for '{lang}'")));
            continue;
        };
        match SourceFile::from_bytes(rel, bytes.clone()) {
            Ok(f) => match toml::from_str::<toml::Table>(f.text()) {
                Ok(t) => {
                    let mut map = serde_json::Map::new();
                    flatten("", toml::Value::Table(t), &mut map);
                    raw.insert(lang.clone(), map);
                }
                Err(e) => errs.push(crate::config::toml_error(&f, 0, &e)),
            },
            Err(d) => errs.push(d),
        }
    }
    // Key by key: the language itself, else the site's default language, else
    // the theme's English (always shipped), so no key ever shows raw.
    let mut default = theme_english(theme);
    if let Some(d) = languages.first().and_then(|l| raw.get(l)) {
        default.extend(d.clone());
    }
    languages
        .iter()
        .map(|l| {
            let mut map = default.clone();
            if let Some(own) = raw.get(l) {
                for (k, v) in own {
                    map.insert(k.clone(), v.clone());
                }
            }
            (l.clone(), Strings { lang: l.clone(), map })
        })
        .collect()
}

fn theme_english(theme: &Theme) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    if let Some(t) = theme.files.get("i18n/en.toml").and_then(|b| std::str::from_utf8(b).ok()).and_then(|s| toml::from_str::<toml::Table>(s).ok()) {
        flatten("", toml::Value::Table(t), &mut map);
    }
    map
}

fn flatten(prefix: &str, v: toml::Value, out: &mut serde_json::Map<String, serde_json::Value>) {
    match v {
        toml::Value::Table(t) if prefix.is_empty() || !t.is_empty() => {
            for (k, v) in t {
                let key = if prefix.is_empty() { k } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        other => {
            out.insert(prefix.to_owned(), serde_json::to_value(other).unwrap_or(serde_json::Value::Null));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(toml_text: &str) -> Strings {
        let mut map = serde_json::Map::new();
        flatten("", toml::Value::Table(toml::from_str(toml_text).unwrap()), &mut map);
        Strings { lang: "th".into(), map }
    }

    #[test]
    fn thai_dates_use_buddhist_era_and_thai_digits() {
        let s = strings("months = [\"มกราคม\",\"กุมภาพันธ์\",\"มีนาคม\",\"เมษายน\",\"พฤษภาคม\",\"มิถุนายน\",\"กรกฎาคม\",\"สิงหาคม\",\"กันยายน\",\"ตุลาคม\",\"พฤศจิกายน\",\"ธันวาคม\"]\nyear_offset = 543\ndigits = \"๐๑๒๓๔๕๖๗๘๙\"\nnative_digits = true\n");
        assert_eq!(s.date(Date { year: 2018, month: 4, day: 30 }), "๓๐ เมษายน ๒๕๖๑");
        let s = strings("months = [\"January\",\"February\",\"March\",\"April\",\"May\",\"June\",\"July\",\"August\",\"September\",\"October\",\"November\",\"December\"]\ndate_format = \"{day} {month} {year}\"\n");
        assert_eq!(s.date(Date { year: 2018, month: 4, day: 30 }), "30 April 2018");
    }

    #[test]
    fn labels_fall_back_to_value() {
        let s = strings("[agency]\nimmigration = \"Immigration\"\n");
        assert_eq!(s.label("agency", "immigration"), "Immigration");
        assert_eq!(s.label("agency", "anti-trafficking"), "anti trafficking");
    }
}

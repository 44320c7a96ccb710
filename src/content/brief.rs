//! Briefs: research briefs, workshop reports, news.

use super::fields::{Date, Fields, Sp};

/// Structure of a brief (texts live in the variant).
#[derive(Debug, Clone)]
pub struct BriefMeta {
    /// Publication date.
    pub date: Date,
    /// Countries cited (slugs, checked in the link phase).
    pub countries: Vec<Sp<String>>,
    /// Journeys cited.
    pub journeys: Vec<Sp<String>>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Authors.
    pub authors: Vec<String>,
}

/// Every key a brief's front matter may hold.
pub const KEYS: &[&str] = &["title", "summary", "draft", "status", "source_hash", "date", "countries", "journeys", "tags", "authors"];

/// Reads a brief's own fields (the common ones are read by the caller).
pub fn parse(f: &mut Fields) -> Option<BriefMeta> {
    let date = f.date("date", true);
    let countries = f.string_list("countries");
    let journeys = f.string_list("journeys");
    let tags = f.string_list("tags").into_iter().map(|s| s.v).collect();
    let authors = f.string_list("authors").into_iter().map(|s| s.v).collect();
    Some(BriefMeta { date: date?.v, countries, journeys, tags, authors })
}

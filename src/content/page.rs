//! Free pages (about, methodology, glossary).

use super::fields::Fields;

/// Structure of a free page.
#[derive(Debug, Clone)]
pub struct PageMeta {
    /// Order in navigation and lists (lower first).
    pub weight: i64,
}

/// Every key a page's front matter may hold.
pub const KEYS: &[&str] = &["title", "summary", "draft", "status", "source_hash", "weight"];

/// Reads a page's own fields.
pub fn parse(f: &mut Fields) -> Option<PageMeta> {
    Some(PageMeta { weight: f.int("weight").map_or(0, |w| w.v) })
}

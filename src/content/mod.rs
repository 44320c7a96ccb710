//! Content: loading and validating the four document kinds and the
//! counter-measure files (the *load* and *validate* steps of a build).

pub mod brief;
pub mod country;
pub mod fields;
pub mod journey;
mod load;
pub mod measure;
pub mod page;

pub use load::{check_zawgyi, load, may_be_copied, paragraphs, parse_markdown, zawgyi_error};

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::source::SourceFile;
use fields::{Sp, Texts};
use load::compare_structure;

/// What a load keeps of each Markdown file once it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The whole file text (`serve`, which renders again after an edit,
    /// and the `translations` command).
    Text,
    /// The front matter's texts; the file text is set aside
    /// ([`SourceFile::set_aside`]) and read again to render the body
    /// (`build`).
    Texts,
    /// The front matter's texts as [`TextDigest`]s only, besides keys and
    /// spans (`check`, which renders nothing: the values were a third of
    /// the memory it holds, every page of it faulted in fresh).
    Digests,
}

/// What `check` needs of a text of the front matter: whether another text
/// is the same, and whether it has enough letters to matter ([`Variant::digests`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDigest {
    /// A 64-bit hash of the text.
    pub hash: u64,
    /// Its letters, counted up to [`TextDigest::LETTERS`].
    pub letters: u8,
}

impl TextDigest {
    /// Letters counted at most: the lint's threshold for a text left
    /// untranslated.
    pub const LETTERS: usize = 24;

    /// The digest of `text`.
    pub fn of(text: &str) -> Self {
        let letters = text.chars().filter(|&c| is_letter(c)).take(Self::LETTERS).count();
        TextDigest { hash: crate::hash::hash_str(text), letters: letters as u8 }
    }
}

/// Code points below which [`is_letter`] reads a table: Latin, Thai, Lao,
/// Burmese and Khmer, and the punctuation blocks.
const LETTER_TABLE_END: u32 = 0x3000;

/// `char::is_alphabetic`, from a table built with it once for the scripts
/// of the site: the standard library searches its ranges for every
/// character outside ASCII, which for every text of a 10,000-document site
/// was a quarter of `check`.
fn is_letter(c: char) -> bool {
    static TABLE: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let cp = c as u32;
    if cp >= LETTER_TABLE_END {
        return c.is_alphabetic();
    }
    let table = TABLE.get_or_init(|| {
        let mut t = vec![0u64; LETTER_TABLE_END as usize / 64];
        for cp in 0..LETTER_TABLE_END {
            if char::from_u32(cp).is_some_and(char::is_alphabetic) {
                t[cp as usize / 64] |= 1 << (cp % 64);
            }
        }
        t
    });
    table[cp as usize / 64] >> (cp % 64) & 1 == 1
}

/// The four kinds of Markdown document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Research briefs, workshop reports, news.
    Brief,
    /// Country profiles.
    Country,
    /// Hypothetical journeys.
    Journey,
    /// Free pages.
    Page,
}

impl Kind {
    /// All kinds, in the order lists are shown.
    pub const ALL: [Kind; 4] = [Kind::Journey, Kind::Country, Kind::Brief, Kind::Page];

    /// Folder under `content/` (and under `output/<lang>/`).
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Brief => "briefs",
            Kind::Country => "countries",
            Kind::Journey => "journeys",
            Kind::Page => "pages",
        }
    }

    /// Singular name (`brief`), used in templates and search.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Brief => "brief",
            Kind::Country => "country",
            Kind::Journey => "journey",
            Kind::Page => "page",
        }
    }

    /// The kind for a folder name.
    pub fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Brief => brief::KEYS,
            Kind::Country => country::KEYS,
            Kind::Journey => journey::KEYS,
            Kind::Page => page::KEYS,
        }
    }
}

/// Translation status declared in a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Machine or unreviewed translation; readers are told.
    Draft,
    /// Reviewed by a person.
    Reviewed,
}

pub(crate) fn parse_status(s: &Sp<String>, file: &SourceFile, errs: &mut Vec<Diagnostic>) -> Option<Status> {
    match s.v.as_str() {
        "draft" => Some(Status::Draft),
        "reviewed" => Some(Status::Reviewed),
        other => {
            errs.push(file.error(s.span.clone(), format!("status must be \"draft\" or \"reviewed\", not \"{other}\"")));
            None
        }
    }
}

/// Kind-specific structure of a document.
#[derive(Debug, Clone)]
pub enum Meta {
    /// A brief.
    Brief(brief::BriefMeta),
    /// A country.
    Country(country::CountryMeta),
    /// A journey.
    Journey(journey::JourneyMeta),
    /// A page.
    Page(page::PageMeta),
}

/// One language version of a document: its file, texts and body.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Language code.
    pub lang: String,
    /// The file.
    pub file: Arc<SourceFile>,
    /// Byte range of the Markdown body in the file.
    pub body: Range<usize>,
    /// Translatable strings by key.
    pub texts: Texts,
    /// Structure fields, as rendered for comparison.
    pub structure: Texts,
    /// Declared status (translations).
    pub status: Option<Status>,
    /// Declared source hash (translations).
    pub source_hash: Option<Sp<String>>,
    /// Ids of the body's headings, in order (computed once at load).
    pub heading_ids: Vec<String>,
    /// Site links and raw HTML of the body, for `check` (found at load).
    pub findings: Vec<crate::markdown::Finding>,
    /// Each paragraph of the body ([`paragraphs`]) that the lint may report
    /// if a translation copied it unchanged (`kept_for_lint`): its
    /// offset and a hash of its text, so the lint needs no text (found at
    /// load).
    pub paragraphs: Vec<(usize, u64)>,
    /// Hash of `texts` and the body ([`hash_texts`]), computed on first
    /// use: every translation's state compares with its source's hash.
    pub text_hash: std::sync::OnceLock<String>,
    /// A digest of each text, in the order of `texts` (what the lint
    /// compares; with [`Keep::Digests`] the texts' values are dropped).
    pub digests: Vec<TextDigest>,
    /// Journeys: the span of each stage description and risk text, with
    /// its site links and raw HTML ([`crate::markdown::scan`], found at load).
    pub text_findings: Vec<(Range<usize>, Vec<crate::markdown::Finding>)>,
}

impl Variant {
    /// [`Variant::text_hash`], computed with `body` (this variant's body) if
    /// it is not known yet.
    pub fn hash_with_body(&self, body: &str) -> &str {
        debug_assert!(!self.texts.values_dropped(), "texts of {} were loaded as digests", self.file.path);
        self.text_hash.get_or_init(|| hash_texts(self.texts.iter().map(|(k, t)| (k.as_str(), t.v.as_str())), body))
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        // `get`: a text read again after the file changed may be shorter.
        self.file.text().get(self.body.clone()).unwrap_or("")
    }

    /// A text by key.
    pub fn text(&self, key: &str) -> Option<&str> {
        debug_assert!(!self.texts.values_dropped(), "texts of {} were loaded as digests", self.file.path);
        self.texts.get(key).map(|s| s.v.as_str())
    }
}

/// A document in the default language with its translations.
#[derive(Debug, Clone)]
pub struct Document {
    /// Kind.
    pub kind: Kind,
    /// Slug (file stem).
    pub slug: String,
    /// Left out of `build` unless `--drafts`.
    pub draft: bool,
    /// Kind-specific structure.
    pub meta: Meta,
    /// The default-language version.
    pub source: Variant,
    /// Translations by language (boxed: a map node has room for eleven,
    /// and most documents have four).
    pub translations: BTreeMap<String, Box<Variant>>,
}

impl Document {
    /// Path relative to `content/`: `countries/thailand.md`.
    pub fn path(&self) -> String {
        format!("{}/{}.md", self.kind.dir(), self.slug)
    }

    /// The variant for a language, if translated.
    pub fn variant(&self, lang: &str) -> Option<&Variant> {
        if lang == self.source.lang {
            Some(&self.source)
        } else {
            self.translations.get(lang).map(|v| &**v)
        }
    }

    /// A text in `lang`, falling back to the default language: `(text, language of the text)`.
    pub fn text<'a>(&'a self, lang: &str, key: &str) -> Option<(&'a str, &'a str)> {
        if let Some(v) = self.translations.get(lang) {
            if let Some(t) = v.text(key) {
                return Some((t, v.lang.as_str()));
            }
        }
        self.source.text(key).map(|t| (t, self.source.lang.as_str()))
    }

    /// The title in `lang` (with fallback).
    pub fn title(&self, lang: &str) -> &str {
        self.text(lang, "title").map_or(self.slug.as_str(), |(t, _)| t)
    }

    /// Hash of the translatable content of the source (`source_hash`).
    pub fn source_hash(&self) -> String {
        let v = &self.source;
        if let Some(h) = v.text_hash.get() {
            return h.clone();
        }
        // A body set aside is read again for the hash, not kept (a build
        // takes it while rendering the source instead: `hash_with_body`).
        v.file.with_text(|t| v.hash_with_body(t.get(v.body.clone()).unwrap_or("")).to_owned()).unwrap_or_else(|| v.hash_with_body(v.body()).to_owned())
    }

    /// Journey structure, if a journey.
    pub fn journey(&self) -> Option<&journey::JourneyMeta> {
        match &self.meta {
            Meta::Journey(j) => Some(j),
            _ => None,
        }
    }
}

/// Hash of translatable texts and a body: line endings and trailing blanks
/// do not count, so an editor's settings never make a translation outdated.
pub fn hash_texts<'a>(texts: impl Iterator<Item = (&'a str, &'a str)>, body: &str) -> String {
    let mut h = Sha256::new();
    let norm = |s: &str| s.replace("\r\n", "\n").lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_owned();
    for (k, v) in texts {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(norm(v).as_bytes());
        h.update([0]);
    }
    h.update(b"body\0");
    h.update(norm(body).as_bytes());
    let digest = h.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Everything loaded from `content/`, before cross-references are resolved.
#[derive(Debug, Default)]
pub struct Content {
    /// Documents by (kind, slug), sorted.
    pub docs: BTreeMap<(Kind, String), Document>,
    /// Measure files, sorted by path.
    pub measure_files: Vec<measure::MeasureFile>,
    /// Media files (relative to `content/media`).
    pub media: Vec<PathBuf>,
}

/// One Markdown file, parsed.
pub struct Parsed {
    /// Kind, from the folder.
    pub kind: Kind,
    /// Slug, from the file stem.
    pub slug: String,
    /// Language, from the suffix.
    pub lang: String,
    /// `draft = true`.
    pub draft: bool,
    /// Structure (None if invalid).
    pub meta: Option<Meta>,
    /// Texts and body (boxed where the file is parsed: tens of thousands
    /// of parsed files are gathered and sorted into documents, and moving
    /// a pointer there costs less than moving the variant).
    pub variant: Box<Variant>,
}

impl Content {
    /// Puts one parsed file in place of its previous version; returns the
    /// previous variant (to undo). Translations are compared with their source.
    pub fn apply(&mut self, p: Parsed, errs: &mut Vec<Diagnostic>) -> Option<(Option<Meta>, bool, Variant)> {
        let doc = self.docs.get_mut(&(p.kind, p.slug.clone()))?;
        if p.lang == doc.source.lang {
            let meta = p.meta?;
            let old_meta = std::mem::replace(&mut doc.meta, meta);
            let old_draft = std::mem::replace(&mut doc.draft, p.draft);
            let old = std::mem::replace(&mut doc.source, *p.variant);
            for t in doc.translations.values() {
                compare_structure(&doc.source, t, errs);
            }
            Some((Some(old_meta), old_draft, old))
        } else {
            compare_structure(&doc.source, &p.variant, errs);
            let old = doc.translations.insert(p.lang.clone(), p.variant)?;
            Some((None, doc.draft, *old))
        }
    }

    /// Undoes [`Content::apply`].
    pub fn restore(&mut self, kind: Kind, slug: &str, undo: (Option<Meta>, bool, Variant)) {
        let Some(doc) = self.docs.get_mut(&(kind, slug.to_owned())) else { return };
        let (meta, draft, v) = undo;
        if let Some(m) = meta {
            doc.meta = m;
            doc.draft = draft;
            doc.source = v;
        } else {
            doc.translations.insert(v.lang.clone(), Box::new(v));
        }
    }
}

/// Relative path with `/` separators.
pub fn rel_path(root: &Path, p: &Path) -> String {
    // A path as the walk makes it (`root` joined with clean names) is taken
    // as it is on Unix: comparing and joining components again was 4 % of
    // `check`.
    if let (Some(r), Some(s)) = (root.to_str(), p.to_str()) {
        let rest = if r.is_empty() { Some(s) } else if r.ends_with('/') { s.strip_prefix(r) } else { s.strip_prefix(r).and_then(|x| x.strip_prefix('/')) };
        if let Some(rest) = rest {
            if std::path::MAIN_SEPARATOR == '/' && !rest.is_empty() && !rest.starts_with('/') && !rest.starts_with("./") && !rest.ends_with('/') && !rest.ends_with("/.") && rest != "." && !rest.contains("//") && !rest.contains("/./") {
                return rest.to_owned();
            }
        }
    }
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::{is_letter, rel_path, TextDigest, LETTER_TABLE_END};
    use std::path::Path;

    #[test]
    fn letters_are_what_is_alphabetic_says() {
        for cp in (0..LETTER_TABLE_END + 0x100).chain([0x4E2D, 0x1F600, 0x10FFFF]) {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(is_letter(c), c.is_alphabetic(), "U+{cp:04X}");
            }
        }
        let d = TextDigest::of("ประเทศไทย ລາວ ក្រុង မြန်မာ abc 123");
        assert_eq!(usize::from(d.letters), "ประเทศไทย ລາວ ក្រុង မြန်မာ abc 123".chars().filter(|c| c.is_alphabetic()).count().min(TextDigest::LETTERS));
        assert_eq!(TextDigest::of("a".repeat(100).as_str()).letters, 24);
        assert_eq!(TextDigest::of("same"), TextDigest::of("same"));
        assert_ne!(TextDigest::of("same").hash, TextDigest::of("Same").hash);
    }

    #[test]
    fn rel_path_is_the_components_joined_with_slashes() {
        let joined = |root: &str, p: &str| {
            let p = Path::new(p);
            p.strip_prefix(root).unwrap_or(p).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
        };
        for (root, p) in [
            ("site", "site/content/briefs/a.md"),
            (".", "./content/briefs/a.th.md"),
            ("site", "site/content//briefs/./a.md"),
            ("site", "site/content/media/"),
            ("site", "site/content/media/."),
            ("site", "./content/x.md"),
            ("site", "site"),
            ("site", "other/a.md"),
            ("/abs/site", "/abs/site/content/ລາວ.md"),
            ("", ""),
            ("", "content/a.md"),
            ("site/", "site/content/a.md"),
            ("site", "site2/content/a.md"),
            ("site", "site/"),
            ("site", "site/."),
            (".", "content/a.md"),
            ("/", "/content/a.md"),
            ("site", "site//content/a.md"),
        ] {
            assert_eq!(rel_path(Path::new(root), Path::new(p)), joined(root, p), "{root:?} {p:?}");
        }
    }
}

//! Markdown to HTML: CommonMark with tables and footnotes, heading anchors
//! that work for every script, `@/kind/slug.md#anchor` links resolved per
//! reader language, and fenced code highlighted by syntect with CSS classes.

use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_SMART_PUNCTUATION
}

/// Turns heading text into an id. Letters and marks of every script are kept
/// (Thai, Lao, Khmer and Burmese vowels are combining marks), so a heading in
/// those scripts never yields an empty id; spaces and punctuation become `-`.
pub fn slugify(text: &str) -> String {
    fn add(out: &mut String, dash: &mut bool, c: char, keep: bool) {
        if keep {
            if *dash && !out.is_empty() {
                out.push('-');
            }
            *dash = false;
            out.push(c);
        } else {
            *dash = true;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    // Thai, Lao, Tibetan, Myanmar and Khmer have no case and no spaces: a
    // run of their letters is copied as it is (character by character, with
    // the general lowercase mapping, slugs were a twentieth of `check`).
    let mut run = 0..0;
    for (i, c) in text.char_indices() {
        let caseless = matches!(c, '\u{0E00}'..='\u{109F}' | '\u{1780}'..='\u{17FF}');
        if caseless && !is_punct(c) && !run.is_empty() && run.end == i {
            run.end = i + c.len_utf8();
            continue;
        }
        out.push_str(&text[run.clone()]);
        run = 0..0;
        if c.is_ascii() {
            add(&mut out, &mut dash, c.to_ascii_lowercase(), c.is_ascii_alphanumeric());
        } else if caseless {
            if is_punct(c) {
                dash = true;
            } else {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                run = i..i + c.len_utf8();
            }
        } else {
            for l in c.to_lowercase() {
                add(&mut out, &mut dash, l, if l.is_ascii() { l.is_ascii_alphanumeric() } else { !l.is_whitespace() && !is_punct(l) });
            }
        }
    }
    out.push_str(&text[run]);
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

fn is_punct(c: char) -> bool {
    matches!(c as u32,
        0x00A0..=0x00BF | 0x2000..=0x206F | 0x2E00..=0x2E7F | 0x3000..=0x303F | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFF00..=0xFF0F
        | 0x0E4F | 0x0E5A | 0x0E5B // Thai fongman, angkhankhu, khomut
        | 0x17D4..=0x17DA // Khmer khan, bariyoosan, …
        | 0x104A | 0x104B // Myanmar section marks
        | 0xFEFF)
}

/// Heading ids given so far in one document: the first free of `id`,
/// `id-1`, `id-2`… In constant time per heading (a page of thousands of
/// identical headings must not take quadratic time).
#[derive(Default)]
struct Ids {
    used: crate::hash::FastSet<String>,
    next: crate::hash::FastMap<String, usize>,
    order: Vec<String>,
}

impl Ids {
    fn add(&mut self, id: String) -> String {
        let mut cand = id.clone();
        let mut n = self.next.get(&id).copied().unwrap_or(1);
        if self.used.contains(&cand) {
            cand = format!("{id}-{n}");
            while self.used.contains(&cand) {
                n += 1;
                cand = format!("{id}-{n}");
            }
            n += 1;
        }
        self.next.insert(id, n);
        self.used.insert(cand.clone());
        self.order.push(cand.clone());
        cand
    }
}

/// Something in a Markdown text that `check` must look at once the site is
/// linked, found by [`scan`] (byte ranges inside the text).
#[derive(Debug, Clone)]
pub enum Finding {
    /// An `@/` link (the part after `@/`, with any fragment) at the URL's range.
    SiteLink(Range<usize>, String),
    /// A link whose URL scheme is not allowed (it is removed when rendering).
    BadScheme(Range<usize>, String),
    /// Raw HTML that is dangerous to readers, and why.
    Html(Range<usize>, &'static str),
}

/// What one pass over a Markdown body finds: heading ids and [`Finding`]s.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Ids of the headings, in order (explicit `{#id}` or slugified text).
    pub heading_ids: Vec<String>,
    /// Links and raw HTML to check.
    pub findings: Vec<Finding>,
}

/// One pass over a Markdown text: the heading ids and every site link, bad
/// URL and dangerous piece of raw HTML, with no HTML produced. `check` uses
/// the findings instead of rendering; the build renders anyway.
pub fn scan(md: &str) -> Scan {
    scan_with(md, scan_options())
}

/// The options of [`scan`]: those of rendering without smart punctuation,
/// which makes every `.`, `-`, `'` and `"` of the prose a special character
/// for the parser. It changes no link or HTML, and no heading id: it only
/// turns ASCII punctuation into punctuation of U+2010..U+2026, and
/// [`slugify`] makes a dash of either (a test compares both on the flagship
/// site).
fn scan_options() -> Options {
    options() - Options::ENABLE_SMART_PUNCTUATION
}

fn scan_with(md: &str, options: Options) -> Scan {
    let mut ids = Ids::default();
    let mut findings = Vec::new();
    let mut text: Option<(String, Option<String>)> = None;
    for (ev, range) in Parser::new_ext(md, options).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { id, .. }) => text = Some((String::new(), id.map(|i| i.to_string()))),
            Event::Text(t) | Event::Code(t) => {
                if let Some((s, _)) = text.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((s, explicit)) = text.take() {
                    let id = explicit.unwrap_or_else(|| slugify(&s));
                    ids.add(id);
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let at = url_range(md, &range, &dest_url);
                if let Some(target) = dest_url.strip_prefix("@/") {
                    findings.push(Finding::SiteLink(at, target.to_owned()));
                } else if let Some(s) = bad_scheme(&dest_url) {
                    findings.push(Finding::BadScheme(at, s));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(what) = dangerous(&h) {
                    findings.push(Finding::Html(range, what));
                }
            }
            _ => {}
        }
    }
    Scan { heading_ids: ids.order, findings }
}

/// Whether [`scan`] can find anything in `md` at all: every finding needs an
/// `@` (site link), a `:` (URL scheme), a `<` (HTML) or an `&` (a character
/// reference standing for one of those). Most short texts have none, and a
/// parser is not set up for them.
pub fn may_have_findings(md: &str) -> bool {
    // Two vectorised searches instead of a test per byte.
    let b = md.as_bytes();
    memchr::memchr3(b'@', b':', b'<', b).is_some() || memchr::memchr(b'&', b).is_some()
}

/// The problems of a text's [`Finding`]s, as [`render`] would report them.
pub fn check_findings(findings: &[Finding], resolver: &dyn LinkResolver, trusted_html: bool) -> Vec<MdProblem> {
    findings
        .iter()
        .filter_map(|f| match f {
            Finding::SiteLink(range, target) => match resolver.resolve(target) {
                Resolved::Url(_) => None,
                Resolved::Error(message, hint) => Some(MdProblem { range: range.clone(), message, hint, warning: false }),
            },
            Finding::BadScheme(range, s) => Some(bad_scheme_problem(range.clone(), s)),
            Finding::Html(range, what) => Some(html_problem(range.clone(), what, trusted_html)),
        })
        .collect()
}

/// The ids of a body's headings, in order (explicit `{#id}` or slugified text).
pub fn heading_ids(md: &str) -> Vec<String> {
    scan(md).heading_ids
}

/// What a link inside Markdown resolves to.
pub enum Resolved {
    /// A relative URL inside the site.
    Url(String),
    /// An error message and optional hint.
    Error(String, Option<String>),
}

/// Resolves `@/` links; implemented by the render step.
pub trait LinkResolver {
    /// Resolves `@/...` (the part after `@/`, with any fragment).
    fn resolve(&self, target: &str) -> Resolved;
}

/// A problem found while rendering, at a byte offset of the Markdown text.
#[derive(Debug, Clone)]
pub struct MdProblem {
    /// Byte range inside the Markdown text.
    pub range: Range<usize>,
    /// Message.
    pub message: String,
    /// Hint.
    pub hint: Option<String>,
    /// True for warnings (sanitized HTML), false for errors.
    pub warning: bool,
}

/// Shared syntax highlighting, loaded once per build on first use.
#[derive(Default)]
pub struct Highlighter {
    set: OnceLock<SyntaxSet>,
    /// Blocks already highlighted, by language and code: translations
    /// repeat their source's code blocks, highlighted once per build.
    done: std::sync::Mutex<std::collections::HashMap<(String, String), std::sync::Arc<str>>>,
}

/// Most highlighted blocks kept for reuse (the cache is emptied when full).
const HIGHLIGHT_CACHE: usize = 4096;

impl Highlighter {
    fn set(&self) -> &SyntaxSet {
        self.set.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// Highlights code as HTML spans with `hl-` classes. Markdown itself and
    /// very large blocks are shown plain: syntect's Markdown grammar can take
    /// milliseconds per line on hostile input, and the result must not
    /// depend on time.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        let key = (lang.to_owned(), code.to_owned());
        if let Some(html) = self.done.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return html.to_string();
        }
        let html = self.highlight_uncached(code, lang);
        let mut done = self.done.lock().unwrap_or_else(|p| p.into_inner());
        if done.len() >= HIGHLIGHT_CACHE {
            done.clear();
        }
        done.insert(key, html.as_str().into());
        html
    }

    fn highlight_uncached(&self, code: &str, lang: &str) -> String {
        if matches!(lang.to_ascii_lowercase().as_str(), "md" | "markdown" | "mdown" | "mkd") || code.len() > 100_000 || code.lines().any(|l| l.len() > 2_000) {
            return html_escape(code);
        }
        let set = self.set();
        let syntax = set.find_syntax_by_token(lang).unwrap_or_else(|| set.find_syntax_plain_text());
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, ClassStyle::SpacedPrefixed { prefix: "hl-" });
        for line in LinesWithEndings::from(code) {
            if gen.parse_html_for_line_which_includes_newline(line).is_err() {
                return html_escape(code);
            }
        }
        gen.finalize()
    }
}

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    // Copies the runs between special characters whole (all of them ASCII).
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(esc);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// Options for one rendering.
pub struct RenderOpts<'a> {
    /// Ids to give headings by position (a translation reuses its source's).
    pub heading_ids: Option<&'a [String]>,
    /// Keep raw HTML as written (the site trusts its authors).
    pub trusted_html: bool,
    /// Render as inline text (no wrapping paragraph) for short fields.
    pub inline: bool,
}

/// The result of rendering a Markdown text.
pub struct Rendered {
    /// HTML.
    pub html: String,
    /// Plain text (for search and summaries).
    pub text: String,
    /// Problems found (bad links, removed HTML).
    pub problems: Vec<MdProblem>,
}

/// Renders Markdown to HTML.
pub fn render(md: &str, resolver: &dyn LinkResolver, hl: &Highlighter, opts: &RenderOpts) -> Rendered {
    let mut problems = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut plain = String::new();
    let mut ids = Ids::default();
    let mut heading_n = 0usize;
    let mut heading: Option<(usize, HeadingLevel, Option<String>, Vec<String>)> = None; // (index in events, level, explicit id, classes)
    let mut heading_text = String::new();
    let mut code: Option<(String, String)> = None;
    let mut link_stack: Vec<bool> = Vec::new();
    let mut raw_html = false;
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        if let Some((lang, buf)) = code.as_mut() {
            match ev {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = if lang.is_empty() { html_escape(buf) } else { hl.highlight(buf, lang) };
                    let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", html_escape(lang)) };
                    plain.push_str(buf);
                    plain.push(' ');
                    events.push(Event::Html(CowStr::from(format!("<pre class=\"code\"><code{class}>{html}</code></pre>\n"))));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.split_whitespace().next().unwrap_or("").to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                heading = Some((events.len(), level, id.map(|s| s.to_string()), classes.iter().map(|c| c.to_string()).collect()));
                heading_text.clear();
                events.push(Event::Html(CowStr::from(""))); // replaced at the end of the heading
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((at, level, explicit, classes)) = heading.take() {
                    let id = match (explicit, opts.heading_ids.and_then(|h| h.get(heading_n))) {
                        (Some(e), _) => e,
                        (None, Some(src)) => src.clone(),
                        (None, None) => slugify(&heading_text),
                    };
                    let id = ids.add(id);
                    heading_n += 1;
                    let n = level as usize;
                    let class = if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", html_escape(&classes.join(" "))) };
                    events[at] = Event::Html(CowStr::from(format!("<h{n} id=\"{}\"{class}>", html_escape(&id))));
                    events.push(Event::Html(CowStr::from(format!(" <a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n", html_escape(&id)))));
                    plain.push(' ');
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                let href = link_href(md, &range, &dest_url, link_type, resolver, &mut problems);
                let external = href.starts_with("http://") || href.starts_with("https://") || href.starts_with("//");
                let mut tag = format!("<a href=\"{}\"", html_escape(&href));
                if !title.is_empty() {
                    tag.push_str(&format!(" title=\"{}\"", html_escape(&title)));
                }
                if external {
                    tag.push_str(" rel=\"noopener noreferrer\"");
                }
                tag.push('>');
                link_stack.push(true);
                events.push(Event::Html(CowStr::from(tag)));
            }
            Event::End(TagEnd::Link) => {
                link_stack.pop();
                events.push(Event::Html(CowStr::from("</a>")));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let href = link_href(md, &range, &dest_url, link_type, resolver, &mut problems);
                events.push(Event::Start(Tag::Image { link_type, dest_url: CowStr::from(href), title, id }));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(what) = dangerous(&h) {
                    problems.push(html_problem(range.clone(), what, opts.trusted_html));
                }
                raw_html = true;
                events.push(Event::Html(h));
            }
            Event::Text(t) => {
                if heading.is_some() {
                    heading_text.push_str(&t);
                }
                plain.push_str(&t);
                events.push(Event::Text(t));
            }
            Event::Code(t) => {
                if heading.is_some() {
                    heading_text.push_str(&t);
                }
                plain.push_str(&t);
                events.push(Event::Code(t));
            }
            Event::SoftBreak | Event::HardBreak => {
                plain.push(' ');
                events.push(ev);
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) | Event::End(TagEnd::TableCell) => {
                plain.push(' ');
                events.push(ev);
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    let events: Vec<Event> = if opts.inline { events.into_iter().filter(|e| !matches!(e, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph))).collect() } else { events };
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if raw_html && !opts.trusted_html {
        html = sanitize(&html);
    }
    Rendered { html, text: plain.split_whitespace().collect::<Vec<_>>().join(" "), problems }
}

/// What makes a piece of raw HTML dangerous to readers, if anything.
fn dangerous(html: &str) -> Option<&'static str> {
    let l = html.to_ascii_lowercase();
    let tags = [("<script", "a <script> element"), ("<iframe", "an <iframe>"), ("<object", "an <object>"), ("<embed", "an <embed>"), ("<style", "a <style> element"), ("<link", "a <link> element"), ("<meta", "a <meta> element"), ("<form", "a <form>"), ("<base", "a <base> element"), ("<svg", "inline SVG"), ("<math", "inline MathML")];
    if let Some((_, what)) = tags.iter().find(|(t, _)| l.contains(t)) {
        return Some(what);
    }
    if l.contains("javascript:") || l.contains("vbscript:") || l.contains("data:text") {
        return Some("a script URL");
    }
    let b = l.as_bytes();
    for (i, w) in b.windows(2).enumerate() {
        if w == b"on" && i > 0 && (b[i - 1].is_ascii_whitespace() || b[i - 1] == b'/') {
            let rest = &l[i + 2..];
            let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            if name_len > 0 && rest[name_len..].trim_start().starts_with('=') {
                return Some("an event handler attribute");
            }
        }
    }
    if l.contains("style=") {
        return Some("a style attribute");
    }
    if l.contains("src=") && (l.contains("http:") || l.contains("https:") || l.contains("src=\"//") || l.contains("src='//")) {
        return Some("an image or media from another host");
    }
    None
}

/// Cleans rendered HTML with an allow-list: what Markdown itself produces,
/// plus harmless inline HTML (sup, sub, abbr, br, details…). Scripts, event
/// handlers, frames, objects, styles and resources from other hosts go.
pub fn sanitize(html: &str) -> String {
    use std::collections::HashSet;
    let mut b = ammonia::Builder::default();
    b.add_tags(["details", "summary", "figure", "figcaption", "mark", "time", "section"]);
    b.add_generic_attributes(["id", "class", "lang", "dir", "title"]);
    b.add_tag_attributes("a", ["aria-hidden", "tabindex"]);
    b.add_tag_attributes("time", ["datetime"]);
    b.add_tag_attributes("td", ["align"]);
    b.add_tag_attributes("th", ["align", "scope"]);
    b.add_tag_attributes("input", ["type", "checked", "disabled"]);
    b.add_tags(["input"]);
    b.url_schemes(HashSet::from(["http", "https", "mailto"]));
    b.url_relative(ammonia::UrlRelative::PassThrough);
    // Images and media only from the site itself.
    b.attribute_filter(|element, attribute, value| {
        if matches!(attribute, "src" | "srcset" | "poster") {
            let v = value.trim_start().to_ascii_lowercase();
            if v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//") || v.contains(':') {
                return None;
            }
        }
        if element == "a" && attribute == "href" && (value.starts_with("http:") || value.starts_with("https:") || value.starts_with("//")) {
            return Some(value.into());
        }
        Some(value.into())
    });
    b.link_rel(Some("noopener noreferrer"));
    b.clean(html).to_string()
}

fn html_problem(range: Range<usize>, what: &str, trusted_html: bool) -> MdProblem {
    let message = if trusted_html { format!("raw HTML with {what} is kept because trusted_html = true") } else { format!("raw HTML with {what} was removed") };
    MdProblem { range, message, hint: Some("readers may be at risk: use Markdown instead".into()), warning: true }
}

/// The scheme of a URL when it is not one links may use: only web, mail
/// and relative links, never javascript:, data: or vbscript:.
fn bad_scheme(dest: &str) -> Option<String> {
    let s = dest.split(['/', '?', '#']).next().unwrap_or("").split_once(':').map(|(s, _)| s.trim().to_ascii_lowercase())?;
    (!matches!(s.as_str(), "http" | "https" | "mailto" | "tel")).then_some(s)
}

fn bad_scheme_problem(range: Range<usize>, s: &str) -> MdProblem {
    MdProblem { range, message: format!("link with a '{s}:' URL was removed"), hint: Some("links may use http, https, mailto or @/ paths".into()), warning: true }
}

/// The URL's own range inside a link when it can be found there, else the link's.
fn url_range(md: &str, range: &Range<usize>, dest: &str) -> Range<usize> {
    // Candidates are found by their first byte: preparing a substring search
    // (`str::find`'s two-way, or `memmem`) cost more than searching these
    // short ranges.
    let (src, needle) = (&md.as_bytes()[range.clone()], dest.as_bytes());
    let Some(&first) = needle.first() else { return range.start..range.start };
    let mut at = 0;
    while let Some(i) = memchr::memchr(first, &src[at..]) {
        if src[at + i..].starts_with(needle) {
            return range.start + at + i..range.start + at + i + needle.len();
        }
        at += i + 1;
    }
    range.clone()
}

fn link_href(md: &str, range: &Range<usize>, dest: &str, _lt: LinkType, resolver: &dyn LinkResolver, problems: &mut Vec<MdProblem>) -> String {
    let Some(target) = dest.strip_prefix("@/") else {
        if let Some(s) = bad_scheme(dest) {
            problems.push(bad_scheme_problem(url_range(md, range, dest), &s));
            return "#".to_owned();
        }
        return dest.to_owned();
    };
    match resolver.resolve(target) {
        Resolved::Url(u) => u,
        Resolved::Error(message, hint) => {
            problems.push(MdProblem { range: url_range(md, range, dest), message, hint, warning: false });
            "#".to_owned()
        }
    }
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;

//! Warnings: what is legal but likely wrong. Run by `check` and `build`.

use rayon::prelude::*;

use crate::content::{may_be_copied, paragraphs, Document, Kind, Meta, TextDigest, Variant};
use crate::diag::{Diagnostic, Severity};
use crate::hash::FastSet;
use crate::link::Site;

fn warn(v: &Variant, span: std::ops::Range<usize>, msg: String, hint: &str) -> Diagnostic {
    v.file.diag(Severity::Warning, span, msg).with_hint(hint)
}

fn lint_translation(doc: &Document, t: &Variant, src_pars: &FastSet<u64>, out: &mut Vec<Diagnostic>) {
    let src = &doc.source;
    // Headings: anchors are matched by position, so counts must agree.
    let (sh, th) = (src.heading_ids.len(), t.heading_ids.len());
    if sh != th {
        out.push(warn(t, t.body.start..t.body.start, format!("this translation has {th} heading(s) but {} has {sh}", src.file.path), "translate every heading and add none, so links to sections work in every language"));
    }
    // Stages and risks left untranslated.
    if let Meta::Journey(j) = &doc.meta {
        let missing: Vec<&str> = j.stages.iter().filter(|s| !t.texts.contains_key(&format!("stages.{}.title", s.id))).map(|s| s.id.as_str()).collect();
        if !missing.is_empty() {
            out.push(warn(t, 0..3, format!("{} of {} stages are not translated: {}", missing.len(), j.stages.len(), missing.join(", ")), "repeat each [[stages]] with its id and the translated title and description"));
        }
    }
    // Source text copied unchanged: compared by digest (`check` keeps no
    // values), the two texts' 64-bit hashes and letter counts.
    for ((key, text), d) in t.texts.iter().zip(&t.digests) {
        let Some(s) = src.texts.position(key).and_then(|i| src.digests.get(i)) else { continue };
        if s != d || key.starts_with("agencies.") || key.starts_with("instruments.") {
            continue;
        }
        let letters = usize::from(s.letters);
        if letters >= TextDigest::LETTERS || (key == "title" && letters >= 12) {
            out.push(warn(t, text.span.clone(), format!("'{key}' is the same as in {}: not translated?", src.file.path), "translate it, or leave the key out to show the source text marked as such"));
        }
    }
    // Paragraphs are compared by hash first: only one that may be copied
    // needs the texts (which `check` reads again from disk).
    let mut src_texts: Option<FastSet<&str>> = None;
    for &(off, hash) in &t.paragraphs {
        if !src_pars.contains(&hash) {
            continue;
        }
        let body = t.body();
        let p = body.get(off..).and_then(|b| b.split("\n\n").next()).unwrap_or("").trim();
        let src_texts = src_texts.get_or_insert_with(|| paragraphs(src.body()).map(|(_, p)| p).collect());
        if src_texts.contains(p) && may_be_copied(p) {
            let start = t.body.start + off + (body[off..].len() - body[off..].trim_start().len());
            out.push(warn(t, start..start + p.lines().next().map_or(0, str::len), format!("this paragraph is the same as in {}: not translated?", src.file.path), "translate it, or remove it"));
        }
    }
}

/// Warnings for the whole site.
pub fn lint(site: &Site) -> Vec<Diagnostic> {
    let docs: Vec<&Document> = site.content.docs.values().collect();
    let mut out: Vec<Diagnostic> = docs
        .par_iter()
        .flat_map_iter(|doc| {
            let mut v = Vec::new();
            if doc.translations.is_empty() {
                return v;
            }
            // The source's paragraphs, once for all its translations.
            let src_pars: FastSet<u64> = doc.source.paragraphs.iter().map(|&(_, h)| h).collect();
            for t in doc.translations.values() {
                lint_translation(doc, t, &src_pars, &mut v);
            }
            v
        })
        .collect();
    // Countries nothing refers to.
    let mut used: std::collections::HashSet<&str> = site.country_stages.keys().map(String::as_str).collect();
    used.extend(site.country_briefs.keys().map(String::as_str));
    used.extend(site.country_proposed.keys().map(String::as_str));
    for d in site.docs_of(Kind::Journey) {
        if let Some(j) = d.journey() {
            used.extend(j.origin.iter().chain(j.destination.iter()).map(|c| c.v.as_str()));
        }
    }
    for c in site.docs_of(Kind::Country) {
        if !used.contains(c.slug.as_str()) {
            out.push(warn(&c.source, 0..3, format!("country '{}' is not used by any journey, brief or counter-measure", c.slug), "cite it from a brief or a journey stage, or remove it"));
        }
    }
    // Stages no measure answers.
    for d in site.docs_of(Kind::Journey) {
        let Some(j) = d.journey() else { continue };
        for s in &j.stages {
            if !site.stage_measures.contains_key(&(d.slug.clone(), s.id.clone())) {
                let span = d.source.structure.get(&format!("stages.{}", s.id)).map_or(0..3, |x| x.span.clone());
                out.push(warn(&d.source, span, format!("no counter-measure targets stage '{}' of journey '{}'", s.id, d.slug), format!("add a measure with targets = [\"{}/{}\"] to a file in content/countermeasures/", d.slug, s.id).as_str()));
            }
        }
    }
    out
}

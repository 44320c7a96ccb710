//! Hypothetical victim journeys, with ordered stages and corruption risks.

use super::fields::{is_slug, Fields, Sp};

/// A point where corruption enables the crime. Texts: `stages.S.risks.R.actor`, `…text`.
#[derive(Debug, Clone)]
pub struct Risk {
    /// Slug, unique in the stage.
    pub id: String,
}

/// One stage of a journey. Texts: `stages.S.title`, `stages.S.description`.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Slug, unique in the journey.
    pub id: String,
    /// Country slug, checked in the link phase.
    pub country: Sp<String>,
    /// Corruption risks, in order.
    pub risks: Vec<Risk>,
}

/// Structure of a journey.
#[derive(Debug, Clone)]
pub struct JourneyMeta {
    /// Country of origin.
    pub origin: Option<Sp<String>>,
    /// Country of destination.
    pub destination: Option<Sp<String>>,
    /// Stages in order.
    pub stages: Vec<Stage>,
}

/// Every key a journey's front matter may hold.
pub const KEYS: &[&str] = &["title", "summary", "draft", "status", "source_hash", "victim", "sector", "origin", "destination", "stages"];
const STAGE_KEYS: &[&str] = &["id", "title", "country", "description", "risks"];
const RISK_KEYS: &[&str] = &["id", "actor", "text"];

fn id_of(f: &mut Fields, what: &str, seen: &mut Vec<String>, anchor: std::ops::Range<usize>) -> Option<String> {
    let Some(id) = f.meta_string("id") else {
        let e = f.file.error(anchor, format!("missing required field 'id' in {}", f.prefix.trim_end_matches('.')));
        f.errs.push(e);
        return None;
    };
    if !is_slug(&id.v) {
        let e = f.file.error(id.span.clone(), format!("{what} id '{}' is not a valid slug", id.v)).with_hint("use lowercase ASCII letters, digits and single hyphens");
        f.errs.push(e);
        return None;
    }
    if seen.contains(&id.v) {
        let e = f.file.error(id.span.clone(), format!("duplicate {what} id '{}'", id.v));
        f.errs.push(e);
        return None;
    }
    seen.push(id.v.clone());
    Some(id.v)
}

/// Reads a journey's own fields.
pub fn parse(f: &mut Fields) -> Option<JourneyMeta> {
    f.text("victim", true);
    f.text("sector", true);
    let origin = f.slug("origin", false);
    let destination = f.slug("destination", false);
    let mut stages = Vec::new();
    let tables = f.tables("stages");
    if tables.as_ref().map_or(true, Vec::is_empty) && !f.translation {
        let e = f.file.error(0..3, "a journey needs at least one [[stages]] entry");
        f.errs.push(e);
    }
    let mut seen = Vec::new();
    for (span, t) in tables.unwrap_or_default() {
        let mut s = f.nested(t, span.clone(), "stages.".into());
        let Some(id) = id_of(&mut s, "stage", &mut seen, span.clone()) else { continue };
        let stage = ["stages.", &id].concat();
        s.prefix = [stage.as_str(), "."].concat();
        s.out.structure.insert(stage, Sp { v: "present".into(), span: span.clone() });
        s.text("title", true);
        s.text("description", true);
        let country = s.slug("country", true);
        let mut risks = Vec::new();
        let mut rseen = Vec::new();
        let risks_prefix = [s.prefix.as_str(), "risks."].concat();
        for (rspan, rt) in s.tables("risks").unwrap_or_default() {
            let mut r = s.nested(rt, rspan.clone(), risks_prefix.clone());
            let Some(rid) = id_of(&mut r, "risk", &mut rseen, rspan.clone()) else { continue };
            let risk = [risks_prefix.as_str(), &rid].concat();
            r.prefix = [risk.as_str(), "."].concat();
            r.out.structure.insert(risk, Sp { v: "present".into(), span: rspan.clone() });
            r.text("actor", true);
            r.text("text", true);
            r.finish(RISK_KEYS);
            risks.push(Risk { id: rid });
        }
        s.finish(STAGE_KEYS);
        match country {
            Some(country) => stages.push(Stage { id, country, risks }),
            None if f.translation => stages.push(Stage { id, country: Sp { v: String::new(), span: 0..0 }, risks }),
            None => {}
        }
    }
    Some(JourneyMeta { origin, destination, stages })
}

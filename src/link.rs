//! The *link* step: resolves every cross-reference once and builds the
//! reverse indexes that pages need (stage → measures, country → stages, …),
//! so no page ever scans the whole library.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;


use crate::config::Config;
use crate::content::fields::Sp;
use crate::content::measure::{Measure, MeasureFile};
use crate::content::{Content, Document, Kind, Meta};
use crate::diag::{did_you_mean, Diagnostic, Severity};
use crate::hash::FastMap;

/// A resolved counter-measure target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// Journey slug.
    pub journey: String,
    /// Stage id.
    pub stage: String,
    /// Risk id, when the target is one risk of the stage.
    pub risk: Option<String>,
}

/// A journey stage, by journey slug and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StageRef<'a> {
    /// Journey slug.
    pub journey: &'a str,
    /// Index of the stage in the journey.
    pub index: usize,
}

/// The validated, cross-linked site: what the render step reads.
#[derive(Debug)]
pub struct Site {
    /// Settings.
    pub config: Config,
    /// Documents and measure files.
    pub content: Content,
    /// All measures, sorted by id.
    pub measures: Vec<Arc<Measure>>,
    /// Resolved targets, parallel to `measures`.
    pub targets: Vec<Vec<Target>>,
    /// Index in `content.measure_files` of each measure's file, parallel to `measures`.
    pub measure_file_of: Vec<usize>,
    /// Anchors of each document (stage ids, risk anchors and heading ids of
    /// the source); every document has an entry, so this also tells which
    /// documents exist.
    pub anchors: FastMap<(Kind, String), BTreeSet<String>>,
    /// (journey, stage) → measures targeting the stage or one of its risks.
    pub stage_measures: HashMap<(String, String), Vec<usize>>,
    /// (journey, stage, risk) → measures targeting that risk.
    pub risk_measures: HashMap<(String, String, String), Vec<usize>>,
    /// country → (journey, stage index) of stages in it.
    pub country_stages: BTreeMap<String, Vec<(String, usize)>>,
    /// country → measures it proposed.
    pub country_proposed: BTreeMap<String, Vec<usize>>,
    /// country → measures that target stages inside it.
    pub country_targeted: BTreeMap<String, Vec<usize>>,
    /// journey → briefs citing it.
    pub journey_briefs: BTreeMap<String, Vec<String>>,
    /// country → briefs citing it.
    pub country_briefs: BTreeMap<String, Vec<String>>,
}

impl Site {
    /// A document by kind and slug.
    pub fn doc(&self, kind: Kind, slug: &str) -> Option<&Document> {
        self.content.docs.get(&(kind, slug.to_owned()))
    }

    /// Documents of one kind, in slug order.
    pub fn docs_of(&self, kind: Kind) -> impl Iterator<Item = &Document> {
        self.content.docs.range((kind, String::new())..).take_while(move |((k, _), _)| *k == kind).map(|(_, d)| d)
    }

    /// The measure file a measure comes from.
    pub fn measure_file(&self, m: &Measure) -> Option<&MeasureFile> {
        let i = self.measures.binary_search_by(|x| x.id.v.cmp(&m.id.v)).ok()?;
        self.content.measure_files.get(*self.measure_file_of.get(i)?).filter(|f| Arc::ptr_eq(&f.file, &m.file))
    }
}

/// Anchor of a risk on a journey page.
pub fn risk_anchor(stage: &str, risk: &str) -> String {
    format!("{stage}--{risk}")
}

fn check_ref(doc_slugs: &BTreeSet<&str>, what: &str, r: &Sp<String>, file: &crate::source::SourceFile, errs: &mut Vec<Diagnostic>) -> bool {
    if doc_slugs.contains(r.v.as_str()) {
        return true;
    }
    let mut e = file.error(r.span.clone(), format!("unknown {what} '{}'", r.v));
    if let Some(h) = did_you_mean(&r.v, doc_slugs.iter().copied()) {
        e = e.with_hint(h);
    }
    errs.push(e);
    false
}

/// Resolves references and builds indexes. Drafts are dropped first unless `drafts`.
pub fn link(config: Config, mut content: Content, drafts: bool, errs: &mut Vec<Diagnostic>) -> Site {
    let dropped: BTreeSet<(Kind, String)> = content.docs.iter().filter(|(_, d)| d.draft && !drafts).map(|(k, _)| k.clone()).collect();
    content.docs.retain(|k, _| !dropped.contains(k));
    // The anchors need only the documents: found on another thread while
    // references are checked and indexes built.
    let (anchors, linked) = rayon::join(
        || {
            let t = std::time::Instant::now();
            let a = anchors_of(&content);
            crate::build::timing("link: anchors", t);
            a
        },
        || {
            let t = std::time::Instant::now();
            let r = references(&content, &dropped, errs);
            crate::build::timing("link: references", t);
            r
        },
    );
    let Linked { measures, measure_file_of, targets, stage_measures, risk_measures, country_stages, country_proposed, country_targeted, journey_briefs, country_briefs } = linked;
    Site {
        config,
        content,
        measures,
        targets,
        measure_file_of,
        anchors,
        stage_measures,
        risk_measures,
        country_stages,
        country_proposed,
        country_targeted,
        journey_briefs,
        country_briefs,
    }
}

/// Anchors of every document: stage ids, risk anchors, heading ids of its source.
fn anchors_of(content: &Content) -> FastMap<(Kind, String), BTreeSet<String>> {
    use rayon::prelude::*;
    let docs: Vec<(&(Kind, String), &Document)> = content.docs.iter().collect();
    docs.par_iter()
        .map(|(key, doc)| {
            let mut set: BTreeSet<String> = doc.source.heading_ids.iter().cloned().collect();
            if let Some(j) = doc.journey() {
                for s in &j.stages {
                    set.insert(s.id.clone());
                    for r in &s.risks {
                        set.insert(risk_anchor(&s.id, &r.id));
                    }
                }
            }
            ((*key).clone(), set)
        })
        .collect()
}

/// What [`link`] works out besides the anchors.
struct Linked {
    measures: Vec<Arc<Measure>>,
    measure_file_of: Vec<usize>,
    targets: Vec<Vec<Target>>,
    stage_measures: HashMap<(String, String), Vec<usize>>,
    risk_measures: HashMap<(String, String, String), Vec<usize>>,
    country_stages: BTreeMap<String, Vec<(String, usize)>>,
    country_proposed: BTreeMap<String, Vec<usize>>,
    country_targeted: BTreeMap<String, Vec<usize>>,
    journey_briefs: BTreeMap<String, Vec<String>>,
    country_briefs: BTreeMap<String, Vec<String>>,
}

/// Checks the references of documents and measures and builds the indexes.
fn references(content: &Content, dropped: &BTreeSet<(Kind, String)>, errs: &mut Vec<Diagnostic>) -> Linked {
    let slugs = |kind: Kind| -> BTreeSet<&str> { content.docs.keys().filter(|(k, _)| *k == kind).map(|(_, s)| s.as_str()).collect() };
    let countries = slugs(Kind::Country);
    let journeys = slugs(Kind::Journey);
    // (No key is made for the lookup when nothing was dropped: `check`.)
    let draft_hint = |r: &Sp<String>, kind: Kind| !dropped.is_empty() && dropped.contains(&(kind, r.v.clone()));

    let mut country_stages: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    // Briefs with their dates, in slug order (the order of the documents).
    type Dated = Vec<(crate::content::fields::Date, String)>;
    let mut journey_briefs: BTreeMap<String, Dated> = BTreeMap::new();
    let mut country_briefs: BTreeMap<String, Dated> = BTreeMap::new();
    for doc in content.docs.values() {
        let file = &doc.source.file;
        let refcheck = |set: &BTreeSet<&str>, what: &str, kind: Kind, r: &Sp<String>, errs: &mut Vec<Diagnostic>| {
            if draft_hint(r, kind) {
                errs.push(file.error(r.span.clone(), format!("{what} '{}' is a draft", r.v)).with_hint("build with --drafts, or publish it (remove draft = true)"));
                false
            } else {
                check_ref(set, what, r, file, errs)
            }
        };
        match &doc.meta {
            Meta::Brief(b) => {
                for c in &b.countries {
                    if refcheck(&countries, "country", Kind::Country, c, errs) {
                        country_briefs.entry(c.v.clone()).or_default().push((b.date, doc.slug.clone()));
                    }
                }
                for j in &b.journeys {
                    if refcheck(&journeys, "journey", Kind::Journey, j, errs) {
                        journey_briefs.entry(j.v.clone()).or_default().push((b.date, doc.slug.clone()));
                    }
                }
            }
            Meta::Journey(j) => {
                for c in j.origin.iter().chain(j.destination.iter()) {
                    refcheck(&countries, "country", Kind::Country, c, errs);
                }
                for (i, s) in j.stages.iter().enumerate() {
                    if refcheck(&countries, "country", Kind::Country, &s.country, errs) {
                        country_stages.entry(s.country.v.clone()).or_default().push((doc.slug.clone(), i));
                    }
                }
            }
            _ => {}
        }
    }
    // Briefs are listed newest first wherever they are cited, then by slug:
    // a stable sort by date of lists already in slug order.
    let newest_first = |lists: BTreeMap<String, Dated>| -> BTreeMap<String, Vec<String>> {
        lists
            .into_iter()
            .map(|(k, mut list)| {
                list.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
                (k, list.into_iter().map(|(_, slug)| slug).collect())
            })
            .collect()
    };
    let (journey_briefs, country_briefs) = (newest_first(journey_briefs), newest_first(country_briefs));

    // Measures: unique ids, known country, resolvable targets.
    let mut measures: Vec<(Arc<Measure>, usize)> = Vec::new();
    // id → (file, span) of its first definition; the position is worked out only for a duplicate.
    let mut first_seen: HashMap<&str, (&crate::source::SourceFile, usize)> = HashMap::new();
    for (fi, mf) in content.measure_files.iter().enumerate() {
        check_ref(&countries, "country", &mf.country, &mf.file, errs);
        for m in &mf.measures {
            if let Some((file, at)) = first_seen.get(m.id.v.as_str()) {
                let (l, c) = file.position(*at);
                errs.push(mf.file.error(m.id.span.clone(), format!("duplicate measure id '{}'", m.id.v)).with_hint(format!("first defined at {}:{l}:{c}", file.path)));
                continue;
            }
            first_seen.insert(&m.id.v, (&mf.file, m.id.span.start));
            measures.push((m.clone(), fi));
        }
    }
    measures.sort_by(|a, b| a.0.id.v.cmp(&b.0.id.v));
    let (measures, measure_file_of): (Vec<Arc<Measure>>, Vec<usize>) = measures.into_iter().unzip();
    let mut targets = Vec::with_capacity(measures.len());
    let mut stage_measures: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut risk_measures: HashMap<(String, String, String), Vec<usize>> = HashMap::new();
    let mut country_targeted: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut country_proposed: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (mi, m) in measures.iter().enumerate() {
        country_proposed.entry(m.country.v.clone()).or_default().push(mi);
        let mut resolved = Vec::new();
        for t in &m.targets {
            match resolve_target(content, &t.v) {
                Ok(target) => {
                    let j = content.docs.get(&(Kind::Journey, target.journey.clone())).and_then(Document::journey);
                    if let Some(stage) = j.and_then(|j| j.stages.iter().find(|s| s.id == target.stage)) {
                        country_targeted.entry(stage.country.v.clone()).or_default().insert(mi);
                    }
                    let sm = stage_measures.entry((target.journey.clone(), target.stage.clone())).or_default();
                    if !sm.contains(&mi) {
                        sm.push(mi);
                    }
                    if let Some(r) = &target.risk {
                        risk_measures.entry((target.journey.clone(), target.stage.clone(), r.clone())).or_default().push(mi);
                    }
                    resolved.push(target);
                }
                Err((msg, cands)) => {
                    let mut e = m.file.error(t.span.clone(), msg);
                    if let Some((wrong, cands)) = cands {
                        if let Some(h) = did_you_mean(&wrong, cands.iter().map(String::as_str)) {
                            e = e.with_hint(h);
                        }
                    }
                    errs.push(e);
                }
            }
        }
        targets.push(resolved);
    }

    let _ = Severity::Error;
    Linked {
        measures,
        measure_file_of,
        targets,
        stage_measures,
        risk_measures,
        country_stages,
        country_proposed,
        country_targeted: country_targeted.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect(),
        journey_briefs,
        country_briefs,
    }
}

type Candidates = Option<(String, Vec<String>)>;

fn resolve_target(content: &Content, t: &str) -> Result<Target, (String, Candidates)> {
    let parts: Vec<&str> = t.split('/').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
        return Err((format!("target '{t}' must be 'journey/stage' or 'journey/stage/risk'"), None));
    }
    let Some(j) = content.docs.get(&(Kind::Journey, parts[0].to_owned())).and_then(Document::journey) else {
        // Only the error path lists the journeys (for the "did you mean" hint):
        // collecting them for every target made linking O(targets × documents).
        let journeys = content.docs.keys().filter(|(k, _)| *k == Kind::Journey).map(|(_, s)| s.clone()).collect();
        return Err((format!("unknown journey '{}' in target '{t}'", parts[0]), Some((parts[0].to_owned(), journeys))));
    };
    let Some(stage) = j.stages.iter().find(|s| s.id == parts[1]) else {
        let ids = j.stages.iter().map(|s| s.id.clone()).collect();
        return Err((format!("unknown stage '{}' in journey '{}' (target '{t}')", parts[1], parts[0]), Some((parts[1].to_owned(), ids))));
    };
    let risk = match parts.get(2) {
        Some(r) => {
            if !stage.risks.iter().any(|x| x.id == *r) {
                let ids = stage.risks.iter().map(|x| x.id.clone()).collect();
                return Err((format!("unknown risk '{r}' in stage '{}' of journey '{}' (target '{t}')", parts[1], parts[0]), Some(((*r).to_owned(), ids))));
            }
            Some((*r).to_owned())
        }
        None => None,
    };
    Ok(Target { journey: parts[0].to_owned(), stage: parts[1].to_owned(), risk })
}

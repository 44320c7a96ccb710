//! Page contexts per kind: documents, counter-measures, lists, home, search.

use serde_json::{json, Map, Value};

use super::{txt, Contexts, Gathered, Renderer, Sink};
use super::ctx::{obj, val};

use crate::content::{Document, Kind, Meta};
use crate::link::risk_anchor;
use crate::search::SearchDoc;
use crate::translations::{doc_state, measures_state, State};

/// Which of a language's own pages to render (all of them on a full build).
#[derive(Debug, Clone)]
pub struct LangParts {
    /// Kinds whose list pages are rendered.
    pub lists: Vec<Kind>,
    /// The counter-measures list and matrix.
    pub measures: bool,
    /// The search page (it never changes with content).
    pub search_page: bool,
    /// The home page.
    pub home: bool,
    /// The translation status page.
    pub status: bool,
}

impl LangParts {
    /// Everything.
    pub fn all() -> Self {
        LangParts { lists: Kind::ALL.to_vec(), measures: true, search_page: true, home: true, status: true }
    }
}

impl Renderer<'_> {
    fn notices(&self, lang: &str, state: Option<State>, source_lang: &str) -> Value {
        let s = self.lang_strings(lang);
        let language = crate::config::native_name(source_lang);
        match state {
            None | Some(State::Reviewed) => json!([]),
            Some(State::Missing) => json!([{ "kind": "missing", "text": s.fmt("notice_missing", &[("language", language)]) }]),
            Some(State::Draft) => json!([{ "kind": "draft", "text": s.get("notice_draft") }]),
            Some(State::Outdated) => json!([{ "kind": "outdated", "text": s.fmt("notice_outdated", &[("language", language)]) }]),
        }
    }

    pub(super) fn doc_link(&self, kind: Kind, slug: &str, lang: &str) -> Value {
        let d = self.site.doc(kind, slug);
        let (t, tl) = d.and_then(|d| d.text(lang, "title")).unwrap_or((slug, lang));
        obj!({ "href": format!("../{}/{slug}.html", kind.dir()), "title": txt(t, tl, lang) })
    }

    pub(super) fn measure_link(&self, i: usize, lang: &str) -> Value {
        let m = &self.site.measures[i];
        let (t, tl) = m.title.get(lang).map(|t| (t.v.as_str(), lang)).unwrap_or_else(|| (m.title.get(&self.site.config.default_language).map_or("", |t| t.v.as_str()), self.site.config.default_language.as_str()));
        obj!({ "href": format!("../countermeasures/{}.html", m.id.v), "title": txt(t, tl, lang), "id": &m.id.v, "horizon": self.lang_strings(lang).label("horizon", &m.horizon) })
    }

    /// Renders one document in every language.
    pub(super) fn render_doc(&self, doc: &Document, sink: &dyn Sink, cx: &mut Contexts) -> Gathered {
        let mut g = Gathered::default();
        let default = &self.site.config.default_language;
        // Bodies: the source once, each translation once.
        let (src_html, src_text) = self.body_html(doc, &doc.source, &mut g.diags);
        let mut bodies = std::collections::BTreeMap::new();
        for (l, v) in &doc.translations {
            bodies.insert(l.clone(), self.body_html(doc, v, &mut g.diags));
        }
        // Journey stage texts, rendered once per language they exist in.
        // Languages that fall back show the same texts: analysed once.
        let first = g.pending.len();
        for lang in &self.site.config.languages {
            let state = (lang != default).then(|| doc_state(doc, lang));
            let (body_html, body_text, body_lang) = match bodies.get(lang) {
                Some((h, t)) => (h.as_str(), t.as_str(), lang.as_str()),
                None => (src_html.as_str(), src_text.as_str(), default.as_str()),
            };
            let (title, title_lang) = doc.text(lang, "title").unwrap_or((&doc.slug, default));
            let summary = doc.text(lang, "summary");
            let rel = format!("{}/{}.html", doc.kind.dir(), doc.slug);
            let mut ctx = self.base(lang, &rel, title, summary.map(|s| s.0));
            let src_lang = if state == Some(State::Missing) { default.as_str() } else { lang.as_str() };
            ctx.insert("notices".into(), self.notices(lang, state, default));
            ctx.insert("title".into(), txt(title, title_lang, lang));
            ctx.insert("summary".into(), summary.map_or(Value::Null, |(s, l)| txt(s, l, lang)));
            ctx.insert("body".into(), val(body_html));
            ctx.insert("body_lang".into(), val(if body_lang == lang { "" } else { body_lang }));
            ctx.insert("kind".into(), val(doc.kind.name()));
            let _ = src_lang;
            let mut search_text = body_text.to_owned();
            let template = match &doc.meta {
                Meta::Brief(b) => {
                    let s = self.lang_strings(lang);
                    ctx.insert("date".into(), val(s.date(b.date)));
                    ctx.insert("date_iso".into(), val(b.date.to_string()));
                    ctx.insert("countries".into(), val(b.countries.iter().map(|c| self.doc_link(Kind::Country, &c.v, lang)).collect::<Vec<_>>()));
                    ctx.insert("journeys".into(), val(b.journeys.iter().map(|c| self.doc_link(Kind::Journey, &c.v, lang)).collect::<Vec<_>>()));
                    ctx.insert("tags".into(), val(&b.tags));
                    ctx.insert("authors".into(), val(&b.authors));
                    "brief.html"
                }
                Meta::Country(c) => {
                    let s = self.lang_strings(lang);
                    ctx.insert("iso".into(), val(&c.iso));
                    let agencies: Vec<Value> = c.agencies.iter().enumerate().map(|(i, a)| {
                        let (n, nl) = doc.text(lang, &format!("agencies.{i}.name")).unwrap_or(("", lang));
                        obj!({ "name": txt(n, nl, lang), "kind": a.kind.as_deref().map(|k| s.label("agency", k)) })
                    }).collect();
                    ctx.insert("agencies".into(), val(agencies));
                    let instruments: Vec<Value> = c.instruments.iter().enumerate().map(|(i, a)| {
                        let (n, nl) = doc.text(lang, &format!("instruments.{i}.name")).unwrap_or(("", lang));
                        obj!({ "name": txt(n, nl, lang), "year": a.year.map(|y| s.number(y)) })
                    }).collect();
                    ctx.insert("instruments".into(), val(instruments));
                    let stages: Vec<Value> = self.site.country_stages.get(&doc.slug).map(|v| v.iter().filter_map(|(j, i)| {
                        let jd = self.site.doc(Kind::Journey, j)?;
                        let st = &jd.journey()?.stages[*i];
                        let (jt, jl) = jd.text(lang, "title")?;
                        let (stt, stl) = jd.text(lang, &format!("stages.{}.title", st.id))?;
                        Some(obj!({ "href": format!("../journeys/{j}.html#{}", st.id), "journey": txt(jt, jl, lang), "stage": txt(stt, stl, lang), "risks": st.risks.len() }))
                    }).collect()).unwrap_or_default();
                    ctx.insert("stages".into(), val(stages));
                    let list = |m: Option<&Vec<usize>>| m.map(|v| v.iter().map(|i| self.measure_link(*i, lang)).collect::<Vec<_>>()).unwrap_or_default();
                    ctx.insert("proposed".into(), val(list(self.site.country_proposed.get(&doc.slug))));
                    ctx.insert("targeted".into(), val(list(self.site.country_targeted.get(&doc.slug))));
                    ctx.insert("briefs".into(), val(self.site.country_briefs.get(&doc.slug).map(|v| v.iter().map(|b| self.doc_link(Kind::Brief, b, lang)).collect::<Vec<_>>()).unwrap_or_default()));
                    "country.html"
                }
                Meta::Journey(j) => {
                    let text = |key: &str| doc.text(lang, key).map(|(t, l)| txt(t, l, lang)).unwrap_or(Value::Null);
                    ctx.insert("victim".into(), text("victim"));
                    ctx.insert("sector".into(), text("sector"));
                    ctx.insert("origin".into(), j.origin.as_ref().map_or(Value::Null, |c| self.doc_link(Kind::Country, &c.v, lang)));
                    ctx.insert("destination".into(), j.destination.as_ref().map_or(Value::Null, |c| self.doc_link(Kind::Country, &c.v, lang)));
                    let mut stages = Vec::new();
                    for (n, st) in j.stages.iter().enumerate() {
                        let key = |k: &str| format!("stages.{}.{k}", st.id);
                        let field = |k: &str, g: &mut Gathered| -> (Value, String) {
                            let v = doc.translations.get(lang).map(|v| &**v).filter(|v| v.texts.contains_key(&key(k))).unwrap_or(&doc.source);
                            match v.texts.get(&key(k)) {
                                Some(t) => {
                                    let (h, plain) = self.field_html(&v.file, t, &mut g.diags);
                                    (obj!({ "html": h, "l": if v.lang == *lang { "" } else { v.lang.as_str() } }), plain)
                                }
                                None => (Value::Null, String::new()),
                            }
                        };
                        let (stitle, stl) = doc.text(lang, &key("title")).unwrap_or((&st.id, lang));
                        let (desc, desc_text) = field("description", &mut g);
                        let mut stage_text = desc_text.clone();
                        let mut risks = Vec::new();
                        for r in &st.risks {
                            let rkey = |k: &str| format!("stages.{}.risks.{}.{k}", st.id, r.id);
                            let (actor, al) = doc.text(lang, &rkey("actor")).unwrap_or(("", lang));
                            let v = doc.translations.get(lang).map(|v| &**v).filter(|v| v.texts.contains_key(&rkey("text"))).unwrap_or(&doc.source);
                            let (rtext, rplain) = match v.texts.get(&rkey("text")) {
                                Some(t) => {
                                    let (h, p) = self.field_html(&v.file, t, &mut g.diags);
                                    (obj!({ "html": h, "l": if v.lang == *lang { "" } else { v.lang.as_str() } }), p)
                                }
                                None => (Value::Null, String::new()),
                            };
                            stage_text.push(' ');
                            stage_text.push_str(actor);
                            stage_text.push(' ');
                            stage_text.push_str(&rplain);
                            let ms: Vec<Value> = self.site.risk_measures.get(&(doc.slug.clone(), st.id.clone(), r.id.clone())).map(|v| v.iter().map(|i| self.measure_link(*i, lang)).collect()).unwrap_or_default();
                            risks.push(obj!({ "id": &r.id, "anchor": risk_anchor(&st.id, &r.id), "actor": txt(actor, al, lang), "text": rtext, "measures": ms }));
                        }
                        let measures: Vec<Value> = self.site.stage_measures.get(&(doc.slug.clone(), st.id.clone())).map(|v| v.iter().map(|i| self.measure_link(*i, lang)).collect()).unwrap_or_default();
                        stages.push(obj!({ "n": n + 1, "id": &st.id, "title": txt(stitle, stl, lang), "country": self.doc_link(Kind::Country, &st.country.v, lang), "country_slug": &st.country.v, "description": desc, "risks": risks, "measures": measures }));
                        let (stt, stl2) = (stitle, stl);
                        let _ = stl2;
                        g.search_later(first, doc.path(), lang, SearchDoc { url: format!("journeys/{}.html#{}", doc.slug, st.id), title: format!("{stt} · {title}"), kind: "stage", text: stage_text.clone(), lang: stl.to_owned() });
                        // Stage texts are indexed once, as stages (the hit leads to the stage).
                    }
                    ctx.insert("stages".into(), val(stages));
                    ctx.insert("route_svg".into(), val(super::feeds::route_svg(self, doc, j, lang)));
                    ctx.insert("briefs".into(), val(self.site.journey_briefs.get(&doc.slug).map(|v| v.iter().map(|b| self.doc_link(Kind::Brief, b, lang)).collect::<Vec<_>>()).unwrap_or_default()));
                    "journey.html"
                }
                Meta::Page(_) => {
                    ctx.insert("slug".into(), val(&doc.slug));
                    "page.html"
                }
            };
            if let Some((s, _)) = summary {
                search_text = format!("{s} {search_text}");
            }
            g.search_later(first, doc.path(), lang, SearchDoc { url: rel.clone(), title: title.to_owned(), kind: doc.kind.name(), text: search_text, lang: body_lang.to_owned() });
            self.emit(cx, sink, template, Some((lang, &rel)), &format!("{lang}/{rel}"), ctx, &mut g);
        }
        g
    }

    /// Renders one counter-measure in every language.
    pub(super) fn render_measure(&self, i: usize, sink: &dyn Sink, cx: &mut Contexts) -> Gathered {
        let mut g = Gathered::default();
        let m = &self.site.measures[i];
        let default = &self.site.config.default_language;
        let mf = self.site.measure_file(m);
        // Languages that fall back show the same texts: analysed once.
        let first = g.pending.len();
        for lang in &self.site.config.languages {
            let s = self.lang_strings(lang);
            let pick = |map: &std::collections::BTreeMap<String, crate::content::fields::Sp<String>>| -> Option<(String, String)> {
                map.get(lang).map(|t| (t.v.clone(), lang.clone())).or_else(|| map.get(default).map(|t| (t.v.clone(), default.clone())))
            };
            let (title, tl) = pick(&m.title).unwrap_or_default();
            let summary = pick(&m.summary);
            let rel = format!("countermeasures/{}.html", m.id.v);
            let mut ctx = self.base(lang, &rel, &title, summary.as_ref().map(|s| s.0.as_str()));
            let state = if lang == default {
                None
            } else if !m.title.contains_key(lang) {
                Some(State::Missing)
            } else {
                mf.map(|f| measures_state(f, default, lang))
            };
            ctx.insert("notices".into(), self.notices(lang, state, default));
            ctx.insert("title".into(), txt(&title, &tl, lang));
            ctx.insert("summary".into(), summary.as_ref().map_or(Value::Null, |(t, l)| txt(t, l, lang)));
            ctx.insert("kind".into(), val("measure"));
            ctx.insert("id".into(), val(&m.id.v));
            ctx.insert("country".into(), self.doc_link(Kind::Country, &m.country.v, lang));
            ctx.insert("horizon".into(), val(s.label("horizon", &m.horizon)));
            ctx.insert("agencies".into(), val(m.agencies.iter().map(|a| s.label("agency", a)).collect::<Vec<_>>()));
            ctx.insert("instruments".into(), val(&m.instruments));
            let mut targets = Vec::new();
            for t in &self.site.targets[i] {
                let Some(jd) = self.site.doc(Kind::Journey, &t.journey) else { continue };
                let (jt, jl) = jd.text(lang, "title").unwrap_or((&t.journey, lang));
                let (st, sl) = jd.text(lang, &format!("stages.{}.title", t.stage)).unwrap_or((&t.stage, lang));
                let country = jd.journey().and_then(|j| j.stages.iter().find(|s| s.id == t.stage)).map(|s| self.doc_link(Kind::Country, &s.country.v, lang));
                let (anchor, risk) = match &t.risk {
                    Some(r) => {
                        let (a, al) = jd.text(lang, &format!("stages.{}.risks.{r}.actor", t.stage)).unwrap_or((r, lang));
                        let (rt, rl) = jd.text(lang, &format!("stages.{}.risks.{r}.text", t.stage)).unwrap_or(("", lang));
                        (risk_anchor(&t.stage, r), obj!({ "actor": txt(a, al, lang), "text": txt(rt, rl, lang) }))
                    }
                    None => (t.stage.clone(), Value::Null),
                };
                targets.push(obj!({ "href": format!("../journeys/{}.html#{anchor}", t.journey), "journey": txt(jt, jl, lang), "stage": txt(st, sl, lang), "risk": risk, "country": country }));
            }
            ctx.insert("targets".into(), val(targets));
            let text = format!("{} {} {}", summary.as_ref().map_or("", |s| s.0.as_str()), m.agencies.join(" "), m.instruments.join(" "));
            g.search_later(first, format!("measure:{}", m.id.v), lang, SearchDoc { url: rel.clone(), title: title.clone(), kind: "measure", text, lang: tl.clone() });
            self.emit(cx, sink, "measure.html", Some((lang, &rel)), &format!("{lang}/{rel}"), ctx, &mut g);
        }
        g
    }

    fn list_item(&self, d: &Document, lang: &str) -> Value {
        let (t, tl) = d.text(lang, "title").unwrap_or((&d.slug, lang));
        let summary = d.text(lang, "summary").map(|(s, l)| txt(s, l, lang));
        let s = self.lang_strings(lang);
        let meta = match &d.meta {
            Meta::Brief(b) => val(s.date(b.date)),
            Meta::Journey(j) => val(s.fmt("journey_stage_count", &[("n", &s.number(j.stages.len() as i64))])),
            Meta::Country(c) => val(&c.iso),
            Meta::Page(_) => Value::Null,
        };
        let untranslated = lang != self.site.config.default_language && !d.translations.contains_key(lang);
        obj!({ "href": format!("../{}/{}.html", d.kind.dir(), d.slug), "title": txt(t, tl, lang), "summary": summary, "meta": meta, "untranslated": untranslated })
    }

    fn sorted_docs(&self, kind: Kind, lang: &str) -> Vec<&Document> {
        let mut docs: Vec<&Document> = self.site.docs_of(kind).collect();
        match kind {
            Kind::Brief => docs.sort_by(|a, b| match (&a.meta, &b.meta) {
                (Meta::Brief(x), Meta::Brief(y)) => y.date.cmp(&x.date).then(a.slug.cmp(&b.slug)),
                _ => a.slug.cmp(&b.slug),
            }),
            Kind::Page => return self.pages_sorted().to_vec(),
            _ => docs.sort_by(|a, b| a.title(lang).cmp(b.title(lang)).then(a.slug.cmp(&b.slug))),
        }
        docs
    }

    /// Lists, home and search page of one language.
    pub(super) fn render_lang(&self, lang: &str, sink: &dyn Sink, parts: &LangParts, cx: &mut Contexts) -> Gathered {
        let mut g = Gathered::default();
        let s = self.lang_strings(lang);
        for kind in Kind::ALL.into_iter().filter(|k| parts.lists.contains(k)) {
            let rel = format!("{}/index.html", kind.dir());
            let title = s.get(&format!("list_{}", kind.dir())).to_owned();
            let mut ctx = self.base(lang, &rel, &title, None);
            ctx.insert("title".into(), val(title));
            ctx.insert("intro".into(), val(s.get(&format!("list_{}_intro", kind.dir()))));
            ctx.insert("kind".into(), val(kind.name()));
            ctx.insert("items".into(), val(self.sorted_docs(kind, lang).iter().map(|d| self.list_item(d, lang)).collect::<Vec<_>>()));
            self.emit(cx, sink, "list.html", Some((lang, &rel)), &format!("{lang}/{rel}"), ctx, &mut g);
        }
        if parts.measures {
        // Counter-measures, grouped by proposing country.
        let rel = "countermeasures/index.html";
        let title = s.get("list_countermeasures").to_owned();
        let mut ctx = self.base(lang, rel, &title, None);
        let groups: Vec<Value> = self
            .sorted_docs(Kind::Country, lang)
            .iter()
            .filter_map(|c| {
                let ms = self.site.country_proposed.get(&c.slug)?;
                Some(obj!({ "country": self.doc_link(Kind::Country, &c.slug, lang), "slug": &c.slug, "measures": ms.iter().map(|i| {
                    let mut v = self.measure_link(*i, lang);
                    let m = &self.site.measures[*i];
                    let sm = m.summary.get(lang).map(|t| txt(&t.v, lang, lang)).or_else(|| m.summary.get(&self.site.config.default_language).map(|t| txt(&t.v, &self.site.config.default_language, lang)));
                    v["summary"] = sm.unwrap_or(Value::Null);
                    v["targets"] = val(self.site.targets[*i].len());
                    v
                }).collect::<Vec<_>>() }))
            })
            .collect();
        ctx.insert("title".into(), val(title));
        ctx.insert("intro".into(), val(s.get("list_countermeasures_intro")));
        ctx.insert("groups".into(), val(groups));
        self.emit(cx, sink, "measures.html", Some((lang, rel)), &format!("{lang}/{rel}"), ctx, &mut g);

        }
        if parts.measures {
        // The matrix: journey stages against proposing countries.
        let rel = "countermeasures/matrix.html";
        let title = s.get("matrix_title").to_owned();
        let matrix = super::feeds::matrix(self, lang);
        let intro = if matrix["grid"] == true { "matrix_intro" } else { "matrix_intro_list" };
        let mut ctx = self.base(lang, rel, &title, Some(s.get(intro)));
        ctx.insert("title".into(), val(title));
        ctx.insert("kind".into(), val("matrix"));
        ctx.insert("matrix".into(), matrix);
        self.emit(cx, sink, "matrix.html", Some((lang, rel)), &format!("{lang}/{rel}"), ctx, &mut g);

        }
        if parts.search_page {
        // Search page.
        let rel = "search/index.html";
        let title = s.get("search_title").to_owned();
        let mut ctx = self.base(lang, rel, &title, None);
        let kinds: Map<String, Value> = ["brief", "country", "journey", "stage", "measure", "page"].iter().map(|k| ((*k).to_owned(), val(s.get(&format!("kind_{k}"))))).collect();
        ctx.insert("title".into(), val(title));
        ctx.insert("kinds_json".into(), val(serde_json::to_string(&kinds).unwrap_or_default()));
        self.emit(cx, sink, "search.html", Some((lang, rel)), &format!("{lang}/{rel}"), ctx, &mut g);
        }
        if parts.home {
            self.render_home(lang, sink, &mut g, cx);
        }
        if parts.status {
            self.render_status(lang, sink, &mut g, cx);
        }
        g
    }

    /// The home page of one language.
    fn render_home(&self, lang: &str, sink: &dyn Sink, g: &mut Gathered, cx: &mut Contexts) {
        let s = self.lang_strings(lang);
        let mut ctx = self.base(lang, "index.html", self.site.config.title_in(lang), Some(s.get("home_intro")));
        // Home is one level up: its links drop the leading "../".
        let home_items = |kind: Kind, n: usize| -> Vec<Value> {
            self.sorted_docs(kind, lang).iter().take(n).map(|d| {
                let mut v = self.list_item(d, lang);
                let href = v["href"].as_str().unwrap_or("").trim_start_matches("../").to_owned();
                v["href"] = val(href);
                v
            }).collect()
        };
        ctx.insert("journeys".into(), val(home_items(Kind::Journey, usize::MAX)));
        ctx.insert("briefs".into(), val(home_items(Kind::Brief, 5)));
        ctx.insert("countries".into(), val(home_items(Kind::Country, usize::MAX)));
        ctx.insert("measure_count".into(), val(s.number(self.site.measures.len() as i64)));
        self.emit(cx, sink, "home.html", Some((lang, "index.html")), &format!("{lang}/index.html"), ctx, g);
    }

    /// The translation status page, for editors and translators.
    fn render_status(&self, lang: &str, sink: &dyn Sink, g: &mut Gathered, cx: &mut Contexts) {
        let s = self.lang_strings(lang);
        let rel = "status/translations.html";
        let title = s.get("status_title").to_owned();
        let mut ctx = self.base(lang, rel, &title, None);
        let rows = self.rows.get_or_init(|| crate::cli::translation_rows(self.site));
        let langs: Vec<&str> = self.site.config.translations().collect();
        let mut table: Vec<Value> = Vec::new();
        let mut totals: std::collections::BTreeMap<(String, &str), usize> = std::collections::BTreeMap::new();
        for chunk in rows.chunk_by(|a, b| a.document == b.document) {
            let doc = &chunk[0].document;
            let page = if let Some(rest) = doc.strip_prefix("countermeasures/") {
                format!("countermeasures/index.html#by-{}", rest.trim_end_matches(".toml"))
            } else {
                doc.replace(".md", ".html")
            };
            let cells: Vec<Value> = langs.iter().map(|l| {
                let st = chunk.iter().find(|r| r.language == *l).map(|r| r.state);
                let name = st.map_or("missing", |s| s.name());
                *totals.entry((l.to_string(), name)).or_default() += 1;
                obj!({ "lang": l, "state": name, "label": s.get(&format!("state_{name}")), "href": format!("../../{l}/{page}") })
            }).collect();
            table.push(obj!({ "document": doc, "cells": cells }));
        }
        let summary: Vec<Value> = langs.iter().map(|l| {
            let n = |st: &str| totals.get(&(l.to_string(), st)).copied().unwrap_or(0);
            obj!({ "lang": l, "name": crate::config::native_name(l), "reviewed": n("reviewed"), "draft": n("draft"), "outdated": n("outdated"), "missing": n("missing") })
        }).collect();
        ctx.insert("title".into(), val(title));
        ctx.insert("kind".into(), val("status"));
        ctx.insert("languages".into(), val(langs.iter().map(|l| obj!({ "lang": l, "name": crate::config::native_name(l) })).collect::<Vec<_>>()));
        ctx.insert("rows".into(), val(table));
        ctx.insert("summary".into(), val(summary));
        self.emit(cx, sink, "translations.html", Some((lang, rel)), &format!("{lang}/{rel}"), ctx, g);

    }

}

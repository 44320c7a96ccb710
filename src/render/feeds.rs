//! Sitemap, Atom feeds, and the generated pictures: the journey route SVG
//! and the counter-measures matrix.

use std::fmt::Write as _;

use serde_json::Value;

use super::{txt, Renderer, Sink};
use super::ctx::{obj, val};

use crate::content::journey::JourneyMeta;
use crate::content::{Document, Kind, Meta};
use crate::diag::Diagnostic;
use crate::i18n::Strings;
use crate::link::{risk_anchor, Site};
use crate::markdown::html_escape;

fn put(sink: &dyn Sink, rel: &str, body: &str, diags: &mut Vec<Diagnostic>) {
    if let Err(e) = sink.put(rel, body.as_bytes()) {
        diags.push(Diagnostic::write_failure(rel, &e));
    }
}

/// Every page path under a language root, in a stable order.
pub fn page_paths(site: &Site) -> Vec<String> {
    let mut paths = vec!["index.html".to_owned()];
    for k in Kind::ALL {
        paths.push(format!("{}/index.html", k.dir()));
        paths.extend(site.docs_of(k).map(|d| format!("{}/{}.html", k.dir(), d.slug)));
    }
    paths.push("countermeasures/index.html".into());
    paths.push("countermeasures/matrix.html".into());
    paths.extend(site.measures.iter().map(|m| format!("countermeasures/{}.html", m.id.v)));
    paths.push("search/index.html".into());
    paths.push("status/translations.html".into());
    paths
}

/// `sitemap.xml` with every page of every language and its alternates.
pub fn write_sitemap(site: &Site, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) {
    let base = &site.config.base_url;
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for p in page_paths(site) {
        for l in &site.config.languages {
            let _ = writeln!(x, "  <url>\n    <loc>{}</loc>", html_escape(&format!("{base}{l}/{p}")));
            for a in &site.config.languages {
                let _ = writeln!(x, "    <xhtml:link rel=\"alternate\" hreflang=\"{a}\" href=\"{}\"/>", html_escape(&format!("{base}{a}/{p}")));
            }
            let _ = writeln!(x, "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>", html_escape(&format!("{base}{}/{p}", site.config.default_language)));
            x.push_str("  </url>\n");
        }
    }
    x.push_str("</urlset>\n");
    put(sink, "sitemap.xml", &x, diags);
}

/// One Atom feed per language: the briefs, newest first.
pub fn write_atom(site: &Site, s: &Strings, lang: &str, sink: &dyn Sink, diags: &mut Vec<Diagnostic>) {
    let base = &site.config.base_url;
    let mut briefs: Vec<&Document> = site.docs_of(Kind::Brief).collect();
    let date = |d: &Document| match &d.meta {
        Meta::Brief(b) => b.date,
        _ => crate::content::fields::Date { year: 1970, month: 1, day: 1 },
    };
    briefs.sort_by(|a, b| date(b).cmp(&date(a)).then(a.slug.cmp(&b.slug)));
    let updated = briefs.first().map_or("1970-01-01".to_owned(), |b| date(b).to_string());
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">");
    let _ = writeln!(x, "  <title>{}</title>", html_escape(&format!("{} · {}", site.config.title_in(lang), s.get("list_briefs"))));
    let _ = writeln!(x, "  <id>{}</id>", html_escape(&format!("{base}{lang}/atom.xml")));
    let _ = writeln!(x, "  <link rel=\"self\" href=\"{}\"/>", html_escape(&format!("{base}{lang}/atom.xml")));
    let _ = writeln!(x, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", html_escape(&format!("{base}{lang}/index.html")));
    let _ = writeln!(x, "  <updated>{updated}T00:00:00Z</updated>");
    for b in briefs {
        let url = format!("{base}{lang}/briefs/{}.html", b.slug);
        let (title, tl) = b.text(lang, "title").unwrap_or((&b.slug, lang));
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title xml:lang=\"{tl}\">{}</title>", html_escape(title));
        let _ = writeln!(x, "    <id>{}</id>\n    <link href=\"{}\"/>", html_escape(&url), html_escape(&url));
        let _ = writeln!(x, "    <updated>{}T00:00:00Z</updated>", date(b));
        if let Meta::Brief(m) = &b.meta {
            for a in &m.authors {
                let _ = writeln!(x, "    <author><name>{}</name></author>", html_escape(a));
            }
            if m.authors.is_empty() {
                let _ = writeln!(x, "    <author><name>{}</name></author>", html_escape(site.config.title_in(lang)));
            }
        }
        if let Some((sum, sl)) = b.text(lang, "summary") {
            let _ = writeln!(x, "    <summary xml:lang=\"{sl}\">{}</summary>", html_escape(sum));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    put(sink, &format!("{lang}/atom.xml"), &x, diags);
}

/// The journey's route as an inline SVG: stages in order along a path,
/// country bands with borders where the route crosses them, a mark per
/// corruption risk linking to it; `<title>` and `<desc>` give a text equivalent.
pub fn route_svg(r: &Renderer, doc: &Document, j: &JourneyMeta, lang: &str) -> String {
    let s = r.lang_strings(lang);
    let n = j.stages.len().max(1);
    let step = 150.0_f64;
    let width = step * n as f64 + 40.0;
    // Tall enough for a mark per risk under the busiest stage.
    let most = j.stages.iter().map(|s| s.risks.len()).max().unwrap_or(0) as f64;
    let height = (122.0 + 24.0 * most + 8.0).max(210.0);
    let x_of = |i: usize| 20.0 + step * i as f64 + step / 2.0;
    let mut svg = String::new();
    let id = format!("route-{}", doc.slug);
    let title = s.fmt("route_title", &[("journey", doc.title(lang))]);
    let _ = write!(svg, "<svg class=\"route\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">");
    let _ = write!(svg, "<title id=\"{id}-t\">{}</title>", html_escape(&title));
    let mut desc = Vec::new();
    for (i, st) in j.stages.iter().enumerate() {
        let stitle = doc.text(lang, &format!("stages.{}.title", st.id)).map_or(st.id.as_str(), |t| t.0);
        let country = r.site.doc(Kind::Country, &st.country.v).map_or(st.country.v.as_str(), |c| c.title(lang));
        desc.push(s.fmt("route_stage_desc", &[("n", &s.number(i as i64 + 1)), ("stage", stitle), ("country", country), ("risks", &s.number(st.risks.len() as i64))]));
    }
    let _ = write!(svg, "<desc id=\"{id}-d\">{}</desc>", html_escape(&desc.join(" ")));
    // Country bands: consecutive stages in one country share a band.
    let mut i = 0;
    let mut band = 0;
    while i < j.stages.len() {
        let c = &j.stages[i].country.v;
        let mut k = i;
        while k + 1 < j.stages.len() && &j.stages[k + 1].country.v == c {
            k += 1;
        }
        let x0 = 20.0 + step * i as f64;
        let w = step * (k - i + 1) as f64;
        let cname = r.site.doc(Kind::Country, c).map_or(c.as_str(), |d| d.title(lang));
        let _ = write!(svg, "<g class=\"band band-{}\"><rect x=\"{x0}\" y=\"8\" width=\"{w}\" height=\"{}\" rx=\"6\"/><text x=\"{}\" y=\"28\" text-anchor=\"middle\">{}</text></g>", band % 2, height - 16.0, x0 + w / 2.0, html_escape(cname));
        if i > 0 {
            let _ = write!(svg, "<line class=\"border\" x1=\"{x0}\" y1=\"8\" x2=\"{x0}\" y2=\"{}\"/>", height - 8.0);
        }
        band += 1;
        i = k + 1;
    }
    let _ = write!(svg, "<path class=\"path\" d=\"M{} 80 H{}\"/>", x_of(0), x_of(n - 1));
    for (i, st) in j.stages.iter().enumerate() {
        let x = x_of(i);
        let stitle = doc.text(lang, &format!("stages.{}.title", st.id)).map_or(st.id.as_str(), |t| t.0);
        let _ = write!(svg, "<a href=\"#{}\"><circle class=\"stage\" cx=\"{x}\" cy=\"80\" r=\"16\"/><text class=\"num\" x=\"{x}\" y=\"86\" text-anchor=\"middle\">{}</text><title>{}</title></a>", st.id, s.number(i as i64 + 1), html_escape(stitle));
        for (ri, rk) in st.risks.iter().enumerate() {
            let y = 122.0 + 24.0 * ri as f64;
            let actor = doc.text(lang, &format!("stages.{}.risks.{}.actor", st.id, rk.id)).map_or(rk.id.as_str(), |t| t.0);
            let _ = write!(
                svg,
                "<a class=\"risk-mark\" href=\"#{}\" data-risk=\"{}\"><path class=\"risk\" d=\"M{x} {} l9 9 l-9 9 l-9 -9 z\"/><title>{}</title></a>",
                st.id,
                risk_anchor(&st.id, &rk.id),
                y - 9.0,
                html_escape(&s.fmt("route_risk", &[("actor", actor), ("stage", stitle)]))
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The counter-measures matrix: journey stages (rows) against proposing
/// countries (columns), each cell listing the measures.
pub fn matrix(r: &Renderer, lang: &str) -> Value {
    let site = r.site;
    let countries: Vec<&str> = site.country_proposed.keys().map(String::as_str).collect();
    // A grid is readable with a few proposing countries; with more, each
    // stage lists its measures grouped by country instead (a grid of 200
    // columns was 46 MB per language, nearly all empty cells).
    let grid = countries.len() <= MATRIX_GRID_MAX_COLUMNS;
    let cols: Vec<Value> = if grid { countries.iter().map(|c| r.doc_link(Kind::Country, c, lang)).collect() } else { Vec::new() };
    let mut rows = Vec::new();
    for jd in site.docs_of(Kind::Journey) {
        let Some(j) = jd.journey() else { continue };
        for st in &j.stages {
            let ms: &[usize] = site.stage_measures.get(&(jd.slug.clone(), st.id.clone())).map_or(&[], Vec::as_slice);
            let of = |c: &str| -> Vec<Value> { ms.iter().filter(|i| site.measures[**i].country.v == c).map(|i| r.measure_link(*i, lang)).collect() };
            let (jt, jl) = jd.text(lang, "title").unwrap_or((&jd.slug, lang));
            let (stt, stl) = jd.text(lang, &format!("stages.{}.title", st.id)).unwrap_or((&st.id, lang));
            let mut row = obj!({ "href": format!("../journeys/{}.html#{}", jd.slug, st.id), "journey": txt(jt, jl, lang), "stage": txt(stt, stl, lang) });
            if grid {
                row["cells"] = val(countries.iter().map(|c| of(c)).collect::<Vec<_>>());
            } else {
                let mut proposers: Vec<&str> = ms.iter().map(|i| site.measures[*i].country.v.as_str()).collect();
                proposers.sort_unstable();
                proposers.dedup();
                row["groups"] = val(proposers.iter().map(|c| obj!({ "country": r.doc_link(Kind::Country, c, lang), "measures": of(c) })).collect::<Vec<_>>());
            }
            rows.push(row);
        }
    }
    obj!({ "grid": grid, "columns": cols, "rows": rows })
}

/// Most proposing countries shown as columns of the counter-measures matrix.
pub const MATRIX_GRID_MAX_COLUMNS: usize = 12;

//! Commands other than build, check and serve: `translations`, `new`, `init`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use crate::content::fields::is_slug;
use crate::content::{Document, Kind, Meta};
use crate::diag::has_errors;
use crate::translations::{doc_state, measures_state, stamp_markdown, stamp_measures, State};

fn fail(code: u8, msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(code)
}

/// One row of the translation report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    /// Path relative to `content/` (`countries/thailand.md`).
    pub document: String,
    /// Language code.
    pub language: String,
    /// Missing, outdated, draft or reviewed.
    pub state: State,
}

/// The state of every document and measures file in every non-default language.
pub fn translation_rows(site: &crate::link::Site) -> Vec<Row> {
    let mut rows = Vec::new();
    let default = &site.config.default_language;
    for doc in site.content.docs.values() {
        for lang in site.config.translations() {
            rows.push(Row { document: doc.path(), language: lang.to_owned(), state: doc_state(doc, lang) });
        }
    }
    for mf in &site.content.measure_files {
        for lang in site.config.translations() {
            rows.push(Row { document: mf.doc_path.clone(), language: lang.to_owned(), state: measures_state(mf, default, lang) });
        }
    }
    rows.sort_by(|a, b| (&a.document, &a.language).cmp(&(&b.document, &b.language)));
    rows
}

/// `waymark translations`: status per document and language, or `--stamp`.
pub fn translations(root: &Path, json: bool, stamp: Option<&Path>, lang: Option<&str>) -> ExitCode {
    if !root.join("site.toml").is_file() {
        return fail(2, format!("no site.toml in {}", root.display()));
    }
    let mut errs = Vec::new();
    let Some(site) = crate::build::load_site(root, true, crate::content::Keep::Text, &mut errs) else {
        for d in &errs {
            eprint!("{}", d.render_text(false));
        }
        return ExitCode::from(1);
    };
    if let Some(path) = stamp {
        return do_stamp(root, &site, path, lang);
    }
    if has_errors(&errs) {
        for d in errs.iter().filter(|d| d.severity == crate::diag::Severity::Error) {
            eprint!("{}", d.render_text(false));
        }
        eprintln!("warning: the content has errors; states below may be incomplete");
    }
    let rows = translation_rows(&site);
    if json {
        println!("{}", serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into()));
        return ExitCode::SUCCESS;
    }
    print!("{}", text_table(&site, &rows));
    ExitCode::SUCCESS
}

/// The text table: one line per document, one column per language, then totals.
pub fn text_table(site: &crate::link::Site, rows: &[Row]) -> String {
    let langs: Vec<&str> = site.config.translations().collect();
    let mut by_doc: BTreeMap<&str, BTreeMap<&str, State>> = BTreeMap::new();
    for r in rows {
        by_doc.entry(&r.document).or_default().insert(&r.language, r.state);
    }
    let width = by_doc.keys().map(|d| d.len()).max().unwrap_or(8).max(8);
    let mut out = String::new();
    let _ = write!(out, "{:width$}", "document");
    for l in &langs {
        let _ = write!(out, "  {l:9}");
    }
    out.push('\n');
    for (doc, states) in &by_doc {
        let _ = write!(out, "{doc:width$}");
        for l in &langs {
            let _ = write!(out, "  {:9}", states.get(l).map_or("-", |s| s.name()));
        }
        out.push('\n');
    }
    out.push('\n');
    for l in &langs {
        let mut counts: BTreeMap<State, usize> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.language == *l) {
            *counts.entry(r.state).or_default() += 1;
        }
        let total: usize = counts.values().sum();
        let parts: Vec<String> = [State::Reviewed, State::Draft, State::Outdated, State::Missing].iter().map(|s| format!("{} {}", counts.get(s).copied().unwrap_or(0), s.name())).collect();
        let _ = writeln!(out, "{l}: {} of {total} documents — {}", total - counts.get(&State::Missing).copied().unwrap_or(0), parts.join(", "));
    }
    out
}

fn do_stamp(root: &Path, site: &crate::link::Site, path: &Path, lang: Option<&str>) -> ExitCode {
    let rel = path.to_string_lossy().replace('\\', "/");
    let rel = rel.trim_start_matches("./");
    let Some(inner) = rel.strip_prefix("content/") else {
        return fail(2, format!("--stamp takes a translation under content/, not '{rel}'"));
    };
    let abs = root.join(rel);
    if !abs.is_file() {
        return fail(2, format!("no file {rel}"));
    }
    if let Some(name) = inner.strip_prefix("countermeasures/") {
        let Some(mf) = site.content.measure_files.iter().find(|m| m.doc_path == inner) else {
            return fail(1, format!("{rel} could not be read; run waymark check"));
        };
        let default = &site.config.default_language;
        let hash = mf.source_hash(default);
        let langs: Vec<&str> = match lang {
            Some(l) => vec![l],
            None => site.config.translations().filter(|l| mf.has_language(l)).collect(),
        };
        if langs.is_empty() {
            return fail(1, format!("{name}: no language has a title for every measure yet"));
        }
        for l in &langs {
            if !site.config.translations().any(|x| x == *l) {
                return fail(2, format!("'{l}' is not a translation language of this site"));
            }
            if let Err(e) = stamp_measures(&abs, l, &hash) {
                return fail(2, format!("cannot write {rel}: {e}"));
            }
            println!("stamped {rel} [{l}] with source_hash {hash}");
        }
        return ExitCode::SUCCESS;
    }
    let Some((dir, file)) = inner.split_once('/') else { return fail(2, format!("not a document: {rel}")) };
    let kind = Kind::from_dir(dir);
    let parts: Vec<&str> = file.trim_end_matches(".md").splitn(2, '.').collect();
    let (Some(kind), [slug, l]) = (kind, parts.as_slice()) else {
        return fail(2, format!("{rel} is not a translation (expected content/<kind>/<slug>.<lang>.md)"));
    };
    let Some(doc) = site.doc(kind, slug) else {
        return fail(1, format!("{rel}: no source document content/{dir}/{slug}.md"));
    };
    if !doc.translations.contains_key(*l) {
        return fail(1, format!("{rel} could not be read; run waymark check"));
    }
    let hash = doc.source_hash();
    if let Err(e) = stamp_markdown(&abs, &hash) {
        return fail(2, format!("cannot write {rel}: {e}"));
    }
    println!("stamped {rel} with source_hash {hash}");
    ExitCode::SUCCESS
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Front matter and body of a new source document of a kind.
pub fn template(kind: Kind, slug: &str, today: &str, country: &str) -> String {
    let title = slug.split('-').map(|w| {
        let mut c = w.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    }).collect::<Vec<_>>().join(" ");
    match kind {
        Kind::Brief => format!(
            "+++\n# The title readers see. Required.\ntitle = {}\n# Publication date, YYYY-MM-DD. Required.\ndate = {today}\n# One or two sentences for lists and search.\nsummary = \"\"\n# Country profiles this brief cites (slugs of content/countries/*.md).\ncountries = []\n# Journeys this brief cites (slugs of content/journeys/*.md).\njourneys = []\ntags = []\nauthors = []\n# Left out of `waymark build` until you remove this line (or build with --drafts).\ndraft = true\n+++\nWrite the brief here in Markdown. Link documents with `[text](@/countries/SLUG.md)`\nand journey stages with `[text](@/journeys/SLUG.md#STAGE-ID)`.\n\n## Sources\n\n- Author, *Title*, publisher, year.\n",
            toml_str(&title)
        ),
        Kind::Country => format!(
            "+++\n# The country's name. Required.\ntitle = {}\n# ISO 3166-1 alpha-2 code, e.g. \"TH\". Required: check it.\niso = {}\nsummary = \"\"\n\n# Agencies that matter: name and kind (anti-corruption, anti-trafficking,\n# immigration, police, labour, prosecution, social-welfare, judiciary, ...).\n[[agencies]]\nname = \"\"\nkind = \"anti-corruption\"\n\n# Instruments ratified; give the year only where you are sure of it.\n[[instruments]]\nname = \"UN Convention against Corruption (UNCAC)\"\n+++\n## Migration context\n\n## Where corruption enters\n\n## Sources\n",
            toml_str(&title),
            toml_str(iso_guess(slug))
        ),
        Kind::Journey => format!(
            "+++\n# Journeys are hypothetical: say so in the summary or the text.\ntitle = {}\nsummary = \"\"\n# The hypothetical person, e.g. \"A 19-year-old woman from southern Lao PDR\". Required.\nvictim = \"\"\n# The sector of exploitation, e.g. \"Domestic work\". Required.\nsector = \"\"\n# Country slugs (content/countries/*.md).\norigin = {c}\ndestination = {c}\n\n# Stages in order, from recruitment to exploitation (and return).\n# id: a slug unique in this journey; country: a country slug.\n[[stages]]\nid = \"recruitment\"\ntitle = \"Recruitment\"\ncountry = {c}\ndescription = \"Describe what happens at this stage.\"\n\n# Where corruption enables the crime at this stage: which official, doing what.\n[[stages.risks]]\nid = \"first-risk\"\nactor = \"Local official\"\ntext = \"Describe what the official does and how it enables the crime.\"\n+++\nThis journey is hypothetical.\n",
            toml_str(&title),
            c = toml_str(country)
        ),
        Kind::Page => format!("+++\n# The title readers see. Required.\ntitle = {}\nsummary = \"\"\n# Order in the footer and the list of pages (lower first).\nweight = 10\n+++\nWrite the page here in Markdown.\n", toml_str(&title)),
    }
}

/// A likely ISO code for a country slug of the region (check it).
fn iso_guess(slug: &str) -> &'static str {
    match slug {
        "cambodia" => "KH",
        "lao-pdr" | "laos" => "LA",
        "myanmar" | "burma" => "MM",
        "thailand" => "TH",
        "viet-nam" | "vietnam" => "VN",
        "china" => "CN",
        "malaysia" => "MY",
        "indonesia" => "ID",
        "philippines" => "PH",
        "singapore" => "SG",
        "bangladesh" => "BD",
        "india" => "IN",
        "timor-leste" => "TL",
        "brunei" => "BN",
        _ => "TH",
    }
}

/// A translation skeleton: structure ids of the source with its texts to translate.
pub fn translation_template(doc: &Document, hash: &str) -> String {
    let src = &doc.source;
    let mut fm = String::from("+++\n# Translate every text below; keep the ids. Structure (dates, countries,\n# references) comes from the source file and must not be repeated here.\n");
    let _ = writeln!(fm, "title = {}", toml_str(src.text("title").unwrap_or("")));
    if let Some(s) = src.text("summary") {
        let _ = writeln!(fm, "summary = {}", toml_str(s));
    }
    fm.push_str("# draft until a person has reviewed the translation, then \"reviewed\".\nstatus = \"draft\"\n");
    let _ = writeln!(fm, "# The source's hash when this was translated (waymark translations --stamp).\nsource_hash = \"{hash}\"");
    match &doc.meta {
        Meta::Journey(j) => {
            for k in ["victim", "sector"] {
                if let Some(s) = src.text(k) {
                    let _ = writeln!(fm, "{k} = {}", toml_str(s));
                }
            }
            for st in &j.stages {
                let _ = writeln!(fm, "\n[[stages]]\nid = \"{}\"", st.id);
                for k in ["title", "description"] {
                    if let Some(s) = src.text(&format!("stages.{}.{k}", st.id)) {
                        let _ = writeln!(fm, "{k} = {}", toml_str(s));
                    }
                }
                for r in &st.risks {
                    let _ = writeln!(fm, "\n[[stages.risks]]\nid = \"{}\"", r.id);
                    for k in ["actor", "text"] {
                        if let Some(s) = src.text(&format!("stages.{}.risks.{}.{k}", st.id, r.id)) {
                            let _ = writeln!(fm, "{k} = {}", toml_str(s));
                        }
                    }
                }
            }
        }
        Meta::Country(c) => {
            for i in 0..c.agencies.len() {
                let _ = writeln!(fm, "\n[[agencies]]\nname = {}", toml_str(src.text(&format!("agencies.{i}.name")).unwrap_or("")));
            }
            for i in 0..c.instruments.len() {
                let _ = writeln!(fm, "\n[[instruments]]\nname = {}", toml_str(src.text(&format!("instruments.{i}.name")).unwrap_or("")));
            }
        }
        _ => {}
    }
    fm.push_str("+++\n");
    fm.push_str(src.body().trim_start_matches(['\r', '\n']));
    fm
}

/// `waymark new KIND SLUG [--lang L]`.
pub fn new_document(root: &Path, kind: &str, slug: &str, lang: Option<&str>) -> ExitCode {
    let kind = match kind.trim_end_matches('s') {
        "brief" => Kind::Brief,
        "country" | "countrie" => Kind::Country,
        "journey" => Kind::Journey,
        "page" => Kind::Page,
        other => return fail(2, format!("unknown kind '{other}': use brief, country, journey or page")),
    };
    if !is_slug(slug) {
        return fail(2, format!("'{slug}' is not a valid slug: use lowercase ASCII letters, digits and single hyphens"));
    }
    let cfg = match crate::config::Config::load(root) {
        Ok(c) => c,
        Err(e) => {
            for d in e {
                eprint!("{}", d.render_text(false));
            }
            return ExitCode::from(1);
        }
    };
    let dir = root.join("content").join(kind.dir());
    // References in the template point at a country that exists, so the new file is valid at once.
    let country = std::fs::read_dir(root.join("content/countries"))
        .ok()
        .and_then(|rd| {
            let mut names: Vec<String> = rd.flatten().filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".md")).filter(|n| !n.contains('.')).map(str::to_owned)).collect();
            names.sort();
            names.into_iter().next()
        })
        .unwrap_or_else(|| "thailand".into());
    let (path, text) = match lang {
        None => (dir.join(format!("{slug}.md")), template(kind, slug, &today(), &country)),
        Some(l) if l == cfg.default_language => (dir.join(format!("{slug}.md")), template(kind, slug, &today(), &country)),
        Some(l) => {
            if !cfg.languages.iter().any(|x| x == l) {
                return fail(2, format!("'{l}' is not in languages of site.toml"));
            }
            let mut errs = Vec::new();
            let Some(site) = crate::build::load_site(root, true, crate::content::Keep::Text, &mut errs) else { return ExitCode::from(1) };
            let Some(doc) = site.doc(kind, slug) else {
                return fail(1, format!("no source document content/{}/{slug}.md to translate", kind.dir()));
            };
            (dir.join(format!("{slug}.{l}.md")), translation_template(doc, &doc.source_hash()))
        }
    };
    if path.exists() {
        return fail(2, format!("{} already exists", path.display()));
    }
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, text)) {
        return fail(2, format!("cannot write {}: {e}", path.display()));
    }
    println!("wrote {}", path.display());
    ExitCode::SUCCESS
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let days = secs.div_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{m:02}-{d:02}", if m <= 2 { y + 1 } else { y })
}

/// The files of a starter site (besides the theme).
pub fn starter_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("site.toml", include_str!("starter/site.toml")),
        ("content/countries/home-country.md", include_str!("starter/home-country.md")),
        ("content/countries/home-country.th.md", include_str!("starter/home-country.th.md")),
        ("content/journeys/example-journey.md", include_str!("starter/example-journey.md")),
        ("content/journeys/example-journey.th.md", include_str!("starter/example-journey.th.md")),
        ("content/briefs/first-brief.md", include_str!("starter/first-brief.md")),
        ("content/briefs/first-brief.th.md", include_str!("starter/first-brief.th.md")),
        ("content/pages/about.md", include_str!("starter/about.md")),
        ("content/pages/about.th.md", include_str!("starter/about.th.md")),
        ("content/countermeasures/home-country.toml", include_str!("starter/measures.toml")),
        (".gitignore", "/output\n"),
    ]
}

/// `waymark init DIR`.
pub fn init(dir: &Path) -> ExitCode {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return fail(2, format!("{} exists and is not empty", dir.display()));
    }
    let write = |rel: &str, bytes: &[u8]| -> std::io::Result<()> {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, bytes)
    };
    for (rel, text) in starter_files() {
        if let Err(e) = write(rel, text.as_bytes()) {
            return fail(2, format!("cannot write {rel}: {e}"));
        }
    }
    let theme = crate::theme::Theme::builtin();
    for (rel, bytes) in &theme.files {
        if let Err(e) = write(&format!("themes/default/{rel}"), bytes) {
            return fail(2, format!("cannot write theme file {rel}: {e}"));
        }
    }
    std::fs::create_dir_all(dir.join("content/media")).ok();
    println!("wrote a new site in {}\nnext: cd {} && waymark build (or waymark serve)", dir.display(), dir.display());
    ExitCode::SUCCESS
}

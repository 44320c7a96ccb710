//! Prints the figures of src/zawgyi/ as Markdown (run by bench/zawgyi/eval.sh
//! from a scratch crate that includes the module by path).
use std::time::Instant;

#[path = "../../../src/zawgyi/mod.rs"]
#[allow(dead_code)]
mod zawgyi;
use zawgyi::{find_zawgyi_lines, is_zawgyi, zawgyi_score};

/// LLR in nats recovered from the score (score = sigmoid(llr - 4)).
fn llr(text: &str) -> f64 {
    let s = zawgyi_score(text);
    4.0 + (s / (1.0 - s)).ln()
}

struct Group {
    name: String,
    pairs: Vec<(String, String)>,
}

fn load(path: &str) -> (Vec<Group>, usize) {
    let data = std::fs::read_to_string(path).expect(path);
    let mut groups = vec![Group { name: "(unnamed)".into(), pairs: vec![] }];
    let mut identical = 0;
    for line in data.lines() {
        if let Some(name) = line.strip_prefix("# source: ") {
            groups.push(Group { name: name.split(" (").next().unwrap().to_string(), pairs: vec![] });
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (u, z) = line.split_once('\t').unwrap();
        if u == z {
            identical += 1;
            continue;
        }
        groups.last_mut().unwrap().pairs.push((u.to_string(), z.to_string()));
    }
    groups.retain(|g| !g.pairs.is_empty());
    (groups, identical)
}

fn row(name: &str, pairs: &[(String, String)]) -> String {
    let n = pairs.len();
    let tp = pairs.iter().filter(|(_, z)| is_zawgyi(z)).count();
    let fp = pairs.iter().filter(|(u, _)| is_zawgyi(u)).count();
    let chars: usize = pairs.iter().map(|(u, _)| u.chars().count()).sum();
    format!(
        "| {name} | {n} | {:.0} | {tp} | {:.2} % | {fp} | {:.2} % |",
        chars as f64 / n as f64,
        100.0 * tp as f64 / n as f64,
        100.0 * fp as f64 / n as f64
    )
}

const HEADER: &str = "| source | differing pairs | mean length (chars) | Zawgyi caught | recall | Unicode flagged | false positive rate |\n|---|---|---|---|---|---|---|";

fn main() {
    let dir = std::env::args().nth(1).expect("path to tests/data/zawgyi");
    let (groups, identical) = load(&format!("{dir}/pairs.tsv"));
    let all: Vec<(String, String)> = groups.iter().flat_map(|g| g.pairs.clone()).collect();

    println!("## Per line, `tests/data/zawgyi/pairs.tsv` (published pairs, held out)\n");
    println!("{HEADER}");
    for g in &groups {
        println!("{}", row(&g.name, &g.pairs));
    }
    println!("{}", row("**all**", &all));
    println!("\n{identical} further pairs are byte-identical in both encodings and not counted.\n");

    println!("Threshold sweep on the same pairs (the shipped threshold is 4 nats, score 0.5):\n");
    println!("| LLR threshold (nats) | recall | false positive rate |\n|---|---|---|");
    let zl: Vec<f64> = all.iter().map(|(_, z)| llr(z)).collect();
    let ul: Vec<f64> = all.iter().map(|(u, _)| llr(u)).collect();
    for t in [0.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0] {
        let tp = zl.iter().filter(|&&x| x > t).count();
        let fp = ul.iter().filter(|&&x| x > t).count();
        println!(
            "| {t} | {:.2} % ({tp}) | {:.2} % ({fp}) |",
            100.0 * tp as f64 / all.len() as f64,
            100.0 * fp as f64 / all.len() as f64
        );
    }
    let max_u = ul.iter().cloned().fold(f64::MIN, f64::max);
    println!("\nHighest LLR of a Unicode line: {max_u:.2} nats.\n");

    println!("Zawgyi lines missed at the shipped threshold:\n");
    for (u, z) in &all {
        if !is_zawgyi(z) {
            println!("- `{z}` (Unicode `{u}`), LLR {:.2}", llr(z));
        }
    }

    // Word level: split aligned lines at spaces, for a feel of short strings
    // such as titles (pairs whose word counts differ are skipped).
    let mut words: Vec<(String, String)> = vec![];
    for (u, z) in &all {
        let (uw, zw): (Vec<_>, Vec<_>) = (u.split(' ').collect(), z.split(' ').collect());
        if uw.len() == zw.len() {
            for (a, b) in uw.iter().zip(&zw) {
                if a != b && a.chars().any(|c| ('\u{1000}'..='\u{109F}').contains(&c)) {
                    words.push((a.to_string(), b.to_string()));
                }
            }
        }
    }
    println!("\n## Per space-separated word of the same pairs (informational)\n");
    println!("{HEADER}");
    println!("{}", row("words that differ", &words));

    let (edge, _) = load(&format!("{dir}/converter_edge_cases.tsv"));
    let edge: Vec<(String, String)> = edge.iter().flat_map(|g| g.pairs.clone()).collect();
    println!("\n## Converter edge cases, `converter_edge_cases.tsv` (informational)\n");
    println!("{HEADER}");
    println!("{}", row("myanmar-tools converter spec", &edge));

    if let Some(extra) = std::env::args().nth(2) {
        let (g, identical) = load(&extra);
        let pairs: Vec<(String, String)> = g.iter().flat_map(|g| g.pairs.clone()).collect();
        println!("\n## Per line, GTK/gdk-pixbuf Burmese translations (independent text; Zawgyi made by Rabbit)\n");
        println!("{HEADER}");
        println!("{}", row("GTK 3 + GTK 2 + gdk-pixbuf `my` catalogues", &pairs));
        println!("\n{identical} further lines are byte-identical in both encodings and not counted.");
        println!("Unicode lines flagged:\n");
        for (u, _) in &pairs {
            if is_zawgyi(u) {
                println!("- `{u}`, score {:.3}", zawgyi_score(u));
            }
        }
    }

    // Throughput.
    let mut doc = String::new();
    while doc.len() < 8 << 20 {
        for (u, _) in &all {
            doc.push_str(u);
            doc.push('\n');
        }
    }
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..5 {
        n += find_zawgyi_lines(&doc).len();
    }
    let secs = t.elapsed().as_secs_f64() / 5.0;
    assert_eq!(n, 0);
    println!(
        "\n## Speed\n\n`find_zawgyi_lines` on {:.1} MB of Unicode Burmese lines: {:.0} MB/s (release build, one core).",
        doc.len() as f64 / 1e6,
        doc.len() as f64 / 1e6 / secs
    );
}

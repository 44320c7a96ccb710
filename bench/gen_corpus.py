#!/usr/bin/env python3
"""Deterministic benchmark corpus for Waymark, with equivalent Hugo and mdBook copies.

    bench/gen_corpus.py --docs N --seed S --out DIR [--hugo DIR] [--mdbook DIR]

N counts *documents*: source files in the default language (English), i.e.
Markdown documents plus counter-measure TOML files. Translations come on top:
about 3.8 per Markdown document (85 % have all four, 10 % three, 5 % two), so
the site holds roughly 4.5 N source files. The mix of N:

    briefs            ~ 73 %   tables (40 %), fenced code (30 %), footnotes (50 %), lists, cross-links
    journeys            15 %   3-5 stages, 1-2 corruption risks each
    counter-measures     8 %   TOML files of 3-6 measures; together they target every stage
    countries            2 %   (at most 200) agencies, instruments, links to journey stages
    pages               5 in all (pages appear in every page's footer, so a real site has few)

Texts are drawn from real sentences in all five scripts (bench/corpus_text.json,
taken from the flagship content/), so segmentation, escaping and UTF-8 costs
are realistic. Same seed and N give the same bytes.

--hugo DIR writes the same Markdown files (all languages, as separate pages,
`slug.th.md` renamed `slug-th.md`, front matter unchanged) as a Hugo site with
a minimal template. --mdbook DIR writes them as mdBook books (front matter
replaced by a `# title` line, every file one chapter, 250 chapters per book,
books listed in DIR/books.txt) with a minimal theme and no search or print page.
One book of all N files is not an option: mdBook puts the whole table of
contents into every page's render context, so its cost grows with the square
of the book (1,000 documents = 4,385 chapters took 47 s in one book).
Counter-measure TOML files are not Markdown and are left out of both.
"""

import argparse
import json
import os
import random
import shutil
import sys

LANGS = ["en", "lo", "km", "my", "th"]
TRANS = LANGS[1:]
HERE = os.path.dirname(os.path.abspath(__file__))

ISO = ("KH LA MM TH VN CN MY ID PH SG BN TL BD IN NP LK PK JP KR TW HK MO MN BT "
       "AU NZ FJ PG US CA GB FR DE IT ES NL BE SE NO FI DK PL CZ AT CH IE PT GR").split()
WORDS = ("border broker village port river boat factory farm market route permit visa "
         "checkpoint harbour transit debt wage labour crew registry district province "
         "inspection hotline shelter court audit licence passport camp bridge highway").split()
STAGE_IDS = ("recruitment travel border-crossing transit registration arrival placement "
             "at-sea at-work escape rescue return holding-house checkpoint interview").split()
RISK_IDS = ("bribe tip-off fee-waiver ignored-complaint false-documents protection "
            "unchecked-exit checkpoint-payment document-retention collusion extortion").split()
KINDS = ("anti-corruption immigration police labour anti-trafficking prosecution "
         "courts social-welfare").split()
INSTRUMENTS = ["UNCAC art. 7", "UNCAC art. 8", "UNCAC art. 13", "UNCAC art. 30", "UNCAC art. 33",
               "Trafficking in Persons Protocol art. 9", "Trafficking in Persons Protocol art. 11",
               "UNTOC art. 8", "UNTOC art. 27", "ACTIP art. 16"]
CODE = {
    "toml": 'country = "thailand"\n\n[[measures]]\nid = "joint-border-audit"\ntargets = ["fishing/border"]\nhorizon = "short"\n',
    "json": '{\n  "case": 1182,\n  "stage": "border-crossing",\n  "payments": [120, 80, 250],\n  "reported": false\n}\n',
    "python": 'def risk_score(stage):\n    """Share of cases with a payment at this stage."""\n    paid = [c for c in stage.cases if c.payment > 0]\n    return len(paid) / max(1, len(stage.cases))\n',
    "text": 'Case 2018-044\n  recruited: 2018-01-12, village\n  crossed:   2018-01-20, km 42\n  reported:  never\n',
}


def q(s):
    """A TOML basic string."""
    return json.dumps(s, ensure_ascii=False)


class Gen:
    def __init__(self, n, seed):
        self.n = n
        self.r = random.Random(seed)
        with open(os.path.join(HERE, "corpus_text.json"), encoding="utf-8") as f:
            self.text = json.load(f)
        # Countries stop at 200, as in the world: the counter-measure matrix has a
        # row per stage and a column per country, so countries growing with N
        # would make it grow with N squared, which no real site does.
        self.n_countries = min(200, max(4, n * 2 // 100))
        self.n_journeys = max(4, n * 15 // 100)
        self.n_measure_files = max(2, n * 8 // 100)
        self.n_pages = 5
        self.n_briefs = n - self.n_countries - self.n_journeys - self.n_measure_files - self.n_pages
        if self.n_briefs < 1:
            sys.exit("--docs must be at least 20")

    # -- text helpers -------------------------------------------------------
    def short(self, lang):
        return self.r.choice(self.text["short"][lang])

    def sentence(self, lang):
        return self.r.choice(self.text["sentence"][lang])

    def para(self, lang):
        return self.r.choice(self.text["para"][lang])

    def slug(self, prefix, i):
        return f"{self.r.choice(WORDS)}-{self.r.choice(WORDS)}-{prefix}{i}"

    def langs_for_doc(self):
        x = self.r.random()
        k = 4 if x < 0.85 else 3 if x < 0.95 else 2
        return self.r.sample(TRANS, k)

    # -- structure ----------------------------------------------------------
    def plan(self):
        r = self.r
        self.countries = [self.slug("c", i) for i in range(self.n_countries)]
        self.journeys = []
        for i in range(self.n_journeys):
            slug = self.slug("j", i)
            stages = []
            for sid in r.sample(STAGE_IDS, r.randint(3, 5)):
                risks = r.sample(RISK_IDS, r.randint(1, 2))
                stages.append((sid, r.choice(self.countries), risks))
            self.journeys.append((slug, stages))
        self.briefs = [self.slug("b", i) for i in range(self.n_briefs)]
        self.stage_cycle = []
        self.pages = [self.slug("p", i) for i in range(self.n_pages)]

    def next_stage(self):
        """Stages in a shuffled cycle, so that every stage gets a counter-measure."""
        if not self.stage_cycle:
            self.stage_cycle = [(j, sid, risks) for j, stages in self.journeys for sid, _, risks in stages]
            self.r.shuffle(self.stage_cycle)
        return self.stage_cycle.pop()

    def stage_link(self):
        j, stages = self.r.choice(self.journeys)
        return f"@/journeys/{j}.md#{self.r.choice(stages)[0]}"

    # -- bodies -------------------------------------------------------------
    def body_plan(self, kind):
        """Language-independent skeleton of a body, so translations keep its shape."""
        r = self.r
        n_sections = {"brief": r.randint(2, 3), "country": 2, "journey": r.randint(1, 2), "page": 2}[kind]
        plan = []
        for s in range(n_sections):
            plan.append(("h", None))
            for _ in range(r.randint(1, 2)):
                plan.append(("p", r.random()))
            if kind == "brief":
                if s == 0 and r.random() < 0.4:
                    plan.append(("table", r.randint(3, 6)))
                if s == 1 and r.random() < 0.3:
                    plan.append(("code", r.choice(sorted(CODE))))
                if r.random() < 0.3:
                    plan.append(("list", r.randint(2, 4)))
        links = []
        if kind in ("brief", "country"):
            links.append(f"@/countries/{r.choice(self.countries)}.md")
            links.append(self.stage_link())
        if kind == "brief" and self.briefs:
            links.append(f"@/briefs/{r.choice(self.briefs)}.md")
        if kind == "journey":
            links.append(f"@/countries/{r.choice(self.countries)}.md")
            links.append(f"@/briefs/{r.choice(self.briefs)}.md")
        footnotes = r.randint(1, 3) if kind == "brief" and r.random() < 0.5 else 0
        return plan, links, footnotes

    def body(self, lang, skeleton):
        r = self.r
        plan, links, footnotes = skeleton
        out = []
        links = list(links)
        fn = 1
        for item, arg in plan:
            if item == "h":
                out.append(f"## {self.short(lang)}")
            elif item == "p":
                p = self.para(lang)
                if links:
                    p += f" [{self.short(lang)}]({links.pop(0)})"
                if fn <= footnotes:
                    p += f"[^{fn}]"
                    fn += 1
                out.append(p)
            elif item == "table":
                rows = ["| # | " + self.short(lang) + " | " + self.short(lang) + " |", "| ---: | --- | --- |"]
                for i in range(arg):
                    rows.append(f"| {i + 1} | {self.short(lang)} | {self.short(lang)} |")
                out.append("\n".join(rows))
            elif item == "code":
                out.append(f"```{arg}\n{CODE[arg]}```")
            elif item == "list":
                out.append("\n".join(f"- **{self.short(lang)}**: {self.sentence(lang)}" for _ in range(arg)))
        if links:
            out.append(" ".join(f"[{self.short(lang)}]({l})" for l in links))
        for i in range(1, fn):
            out.append(f"[^{i}]: {self.sentence(lang)}")
        return "\n\n".join(out) + "\n"

    # -- documents ----------------------------------------------------------
    def front(self, lines, body):
        return "+++\n" + "\n".join(lines) + "\n+++\n" + body

    def trans_head(self, lang):
        return [f"title = {q(self.short(lang))}", f"summary = {q(self.sentence(lang))}",
                f"status = {q(self.r.choice(['draft', 'reviewed']))}"]

    def brief(self, i, slug):
        r = self.r
        sk = self.body_plan("brief")
        cs = r.sample(self.countries, r.randint(1, min(3, len(self.countries))))
        js = [j for j, _ in r.sample(self.journeys, r.randint(0, 2))]
        y, m, d = 2010 + r.randint(0, 15), r.randint(1, 12), r.randint(1, 28)
        fm = [f"title = {q(self.short('en'))}", f"date = {y:04d}-{m:02d}-{d:02d}", f"summary = {q(self.sentence('en'))}",
              f"countries = [{', '.join(q(c) for c in cs)}]", f"journeys = [{', '.join(q(j) for j in js)}]",
              f"tags = [{q(r.choice(WORDS))}, {q(r.choice(WORDS))}]", 'authors = ["Editorial team"]']
        files = {"en": self.front(fm, self.body("en", sk))}
        for lang in self.langs_for_doc():
            files[lang] = self.front(self.trans_head(lang), self.body(lang, sk))
        return files

    def country(self, i, slug):
        r = self.r
        sk = self.body_plan("country")
        n_ag, n_in = r.randint(1, 3), r.randint(1, 2)
        fm = [f"title = {q(self.short('en'))}", f"iso = {q(ISO[i % len(ISO)])}", f"summary = {q(self.sentence('en'))}"]
        for _ in range(n_ag):
            fm += ["", "[[agencies]]", f"name = {q(self.short('en'))}", f"kind = {q(r.choice(KINDS))}"]
        for _ in range(n_in):
            fm += ["", "[[instruments]]", f"name = {q(self.short('en'))}", f"year = {r.randint(1995, 2020)}"]
        files = {"en": self.front(fm, self.body("en", sk))}
        for lang in self.langs_for_doc():
            t = self.trans_head(lang)
            for _ in range(n_ag):
                t += ["", "[[agencies]]", f"name = {q(self.short(lang))}"]
            for _ in range(n_in):
                t += ["", "[[instruments]]", f"name = {q(self.short(lang))}"]
            files[lang] = self.front(t, self.body(lang, sk))
        return files

    def journey(self, i, slug, stages):
        r = self.r
        sk = self.body_plan("journey")
        fm = [f"title = {q(self.short('en'))}", f"summary = {q(self.sentence('en'))}",
              f"victim = {q(self.short('en'))}", f"sector = {q(r.choice(['Fishing', 'Construction', 'Domestic work', 'Entertainment', 'Agriculture']))}",
              f"origin = {q(stages[0][1])}", f"destination = {q(stages[-1][1])}"]

        def stage_lines(lang, full):
            out = []
            for sid, country, risks in stages:
                out += ["", "[[stages]]", f"id = {q(sid)}", f"title = {q(self.short(lang))}"]
                if full:
                    out.append(f"country = {q(country)}")
                out.append(f"description = {q(self.sentence(lang))}")
                for rid in risks:
                    out += ["", "[[stages.risks]]", f"id = {q(rid)}", f"actor = {q(self.short(lang))}", f"text = {q(self.sentence(lang))}"]
            return out

        files = {"en": self.front(fm + stage_lines("en", True), self.body("en", sk))}
        for lang in self.langs_for_doc():
            t = self.trans_head(lang) + [f"victim = {q(self.short(lang))}", f"sector = {q(self.short(lang))}"]
            files[lang] = self.front(t + stage_lines(lang, False), self.body(lang, sk))
        return files

    def page(self, i, slug):
        sk = self.body_plan("page")
        files = {"en": self.front([f"title = {q(self.short('en'))}", f"weight = {i + 1}"], self.body("en", sk))}
        for lang in self.langs_for_doc():
            files[lang] = self.front([f"title = {q(self.short(lang))}"], self.body(lang, sk))
        return files

    def measure_file(self, i):
        r = self.r
        langs = self.langs_for_doc()
        out = [f"# Counter-measures, generated file {i}", f"country = {q(r.choice(self.countries))}", ""]
        for lang in sorted(langs):
            out += [f"[translations.{lang}]", f"status = {q(r.choice(['draft', 'reviewed']))}", ""]
        for k in range(r.randint(3, 6)):
            targets = []
            for _ in range(r.randint(1, 4)):
                j, sid, risks = self.next_stage()
                t = f"{j}/{sid}" if r.random() < 0.4 else f"{j}/{sid}/{r.choice(risks)}"
                if t not in targets:
                    targets.append(t)
            title = ", ".join(f"{l} = {q(self.short(l))}" for l in ["en"] + langs)
            summary = ", ".join(f"{l} = {q(self.sentence(l))}" for l in ["en"] + langs)
            out += ["[[measures]]", f"id = {q(f'm{i}-{k}-{r.choice(WORDS)}')}", f"title = {{ {title} }}", f"summary = {{ {summary} }}",
                    f"targets = [{', '.join(q(t) for t in targets)}]",
                    f"agencies = [{', '.join(q(a) for a in r.sample(KINDS, 2))}]",
                    f"instruments = [{', '.join(q(x) for x in r.sample(INSTRUMENTS, 2))}]",
                    f"horizon = {q(r.choice(['short', 'medium', 'long']))}", ""]
        return "\n".join(out)

    def generate(self):
        """Yields (relative path under content/, text)."""
        self.plan()
        for i, s in enumerate(self.countries):
            yield from self.named("countries", s, self.country(i, s))
        for i, (s, stages) in enumerate(self.journeys):
            yield from self.named("journeys", s, self.journey(i, s, stages))
        for i, s in enumerate(self.briefs):
            yield from self.named("briefs", s, self.brief(i, s))
        for i, s in enumerate(self.pages):
            yield from self.named("pages", s, self.page(i, s))
        for i in range(self.n_measure_files):
            yield f"countermeasures/measures-{i:05d}.toml", self.measure_file(i)

    @staticmethod
    def named(folder, slug, files):
        for lang, text in files.items():
            yield (f"{folder}/{slug}.md" if lang == "en" else f"{folder}/{slug}.{lang}.md"), text


SITE_TOML = '''base_url = "https://bench.example/site/"
default_language = "en"
languages = ["en", "lo", "km", "my", "th"]
theme = "default"

[title]
en = "Waymark benchmark corpus"
th = "คลังข้อมูลทดสอบ"
'''

HUGO_CONFIG = '''baseURL = "https://bench.example/site/"
title = "Benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false
[markup.goldmark.renderer]
unsafe = false
'''
HUGO_SINGLE = '''<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>
'''
HUGO_LIST = '''<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1></body></html>
'''

MDBOOK_TOML = '''[book]
title = "Benchmark"
language = "en"
src = "src"

[output.html]
no-section-label = true

[output.html.search]
enable = false

[output.html.print]
enable = false

[output.html.fold]
enable = false
'''
MDBOOK_INDEX = '''<!doctype html><html><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>{{{ content }}}</body></html>
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def flush_book(root, i, summary):
    """Writes book i's book.toml, theme and SUMMARY.md; returns its folder name."""
    name = f"book-{i:04d}"
    write(os.path.join(root, name, "book.toml"), MDBOOK_TOML)
    write(os.path.join(root, name, "theme", "index.hbs"), MDBOOK_INDEX)
    write(os.path.join(root, name, "src", "SUMMARY.md"), "\n".join(summary) + "\n")
    return name


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, required=True, help="documents in the default language (Markdown + counter-measure files)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="Waymark site to write (replaced)")
    ap.add_argument("--hugo", help="also write an equivalent Hugo site here (replaced)")
    ap.add_argument("--mdbook", help="also write the same Markdown as mdBook books here (replaced)")
    ap.add_argument("--mdbook-chapters", type=int, default=250,
                    help="chapters per mdBook book (default 250): mdBook serializes the whole table of contents "
                         "into every page's context, so one book of N chapters costs O(N^2)")
    a = ap.parse_args()
    for d in (a.out, a.hugo, a.mdbook):
        if d and os.path.exists(d):
            shutil.rmtree(d)
    g = Gen(a.docs, a.seed)
    write(os.path.join(a.out, "site.toml"), SITE_TOML)
    os.makedirs(os.path.join(a.out, "content", "media"), exist_ok=True)
    summary = ["# Summary", ""]
    books = []
    stats = {"files": 0, "md": 0, "toml": 0, "bytes": 0}
    for rel, text in g.generate():
        write(os.path.join(a.out, "content", rel), text)
        stats["files"] += 1
        stats["bytes"] += len(text.encode("utf-8"))
        if rel.endswith(".toml"):
            stats["toml"] += 1
            continue
        stats["md"] += 1
        folder, name = rel.split("/")
        stem = name[:-3].replace(".", "-")
        if a.hugo:
            write(os.path.join(a.hugo, "content", folder, stem + ".md"), text)
        if a.mdbook:
            _, fm, body = text.split("+++\n", 2)
            title = next(l for l in fm.splitlines() if l.startswith("title = "))[8:]
            title = json.loads(title)
            if len(summary) - 2 == a.mdbook_chapters:
                books.append(flush_book(a.mdbook, len(books), summary))
                summary = ["# Summary", ""]
            book = os.path.join(a.mdbook, f"book-{len(books):04d}")
            write(os.path.join(book, "src", folder, stem + ".md"), f"# {title}\n\n{body}")
            summary.append(f"- [{folder}/{stem}]({folder}/{stem}.md)")
    if a.hugo:
        write(os.path.join(a.hugo, "hugo.toml"), HUGO_CONFIG)
        write(os.path.join(a.hugo, "layouts", "_default", "single.html"), HUGO_SINGLE)
        write(os.path.join(a.hugo, "layouts", "_default", "list.html"), HUGO_LIST)
        write(os.path.join(a.hugo, "layouts", "index.html"), HUGO_LIST)
    if a.mdbook:
        if len(summary) > 2:
            books.append(flush_book(a.mdbook, len(books), summary))
        write(os.path.join(a.mdbook, "books.txt"), "\n".join(books) + "\n")
    print(json.dumps({"docs": a.docs, "seed": a.seed, "countries": g.n_countries, "journeys": g.n_journeys,
                      "measure_files": g.n_measure_files, "briefs": g.n_briefs, "pages": g.n_pages, **stats}))


if __name__ == "__main__":
    main()

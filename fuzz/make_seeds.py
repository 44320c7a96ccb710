#!/usr/bin/env python3
"""Writes the small seed corpora under fuzz/corpus/<target>/ from the fixture
site (tests/fixtures/mini), the starter files (src/starter) and a few files
of content/, plus hand-made odd inputs (BOM, CRLF, NUL, invalid UTF-8).
Run from anywhere: python3 fuzz/make_seeds.py. Output is deterministic."""
import os, pathlib, shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"
KINDS = {"journeys": 0, "countries": 1, "briefs": 2, "pages": 3}  # order of Kind::ALL
LANGS = ["en", "th", "lo", "km", "my"]

def put(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data)

def doc_selector(path):
    kind = KINDS[path.parent.name]
    parts = path.name.split(".")
    lang = parts[1] if len(parts) == 3 else "en"
    return bytes([kind | (LANGS.index(lang) << 2)])

def body(data):
    # the Markdown after the second +++ line
    text = data.decode()
    i = text.find("\n+++", 3)
    return text[text.find("\n", i + 1) + 1:].encode() if i >= 0 else data

shutil.rmtree(OUT, ignore_errors=True)
mini = ROOT / "tests/fixtures/mini"
docs = sorted(mini.glob("content/*/*.md")) + sorted((ROOT / "src/starter").glob("*.md"))
docs += [ROOT / "content" / p for p in ["countries/lao-pdr.md", "journeys/fishing-boat.md", "journeys/fishing-boat.my.md", "briefs/vientiane-workshop-2018.km.md", "pages/glossary.th.md"]]
STARTER = {"about": "pages", "first-brief": "briefs", "example-journey": "journeys", "home-country": "countries"}
for p in docs:
    data = p.read_bytes()
    if p.parent.name == "starter":
        p = pathlib.Path(STARTER[p.name.split(".")[0]]) / p.name
    name = f"{p.parent.name}-{p.name}"
    put("front_matter", name, doc_selector(p) + data)
    put("markdown", name, bytes([0]) + body(data))

odd = {
    "bom-crlf.md": b"\xef\xbb\xbf+++\r\ntitle = \"BOM and CRLF\"\r\n+++\r\n# Heading\r\n\r\nText.\r\n",
    "nul.md": b"+++\ntitle = \"a\x00b\"\n+++\nbody \x00 with NUL\n",
    "invalid-utf8.md": b"+++\ntitle = \"caf\xe9\"\n+++\n",
    "unclosed.md": b"+++\ntitle = \"x\"\n",
    "empty-front.md": b"+++\n+++\n",
    "zawgyi.my.md": "+++\ntitle = \"\u1031\u1019\u102c\u1004\u1039\"\n+++\n\u1031\u1000\u102c\u1004\u1039\u1038\n".encode(),
}
for name, data in odd.items():
    sel = bytes([1 | (4 << 2)]) if ".my." in name else bytes([1])
    put("front_matter", name, sel + data)

md_odd = {
    "links.md": "# Title {#custom}\n\n[a](@/countries/thailand.md) [b](@/countries/nowhere.md) [c](@/journeys/fishing.md#border) [d](@/journeys/fishing.md#nope) ![m](@/media/map.png) [e](@/x)\n\n[ref]: @/briefs/report.md\n\nSee [ref].\n",
    "code.md": "```rust\nfn main() { println!(\"hi\"); }\n```\n\n```toml\na = 1\n```\n\n```\nplain <b>\n```\n",
    "html.md": "<div>raw</div>\n\nText <span>inline</span> and footnote[^1].\n\n[^1]: The note.\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n",
    "nested.md": "".join("  " * i + "- item\n" for i in range(40)),
    "headings-thai.md": "# การทุจริต ณ ชายแดน\n\n## การทุจริต ณ ชายแดน\n\n### !!!\n".encode().decode(),
}
for name, text in md_odd.items():
    put("markdown", name, bytes([0]) + text.encode())
put("markdown", "links-trusted-inline.md", bytes([7]) + md_odd["links.md"].encode())

tomls = sorted(mini.glob("content/countermeasures/*.toml")) + [ROOT / "src/starter/measures.toml", ROOT / "content/countermeasures/cambodia.toml"]
for p in tomls:
    put("measures_toml", str(p.relative_to(ROOT)).replace("/", "-"), p.read_bytes())
put("measures_toml", "translations.toml", b'country = "thailand"\n\n[translations.th]\nstatus = "draft"\nsource_hash = "0123456789abcdef"\n\n[[measures]]\nid = "m"\ntitle = { en = "T", th = "\xe0\xb8\x97" }\nsummary = "S"\ntargets = ["fishing/border", "fishing/border/tip-off"]\nagencies = ["police"]\ninstruments = []\nhorizon = "short"\n')

for p in [mini / "site.toml", ROOT / "site.toml", ROOT / "src/starter/site.toml"]:
    put("config", p.parent.name + "-site.toml", p.read_bytes())
put("config", "bad.toml", b'base_url = "ftp://x"\nlanguages = ["en", "en", "xx"]\ndefault_language = "th"\ntheme = "../x"\ntitle = { fr = "x", en = 1 }\nextra = true\n')

SEP = b"\n%%FILE%%\n"
site_files = ["countries/thailand.md", "countries/thailand.th.md", "journeys/fishing.md", "briefs/report.md", "pages/about.md", "countermeasures/thailand.toml", "countries/cambodia.md"]
parts = [(mini / "content" / f).read_bytes() for f in site_files]
put("site", "mini", bytes([0]) + SEP.join(parts))
put("site", "mini-drafts-config", bytes([3]) + SEP.join(parts + [(mini / "site.toml").read_bytes()]))
put("site", "half", bytes([0]) + SEP.join(parts[:3]))
total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
print(f"{sum(1 for f in OUT.rglob('*') if f.is_file())} seed files, {total} bytes")

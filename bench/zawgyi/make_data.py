#!/usr/bin/env python3
"""Build the Zawgyi detector's evaluation pairs and training corpus.

Inputs come from the packages fetched by fetch.sh (in $ZG_WORK, default
/tmp/waymark-zawgyi).  Outputs:

  tests/data/zawgyi/pairs.tsv   held-out evaluation set (committed): only pairs
                                that were *published as pairs* by their authors.
  $ZG_WORK/train_unicode.txt    Unicode Burmese training lines (not committed)
  $ZG_WORK/train_zawgyi.txt     the same lines converted to Zawgyi by rabbit-node
  $ZG_WORK/tess_unicode_words.txt  Unicode words from Tesseract's Burmese word list
  $ZG_WORK/tess_zawgyi_words.txt   the same words converted to Zawgyi by rabbit-node
  $ZG_WORK/gtk_pairs.tsv        second evaluation set (not committed, not used in
                                training): GTK's Burmese translations (Unicode)
                                with rabbit-node's Zawgyi conversion

Tesseract's word list was crawled from the web and mixes Unicode, Zawgyi and
mis-converted text, so only words that are certainly Unicode are kept: they
must contain U+103E or a consonant+ေ+ာ/ါ sequence (both impossible in Zawgyi),
break none of the detector's Unicode-order rules (train.RULES), and consist
only of grapheme clusters seen at least 3 times in the clean training text.

Training text and evaluation text come from different packages; in addition
any training line whose Myanmar text also occurs in the evaluation set is
dropped, so the two sets are disjoint.
"""
import gettext
import html
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.environ.get("ZG_WORK", "/tmp/waymark-zawgyi")
PKG = os.path.join(WORK, "pkg")
MT = os.path.join(PKG, "myanmar-tools-1.2.0", "package")
RABBIT = os.path.join(PKG, "rabbit-node-1.0.4", "package", "lib", "rabbit.js")
CLDR = os.path.join(PKG, "unicode-cldr-core", "usr", "share", "unicode", "cldr", "common")

MY = re.compile("[\u1000-\u109F]")


def has_my(s):
    return MY.search(s) is not None


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def zip_files(u_path, z_path):
    """Line-aligned pair files, skipping '#' headers and lines without Burmese."""
    us, zs = read_lines(u_path), read_lines(z_path)
    assert len(us) == len(zs), (u_path, len(us), len(zs))
    out = []
    for u, z in zip(us, zs):
        u, z = u.strip(), z.strip()
        if u.startswith("#") or not (has_my(u) or has_my(z)):
            continue
        out.append((u, z))
    return out


def clean(s):
    return " ".join(s.replace("\t", " ").split())


def build_pairs():
    groups = []
    res = os.path.join(MT, "resources")
    groups.append((
        "myanmar-tools 1.2.0 resources/mmgov_zawgyi_src.txt + mmgov_unicode_out.txt "
        "(Zawgyi as published on a Myanmar government news site; Unicode made by myanmar-tools' converter)",
        zip_files(os.path.join(res, "mmgov_unicode_out.txt"), os.path.join(res, "mmgov_zawgyi_src.txt"))))
    groups.append((
        "myanmar-tools 1.2.0 resources/udhr_mya_unicode_src.txt + udhr_mya_zawgyi_out.txt "
        "(Unicode UDHR in Burmese; Zawgyi made by myanmar-tools' converter)",
        zip_files(os.path.join(res, "udhr_mya_unicode_src.txt"), os.path.join(res, "udhr_mya_zawgyi_out.txt"))))
    cldr = []
    for line in read_lines(os.path.join(CLDR, "testData", "transforms", "my-t-my-s0-zawgyi.txt")):
        if "\t" in line and not line.startswith("#"):
            z, u = line.split("\t")[:2]
            cldr.append((u.strip(), z.strip()))
    groups.append(("CLDR 41 common/testData/transforms/my-t-my-s0-zawgyi.txt "
                   "(real-world Zawgyi words/phrases with their Unicode)", cldr))
    # myanmar-tools' spec/zawgyi_converter_spec.js pairs are deliberately NOT
    # used: most are synthetic edge cases for the converter's normaliser
    # (doubled diacritics, stray ZWJ/ZWNJ, illegal orders), not text; they are
    # written to converter_edge_cases.tsv and reported separately.
    spec = subprocess.run(["node", os.path.join(HERE, "spec_pairs.cjs"),
                           os.path.join(MT, "spec", "zawgyi_converter_spec.js")],
                          check=True, capture_output=True, text=True).stdout
    edge = [(clean(p["u"]), clean(p["z"])) for p in map(json.loads, spec.splitlines())]
    edge = [(u, z) for u, z in edge if has_my(u) or has_my(z)]
    with open(os.path.join(REPO, "tests", "data", "zawgyi", "converter_edge_cases.tsv"), "w", encoding="utf-8") as f:
        f.write("# myanmar-tools 1.2.0 spec/zawgyi_converter_spec.js pairs (Apache-2.0). unicode<TAB>zawgyi.\n"
                "# Converter edge cases, not natural text: informational only, see README.md.\n")
        f.write("".join(u + "\t" + z + "\n" for u, z in dict.fromkeys(edge)))
    # rabbit-node 1.0.4 test/rabbit.test.js: the four published pairs.
    rt = open(os.path.join(PKG, "rabbit-node-1.0.4", "package", "test", "rabbit.test.js"), encoding="utf-8").read()
    rp = re.findall(r'Rabbit\.zg2uni\("([^"]*)"\)\.should\.equal\("([^"]*)"\)', rt)
    groups.append(("rabbit-node 1.0.4 test/rabbit.test.js (converter test pairs)",
                   [(u, z) for z, u in rp]))

    seen = set()
    out = ["# Zawgyi/Unicode pairs for evaluating src/zawgyi/. Format: unicode<TAB>zawgyi.",
           "# Lines starting with '#' name the source of the pairs below them.",
           "# Generated by bench/zawgyi/make_data.py; see README.md for sources and licences."]
    n = 0
    for name, pairs in groups:
        out.append("# source: " + name)
        for u, z in pairs:
            u, z = clean(u), clean(z)
            if not (has_my(u) or has_my(z)) or (u, z) in seen:
                continue
            seen.add((u, z))
            out.append(u + "\t" + z)
            n += 1
    path = os.path.join(REPO, "tests", "data", "zawgyi", "pairs.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {n} pairs to {path}", file=sys.stderr)
    return seen


def xml_text(line):
    line = re.sub(r"<[^>]*>", " ", line)
    return html.unescape(line)


def training_lines():
    src = []
    ff = os.path.join(PKG, "firefox-langpack")
    for root, _, files in os.walk(ff):
        for fn in sorted(files):
            p = os.path.join(root, fn)
            try:
                text = open(p, encoding="utf-8").read()
            except (UnicodeDecodeError, IsADirectoryError):
                continue
            for line in text.split("\n"):
                if has_my(line):
                    src.append(("firefox", line))
    for sub in ["main", "annotations", "annotationsDerived", "subdivisions", "rbnf", "casing"]:
        p = os.path.join(CLDR, sub, "my.xml")
        if os.path.exists(p):
            for line in read_lines(p):
                t = xml_text(line)
                if has_my(t):
                    src.append(("cldr-" + sub, t))
    mo = os.path.join(PKG, "iso-codes", "usr", "share", "locale", "my", "LC_MESSAGES")
    if os.path.isdir(mo):
        for fn in sorted(os.listdir(mo)):
            with open(os.path.join(mo, fn), "rb") as f:
                cat = gettext.GNUTranslations(f)._catalog
            for v in cat.values():
                if isinstance(v, str) and has_my(v):
                    src.append(("iso-codes", v))
    return src


CLUSTER = re.compile("[\u1000-\u102A\u103F\u1040-\u109F][\u102B-\u103E]*|[\u102B-\u103E]+")
UNICODE_ONLY = re.compile("\u103E|[\u1000-\u1021][\u103B-\u103E]*\u1031[\u102B\u102C]")


def tesseract_words(clean_lines):
    sys.path.insert(0, HERE)
    import train  # for the rule set and state mapping
    rules = set(train.RULES)
    inv = {}
    for line in clean_lines:
        for c in CLUSTER.findall(line):
            inv[c] = inv.get(c, 0) + 1
    td = os.path.join(PKG, "tesseract-ocr-mya", "usr", "share", "tesseract-ocr", "5", "tessdata", "mya.traineddata")
    tmp = os.path.join(WORK, "tess")
    os.makedirs(tmp, exist_ok=True)
    subprocess.run(["combine_tessdata", "-u", td, os.path.join(tmp, "mya.")], check=True, capture_output=True)
    out = os.path.join(tmp, "words.txt")
    subprocess.run(["dawg2wordlist", os.path.join(tmp, "mya.lstm-unicharset"),
                    os.path.join(tmp, "mya.lstm-word-dawg"), out], check=True, capture_output=True)
    keep = []
    for w in open(out, encoding="utf-8").read().split():
        if not re.fullmatch("[\u1000-\u104F]+", w) or not UNICODE_ONLY.search(w):
            continue
        s = train.states(w)
        if any((a, b) in rules for a, b in zip(s, s[1:])):
            continue
        if all(inv.get(c, 0) >= 3 for c in CLUSTER.findall(w)):
            keep.append(w)
    return keep


def to_zawgyi(lines):
    zaw = subprocess.run(["node", os.path.join(HERE, "u2z.cjs"), RABBIT], input="\n".join(lines) + "\n",
                         check=True, capture_output=True, text=True).stdout
    zl = zaw.split("\n")[:-1]
    assert len(zl) == len(lines), (len(zl), len(lines))
    return zl


def write(name, lines):
    with open(os.path.join(WORK, name), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def gtk_pairs():
    lines = []
    for pkg, mos in [("libgtk-3-common", ["gtk30.mo", "gtk30-properties.mo"]),
                     ("libgtk2.0-common", ["gtk20.mo", "gtk20-properties.mo"]),
                     ("libgdk-pixbuf2.0-common", ["gdk-pixbuf.mo"])]:
        for mo in mos:
            path = os.path.join(PKG, pkg, "usr", "share", "locale", "my", "LC_MESSAGES", mo)
            with open(path, "rb") as f:
                cat = gettext.GNUTranslations(f)._catalog
            for v in cat.values():
                if isinstance(v, str):
                    lines += [clean(l) for l in v.split("\n") if has_my(l)]
    lines = list(dict.fromkeys(lines))
    zaw = to_zawgyi(lines)
    with open(os.path.join(WORK, "gtk_pairs.tsv"), "w", encoding="utf-8") as f:
        f.write("# GTK 3, GTK 2, gdk-pixbuf Burmese translations (Debian bookworm, LGPL-2.1+); "
                "Zawgyi by rabbit-node. unicode<TAB>zawgyi\n")
        f.write("".join(u + "\t" + z + "\n" for u, z in zip(lines, zaw)))
    print(f"gtk evaluation lines: {len(lines)}", file=sys.stderr)


def main():
    gtk_pairs()
    eval_pairs = build_pairs()
    eval_my = set()
    for u, z in eval_pairs:
        eval_my.add("".join(MY.findall(u)))
        eval_my.add("".join(MY.findall(z)))
    seen, lines, per = set(), [], {}
    for origin, line in training_lines():
        line = clean(line)
        key = "".join(MY.findall(line))
        if not key or line in seen or key in eval_my:
            continue
        seen.add(line)
        lines.append(line)
        per[origin] = per.get(origin, 0) + 1
    write("train_unicode.txt", lines)
    write("train_zawgyi.txt", to_zawgyi(lines))
    print(f"training lines: {len(lines)} {per}", file=sys.stderr)
    print(f"training Myanmar chars: {sum(len(MY.findall(l)) for l in lines)}", file=sys.stderr)
    words = [w for w in tesseract_words(lines) if w not in eval_my]
    write("tess_unicode_words.txt", words)
    write("tess_zawgyi_words.txt", to_zawgyi(words))
    print(f"tesseract words kept: {len(words)} ({sum(len(w) for w in words)} chars)", file=sys.stderr)


if __name__ == "__main__":
    main()

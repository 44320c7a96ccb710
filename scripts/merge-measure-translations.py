#!/usr/bin/env python3
"""Merge counter-measure translations into content/countermeasures/*.toml.

usage: scripts/merge-measure-translations.py LANG FILE.json [--status draft|reviewed]

FILE.json is {"<measure id>": {"title": "...", "summary": "..."}, ...}. Each
single-line `title = { en = "..." }` / `summary = { en = "..." }` of a measure
gets `, LANG = "..."` added (an existing LANG entry is replaced), and the file
gets a `[translations.LANG]` table with the status. Run `waymark translations
--stamp content/countermeasures/X.toml --lang LANG` afterwards to record the
source hash. Standard library only.
"""
import json
import re
import sys
from pathlib import Path


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def merge(path, lang, data, status):
    lines = path.read_text(encoding="utf-8").split("\n")
    current = None
    changed = 0
    for i, line in enumerate(lines):
        m = re.match(r'\s*id\s*=\s*"([^"]+)"', line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r'(\s*(title|summary)\s*=\s*\{)(.*)\}\s*$', line)
        if m and current in data and data[current].get(m.group(2)):
            body = m.group(3)
            body = re.sub(r',\s*' + lang + r'\s*=\s*"(?:[^"\\]|\\.)*"', "", body).rstrip()
            lines[i] = f"{m.group(1)}{body}, {lang} = {toml_str(data[current][m.group(2)])} }}"
            changed += 1
    text = "\n".join(lines)
    header = f"[translations.{lang}]"
    if header not in text:
        # Tables go after the top-level keys, before the first [[measures]].
        at = text.find("[[measures]]")
        block = f'{header}\nstatus = "{status}"\n\n'
        text = text[:at] + block + text[at:] if at >= 0 else text + "\n" + block
    path.write_text(text, encoding="utf-8")
    return changed


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    lang, data = sys.argv[1], json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    status = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--status" else "draft"
    root = Path(__file__).resolve().parent.parent / "content" / "countermeasures"
    for p in sorted(root.glob("*.toml")):
        print(f"{p.name}: {merge(p, lang, data, status)} strings")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Large and odd input: generates each case into a copy of the fixture site
# (tests/fixtures/mini), builds it with the release binary under
# /usr/bin/time -v, and prints one line per case: exit status, first error
# line, wall time, peak RSS. A panic, abort, stack overflow or time-out is
# reported as BUG and makes the script exit non-zero.
#
#   fuzz/stress.sh [CASE...]        (default: every case)
#   WAYMARK=path/to/waymark fuzz/stress.sh   (default: target/release/waymark,
#                                             built with cargo build --release)
#   STRESS_DIR=/tmp/x  keeps the generated sites there (default: a temp dir, removed)
#   STRESS_TIMEOUT=600  seconds per build
# Needs python3 and GNU time (Debian package `time`).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${WAYMARK:-$repo/target/release/waymark}
if [ -z "${WAYMARK:-}" ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
fi
[ -x /usr/bin/time ] || { echo "stress.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
work=${STRESS_DIR:-$(mktemp -d)}
[ -n "${STRESS_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
limit=${STRESS_TIMEOUT:-600}
all=(md-50mb files-10000 nested-list-10000 nested-quote-10000 nested-toml-10000 measures-10000 nul-bytes invalid-utf8 crlf-bom repeated-headings-2000 md-fences-200)
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("${all[@]}")

gen() { # gen CASE DIR
  python3 - "$1" "$2" <<'PY'
import sys, pathlib
case, root = sys.argv[1], pathlib.Path(sys.argv[2])
c = root / "content"
def page(name, body, front='title = "Stress"\n'):
    (c / "pages" / name).write_bytes(b"+++\n" + front.encode() + b"+++\n" + body)
if case == "md-50mb":
    # A realistic long document: unique headings, paragraphs in English and
    # Thai, lists, @/ links, tables and highlighted code, repeated to 50 MB.
    parts, size, i = [], 0, 0
    while size < 50 * 1024 * 1024:
        b = (f"## Section {i}\n\nA paragraph with *emphasis*, a [link](@/countries/thailand.md) and "
             f"[another](@/journeys/fishing.md#border). การทุจริต ณ ชายแดน {i}.\n\n"
             f"- item one\n- item two\n  - nested {i}\n\n| a | b |\n|---|---|\n| {i} | x |\n\n")
        if i % 50 == 0:
            b += f"```rust\nfn f{i}() -> u32 {{ {i} }}\n```\n\n"
        parts.append(b); size += len(b.encode()); i += 1
    page("big.md", "".join(parts).encode())
elif case == "files-10000":
    d = c / "briefs"
    for i in range(10000):
        (d / f"b{i:05d}.md").write_text(f'+++\ntitle = "Brief {i}"\ndate = 2020-01-01\nsummary = "Number {i}."\ncountries = ["thailand"]\n+++\nBody of brief {i}, see [Thailand](@/countries/thailand.md).\n')
elif case == "nested-list-10000":
    page("nested.md", b"- " * 10000 + b"deep\n")
elif case == "nested-quote-10000":
    page("nested.md", b"> " * 10000 + b"deep\n")
elif case == "nested-toml-10000":
    page("nested.md", b"body\n", 'title = "Stress"\nsummary = ' + "[" * 10000 + "]" * 10000 + "\n")
elif case == "measures-10000":
    rows = ['country = "thailand"\n']
    for i in range(10000):
        rows.append(f'\n[[measures]]\nid = "m{i}"\ntitle = "Measure {i}"\nsummary = "Summary {i}"\ntargets = ["fishing/border/tip-off"]\n'
                    f'agencies = ["police"]\ninstruments = ["UNCAC art. 13"]\nhorizon = "short"\n')
    (c / "countermeasures" / "thailand.toml").write_text("".join(rows))
elif case == "nul-bytes":
    # a NUL in the body and as a TOML escape (both valid), then a raw NUL in TOML (invalid)
    page("nul.md", b"A body with a NUL \x00 byte.\n", 'title = "NUL \\u0000 in a string escape"\n')
    (c / "pages" / "nul2.md").write_bytes(b'+++\ntitle = "raw NUL \x00 here"\n+++\nbody\n')
elif case == "invalid-utf8":
    (c / "pages" / "latin1.md").write_bytes(b'+++\ntitle = "Caf\xe9"\n+++\nbody\n')
elif case == "crlf-bom":
    for p in [root / "site.toml", *sorted(c.rglob("*.md")), *sorted(c.rglob("*.toml"))]:
        t = p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        p.write_bytes(b"\xef\xbb\xbf" + t)
elif case.startswith("repeated-headings-"):
    n = int(case.rsplit("-", 1)[1])
    page("faq.md", b"## Example\n\ntext\n\n" * n)
elif case.startswith("md-fences-"):
    # fenced ```md blocks of backslashes: syntect's Markdown syntax backtracks
    n = int(case.rsplit("-", 1)[1])
    page("fences.md", (b"```md\n" + b"\\" * 16 + b"x\n```\n\n") * n)
else:
    sys.exit(f"unknown case {case}")
PY
}

printf '| case | input | exit | first error line | wall | peak RSS |\n|---|---|---|---|---|---|\n'
bad=0
for case in "${cases[@]}"; do
  dir=$work/$case
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r "$repo/tests/fixtures/mini/." "$dir/"
  mkdir -p "$dir/content/media"
  gen "$case" "$dir"
  size=$(du -sh --apparent-size "$dir/content" | cut -f1)
  status=0
  timeout --signal=KILL "$limit" /usr/bin/time -v -o "$dir/time.txt" "$bin" build --root "$dir" --output "$dir/out" >"$dir/stdout.txt" 2>"$dir/stderr.txt" || status=$?
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt" 2>/dev/null || true)
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt" 2>/dev/null || true)
  [ -n "$rss" ] && rss="$((rss / 1024)) MB"
  first=$(grep -a -m1 -E 'error|panicked|overflow' "$dir/stderr.txt" | cut -c1-160 || true)
  [ -n "$first" ] || first=$(tail -n1 "$dir/stderr.txt" | cut -c1-160)
  verdict=$status
  if [ $status -ge 101 ] || grep -aqE 'panicked|stack overflow|SIGSEGV|Aborted' "$dir/stderr.txt"; then
    verdict="$status BUG"; bad=1
    [ $status -eq 137 ] && first="killed after ${limit}s (time-out)"
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$case" "$size" "$verdict" "${first//|/\\|}" "${wall:-?}" "${rss:-?}"
done
exit $bad

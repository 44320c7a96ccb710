#!/bin/sh
# Profiles one full Waymark build of a benchmark corpus and prints the hotspots.
#
#   bench/profile.sh [DOCS] [WAYMARK_BINARY]
#
# DOCS defaults to 10000 (corpus bench/work/corpus-DOCS, made by bench/compare
# or bench/gen_corpus.py); the binary defaults to target/release/waymark (built
# with debug = "line-tables-only", so symbols and inlined frames resolve).
# Uses perf with the software cpu-clock event (hardware counters are not
# available in this VM) and DWARF call graphs; falls back to valgrind's
# callgrind on the same corpus when perf cannot record.
# Also prints WAYMARK_TIMINGS=1 step times where the binary supports them.
set -eu
cd "$(dirname "$0")/.."
DOCS=${1:-10000}
BIN=${2:-target/release/waymark}
SITE=bench/work/corpus-$DOCS
OUT=bench/work/out/profile
DATA=bench/work/perf-$DOCS.data
[ -d "$SITE" ] || python3 bench/gen_corpus.py --docs "$DOCS" --seed 1 --out "$SITE"

# Outputs are moved aside, not deleted, as bench/compare does: files created
# right after tens of thousands were deleted make ext4 scan the freed inodes
# (recently_deleted), which would dominate the profile. Delete
# bench/work/trash when done (bench/compare does, untimed).
set_aside() {
    if [ -e "$OUT" ]; then mkdir -p bench/work/trash && mv "$OUT" "bench/work/trash/profile-$(date +%s%N)"; fi
    sync
}
echo "== step times (WAYMARK_TIMINGS=1)"
set_aside
WAYMARK_TIMINGS=1 "$BIN" build --root "$SITE" --output "$OUT" 2>&1 | tail -25
set_aside

if perf record -e cpu-clock -F 99 --call-graph dwarf,16384 -o "$DATA" "$BIN" build --root "$SITE" --output "$OUT" >/dev/null 2>&1; then
    echo "== self time, top 30 symbols (% of CPU samples, all threads)"
    perf report -i "$DATA" --no-children --sort symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -30 | cut -c1-150
    echo "== inclusive time of Waymark and library functions (% of CPU samples)"
    perf report -i "$DATA" --children --sort symbol --stdio -g none 2>/dev/null | grep -v '^#' \
        | grep -E '\] (waymark::|tera::|syntect::|pulldown_cmark::|icu_segmenter::|toml::|serde_json::|zip::|flate2::|miniz|std::fs::)' \
        | awk '{printf "%8s %8s  ", $1, $2; for (i = 4; i <= NF; i++) printf "%s ", $i; print ""}' | cut -c1-160 | head -60
    echo "perf data: $DATA (perf report -i $DATA)"
else
    echo "perf record failed; using callgrind (slow: use a small corpus)"
    valgrind --tool=callgrind --callgrind-out-file="bench/work/callgrind-$DOCS.out" "$BIN" build --root "$SITE" --output "$OUT" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes "bench/work/callgrind-$DOCS.out" | head -60
fi
set_aside

#!/usr/bin/env bash
# Produces the figures in bench/search/RESULTS.md (a benchmark, not a test).
# Needs: the [[bench]] name = "search", harness = false stanza in Cargo.toml,
# node with playwright-core, Chromium (see tests/e2e/lib.mjs), gzip.
#   bash bench/search/run.sh            # all figures
#   SIZES="1000 10000" bash bench/search/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=bench/work
SIZES=${SIZES:-"1000 2500 5000 10000"}
mkdir -p "$WORK"

sizes() { # DIR LABEL
  for l in en lo km my th; do
    f="$1/$l/search/search-index.js"
    printf '| %s | %s | %d | %d |\n' "$2" "$l" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
  done
}

echo "## Index size, flagship site"
cargo build --release --quiet
rm -rf "$WORK/flagship"
./target/release/waymark build --output "$WORK/flagship" >/dev/null
echo "| site | language | bytes | gzip -9 bytes |"
echo "| --- | --- | ---: | ---: |"
sizes "$WORK/flagship" flagship

echo
echo "## Segmentation quality and tokenizer speed"
cargo bench --quiet --bench search -- f1 bench/search/gold

echo
echo "## Index size, synthetic sites"
for n in $SIZES; do
  cargo bench --quiet --bench search -- synth "$n" "$WORK/search-synth-$n" content
done
echo
echo "| documents | language | bytes | gzip -9 bytes |"
echo "| ---: | --- | ---: | ---: |"
for n in $SIZES; do sizes "$WORK/search-synth-$n" "$n"; done

last=$(echo $SIZES | awk '{print $NF}')
echo
echo "## Query time in Chromium, $last documents"
node bench/search/query-time.mjs "$WORK/search-synth-$last"

#!/usr/bin/env bash
# CI smoke run of the fuzz targets: builds every target and runs each for a
# few seconds (FUZZ_SMOKE_SECONDS, default 5) from its seed corpus. Exits
# non-zero if a target no longer builds, or crashes, times out or runs out of
# memory on any input it tries. Nothing in fuzz/corpus is changed: each run
# grows a copy in a temporary folder; a crashing input is kept in
# fuzz/artifacts/<target>/ and its path printed.
set -euo pipefail
cd "$(dirname "$0")"
FUZZ_PROFILE=${FUZZ_PROFILE:-smoke}
. ./env.sh
secs=${FUZZ_SMOKE_SECONDS:-5}
t0=$SECONDS
echo "fuzz smoke: building ${#FUZZ_TARGETS[@]} targets"
fuzz_build --quiet
echo "fuzz smoke: built in $((SECONDS - t0))s"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=()
for t in "${FUZZ_TARGETS[@]}"; do
  mkdir -p "$tmp/$t" "artifacts/$t"
  cp "corpus/$t"/* "$tmp/$t"/
  status=0
  # TMPDIR: the site target's temporary site root goes in $tmp, removed at exit
  TMPDIR=$tmp "$FUZZ_BIN/$t" "$tmp/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"$tmp/$t.log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t.log")
  if [ $status -eq 0 ]; then
    echo "fuzz smoke: $t ok (${runs:-?} runs in ${secs}s)"
  else
    echo "fuzz smoke: $t FAILED (status $status)"
    grep -E -A12 'panicked|==ERROR|SUMMARY|deadly signal|Test unit written' "$tmp/$t.log" | head -40 || tail -20 "$tmp/$t.log"
    failed+=("$t")
  fi
done
echo "fuzz smoke: $((SECONDS - t0))s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz smoke: failed: ${failed[*]}" >&2
  exit 1
fi

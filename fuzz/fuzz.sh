#!/usr/bin/env bash
# Fuzzes one target for a while: fuzz/fuzz.sh TARGET SECONDS [extra libFuzzer flags]
#
# Builds the targets if needed (plain cargo with cargo-fuzz's flags, no
# sanitizer: see env.sh), grows the corpus in fuzz/corpus-work/TARGET (not in
# git; seeded from fuzz/corpus/TARGET), writes crashes to fuzz/artifacts/TARGET/
# and the libFuzzer log to fuzz/logs/TARGET.log. Prints libFuzzer's final
# stats line. Exit status: libFuzzer's (non-zero on a crash, leak or time-out).
set -euo pipefail
cd "$(dirname "$0")"
t=${1:?usage: fuzz/fuzz.sh TARGET SECONDS [libFuzzer flags]}
secs=${2:?usage: fuzz/fuzz.sh TARGET SECONDS [libFuzzer flags]}
shift 2
# shellcheck source=fuzz/env.sh
. ./env.sh
case $t in
  markdown) dict=markdown ;;
  site) dict=site ;;
  *) dict=toml ;;
esac
case $t in
  site) maxlen=65536 ;;
  *) maxlen=16384 ;;
esac
fuzz_build
mkdir -p "corpus-work/$t" "artifacts/$t" logs
cp -n "corpus/$t"/* "corpus-work/$t"/ 2>/dev/null || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
# TMPDIR: the site target's temporary site root goes in $tmp, removed at exit
TMPDIR=$tmp "$FUZZ_BIN/$t" "corpus-work/$t" -dict="dict/$dict.dict" -max_len=$maxlen -timeout=20 -rss_limit_mb=4096 \
  -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="artifacts/$t/" "$@" >"logs/$t.log" 2>&1 || status=$?
grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "logs/$t.log" | tr '\n' ' '
echo
if [ $status -ne 0 ]; then
  echo "fuzz/fuzz.sh: $t failed (status $status); see fuzz/logs/$t.log and fuzz/artifacts/$t/" >&2
  grep -E 'panicked|ERROR|SUMMARY' "logs/$t.log" | head -5 >&2 || true
fi
exit $status

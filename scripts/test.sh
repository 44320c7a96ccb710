#!/usr/bin/env bash
# Runs every test of Waymark: installs what cargo cannot fetch (Chromium, Noto fonts,
# a headless Java for the Nu HTML checker) if it is missing, the npm packages of
# package-lock.json, then `cargo test`. Arguments are passed to `cargo test`
# (e.g. `scripts/test.sh --test e2e`).
set -euo pipefail
cd "$(dirname "$0")/.."

t0=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" "$((SECONDS - t0))"; }
die() { printf 'scripts/test.sh: %s\n' "$*" >&2; exit 1; }

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

step "system packages"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
installed fonts-noto-core || missing+=(fonts-noto-core)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v python3 >/dev/null || missing+=(python3)
command -v c++ >/dev/null || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null || die "missing: ${missing[*]}, and no apt-get to install them: install them by hand"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  echo "chromium, fonts-noto-core, java, python3: present"
fi

step "npm packages"
command -v node >/dev/null || die "node is missing: the end-to-end tests need Node.js 20 or later, with npm"
command -v npm >/dev/null || die "npm is missing: the end-to-end tests need Node.js 20 or later, with npm"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "node $(node --version) is too old: the end-to-end tests need Node.js 20 or later"
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the machine's Java runs it.
npm ci --ignore-scripts --no-audit --no-fund

step "cargo test"
if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then
  . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null || die "cargo is missing: install Rust (rustup)"
# --no-fail-fast, and the doc tests run whatever came before: one failing test
# binary does not hide the results of the others.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --locked --no-fail-fast --all-targets "$@" 2>&1 | tee -a "$log" || status=$?
if [ $# -eq 0 ] && [ -f src/lib.rs ]; then
  step "cargo test --doc"
  cargo test --locked --no-fail-fast --doc 2>&1 | tee -a "$log" || status=$?
fi
if [ $# -eq 0 ]; then
  # Every fuzz target still builds and survives a few seconds (fuzz/README.md).
  step "fuzz smoke run"
  bash fuzz/smoke.sh 2>&1 | tee -a "$log" || status=$?
fi
read -r passed failed < <(awk '/^test result:/ {
    for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
  END { print p + 0, f + 0 }' "$log")
if [ "$status" -ne 0 ]; then
  step "FAILED: see the failures listed above"
else
  step "all tests passed"
fi
echo "tests: $passed passed, $failed failed"
exit "$status"

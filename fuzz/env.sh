# Sourced by fuzz.sh and smoke.sh: how the fuzz targets are built.
#
# This is what `cargo fuzz build -O --sanitizer none` does, with plain cargo
# on the stable toolchain, so neither CI nor a developer needs cargo-fuzz
# installed (its install alone takes over 3 minutes on 2 cores). The
# sanitizer-coverage flags need no nightly features; --target keeps them off
# build scripts and proc macros. Builds go to fuzz/target/<triple>/<profile>/.
# No sanitizer: Waymark has no unsafe code, and AddressSanitizer would make
# every target 5-10 times slower (see fuzz/README.md to run with it anyway).
FUZZ_TARGETS=(front_matter measures_toml markdown config site)
FUZZ_TRIPLE=$(rustc -vV | sed -n 's/^host: //p')
# Cargo profile: release for fuzzing, smoke (fuzz/Cargo.toml) for CI.
FUZZ_PROFILE=${FUZZ_PROFILE:-release}
FUZZ_BIN=target/$FUZZ_TRIPLE/$FUZZ_PROFILE
FUZZ_RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 --cfg fuzzing -Cdebug-assertions=off"

# Builds every target. The fuzz crate has its own lock file (not in git),
# started from the main one so both build the same dependency versions.
fuzz_build() {
  [ -f Cargo.lock ] || cp ../Cargo.lock Cargo.lock
  RUSTFLAGS="$FUZZ_RUSTFLAGS" cargo build --profile "$FUZZ_PROFILE" --target "$FUZZ_TRIPLE" --bins "$@"
}

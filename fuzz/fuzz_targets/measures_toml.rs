//! The `measures_toml` fuzz target: see `waymark_fuzz::measures_toml` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waymark_fuzz::measures_toml(data));

//! The `markdown` fuzz target: see `waymark_fuzz::markdown` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waymark_fuzz::markdown(data));

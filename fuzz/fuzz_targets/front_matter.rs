//! The `front_matter` fuzz target: see `waymark_fuzz::front_matter` in fuzz/src/lib.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| waymark_fuzz::front_matter(data));

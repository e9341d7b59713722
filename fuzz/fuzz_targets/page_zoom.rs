//! See `telnums_fuzz_checks::page_zoom` for the input format and the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| telnums_fuzz_checks::page_zoom(data));

//! See `telnums_fuzz_checks::retry_after` for the input format and the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| telnums_fuzz_checks::retry_after(data));

//! Fuzzes the strict OAuth callback parser with arbitrary bytes, for both the deep link and the
//! loopback form. It must never panic, and what it accepts must be well formed.
#![no_main]

use codebind_core::auth::callback::{parse_bytes, Callback, Expect, MAX_URL_LEN};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for expect in [Expect::DeepLink, Expect::Loopback(49152)] {
        if let Ok(cb) = parse_bytes(data, expect) {
            assert!(data.len() <= MAX_URL_LEN);
            assert!(!cb.state().is_empty());
            if let Callback::Code { code, state } = &cb {
                assert!(!code.is_empty());
                assert!(code.bytes().chain(state.bytes()).all(|b| (0x20..=0x7e).contains(&b)));
            }
        }
    }
});

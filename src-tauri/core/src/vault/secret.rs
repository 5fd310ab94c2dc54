//! `Secret`: a string that never shows itself in Debug or Display, and is wiped on drop.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself. Call only where it is sent to a provider or a keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrite the bytes before the allocation is freed. `bytes_mut` on a String is unsafe only
        // because it could break UTF-8; zeroes are valid UTF-8.
        // SAFETY: every byte is set to 0, which keeps the string valid UTF-8.
        unsafe { self.0.as_bytes_mut() }.iter_mut().for_each(|b| unsafe { std::ptr::write_volatile(b, 0) });
    }
}

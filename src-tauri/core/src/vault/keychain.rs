//! The OS keychain through `keyring`: macOS Keychain, Windows Credential Manager, and the
//! Secret Service on Linux (gnome-keyring, KWallet), which persists across reboots.
//!
//! Windows Credential Manager holds at most 2560 bytes (about 1280 UTF-16 characters), shorter than
//! many OAuth JWTs. Every value is therefore written in an envelope:
//! - `v1:<secret>` when it is short;
//! - `v1*<generation>*<parts>` when it is long, with the parts under `<key>#<generation>.<i>`.
//!
//! A new generation's parts are written before the envelope that points at them, and the old
//! generation is removed after it, so a crash in between never leaves a half-written secret.

use keyring::Entry;

use super::{Secret, Vault, SERVICE};
use crate::error::{Error, Result};
use crate::model::VaultStatus;

/// Characters per stored part: well under Windows' 1280-character limit.
pub const PART_CHARS: usize = 1000;

pub struct KeychainVault {
    service: String,
}

impl Default for KeychainVault {
    fn default() -> Self {
        Self::new()
    }
}

enum Envelope {
    Whole(String),
    Parts { generation: String, count: usize },
}

impl KeychainVault {
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }

    /// A vault under another service name (tests use a throwaway one).
    pub fn with_service(service: &str) -> Self {
        KeychainVault { service: service.to_owned() }
    }

    fn entry(&self, key: &str) -> Result<Entry> {
        if !cfg!(any(target_os = "linux", target_os = "macos", target_os = "windows")) {
            // keyring silently falls back to an in-memory mock on other platforms: refuse instead.
            return Err(Error::keychain_unavailable("no supported keychain on this operating system"));
        }
        Entry::new(&self.service, key).map_err(keyring_error)
    }

    fn read(&self, key: &str) -> Result<Option<String>> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn write(&self, key: &str, value: &str) -> Result<()> {
        self.entry(key)?.set_password(value).map_err(keyring_error)
    }

    fn remove(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn envelope(&self, key: &str) -> Result<Option<Envelope>> {
        let Some(raw) = self.read(key)? else { return Ok(None) };
        if let Some(whole) = raw.strip_prefix("v1:") {
            return Ok(Some(Envelope::Whole(whole.to_owned())));
        }
        if let Some(rest) = raw.strip_prefix("v1*") {
            let mut it = rest.splitn(2, '*');
            let generation = it.next().unwrap_or_default().to_owned();
            let count = it.next().and_then(|n| n.parse::<usize>().ok());
            return match count {
                Some(count) if !generation.is_empty() => Ok(Some(Envelope::Parts { generation, count })),
                _ => Err(Error::keychain_unavailable(format!(
                    "the keychain entry {key:?} is damaged; unbind and bind again"
                ))),
            };
        }
        // Written by something else: take it as it is rather than lose it.
        Ok(Some(Envelope::Whole(raw)))
    }

    fn remove_parts(&self, key: &str, generation: &str, count: usize) -> Result<()> {
        (0..count).try_for_each(|i| self.remove(&part_key(key, generation, i)))
    }
}

fn part_key(key: &str, generation: &str, i: usize) -> String {
    format!("{key}#{generation}.{i}")
}

fn keyring_error(e: keyring::Error) -> Error {
    let why = match &e {
        keyring::Error::NoStorageAccess(inner) => format!("the keychain is locked or refused access ({inner})"),
        keyring::Error::PlatformFailure(inner) => format!("no usable keychain ({inner})"),
        other => other.to_string(),
    };
    Error::keychain_unavailable(format!(
        "{why}. Codebind keeps tokens only in the OS keychain and has stored nothing."
    ))
}

impl Vault for KeychainVault {
    fn put(&self, key: &str, secret: &Secret) -> Result<()> {
        let old = self.envelope(key)?;
        let value = secret.expose();
        let chars: Vec<char> = value.chars().collect();
        if chars.len() <= PART_CHARS {
            self.write(key, &format!("v1:{value}"))?;
        } else {
            let generation = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
            let parts: Vec<String> = chars.chunks(PART_CHARS).map(|c| c.iter().collect()).collect();
            for (i, part) in parts.iter().enumerate() {
                if let Err(e) = self.write(&part_key(key, &generation, i), part) {
                    let _ = self.remove_parts(key, &generation, i);
                    return Err(e);
                }
            }
            if let Err(e) = self.write(key, &format!("v1*{generation}*{}", parts.len())) {
                let _ = self.remove_parts(key, &generation, parts.len());
                return Err(e);
            }
        }
        if let Some(Envelope::Parts { generation, count }) = old {
            self.remove_parts(key, &generation, count)?;
        }
        Ok(())
    }

    fn get(&self, key: &str) -> Result<Option<Secret>> {
        match self.envelope(key)? {
            None => Ok(None),
            Some(Envelope::Whole(v)) => Ok(Some(Secret::new(v))),
            Some(Envelope::Parts { generation, count }) => {
                let mut value = String::new();
                for i in 0..count {
                    let part = self.read(&part_key(key, &generation, i))?.ok_or_else(|| {
                        Error::keychain_unavailable(format!(
                            "part {i} of the keychain entry {key:?} is missing; unbind and bind again"
                        ))
                    })?;
                    value.push_str(&part);
                }
                Ok(Some(Secret::new(value)))
            }
        }
    }

    fn delete(&self, key: &str) -> Result<()> {
        if let Some(Envelope::Parts { generation, count }) = self.envelope(key)? {
            self.remove_parts(key, &generation, count)?;
        }
        self.remove(key)
    }

    fn status(&self) -> VaultStatus {
        let backend = if cfg!(target_os = "macos") {
            "macOS Keychain"
        } else if cfg!(target_os = "windows") {
            "Windows Credential Manager"
        } else if cfg!(target_os = "linux") {
            "Secret Service (GNOME Keyring, KWallet)"
        } else {
            "none"
        };
        // A read of an entry that never exists tells whether the keychain answers at all.
        let problem = self.read("probe/never-written").err().map(|e| e.message);
        VaultStatus { backend: backend.into(), available: problem.is_none(), problem }
    }
}

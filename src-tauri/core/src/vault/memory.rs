//! An in-memory vault for unit tests. It can be told to behave like a missing keychain.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{Secret, Vault};
use crate::error::{Error, Result};
use crate::model::VaultStatus;

#[derive(Default)]
pub struct MemoryVault {
    entries: Mutex<HashMap<String, Secret>>,
    unavailable: Option<String>,
    /// How many times `get` was called (tests that count keychain round trips).
    reads: AtomicUsize,
}

impl MemoryVault {
    pub fn new() -> Self {
        Self::default()
    }
    /// A vault that refuses every operation, like a machine without a keychain.
    pub fn unavailable(problem: &str) -> Self {
        MemoryVault { unavailable: Some(problem.to_owned()), ..Self::default() }
    }
    /// How many reads (`get`) it has answered or refused.
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::SeqCst)
    }
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn check(&self) -> Result<()> {
        match &self.unavailable {
            Some(p) => Err(Error::keychain_unavailable(p.clone())),
            None => Ok(()),
        }
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Vault for MemoryVault {
    fn put(&self, key: &str, secret: &Secret) -> Result<()> {
        self.check()?;
        self.lock().insert(key.to_owned(), secret.clone());
        Ok(())
    }
    fn get(&self, key: &str) -> Result<Option<Secret>> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.check()?;
        Ok(self.lock().get(key).cloned())
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.check()?;
        self.lock().remove(key);
        Ok(())
    }
    fn status(&self) -> VaultStatus {
        VaultStatus {
            backend: "in-memory (tests)".into(),
            available: self.unavailable.is_none(),
            problem: self.unavailable.clone(),
        }
    }
}

//! Secret storage. The only module that touches the OS keychain (through `keyring`).
//!
//! Entries are namespaced by the app's service name and a key that embeds the binding's random id,
//! so two data dirs never collide. There is no plaintext fallback: when no keychain is available,
//! every write fails with `keychain_unavailable` and nothing is stored anywhere.

mod keychain;
mod memory;
mod secret;

pub use keychain::KeychainVault;
pub use memory::MemoryVault;
pub use secret::Secret;

use crate::error::Result;
use crate::model::VaultStatus;

/// The keychain service name all of Codebind's entries live under.
pub const SERVICE: &str = "dev.codebind.app";

/// Where secrets are kept. Implementations must be safe to share across threads.
pub trait Vault: Send + Sync {
    /// Stores (or replaces) the secret under `key`.
    fn put(&self, key: &str, secret: &Secret) -> Result<()>;
    /// The secret under `key`, or `None` when there is no entry.
    fn get(&self, key: &str) -> Result<Option<Secret>>;
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, key: &str) -> Result<()>;
    /// Which backend this is and whether it works right now.
    fn status(&self) -> VaultStatus;
}

/// The vault key of a binding's access token.
pub fn access_token_key(binding_id: &str) -> String {
    format!("binding/{binding_id}/access")
}

/// The vault key of a binding's OAuth refresh token.
pub fn refresh_token_key(binding_id: &str) -> String {
    format!("binding/{binding_id}/refresh")
}

/// The vault key of an OAuth app's client secret entered in Settings.
pub fn client_secret_key(provider: &str, host: &str) -> String {
    format!("oauth-app/{provider}/{host}/secret")
}

#[cfg(test)]
mod tests;

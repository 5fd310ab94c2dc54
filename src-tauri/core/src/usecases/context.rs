//! `Core`: the store and vault that every use case works on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Result;
use crate::model::AppInfo;
use crate::paths;
use crate::providers;
use crate::store::Store;
use crate::vault::{KeychainVault, Vault};

pub struct Core {
    pub(crate) store: Store,
    pub(crate) vault: Arc<dyn Vault>,
    data_dir: PathBuf,
}

impl Core {
    /// The real thing: the data dir from the environment or the platform, and the OS keychain.
    pub fn open_default() -> Result<Core> {
        Self::open(&paths::data_dir()?, Arc::new(KeychainVault::new()))
    }

    pub fn open(data_dir: &Path, vault: Arc<dyn Vault>) -> Result<Core> {
        let store = Store::open_in(data_dir)?;
        Ok(Core { store, vault, data_dir: data_dir.to_path_buf() })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            database_path: self.store.path().display().to_string(),
            vault: self.vault.status(),
            providers: providers::catalog(),
        }
    }
}

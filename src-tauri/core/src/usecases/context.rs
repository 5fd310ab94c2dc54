//! `Core`: the store, the vault and the HTTP layer that every use case works on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::model::{AppInfo, Binding};
use crate::net::{Http, HttpOptions, ProxyChoice};
use crate::paths;
use crate::providers::{self, Host, Session};
use crate::store::Store;
use crate::vault::{KeychainVault, Secret, Vault};

pub struct Core {
    pub(crate) store: Store,
    pub(crate) vault: Arc<dyn Vault>,
    http_options: HttpOptions,
    http: Http,
    data_dir: PathBuf,
    pub(crate) pending: crate::auth::pending::PendingAttempts,
    vault_probe: super::vault_probe::VaultProbe,
    pub(crate) refresh_candidates: super::refresh_candidates::RefreshCandidates,
}

impl Core {
    /// The real thing: the data dir from the environment or the platform, and the OS keychain.
    pub fn open_default() -> Result<Core> {
        Self::open(&paths::data_dir()?, Arc::new(KeychainVault::new()))
    }

    pub fn open(data_dir: &Path, vault: Arc<dyn Vault>) -> Result<Core> {
        Self::open_with(data_dir, vault, HttpOptions::default())
    }

    /// With other HTTP timeouts and backoff (tests and benchmarks).
    pub fn open_with(data_dir: &Path, vault: Arc<dyn Vault>, http_options: HttpOptions) -> Result<Core> {
        let store = Store::open_in(data_dir)?;
        let http = Http::new(http_options.clone())?;
        Ok(Core {
            store,
            vault,
            http,
            http_options,
            data_dir: data_dir.to_path_buf(),
            pending: Default::default(),
            vault_probe: Default::default(),
            refresh_candidates: Default::default(),
        })
    }

    /// Sign-in attempts expire after this long instead of 10 minutes (tests of expiry).
    pub fn with_attempt_lifetime(mut self, lifetime: std::time::Duration) -> Core {
        self.pending = crate::auth::pending::PendingAttempts::with_lifetime(lifetime);
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Starts checking the keychain in the background, for the first `app_info` (the app calls
    /// this as it opens: the check is a D-Bus round trip on Linux that the first paint waits for).
    pub fn probe_vault_ahead(&self) {
        self.vault_probe.start(self.vault.clone());
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            database_path: self.store.path().display().to_string(),
            vault: self.vault_probe.status(self.vault.as_ref()),
            providers: providers::catalog(),
        }
    }

    /// The HTTP layer for a host: the shared one, or one with the host's CA bundle and proxy.
    pub(crate) fn http_for(&self, host: &Host, ca_bundle: Option<&str>) -> Result<Http> {
        let settings = self.store.host_settings(host.as_str())?;
        let ca = ca_bundle.map(str::to_owned).or_else(|| settings.as_ref().and_then(|s| s.ca_bundle.clone()));
        let proxy = super::hosts::proxy_choice(settings.as_ref().and_then(|s| s.proxy.as_deref()));
        if ca.is_none() && proxy == ProxyChoice::System {
            return Ok(self.http.clone());
        }
        Http::new(HttpOptions { ca_bundle: ca.map(Into::into), proxy, ..self.http_options.clone() })
    }

    /// The binding's token from the keychain; a binding whose token is gone needs re-authorization.
    pub(crate) fn token_of(&self, b: &Binding) -> Result<Option<Secret>> {
        self.vault.get(&b.vault_key)
    }

    /// What a provider call needs for an enabled binding.
    pub(crate) fn prepare(&self, id: &str) -> Result<Prepared> {
        let b = self.binding(id)?;
        if b.disabled {
            return Err(Error::new(crate::error::ErrorCode::BindingDisabled, format!("the binding {} ({}) is disabled; enable it first", b.id, b.login)));
        }
        let host = Host::parse(&b.host)?;
        let token = self.token_of(&b)?.ok_or_else(|| {
            Error::new(crate::error::ErrorCode::ProviderUnauthorized, "the token is missing from the keychain; bind the account again")
        })?;
        let http = self.http_for(&host, None)?;
        Ok(Prepared { provider: providers::provider(b.provider), host, http, token, username: b.username, organization: b.organization })
    }
}

/// An enabled binding ready for provider calls.
pub(crate) struct Prepared {
    pub provider: &'static dyn providers::Provider,
    host: Host,
    http: Http,
    token: Secret,
    username: Option<String>,
    organization: Option<String>,
}

impl Prepared {
    pub fn session(&self) -> Session<'_> {
        Session {
            http: &self.http,
            host: &self.host,
            token: &self.token,
            username: self.username.as_deref(),
            organization: self.organization.as_deref(),
        }
    }
}

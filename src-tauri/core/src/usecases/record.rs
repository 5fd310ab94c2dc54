//! The tail of every bind (token or OAuth): keep the secret in the vault and the identity in the
//! store, as one step. If the store write fails the new vault entry is removed; if the vault write
//! fails nothing is stored.

use serde_json::json;

use super::Core;
use crate::error::Result;
use crate::model::{AuthMethod, Binding, BindingStatus, EventKind, ProviderKind};
use crate::store::NewEvent;
use crate::time::now;
use crate::vault::{access_token_key, refresh_token_key, Secret};

/// Who the provider says the token belongs to, and what the token may do.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedAccount {
    pub provider: ProviderKind,
    pub host: String,
    pub account_id: String,
    pub login: String,
    pub display_name: Option<String>,
    pub avatar_url: Option<String>,
    pub auth_method: AuthMethod,
    pub username: Option<String>,
    pub organization: Option<String>,
    /// `None` when the provider does not report scopes for this token.
    pub scopes: Option<Vec<String>>,
    pub expires_at: Option<String>,
    pub status: BindingStatus,
}

impl Core {
    /// Binds the account, or re-authorizes it when this account on this host is already bound
    /// (the binding keeps its id and history; the event is `re_authorized`).
    pub fn record_binding(&self, account: VerifiedAccount, token: &Secret) -> Result<Binding> {
        self.record_binding_with_refresh(account, token, None)
    }

    /// Like `record_binding`, also keeping an OAuth refresh token. The refresh token is written
    /// first: if the app stops between the two writes, the next refresh still works.
    pub fn record_binding_with_refresh(&self, account: VerifiedAccount, token: &Secret, refresh: Option<&Secret>) -> Result<Binding> {
        let t = now();
        let detail = json!({
            "provider": account.provider.as_str(),
            "host": account.host,
            "login": account.login,
            "auth_method": account.auth_method.as_str(),
            "scopes": account.scopes,
        });
        if let Some(existing) = self.store.find_binding(account.provider, &account.host, &account.account_id)? {
            let updated = Binding {
                login: account.login,
                display_name: account.display_name,
                avatar_url: account.avatar_url,
                auth_method: account.auth_method,
                username: account.username,
                organization: account.organization,
                scopes_reported: account.scopes.is_some(),
                scopes: account.scopes.unwrap_or_default(),
                expires_at: account.expires_at,
                status: account.status,
                disabled: false,
                updated_at: t.clone(),
                last_verified_at: Some(t),
                ..existing
            };
            // The previous token is overwritten only once the provider has accepted the new one.
            if let Some(r) = refresh {
                self.vault.put(&refresh_token_key(&updated.id), r)?;
            }
            self.vault.put(&updated.vault_key, token)?;
            self.store
                .update_binding(&updated, Some(NewEvent::new(&updated.id, EventKind::ReAuthorized, detail)))?;
            return Ok(updated);
        }

        let id = uuid::Uuid::new_v4().to_string();
        let binding = Binding {
            vault_key: access_token_key(&id),
            id,
            provider: account.provider,
            host: account.host,
            account_id: account.account_id,
            login: account.login,
            display_name: account.display_name,
            avatar_url: account.avatar_url,
            auth_method: account.auth_method,
            username: account.username,
            organization: account.organization,
            scopes_reported: account.scopes.is_some(),
            scopes: account.scopes.unwrap_or_default(),
            expires_at: account.expires_at,
            status: account.status,
            disabled: false,
            created_at: t.clone(),
            updated_at: t.clone(),
            last_verified_at: Some(t),
        };
        if let Some(r) = refresh {
            self.vault.put(&refresh_token_key(&binding.id), r)?;
        }
        if let Err(e) = self.vault.put(&binding.vault_key, token) {
            let _ = self.vault.delete(&refresh_token_key(&binding.id));
            return Err(e);
        }
        if let Err(e) = self.store.insert_binding(&binding, NewEvent::new(&binding.id, EventKind::Bound, detail)) {
            let _ = self.vault.delete(&binding.vault_key);
            let _ = self.vault.delete(&refresh_token_key(&binding.id));
            return Err(e);
        }
        Ok(binding)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::error::ErrorCode;
    use crate::model::HistoryQuery;
    use crate::vault::{MemoryVault, Vault};

    fn account(login: &str, id: &str) -> VerifiedAccount {
        VerifiedAccount {
            provider: ProviderKind::Github,
            host: "https://github.com".into(),
            account_id: id.into(),
            login: login.into(),
            display_name: None,
            avatar_url: None,
            auth_method: AuthMethod::Token,
            username: None,
            organization: None,
            scopes: Some(vec!["repo".into()]),
            expires_at: None,
            status: BindingStatus::Active,
        }
    }

    fn core(vault: Arc<MemoryVault>) -> (tempfile::TempDir, Core) {
        let dir = tempfile::tempdir().unwrap();
        let core = Core::open(dir.path(), vault).unwrap();
        (dir, core)
    }

    #[test]
    fn binds_then_reauthorizes_the_same_account() {
        let vault = Arc::new(MemoryVault::new());
        let (_d, core) = core(vault.clone());
        let first = core.record_binding(account("octocat", "1"), &Secret::new("tok-1")).unwrap();
        let again = core.record_binding(account("octocat-renamed", "1"), &Secret::new("tok-2")).unwrap();
        assert_eq!(first.id, again.id);
        assert_eq!(core.list_bindings().unwrap().len(), 1);
        assert_eq!(core.list_bindings().unwrap()[0].login, "octocat-renamed");
        assert_eq!(vault.get(&first.vault_key).unwrap().unwrap().expose(), "tok-2");
        let kinds: Vec<EventKind> =
            core.history(&HistoryQuery::default()).unwrap().events.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, vec![EventKind::ReAuthorized, EventKind::Bound]);

        core.record_binding(account("hubot", "2"), &Secret::new("tok-3")).unwrap();
        assert_eq!(core.list_bindings().unwrap().len(), 2);
    }

    #[test]
    fn no_keychain_means_nothing_is_stored() {
        let vault = Arc::new(MemoryVault::unavailable("no Secret Service"));
        let (_d, core) = core(vault);
        let err = core.record_binding(account("octocat", "1"), &Secret::new("tok")).unwrap_err();
        assert_eq!(err.code, ErrorCode::KeychainUnavailable);
        assert!(core.list_bindings().unwrap().is_empty());
        assert_eq!(core.store.count_events().unwrap(), 0);
    }

    #[test]
    fn the_secret_never_reaches_the_database_files() {
        let vault = Arc::new(MemoryVault::new());
        let (dir, core) = core(vault);
        let token = "ghp_c0debindSECRETc0debindSECRET0001";
        core.record_binding(account("octocat", "1"), &Secret::new(token)).unwrap();
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()));
        }
    }
}

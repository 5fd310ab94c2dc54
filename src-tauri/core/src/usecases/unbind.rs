//! Unbind: optionally revoke the token at the provider, remove it from the keychain, remove the
//! binding. History stays. If the keychain cannot remove the token, the binding stays too, so
//! nothing is orphaned.

use serde_json::json;

use super::Core;
use crate::error::Result;
use crate::model::{EventKind, RevokeOutcome, UnbindReport};
use crate::providers::{self, Host, Session};
use crate::store::NewEvent;

impl Core {
    /// Unbinds, removing every webhook Codebind created for the binding first.
    pub async fn unbind(&self, id: &str, revoke: bool) -> Result<UnbindReport> {
        self.unbind_with(id, revoke, true).await
    }

    /// Unbinds; with `remove_hooks`, the webhooks go first (they need the token).
    pub async fn unbind_with(&self, id: &str, revoke: bool, remove_hooks: bool) -> Result<UnbindReport> {
        let b = self.binding(id)?;
        let hooks = if remove_hooks && !b.disabled { self.remove_all_webhooks(&b.id).await? } else { vec![] };
        let host = Host::parse(&b.host)?;
        let provider = providers::provider(b.provider);
        let token = self.token_of(&b)?;
        let outcome = match (&token, revoke) {
            (_, false) => RevokeOutcome::NotRequested,
            (None, true) => RevokeOutcome::Manual { url: provider.revoke_page(&host) },
            (Some(token), true) if b.auth_method == crate::model::AuthMethod::Oauth => self.revoke_oauth(&b, token).await,
            (Some(token), true) => {
                let http = self.http_for(&host, None)?;
                let s = Session { http: &http, host: &host, token, username: b.username.as_deref(), organization: b.organization.as_deref() };
                provider.revoke(&s).await.unwrap_or_else(|e| RevokeOutcome::Failed { message: e.message, url: provider.revoke_page(&host) })
            }
        };
        if outcome == RevokeOutcome::Revoked {
            self.store.append_event(NewEvent::new(&b.id, EventKind::Revoked, json!({ "provider": b.provider.as_str(), "host": b.host })))?;
        }
        self.vault.delete(&crate::vault::refresh_token_key(&b.id))?;
        self.vault.delete(&b.vault_key)?;
        self.store.delete_binding(
            &b.id,
            NewEvent::new(&b.id, EventKind::Unbound, json!({ "provider": b.provider.as_str(), "host": b.host, "login": b.login, "revoke": outcome })),
        )?;
        Ok(UnbindReport { binding_id: b.id, revoke: outcome, secret_removed: true, binding_removed: true, hooks })
    }
}

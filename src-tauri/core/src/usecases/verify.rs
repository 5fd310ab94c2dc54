//! Verify one binding or all of them (concurrently, bounded) and log each outcome in history.

use futures::stream::{self, StreamExt};
use serde_json::json;

use super::status::next_status;
use super::Core;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Binding, BindingStatus, EventKind, VerifyProgress, VerifyReport};
use crate::providers::{self, scopes, Host, Session};
use crate::store::NewEvent;
use crate::time::now;

/// Verifications in flight at once: 50 bindings verify in one round trip.
pub const CONCURRENT_VERIFICATIONS: usize = 64;

impl Core {
    pub async fn verify(&self, id: &str) -> Result<VerifyReport> {
        let b = self.binding(id)?;
        if b.disabled {
            return Err(Error::new(ErrorCode::BindingDisabled, format!("the binding {} ({}) is disabled; enable it first", b.id, b.login)));
        }
        self.verify_binding(b).await
    }

    /// Every enabled binding; one report each, in the store's order.
    pub async fn verify_all(&self) -> Result<Vec<VerifyReport>> {
        self.verify_all_with(|_| {}).await
    }

    /// Every enabled binding, telling `progress` as each one finishes (in the order they finish).
    pub async fn verify_all_with(&self, progress: impl Fn(VerifyProgress)) -> Result<Vec<VerifyReport>> {
        let bindings: Vec<Binding> = self.list_bindings()?.into_iter().filter(|b| !b.disabled).collect();
        let total = bindings.len() as u32;
        let mut pending = stream::iter(bindings.into_iter().enumerate().map(|(i, b)| async move { (i, self.verify_binding(b).await) }))
            .buffer_unordered(CONCURRENT_VERIFICATIONS);
        let mut done: Vec<(usize, VerifyReport)> = Vec::with_capacity(total as usize);
        let mut failure = None;
        while let Some((i, r)) = pending.next().await {
            match r {
                Ok(report) => {
                    progress(VerifyProgress { done: done.len() as u32 + 1, total, report: report.clone() });
                    done.push((i, report));
                }
                Err(e) => failure = failure.or(Some(e)),
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        done.sort_by_key(|(i, _)| *i);
        Ok(done.into_iter().map(|(_, r)| r).collect())
    }

    async fn verify_binding(&self, b: Binding) -> Result<VerifyReport> {
        let host = Host::parse(&b.host)?;
        let Some(token) = self.token_of(&b)? else {
            let err = Error::new(ErrorCode::ProviderUnauthorized, "the token is missing from the keychain; bind the account again");
            return self.record_verification(b, BindingStatus::NeedsReauth, None, Some(err));
        };
        let http = self.http_for(&host, None)?;
        let session = Session { http: &http, host: &host, token: &token, username: b.username.as_deref(), organization: b.organization.as_deref() };
        let outcome = providers::provider(b.provider).whoami(&session).await;
        let t = now();
        let covered = outcome.as_ref().map(|id| id.scopes.as_ref().is_none_or(|s| scopes::covers_repositories(b.provider, s))).map_err(Clone::clone);
        let status = next_status(b.status, &covered, b.expires_at.as_deref(), &t);
        match outcome {
            Ok(id) => {
                let updated = Binding {
                    login: if b.provider == crate::model::ProviderKind::Codeup { b.login.clone() } else { id.login },
                    display_name: id.display_name.or(b.display_name.clone()),
                    avatar_url: id.avatar_url.or(b.avatar_url.clone()),
                    scopes_reported: id.scopes.is_some(),
                    scopes: id.scopes.unwrap_or_default(),
                    expires_at: id.expires_at,
                    ..b
                };
                self.record_verification(updated, status, Some(t), None)
            }
            Err(e) => self.record_verification(b, status, None, Some(e)),
        }
    }

    fn record_verification(&self, mut b: Binding, status: BindingStatus, verified_at: Option<String>, error: Option<Error>) -> Result<VerifyReport> {
        let t = now();
        b.status = status;
        b.updated_at = t.clone();
        if verified_at.is_some() {
            b.last_verified_at = verified_at;
        }
        let event = match &error {
            None => NewEvent::new(&b.id, EventKind::Verified, json!({ "status": status.as_str(), "scopes": b.scopes })),
            Some(e) => NewEvent::new(&b.id, EventKind::VerificationFailed, json!({ "status": status.as_str(), "code": e.code.as_str(), "message": e.message })),
        };
        self.store.update_binding(&b, Some(event))?;
        Ok(VerifyReport { binding_id: b.id, status, error })
    }
}

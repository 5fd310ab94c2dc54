//! Pending sign-in attempts: one single-use random state per attempt, bound to its PKCE verifier,
//! provider, host and redirect URI, expiring after 10 minutes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorCode, Result};
use crate::model::ProviderKind;
use crate::vault::Secret;

pub const ATTEMPT_LIFETIME: Duration = Duration::from_secs(600);

#[derive(Debug, Clone)]
pub struct Attempt {
    pub provider: ProviderKind,
    pub host: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub pkce_verifier: Secret,
    pub scopes: Vec<String>,
    created: Instant,
}

impl Attempt {
    pub fn new(provider: ProviderKind, host: String, client_id: String, redirect_uri: String, pkce_verifier: Secret, scopes: Vec<String>) -> Self {
        Attempt { provider, host, client_id, redirect_uri, pkce_verifier, scopes, created: Instant::now() }
    }
}

#[derive(Default)]
pub struct PendingAttempts {
    by_state: Mutex<HashMap<String, Attempt>>,
    lifetime: Option<Duration>,
}

impl PendingAttempts {
    pub fn new() -> Self {
        Self::default()
    }

    /// With a shorter lifetime (tests of expiry).
    pub fn with_lifetime(lifetime: Duration) -> Self {
        PendingAttempts { by_state: Mutex::default(), lifetime: Some(lifetime) }
    }

    fn lifetime(&self) -> Duration {
        self.lifetime.unwrap_or(ATTEMPT_LIFETIME)
    }

    pub fn insert(&self, state: String, attempt: Attempt) {
        let mut map = self.by_state.lock().unwrap_or_else(|p| p.into_inner());
        let lifetime = self.lifetime();
        // Expired attempts are kept a while longer so that a late callback is told it expired.
        map.retain(|_, a| a.created.elapsed() < lifetime * 6);
        map.insert(state, attempt);
    }

    /// Takes the attempt for `state`: it can be taken once. Unknown, used or expired states fail.
    pub fn take(&self, state: &str) -> Result<Attempt> {
        let mut map = self.by_state.lock().unwrap_or_else(|p| p.into_inner());
        let attempt = map.remove(state).ok_or_else(|| {
            Error::new(ErrorCode::OauthStateMismatch, "this sign-in link does not match a sign-in in progress (it was already used, or not started here)")
        })?;
        if attempt.created.elapsed() >= self.lifetime() {
            return Err(Error::new(ErrorCode::OauthExpired, "the sign-in took longer than 10 minutes; start it again"));
        }
        Ok(attempt)
    }

    /// Forgets a sign-in the user cancelled; a late callback for it is refused. False if unknown.
    pub fn cancel(&self, state: &str) -> bool {
        self.by_state.lock().unwrap_or_else(|p| p.into_inner()).remove(state).is_some()
    }

    pub fn len(&self) -> usize {
        self.by_state.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt() -> Attempt {
        Attempt::new(ProviderKind::Gitlab, "https://gitlab.com".into(), "cid".into(), "codebind://oauth/callback".into(), Secret::new("v"), vec![])
    }

    #[test]
    fn a_state_works_once() {
        let p = PendingAttempts::new();
        p.insert("s1".into(), attempt());
        assert!(p.take("s1").is_ok());
        assert_eq!(p.take("s1").unwrap_err().code, ErrorCode::OauthStateMismatch);
        assert_eq!(p.take("never").unwrap_err().code, ErrorCode::OauthStateMismatch);
    }

    #[test]
    fn attempts_expire() {
        let p = PendingAttempts::with_lifetime(Duration::from_millis(1));
        p.insert("s1".into(), attempt());
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(p.take("s1").unwrap_err().code, ErrorCode::OauthExpired);
        assert!(p.is_empty());
    }
}

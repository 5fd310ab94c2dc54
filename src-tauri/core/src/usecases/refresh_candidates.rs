//! Which due OAuth bindings can be refreshed: those with a refresh token in the keychain. The app's
//! refresher asks every minute, and on Linux every keychain read is a Secret Service session of its
//! own (a D-Bus round trip and a Diffie-Hellman exchange, ~10 ms of CPU between the app and the
//! keyring daemon). A binding found without a refresh token is remembered as such until it changes:
//! a new sign-in, here or through the CLI, rewrites it and its `updated_at` (milliseconds).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::model::Binding;
use crate::vault::{refresh_token_key, Vault};

#[derive(Default)]
pub(crate) struct RefreshCandidates {
    /// Binding id → the `updated_at` it had when the keychain held no refresh token for it.
    without_token: Mutex<HashMap<String, String>>,
}

impl RefreshCandidates {
    /// Whether `b` has a refresh token. A keychain that does not answer counts as no (this pass);
    /// it is asked again next time.
    pub(crate) fn has_refresh_token(&self, vault: &dyn Vault, b: &Binding) -> bool {
        if self.lock().get(&b.id) == Some(&b.updated_at) {
            return false;
        }
        match vault.get(&refresh_token_key(&b.id)) {
            Ok(Some(_)) => {
                self.lock().remove(&b.id);
                true
            }
            Ok(None) => {
                self.lock().insert(b.id.clone(), b.updated_at.clone());
                false
            }
            Err(_) => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.without_token.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::model::{AuthMethod, EventKind, ProviderKind};
    use crate::store::NewEvent;
    use crate::usecases::test_support::binding;
    use crate::usecases::Core;
    use crate::vault::{MemoryVault, Secret};

    use super::*;

    /// An OAuth binding of GitLab's whose token expires in a minute: due for refresh.
    fn due() -> Binding {
        Binding {
            auth_method: AuthMethod::Oauth,
            expires_at: Some(crate::time::format(chrono::Utc::now() + chrono::Duration::minutes(1))),
            ..binding(ProviderKind::Gitlab, "https://gitlab.com")
        }
    }

    #[tokio::test]
    async fn a_binding_without_a_refresh_token_is_looked_up_once_until_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Arc::new(MemoryVault::new());
        let core = Core::open(dir.path(), vault.clone()).unwrap();
        let mut b = due();
        core.store().insert_binding(&b, NewEvent::new(&b.id, EventKind::Bound, serde_json::json!({}))).unwrap();
        let margin = chrono::Duration::minutes(15);

        assert!(core.refresh_due(margin).await.is_empty());
        assert_eq!(vault.reads(), 1);
        // The next passes do not ask the keychain again.
        assert!(core.refresh_due(margin).await.is_empty());
        assert!(core.refresh_due(margin).await.is_empty());
        assert_eq!(vault.reads(), 1);

        // A new sign-in (another process may have made it) stores a refresh token and rewrites the
        // binding: it is asked about again, and found.
        vault.put(&refresh_token_key(&b.id), &Secret::new("refresh")).unwrap();
        b.updated_at = crate::time::format(chrono::Utc::now() + chrono::Duration::milliseconds(5));
        core.store().update_binding(&b, None).unwrap();
        let stored = core.store().get_binding(&b.id).unwrap().unwrap();
        assert!(core.refresh_candidates.has_refresh_token(vault.as_ref(), &stored));
        assert_eq!(vault.reads(), 2);
        // Found: asked every time (it is about to be refreshed, or its refresh failed).
        assert!(core.refresh_candidates.has_refresh_token(vault.as_ref(), &stored));
        assert_eq!(vault.reads(), 3);
    }

    #[test]
    fn a_keychain_that_does_not_answer_is_asked_again() {
        let vault = MemoryVault::unavailable("no secret service");
        let candidates = RefreshCandidates::default();
        let b = due();
        assert!(!candidates.has_refresh_token(&vault, &b));
        assert!(!candidates.has_refresh_token(&vault, &b));
        assert_eq!(vault.reads(), 2);
    }
}

//! The keychain's status, asked ahead of time. On Linux a status check is a Secret Service round
//! trip over D-Bus (20-35 ms measured on the bench machine), and the dashboard's first paint waits
//! for `app_info`, which reports it. So the app starts one probe as it opens, on its own thread,
//! and the first `app_info` takes that answer (waiting for it if it is still under way); every
//! later call asks the keychain afresh.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::model::VaultStatus;
use crate::vault::Vault;

#[derive(Default)]
pub(crate) struct VaultProbe {
    ahead: Mutex<Option<JoinHandle<VaultStatus>>>,
}

impl VaultProbe {
    /// Starts asking `vault` in the background; the next `status` takes the answer.
    pub(crate) fn start(&self, vault: Arc<dyn Vault>) {
        let handle = std::thread::Builder::new()
            .name("vault-probe".into())
            .spawn(move || vault.status());
        // No thread (resources exhausted): the first `status` asks itself.
        if let Ok(handle) = handle {
            *self.ahead.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
        }
    }

    /// The probe started ahead if there is one (once), else `vault`'s status now.
    pub(crate) fn status(&self, vault: &dyn Vault) -> VaultStatus {
        let ahead = self.ahead.lock().unwrap_or_else(|e| e.into_inner()).take();
        match ahead.map(JoinHandle::join) {
            Some(Ok(status)) => status,
            _ => vault.status(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use super::*;
    use crate::error::Result;
    use crate::vault::Secret;

    /// Counts status checks; its availability can be switched.
    #[derive(Default)]
    struct CountingVault {
        checks: AtomicUsize,
        down: AtomicBool,
    }

    impl Vault for CountingVault {
        fn put(&self, _: &str, _: &Secret) -> Result<()> {
            Ok(())
        }
        fn get(&self, _: &str) -> Result<Option<Secret>> {
            Ok(None)
        }
        fn delete(&self, _: &str) -> Result<()> {
            Ok(())
        }
        fn status(&self) -> VaultStatus {
            self.checks.fetch_add(1, Ordering::SeqCst);
            let down = self.down.load(Ordering::SeqCst);
            VaultStatus {
                backend: "counting".into(),
                available: !down,
                problem: down.then(|| "switched off".into()),
            }
        }
    }

    #[test]
    fn without_a_probe_ahead_each_status_asks_the_vault() {
        let vault = CountingVault::default();
        let probe = VaultProbe::default();
        assert!(probe.status(&vault).available);
        assert!(probe.status(&vault).available);
        assert_eq!(vault.checks.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn the_first_status_takes_the_probe_started_ahead_and_later_ones_ask_afresh() {
        let vault = Arc::new(CountingVault::default());
        let probe = VaultProbe::default();
        probe.start(vault.clone());
        let first = probe.status(vault.as_ref());
        assert!(first.available);
        assert_eq!(
            vault.checks.load(Ordering::SeqCst),
            1,
            "the first status is the probe's answer, not a second check"
        );

        // The keychain goes away: the next status says so (the probe ahead is used once only).
        vault.down.store(true, Ordering::SeqCst);
        let later = probe.status(vault.as_ref());
        assert!(!later.available);
        assert_eq!(later.problem.as_deref(), Some("switched off"));
        assert_eq!(vault.checks.load(Ordering::SeqCst), 2);
    }
}

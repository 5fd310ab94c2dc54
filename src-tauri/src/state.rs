//! The shared state: the `Core`, or the error that kept it from opening (shown by the UI).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use codebind_core::{Core, Error};
use tokio::sync::oneshot;

pub struct AppState {
    core: Result<Arc<Core>, Error>,
    /// Files this run exported: the only ones the UI may ask to show in the file manager.
    exports: Mutex<HashSet<String>>,
    /// Sign-ins waiting in the background (loopback, device code), by attempt id: sending stops one.
    sign_ins: Mutex<HashMap<String, oneshot::Sender<()>>>,
}

impl AppState {
    pub fn open() -> Self {
        let core = Core::open_default().map(Arc::new);
        if let Ok(core) = &core {
            core.probe_vault_ahead();
        }
        if let Err(e) = &core {
            eprintln!("codebind: cannot open the store: [{}] {}", e.code.as_str(), e.message);
        }
        AppState { core, exports: Mutex::default(), sign_ins: Mutex::default() }
    }

    pub fn core(&self) -> Result<Arc<Core>, Error> {
        self.core.clone()
    }

    /// Registers a background sign-in; the receiver fires when the user cancels it.
    pub fn track_sign_in(&self, attempt_id: &str) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        self.sign_ins.lock().unwrap_or_else(|e| e.into_inner()).insert(attempt_id.to_owned(), tx);
        rx
    }

    /// Stops a background sign-in; false when none is waiting under that id.
    pub fn stop_sign_in(&self, attempt_id: &str) -> bool {
        match self.sign_ins.lock().unwrap_or_else(|e| e.into_inner()).remove(attempt_id) {
            Some(tx) => tx.send(()).is_ok(),
            None => false,
        }
    }

    pub fn forget_sign_in(&self, attempt_id: &str) {
        self.sign_ins.lock().unwrap_or_else(|e| e.into_inner()).remove(attempt_id);
    }

    pub fn remember_export(&self, path: &str) {
        self.exports.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_owned());
    }

    pub fn exported(&self, path: &str) -> bool {
        self.exports.lock().unwrap_or_else(|e| e.into_inner()).contains(path)
    }
}

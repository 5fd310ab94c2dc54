//! The shared state: the `Core`, or the error that kept it from opening (shown by the UI).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use codebind_core::{Core, Error};

pub struct AppState {
    core: Result<Arc<Core>, Error>,
    /// Files this run exported: the only ones the UI may ask to show in the file manager.
    exports: Mutex<HashSet<String>>,
}

impl AppState {
    pub fn open() -> Self {
        let core = Core::open_default().map(Arc::new);
        if let Err(e) = &core {
            eprintln!("codebind: cannot open the store: [{}] {}", e.code.as_str(), e.message);
        }
        AppState { core, exports: Mutex::default() }
    }

    pub fn core(&self) -> Result<Arc<Core>, Error> {
        self.core.clone()
    }

    pub fn remember_export(&self, path: &str) {
        self.exports.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_owned());
    }

    pub fn exported(&self, path: &str) -> bool {
        self.exports.lock().unwrap_or_else(|e| e.into_inner()).contains(path)
    }
}

//! The shared state: the `Core`, or the error that kept it from opening (shown by the UI).

use std::sync::Arc;

use codebind_core::{Core, Error};

pub struct AppState {
    core: Result<Arc<Core>, Error>,
}

impl AppState {
    pub fn open() -> Self {
        let core = Core::open_default().map(Arc::new);
        if let Err(e) = &core {
            eprintln!("codebind: cannot open the store: [{}] {}", e.code.as_str(), e.message);
        }
        AppState { core }
    }

    pub fn core(&self) -> Result<Arc<Core>, Error> {
        self.core.clone()
    }
}

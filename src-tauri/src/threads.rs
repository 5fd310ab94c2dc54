//! Futures that cannot be proven `Send` for every lifetime (the oauth2 crate's request futures)
//! run on a thread of their own, driven by the app's async runtime.

use std::future::Future;

use codebind_core::{Error, ErrorCode, Result};

/// Runs the future on its own thread and waits for its result without blocking the caller.
pub async fn on_own_thread<T: Send + 'static, F: Future<Output = Result<T>>>(make: impl FnOnce() -> F + Send + 'static) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(tauri::async_runtime::block_on(make()));
    });
    rx.await.map_err(|_| Error::new(ErrorCode::Internal, "a background task stopped unexpectedly"))?
}

/// Runs the future on its own thread and does not wait.
pub fn detach<F: Future<Output = ()>>(make: impl FnOnce() -> F + Send + 'static) {
    std::thread::spawn(move || tauri::async_runtime::block_on(make()));
}

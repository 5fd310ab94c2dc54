//! IPC commands: one thin function per use case. Blocking work (SQLite, keychain) runs off the
//! main thread. Errors reach the UI as `{code, message}`.

use std::sync::Arc;

use codebind_core::model::{AppInfo, Binding, HistoryPage, HistoryQuery};
use codebind_core::{Core, Error, ErrorCode, Result};
use tauri::State;

use crate::state::AppState;

async fn blocking<T: Send + 'static>(
    state: State<'_, AppState>,
    f: impl FnOnce(&Core) -> Result<T> + Send + 'static,
) -> Result<T> {
    let core: Arc<Core> = state.core()?;
    tauri::async_runtime::spawn_blocking(move || f(&core))
        .await
        .map_err(|e| Error::new(ErrorCode::Internal, format!("background task failed: {e}")))?
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo> {
    blocking(state, |core| Ok(core.app_info())).await
}

#[tauri::command]
pub async fn list_bindings(state: State<'_, AppState>) -> Result<Vec<Binding>> {
    blocking(state, |core| core.list_bindings()).await
}

#[tauri::command]
pub async fn list_history(state: State<'_, AppState>, query: Option<HistoryQuery>) -> Result<HistoryPage> {
    blocking(state, move |core| core.history(&query.unwrap_or_default())).await
}

//! IPC for per-host connection settings (CA bundle, proxy).

use codebind_core::usecases::{HostEntry, HostUpdate};
use codebind_core::Result;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn list_hosts(state: State<'_, AppState>) -> Result<Vec<HostEntry>> {
    state.core()?.hosts()
}

#[tauri::command]
pub async fn save_host(state: State<'_, AppState>, update: HostUpdate) -> Result<HostEntry> {
    state.core()?.save_host(&update)
}

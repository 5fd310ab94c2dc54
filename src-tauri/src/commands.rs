//! IPC commands: one thin function per use case. Blocking work (SQLite, keychain) runs off the
//! main thread. Errors reach the UI as `{code, message}`. Commands that change bindings emit
//! `bindings-changed` so every view reloads.

use std::sync::Arc;

use codebind_core::model::{
    AppInfo, Binding, BindRequest, BindingDetail, HistoryPage, HistoryQuery, Org, Repo, UnbindReport, VerifyProgress, VerifyReport,
};
use codebind_core::{Core, Error, ErrorCode, Result};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, State};

use crate::state::AppState;

/// The event the UI listens to for reloading bindings.
pub const BINDINGS_CHANGED: &str = "bindings-changed";

async fn blocking<T: Send + 'static>(
    state: State<'_, AppState>,
    f: impl FnOnce(&Core) -> Result<T> + Send + 'static,
) -> Result<T> {
    let core: Arc<Core> = state.core()?;
    tauri::async_runtime::spawn_blocking(move || f(&core))
        .await
        .map_err(|e| Error::new(ErrorCode::Internal, format!("background task failed: {e}")))?
}

fn changed(app: &AppHandle) {
    let _ = app.emit(BINDINGS_CHANGED, ());
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

#[tauri::command]
pub async fn binding_detail(state: State<'_, AppState>, id: String) -> Result<BindingDetail> {
    blocking(state, move |core| core.binding_detail(&id)).await
}

#[tauri::command]
pub async fn bind_with_token(app: AppHandle, state: State<'_, AppState>, request: BindRequest) -> Result<Binding> {
    let b = state.core()?.bind_with_token(request).await?;
    changed(&app);
    Ok(b)
}

#[tauri::command]
pub async fn verify_binding(app: AppHandle, state: State<'_, AppState>, id: String) -> Result<VerifyReport> {
    let r = state.core()?.verify(&id).await?;
    changed(&app);
    Ok(r)
}

/// Verifies every enabled binding; each finished one is sent on `progress` as it lands.
#[tauri::command]
pub async fn verify_all(app: AppHandle, state: State<'_, AppState>, progress: Channel<VerifyProgress>) -> Result<Vec<VerifyReport>> {
    let r = state
        .core()?
        .verify_all_with(|p| {
            let _ = progress.send(p);
        })
        .await?;
    changed(&app);
    Ok(r)
}

#[tauri::command]
pub async fn set_disabled(app: AppHandle, state: State<'_, AppState>, id: String, disabled: bool) -> Result<Binding> {
    let b = blocking(state, move |core| if disabled { core.disable(&id) } else { core.enable(&id) }).await?;
    changed(&app);
    Ok(b)
}

#[tauri::command]
pub async fn unbind(app: AppHandle, state: State<'_, AppState>, id: String, revoke: bool, remove_hooks: Option<bool>) -> Result<UnbindReport> {
    let core = state.core()?;
    let remove_hooks = remove_hooks.unwrap_or(true);
    let r = crate::threads::on_own_thread(move || async move { core.unbind_with(&id, revoke, remove_hooks).await }).await?;
    changed(&app);
    Ok(r)
}

#[tauri::command]
pub async fn list_orgs(state: State<'_, AppState>, id: String) -> Result<Vec<Org>> {
    state.core()?.orgs(&id).await
}

/// Streams repositories to the UI page by page through `pages`; returns the total count.
#[tauri::command]
pub async fn list_repos(state: State<'_, AppState>, id: String, pages: Channel<Vec<Repo>>) -> Result<u32> {
    let count = std::sync::atomic::AtomicU32::new(0);
    state
        .core()?
        .repos_streaming(&id, &|page: Vec<Repo>| {
            count.fetch_add(page.len() as u32, std::sync::atomic::Ordering::Relaxed);
            let _ = pages.send(page);
        })
        .await?;
    Ok(count.into_inner())
}

//! History export from the desktop app: the webview cannot save a download itself (WebKitGTK drops
//! Blob downloads), so Rust writes the file into the Downloads folder (or `CODEBIND_EXPORT_DIR`)
//! under a name that never overwrites, and can show it in the file manager afterwards.

use std::path::PathBuf;

use codebind_core::usecases::{free_export_path, ExportFilter, ExportFormat, ExportReport};
use codebind_core::{Error, ErrorCode, Result};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

fn export_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CODEBIND_EXPORT_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::download_dir()
        .or_else(dirs::home_dir)
        .ok_or_else(|| Error::new(ErrorCode::Storage, "there is no Downloads or home folder to save the export in"))
}

#[tauri::command]
pub async fn export_history(state: State<'_, AppState>, filter: ExportFilter, format: ExportFormat) -> Result<ExportReport> {
    let core = state.core()?;
    let dir = export_dir()?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::new(ErrorCode::Storage, format!("cannot create {}: {e}", dir.display())))?;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let path = free_export_path(&dir, format, &today);
    let report = tauri::async_runtime::spawn_blocking(move || core.export_history(&filter, format, &path))
        .await
        .map_err(|e| Error::new(ErrorCode::Internal, format!("the export stopped: {e}")))??;
    state.remember_export(&report.path);
    Ok(report)
}

/// Shows an exported file in the file manager (only files this run exported).
#[tauri::command]
pub async fn reveal_export(app: AppHandle, state: State<'_, AppState>, path: String) -> Result<()> {
    if !state.exported(&path) {
        return Err(Error::invalid_input("only files Codebind exported can be shown"));
    }
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("cannot open the file manager: {e}")))
}

//! IPC for build rules, webhooks and "Build now".

use codebind_core::model::{BuildRule, TriggerReport, WebhookState};
use codebind_core::usecases::{HookSync, NewRule, RuleAdded, RuleEdit, RuleRemoved, RuleSaved};
use codebind_core::Result;
use tauri::{AppHandle, Emitter, State};

use crate::commands::BINDINGS_CHANGED;
use crate::state::AppState;

#[tauri::command]
pub async fn list_rules(state: State<'_, AppState>, binding_id: Option<String>) -> Result<Vec<BuildRule>> {
    state.core()?.rules(binding_id.as_deref())
}

#[tauri::command]
pub async fn add_rule(app: AppHandle, state: State<'_, AppState>, rule: NewRule) -> Result<RuleAdded> {
    let added = state.core()?.add_rule(rule).await?;
    let _ = app.emit(BINDINGS_CHANGED, ());
    Ok(added)
}

#[tauri::command]
pub async fn remove_rule(app: AppHandle, state: State<'_, AppState>, id: String) -> Result<RuleRemoved> {
    let removed = state.core()?.remove_rule(&id).await?;
    let _ = app.emit(BINDINGS_CHANGED, ());
    Ok(removed)
}

#[tauri::command]
pub async fn update_rule(app: AppHandle, state: State<'_, AppState>, edit: RuleEdit) -> Result<RuleSaved> {
    let saved = state.core()?.update_rule(edit).await?;
    let _ = app.emit(BINDINGS_CHANGED, ());
    Ok(saved)
}

#[tauri::command]
pub async fn set_rule_enabled(app: AppHandle, state: State<'_, AppState>, id: String, enabled: bool) -> Result<RuleSaved> {
    let saved = state.core()?.set_rule_enabled(&id, enabled).await?;
    let _ = app.emit(BINDINGS_CHANGED, ());
    Ok(saved)
}

/// Re-creates a repository's webhook (missing or drifted at the provider) or removes an unneeded one.
#[tauri::command]
pub async fn repair_hook(app: AppHandle, state: State<'_, AppState>, binding_id: String, repo: String) -> Result<HookSync> {
    let sync = state.core()?.repair_hook(&binding_id, &repo).await?;
    let _ = app.emit(BINDINGS_CHANGED, ());
    Ok(sync)
}

#[tauri::command]
pub async fn list_hooks(state: State<'_, AppState>, binding_id: String) -> Result<Vec<WebhookState>> {
    state.core()?.hooks(&binding_id).await
}

#[tauri::command]
pub async fn trigger_build(app: AppHandle, state: State<'_, AppState>, rule_id: String, git_ref: Option<String>) -> Result<TriggerReport> {
    let report = state.core()?.trigger(&rule_id, git_ref.as_deref()).await;
    // The delivery is in the binding's history either way.
    let _ = app.emit(BINDINGS_CHANGED, ());
    report
}

#[tauri::command]
pub async fn trigger_url(state: State<'_, AppState>) -> Result<Option<String>> {
    state.core()?.trigger_url()
}

#[tauri::command]
pub async fn set_trigger_url(state: State<'_, AppState>, url: Option<String>) -> Result<Option<String>> {
    let core = state.core()?;
    core.set_trigger_url(url.as_deref().filter(|u| !u.trim().is_empty()))?;
    core.trigger_url()
}

/// Sets or clears the `Authorization` header sent with every trigger (kept in the keychain).
#[tauri::command]
pub async fn set_trigger_auth(state: State<'_, AppState>, value: Option<String>) -> Result<bool> {
    let core = state.core()?;
    core.set_trigger_auth(value.as_deref())?;
    core.has_trigger_auth()
}

/// Whether a trigger `Authorization` header is set (never its value).
#[tauri::command]
pub async fn has_trigger_auth(state: State<'_, AppState>) -> Result<bool> {
    state.core()?.has_trigger_auth()
}

//! OAuth in the app: open the system browser (never a webview), receive the callback through the
//! `codebind://` deep link or a loopback listener, or run the device grant; the outcome reaches
//! the UI as the `oauth-finished` event. Tokens never reach the UI.

use std::sync::Arc;

use codebind_core::auth::callback::{parse_bytes, Expect};
use codebind_core::auth::device::DeviceCode;
use codebind_core::auth::loopback::Loopback;
use codebind_core::model::ProviderKind;
use codebind_core::usecases::{OAuthAppView, OAuthFinished, OAuthStarted, Redirect};
use codebind_core::{Core, Error, Result};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use crate::commands::BINDINGS_CHANGED;
use crate::state::AppState;
use crate::threads::detach;

pub const OAUTH_FINISHED: &str = "oauth-finished";

fn kind(provider: &str) -> Result<ProviderKind> {
    ProviderKind::parse(provider).ok_or_else(|| Error::invalid_input(format!("unknown provider {provider:?}")))
}

fn open_in_browser<R: Runtime>(app: &AppHandle<R>, url: &str) -> Result<()> {
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| Error::new(codebind_core::ErrorCode::Internal, format!("cannot open the browser ({e}); copy the link instead")))
}

/// A background sign-in ended: no longer cancellable; tell the UI.
fn finished<R: Runtime>(app: &AppHandle<R>, attempt_id: &str, result: Result<codebind_core::model::Binding>) {
    if let Some(state) = app.try_state::<AppState>() {
        state.forget_sign_in(attempt_id);
    }
    report(app, result);
}

fn report<R: Runtime>(app: &AppHandle<R>, result: Result<codebind_core::model::Binding>) {
    let payload = match result {
        Ok(b) => OAuthFinished { binding: Some(b), error: None },
        Err(e) => {
            eprintln!("codebind: sign-in failed: [{}] {}", e.code.as_str(), e.message);
            OAuthFinished { binding: None, error: Some(e) }
        }
    };
    let _ = app.emit(OAUTH_FINISHED, payload);
    let _ = app.emit(BINDINGS_CHANGED, ());
}

#[tauri::command]
pub async fn start_oauth(
    app: AppHandle,
    state: State<'_, AppState>,
    provider: String,
    host: Option<String>,
    redirect: Redirect,
) -> Result<OAuthStarted> {
    let core: Arc<Core> = state.core()?;
    let kind = kind(&provider)?;
    match redirect {
        Redirect::DeepLink => {
            let started = core.start_oauth(kind, host.as_deref(), None, None)?;
            open_in_browser(&app, &started.authorize_url)?;
            Ok(started)
        }
        Redirect::Loopback => {
            let listener = Loopback::bind().await?;
            let started = core.start_oauth(kind, host.as_deref(), Some(&listener.redirect_uri()), None)?;
            open_in_browser(&app, &started.authorize_url)?;
            let handle = app.clone();
            let id = started.attempt_id.clone();
            let cancelled = state.track_sign_in(&id);
            detach(move || async move {
                let wait = async {
                    match tokio::time::timeout(std::time::Duration::from_secs(600), listener.wait()).await {
                        Ok(Ok(cb)) => core.finish_oauth(cb).await,
                        Ok(Err(e)) => Err(e),
                        Err(_) => Err(Error::new(codebind_core::ErrorCode::OauthExpired, "no sign-in arrived within 10 minutes")),
                    }
                };
                let result = tokio::select! {
                    r = wait => r,
                    _ = cancelled => Err(Error::new(codebind_core::ErrorCode::OauthCancelled, "sign-in cancelled")),
                };
                finished(&handle, &id, result);
            });
            Ok(started)
        }
    }
}

#[tauri::command]
pub async fn start_device(app: AppHandle, state: State<'_, AppState>, provider: String, host: Option<String>) -> Result<DeviceCode> {
    let core: Arc<Core> = state.core()?;
    let (code, signin) = core.start_device(kind(&provider)?, host.as_deref(), None).await?;
    let handle = app.clone();
    let id = code.attempt_id.clone();
    let cancelled = state.track_sign_in(&id);
    detach(move || async move {
        let result = tokio::select! {
            r = core.finish_device(signin) => r,
            _ = cancelled => Err(Error::new(codebind_core::ErrorCode::OauthCancelled, "sign-in cancelled")),
        };
        finished(&handle, &id, result);
    });
    Ok(code)
}

/// Cancels a sign-in: a browser sign-in's callback is refused from now on; a loopback or device
/// sign-in stops waiting. The UI hears `oauth-finished` with `oauth_cancelled` for the latter.
#[tauri::command]
pub async fn cancel_sign_in(state: State<'_, AppState>, attempt_id: String) -> Result<bool> {
    let forgotten = state.core()?.cancel_oauth(&attempt_id);
    let stopped = state.stop_sign_in(&attempt_id);
    Ok(forgotten || stopped)
}

#[tauri::command]
pub async fn oauth_app(state: State<'_, AppState>, provider: String, host: Option<String>) -> Result<OAuthAppView> {
    state.core()?.oauth_app_view(kind(&provider)?, host.as_deref())
}

#[tauri::command]
pub async fn save_oauth_app(
    state: State<'_, AppState>,
    provider: String,
    host: Option<String>,
    client_id: String,
    client_secret: Option<String>,
) -> Result<OAuthAppView> {
    state.core()?.save_oauth_app(kind(&provider)?, host.as_deref(), &client_id, client_secret.as_deref())
}

/// A `codebind://` link (deep link or forwarded by a second instance): only OAuth callbacks are
/// acted on, after strict validation; anything else is logged (redacted) and dropped.
pub fn handle_link<R: Runtime>(app: &AppHandle<R>, raw: &str) {
    let Some(state) = app.try_state::<AppState>() else { return };
    let Ok(core) = state.core() else { return };
    match parse_bytes(raw.as_bytes(), Expect::DeepLink) {
        Ok(callback) => {
            let handle = app.clone();
            detach(move || async move {
                let result = core.finish_oauth(callback).await;
                report(&handle, result);
            });
        }
        Err(e) => eprintln!("codebind: {}", e.message),
    }
}

/// How long after launch the first refresh pass waits. A pass reads each due binding's refresh
/// token from the keychain, and on Linux every read is its own Secret Service session (a D-Bus
/// round trip and a Diffie-Hellman key exchange, ~10 ms of CPU between the app and the keyring
/// daemon). At launch that work took both cores from the webview while it painted the dashboard
/// (measured with perf: ~300 ms of CPU with 200 bindings); a token due within the 15-minute margin
/// can wait these seconds.
const FIRST_PASS_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

/// Refreshes OAuth tokens a while before they expire (GitLab and Bitbucket: 2 h, Gitee: 1 day).
pub fn spawn_refresher<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    detach(move || async move {
        tokio::time::sleep(FIRST_PASS_AFTER).await;
        loop {
            if let Some(state) = handle.try_state::<AppState>() {
                if let Ok(core) = state.core() {
                    let results = core.refresh_due(chrono::Duration::minutes(15)).await;
                    if !results.is_empty() {
                        let _ = handle.emit(BINDINGS_CHANGED, ());
                    }
                }
            }
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    });
}

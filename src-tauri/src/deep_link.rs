//! `codebind://` links. Linux and Windows hand them to a new process as its only argument;
//! single-instance forwards that to the running app, which sees it as an open-url event. On a cold
//! start the URL is read with `get_current()`, since the event fires before our listener exists.
//! macOS delivers open-url events directly.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;

pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            receive(&handle, &url);
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            receive(app, &url);
        }
    }
    Ok(())
}

/// A link brings the window forward; OAuth callbacks finish their sign-in. The log never shows
/// the query (codes, state).
fn receive<R: Runtime>(app: &AppHandle<R>, url: &url::Url) {
    eprintln!("codebind: received a link {}://{}{} (query redacted)", url.scheme(), url.host_str().unwrap_or(""), url.path());
    focus_main_window(app);
    crate::oauth::handle_link(app, url.as_str());
}

pub fn focus_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

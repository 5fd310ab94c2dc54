//! External links (token pages, fix links, SSO grants) open in the user's browser, never in the
//! app's webview. Only https URLs (and http on loopback hosts) are opened.

use codebind_core::providers::Host;
use codebind_core::{Error, ErrorCode, Result};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

#[tauri::command]
pub async fn open_external(app: AppHandle, url: String) -> Result<()> {
    let parsed = url::Url::parse(&url).map_err(|_| Error::new(ErrorCode::InvalidUrl, "not a link"))?;
    let allowed = match parsed.scheme() {
        "https" => true,
        "http" => Host::parse(&url).is_ok_and(|h| h.is_loopback()),
        _ => false,
    };
    if !allowed {
        return Err(Error::new(ErrorCode::InsecureHttp, "only https links are opened"));
    }
    app.opener()
        .open_url(parsed.as_str(), None::<&str>)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("cannot open the browser: {e}")))
}

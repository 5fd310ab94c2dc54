//! The device authorization grant (RFC 8628) for GitHub and GitLab 17.9+: the user types a code at
//! a verification URL while Codebind polls the token endpoint. GitHub answers pending polls with 200
//! and `{"error": ...}`; GitLab with 400. Both are handled.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::apps::OAuthApp;
use super::client::TokenSet;
use super::endpoints::Endpoints;
use crate::error::{Error, ErrorCode, Result};
use crate::net::{Auth, Http};
use crate::vault::Secret;

const JSON: [(&str, &str); 1] = [("accept", "application/json")];

/// What the user needs to finish a device sign-in. The device code stays in Rust.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DeviceCode {
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    #[ts(type = "number")]
    pub expires_in: u64,
    #[ts(type = "number")]
    pub interval: u64,
    /// Names this sign-in for `cancel_sign_in`.
    #[serde(default)]
    pub attempt_id: String,
}

#[derive(Deserialize)]
struct DeviceResponse {
    device_code: String,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: Option<String>,
    expires_in: u64,
    interval: Option<u64>,
}

pub async fn start(http: &Http, ep: &Endpoints, app: &OAuthApp, scopes: &[String]) -> Result<(DeviceCode, Secret)> {
    let url = ep.device.as_deref().ok_or_else(|| Error::new(ErrorCode::InvalidInput, "this provider has no device sign-in"))?;
    let scope = scopes.join(" ");
    let r = http.post_form(url, &Auth::None, &JSON, &[("client_id", &app.client_id), ("scope", &scope)]).await?;
    if !r.is_success() {
        return Err(Error::new(ErrorCode::OauthDenied, format!("the provider refused the device sign-in (HTTP {})", r.status)));
    }
    let d: DeviceResponse = r.json()?;
    Ok((
        DeviceCode {
            user_code: d.user_code,
            verification_uri: d.verification_uri,
            verification_uri_complete: d.verification_uri_complete,
            expires_in: d.expires_in,
            interval: d.interval.unwrap_or(5).max(1),
            attempt_id: String::new(),
        },
        Secret::new(d.device_code),
    ))
}

/// Polls until the user approves, denies, or the code expires.
pub async fn poll(http: &Http, ep: &Endpoints, app: &OAuthApp, code: &DeviceCode, device_code: &Secret) -> Result<TokenSet> {
    let mut interval = Duration::from_secs(code.interval);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(code.expires_in);
    loop {
        tokio::time::sleep(interval).await;
        if tokio::time::Instant::now() > deadline {
            return Err(Error::new(ErrorCode::OauthExpired, "the device code expired before it was approved"));
        }
        let mut form = vec![
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code.expose()),
            ("client_id", app.client_id.as_str()),
        ];
        if let Some(s) = &app.client_secret {
            form.push(("client_secret", s.expose()));
        }
        let r = http.post_form(&ep.token, &Auth::None, &JSON, &form).await?;
        let v: serde_json::Value = r.json()?;
        if let Some(access) = v.get("access_token").and_then(|a| a.as_str()) {
            let expires_at = v.get("expires_in").and_then(|e| e.as_i64()).map(|s| crate::time::format(chrono::Utc::now() + chrono::Duration::seconds(s)));
            return Ok(TokenSet {
                access: Secret::new(access),
                refresh: v.get("refresh_token").and_then(|t| t.as_str()).map(Secret::new),
                expires_at,
                scopes: v.get("scope").and_then(|s| s.as_str()).map(|s| s.split([',', ' ']).filter(|x| !x.is_empty()).map(str::to_owned).collect()),
            });
        }
        match v.get("error").and_then(|e| e.as_str()).unwrap_or("") {
            "authorization_pending" => {}
            "slow_down" => interval += Duration::from_secs(5),
            "access_denied" => return Err(Error::new(ErrorCode::OauthDenied, "the sign-in was denied")),
            "expired_token" => return Err(Error::new(ErrorCode::OauthExpired, "the device code expired before it was approved")),
            other => return Err(Error::new(ErrorCode::OauthDenied, format!("the provider refused the device sign-in ({other})"))),
        }
    }
}

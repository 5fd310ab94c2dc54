//! OAuth use cases: start a sign-in (deep link, loopback or device), finish it from a callback,
//! refresh tokens before they expire, and revoke on unbind.

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::{Core, VerifiedAccount};
use crate::auth::apps::{self, OAuthApp};
use crate::auth::callback::{Callback, DEEP_LINK_REDIRECT};
use crate::auth::client::{self, TokenSet};
use crate::auth::device::{self, DeviceCode};
use crate::auth::endpoints::{endpoints, Endpoints};
use crate::auth::pending::Attempt;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{AuthMethod, Binding, BindingStatus, EventKind, ProviderKind, RevokeOutcome};
use crate::net::Auth;
use crate::providers::{self, scopes, Host, Session};
use crate::store::NewEvent;
use crate::time::now;
use crate::vault::{client_secret_key, refresh_token_key, Secret};

/// How the browser comes back to Codebind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Redirect {
    /// `codebind://oauth/callback`
    DeepLink,
    /// `http://127.0.0.1:<port>/callback`, chosen by the caller's listener.
    Loopback,
}

/// A started sign-in: the URL to open in the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OAuthStarted {
    pub authorize_url: String,
    pub redirect_uri: String,
    /// Names this sign-in for `cancel_sign_in`.
    pub attempt_id: String,
}

/// An OAuth app as Settings shows it (never the secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OAuthAppView {
    pub provider: ProviderKind,
    pub host: String,
    pub client_id: Option<String>,
    pub has_secret: bool,
    pub source: Option<String>,
    /// What to register on the provider as the callback / redirect URI.
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub secret_required: bool,
    pub device_flow: bool,
}

fn ep(kind: ProviderKind, host: &Host) -> Result<Endpoints> {
    endpoints(kind, host).ok_or_else(|| Error::new(ErrorCode::InvalidInput, format!("{} binds with personal access tokens only", kind.display_name())))
}

fn host_or_default(kind: ProviderKind, host: Option<&str>) -> Result<Host> {
    match host.map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => Host::parse(h),
        None => Host::default_for(kind).ok_or_else(|| Error::new(ErrorCode::InvalidUrl, format!("{} needs the host URL of your instance", kind.display_name()))),
    }
}

impl Core {
    /// The OAuth app for a provider on a host: Settings first, then environment, file and build.
    pub fn oauth_app(&self, kind: ProviderKind, host: &Host) -> Result<OAuthApp> {
        if let Some((client_id, has_secret)) = self.store.oauth_app(kind, host.as_str())? {
            let client_secret = if has_secret { self.vault.get(&client_secret_key(kind.as_str(), host.as_str()))? } else { None };
            return Ok(OAuthApp { client_id, client_secret, source: "settings" });
        }
        apps::configured(kind, host).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("no OAuth app is configured for {} on {host}; register one and enter its client id in Settings, or bind with a token", kind.display_name()),
            )
        })
    }

    /// Saves an OAuth app entered in Settings; the secret goes to the keychain.
    pub fn save_oauth_app(&self, kind: ProviderKind, host: Option<&str>, client_id: &str, client_secret: Option<&str>) -> Result<OAuthAppView> {
        let host = host_or_default(kind, host)?;
        ep(kind, &host)?;
        let client_id = client_id.trim();
        if client_id.is_empty() || client_id.len() > 256 || client_id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid_input("the client id is empty or malformed"));
        }
        let secret = client_secret.map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = secret {
            self.vault.put(&client_secret_key(kind.as_str(), host.as_str()), &Secret::new(s))?;
        }
        let keep_secret = secret.is_some() || self.store.oauth_app(kind, host.as_str())?.is_some_and(|(_, s)| s);
        self.store.set_oauth_app(kind, host.as_str(), client_id, keep_secret)?;
        self.oauth_app_view(kind, Some(host.as_str()))
    }

    pub fn oauth_app_view(&self, kind: ProviderKind, host: Option<&str>) -> Result<OAuthAppView> {
        let host = host_or_default(kind, host)?;
        let e = ep(kind, &host)?;
        let app = self.oauth_app(kind, &host).ok();
        Ok(OAuthAppView {
            provider: kind,
            host: host.as_str().to_owned(),
            has_secret: app.as_ref().is_some_and(|a| a.client_secret.is_some()),
            source: app.as_ref().map(|a| a.source.to_owned()),
            client_id: app.map(|a| a.client_id),
            redirect_uri: if e.loopback { format!("{DEEP_LINK_REDIRECT}  (or http://127.0.0.1/callback for the loopback fallback)") } else { DEEP_LINK_REDIRECT.to_owned() },
            scopes: e.scopes.iter().map(|s| s.to_string()).collect(),
            secret_required: e.secret_required,
            device_flow: e.device.is_some(),
        })
    }

    /// Starts a browser sign-in. `redirect_uri` is the deep link, or the caller's loopback listener.
    pub fn start_oauth(&self, kind: ProviderKind, host: Option<&str>, redirect_uri: Option<&str>, client_id: Option<&str>) -> Result<OAuthStarted> {
        let host = host_or_default(kind, host)?;
        let e = ep(kind, &host)?;
        let mut app = self.oauth_app(kind, &host).or_else(|err| client_id.map(|id| OAuthApp { client_id: id.to_owned(), client_secret: None, source: "command line" }).ok_or(err))?;
        if let Some(id) = client_id {
            app.client_id = id.to_owned();
        }
        if e.secret_required && app.client_secret.is_none() {
            return Err(Error::new(ErrorCode::InvalidInput, format!("{} needs the OAuth app's client secret for sign-in; enter it in Settings", kind.display_name())));
        }
        let redirect_uri = redirect_uri.unwrap_or(DEEP_LINK_REDIRECT).to_owned();
        let scopes: Vec<String> = e.scopes.iter().map(|s| s.to_string()).collect();
        let auth = client::authorization_url(&e, &app, &redirect_uri, &scopes)?;
        let attempt_id = auth.state.clone();
        self.pending.insert(
            auth.state.clone(),
            Attempt::new(kind, host.as_str().to_owned(), app.client_id.clone(), redirect_uri.clone(), auth.pkce_verifier, scopes),
        );
        Ok(OAuthStarted { authorize_url: auth.url, redirect_uri, attempt_id })
    }

    /// Cancels a browser sign-in: a callback for it that arrives later is refused.
    pub fn cancel_oauth(&self, attempt_id: &str) -> bool {
        self.pending.cancel(attempt_id)
    }

    /// Finishes a sign-in from a validated callback: exchange, identity, keychain, store, history.
    pub async fn finish_oauth(&self, callback: Callback) -> Result<Binding> {
        let attempt = self.pending.take(callback.state())?;
        let code = match callback {
            Callback::Code { code, .. } => code,
            Callback::Denied { error, description, .. } => {
                let why = if error == "access_denied" { "you did not authorize Codebind".to_owned() } else { format!("the provider said {error}") };
                return Err(Error::new(ErrorCode::OauthDenied, format!("sign-in cancelled: {why}{}", description.map(|d| format!(" ({d})")).unwrap_or_default())));
            }
        };
        let host = Host::parse(&attempt.host)?;
        let e = ep(attempt.provider, &host)?;
        let mut app = self.oauth_app(attempt.provider, &host).unwrap_or(OAuthApp { client_id: attempt.client_id.clone(), client_secret: None, source: "command line" });
        app.client_id = attempt.client_id.clone();
        let http = self.http_for(&host, None)?;
        let tokens = client::exchange_code(&http, &e, &app, &attempt.redirect_uri, &code, &attempt.pkce_verifier).await?;
        let b = self.bind_oauth_tokens(attempt.provider, &host, tokens).await?;
        self.remember_app(attempt.provider, &host, &app);
        Ok(b)
    }

    /// A client id given only on the command line is kept as the host's app in Settings, so the
    /// binding's tokens can later be refreshed and revoked (both need the client id).
    fn remember_app(&self, kind: ProviderKind, host: &Host, app: &OAuthApp) {
        if app.source == "command line" {
            // The binding is recorded already; failing to remember only costs a refresh later.
            let _ = self.store.set_oauth_app(kind, host.as_str(), &app.client_id, false);
        }
    }

    /// Starts a device sign-in; returns what the user types and where, and the polling handle.
    pub async fn start_device(&self, kind: ProviderKind, host: Option<&str>, client_id: Option<&str>) -> Result<(DeviceCode, DeviceSignIn)> {
        let host = host_or_default(kind, host)?;
        let e = ep(kind, &host)?;
        let mut app = self.oauth_app(kind, &host).or_else(|err| client_id.map(|id| OAuthApp { client_id: id.to_owned(), client_secret: None, source: "command line" }).ok_or(err))?;
        if let Some(id) = client_id {
            app.client_id = id.to_owned();
        }
        let scopes: Vec<String> = e.scopes.iter().map(|s| s.to_string()).collect();
        let http = self.http_for(&host, None)?;
        let (mut code, device_code) = device::start(&http, &e, &app, &scopes).await?;
        code.attempt_id = uuid::Uuid::new_v4().to_string();
        Ok((code.clone(), DeviceSignIn { kind, host, endpoints: e, app, code, device_code }))
    }

    /// Polls until the user approves the device sign-in, then binds.
    pub async fn finish_device(&self, d: DeviceSignIn) -> Result<Binding> {
        let http = self.http_for(&d.host, None)?;
        let tokens = device::poll(&http, &d.endpoints, &d.app, &d.code, &d.device_code).await?;
        let b = self.bind_oauth_tokens(d.kind, &d.host, tokens).await?;
        self.remember_app(d.kind, &d.host, &d.app);
        Ok(b)
    }

    async fn bind_oauth_tokens(&self, kind: ProviderKind, host: &Host, tokens: TokenSet) -> Result<Binding> {
        let http = self.http_for(host, None)?;
        let s = Session { http: &http, host, token: &tokens.access, username: None, organization: None };
        let id = providers::provider(kind).whoami(&s).await?;
        let scopes = id.scopes.or(tokens.scopes);
        let status = match &scopes {
            Some(s) if !scopes::covers_repositories(kind, s) => BindingStatus::InsufficientScopes,
            _ => BindingStatus::Active,
        };
        self.record_binding_with_refresh(
            VerifiedAccount {
                provider: kind,
                host: host.as_str().to_owned(),
                account_id: id.account_id,
                login: id.login,
                display_name: id.display_name,
                avatar_url: id.avatar_url,
                auth_method: AuthMethod::Oauth,
                username: None,
                organization: id.organization,
                scopes,
                expires_at: tokens.expires_at.or(id.expires_at),
                status,
            },
            &tokens.access,
            tokens.refresh.as_ref(),
        )
    }

    /// Refreshes an OAuth binding's tokens. The rotated refresh token is stored before the access
    /// token, so a crash in between loses nothing. A refused refresh sets "needs re-authorization".
    pub async fn refresh(&self, id: &str) -> Result<Binding> {
        let mut b = self.binding(id)?;
        let refresh = self.vault.get(&refresh_token_key(&b.id))?.ok_or_else(|| Error::new(ErrorCode::InvalidInput, "this binding has no refresh token"))?;
        let host = Host::parse(&b.host)?;
        let e = ep(b.provider, &host)?;
        let app = self.oauth_app(b.provider, &host)?;
        let http = self.http_for(&host, None)?;
        match client::refresh(&http, &e, &app, &refresh).await {
            Ok(tokens) => {
                if let Some(r) = &tokens.refresh {
                    self.vault.put(&refresh_token_key(&b.id), r)?;
                }
                self.vault.put(&b.vault_key, &tokens.access)?;
                b.expires_at = tokens.expires_at;
                b.status = BindingStatus::Active;
                b.updated_at = now();
                self.store.update_binding(&b, Some(NewEvent::new(&b.id, EventKind::TokenRefreshed, json!({ "expires_at": b.expires_at }))))?;
                Ok(b)
            }
            Err(err) if err.code == ErrorCode::ProviderUnauthorized => {
                b.status = BindingStatus::NeedsReauth;
                b.updated_at = now();
                self.store.update_binding(&b, Some(NewEvent::new(&b.id, EventKind::VerificationFailed, json!({ "status": "needs_reauth", "code": err.code.as_str(), "message": err.message }))))?;
                Err(err)
            }
            Err(err) => Err(err),
        }
    }

    /// Refreshes every enabled OAuth binding that expires within `margin`.
    pub async fn refresh_due(&self, margin: chrono::Duration) -> Vec<(String, Result<Binding>)> {
        let limit = crate::time::format(chrono::Utc::now() + margin);
        let due: Vec<Binding> = self
            .list_bindings()
            .unwrap_or_default()
            .into_iter()
            .filter(|b| b.auth_method == AuthMethod::Oauth && !b.disabled && b.status != BindingStatus::NeedsReauth)
            .filter(|b| b.expires_at.as_deref().is_some_and(|t| t <= limit.as_str()))
            .filter(|b| self.refresh_candidates.has_refresh_token(self.vault.as_ref(), b))
            .collect();
        let mut out = Vec::new();
        for b in due {
            let r = self.refresh(&b.id).await;
            out.push((b.id, r));
        }
        out
    }

    /// Revokes an OAuth token: RFC 7009 where the provider has it (GitLab), GitHub's application
    /// token API when a client secret is configured, else GitHub's credential revocation, else the
    /// provider's page for revoking the app by hand.
    pub(crate) async fn revoke_oauth(&self, b: &Binding, token: &Secret) -> RevokeOutcome {
        let Ok(host) = Host::parse(&b.host) else { return RevokeOutcome::NotRequested };
        let page = oauth_revoke_page(b.provider, &host);
        let Some(e) = endpoints(b.provider, &host) else { return RevokeOutcome::Manual { url: page } };
        let (Ok(app), Ok(http)) = (self.oauth_app(b.provider, &host), self.http_for(&host, None)) else {
            return RevokeOutcome::Manual { url: page };
        };
        let result = match b.provider {
            ProviderKind::Gitlab => client::revoke(&http, &e, &app, token).await,
            ProviderKind::Github => match &app.client_secret {
                Some(secret) => {
                    let url = format!("{}/applications/{}/token", providers::api_base(b.provider, &host), app.client_id);
                    let body = json!({ "access_token": token.expose() });
                    http.send(reqwest::Method::DELETE, &url, &Auth::Basic(app.client_id.clone(), secret.clone()), &[("accept", "application/vnd.github+json")], Some(&body))
                        .await
                        .and_then(|r| if r.is_success() { Ok(()) } else { Err(Error::new(ErrorCode::ProviderError, format!("GitHub answered HTTP {}", r.status))) })
                }
                None => {
                    let s = Session { http: &http, host: &host, token, username: None, organization: None };
                    return providers::provider(b.provider).revoke(&s).await.unwrap_or_else(|err| RevokeOutcome::Failed { message: err.message, url: page });
                }
            },
            _ => return RevokeOutcome::Manual { url: page },
        };
        match result {
            Ok(()) => RevokeOutcome::Revoked,
            Err(err) => RevokeOutcome::Failed { message: err.message, url: page },
        }
    }
}

/// The page where the user revokes Codebind's OAuth app by hand (the seeds' two-sided unlink).
pub fn oauth_revoke_page(kind: ProviderKind, host: &Host) -> String {
    match kind {
        ProviderKind::Github => host.join("/settings/applications"),
        ProviderKind::Gitlab => host.join("/-/user_settings/applications"),
        ProviderKind::Bitbucket => "https://bitbucket.org/account/settings/app-authorizations/".to_owned(),
        ProviderKind::Gitee => host.join("/profile/applications"),
        ProviderKind::Gitea => host.join("/user/settings/applications"),
        ProviderKind::Codeup => "https://account-devops.aliyun.com/settings/personalAccessToken".to_owned(),
    }
}

/// A device sign-in in progress (holds the device code; never sent to the UI).
pub struct DeviceSignIn {
    kind: ProviderKind,
    host: Host,
    endpoints: Endpoints,
    app: OAuthApp,
    code: DeviceCode,
    device_code: Secret,
}

/// What the app tells the UI when a browser or device sign-in ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OAuthFinished {
    pub binding: Option<Binding>,
    pub error: Option<Error>,
}

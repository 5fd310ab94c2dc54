//! The OAuth client: authorization URLs with PKCE (S256) and a random state, the code exchange,
//! refresh and RFC 7009 revocation, built on the `oauth2` crate with Codebind's one HTTP layer as
//! its transport.

use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RefreshToken, Scope, TokenResponse, TokenUrl,
};

use super::apps::OAuthApp;
use super::endpoints::Endpoints;
use crate::error::{Error, ErrorCode, Result};
use crate::net::{Auth, Http};
use crate::time::format;
use crate::vault::Secret;

/// Tokens from a token endpoint.
#[derive(Debug, Clone)]
pub struct TokenSet {
    pub access: Secret,
    pub refresh: Option<Secret>,
    pub expires_at: Option<String>,
    /// Scopes the provider says it granted (GitHub separates them with commas).
    pub scopes: Option<Vec<String>>,
}

/// A prepared authorization request.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub pkce_verifier: Secret,
}

fn bad_config(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::InvalidInput, format!("bad OAuth endpoint configuration: {e}"))
}

pub fn authorization_url(ep: &Endpoints, app: &OAuthApp, redirect_uri: &str, scopes: &[String]) -> Result<Authorization> {
    let client = BasicClient::new(ClientId::new(app.client_id.clone()))
        .set_auth_uri(AuthUrl::new(ep.authorize.clone()).map_err(bad_config)?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).map_err(bad_config)?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut req = client.authorize_url(CsrfToken::new_random).set_pkce_challenge(challenge);
    for s in scopes {
        req = req.add_scope(Scope::new(s.clone()));
    }
    let (url, state) = req.url();
    Ok(Authorization { url: url.to_string(), state: state.secret().clone(), pkce_verifier: Secret::new(verifier.secret().clone()) })
}

macro_rules! client {
    ($ep:expr, $app:expr) => {{
        let mut c = BasicClient::new(ClientId::new($app.client_id.clone()))
            .set_token_uri(TokenUrl::new($ep.token.clone()).map_err(bad_config)?)
            .set_auth_type(if $ep.basic_auth { AuthType::BasicAuth } else { AuthType::RequestBody });
        if let Some(secret) = &$app.client_secret {
            c = c.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
        }
        c
    }};
}

fn token_error<RE: std::error::Error + 'static, T: oauth2::ErrorResponse + 'static>(
    e: oauth2::RequestTokenError<RE, T>,
) -> Error {
    use oauth2::RequestTokenError::*;
    match e {
        ServerResponse(r) => {
            let text = serde_json::to_value(&r).ok().and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned)).unwrap_or_default();
            oauth_error(&text)
        }
        Request(re) => Error::new(ErrorCode::Network, format!("the token request failed: {re}")),
        Parse(_, body) => {
            // GitHub answers some errors with 200 and {"error": ...}.
            let err = serde_json::from_slice::<serde_json::Value>(&body).ok().and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned));
            match err {
                Some(e) => oauth_error(&e),
                None => Error::new(ErrorCode::ProviderError, "the token endpoint answered something that is not a token"),
            }
        }
        Other(o) => Error::new(ErrorCode::ProviderError, format!("the token request failed: {o}")),
    }
}

/// RFC 6749 section 5.2 error codes (and GitHub's own) mapped to ours. Only a grant the provider
/// refuses (`invalid_grant`) means the token or code is dead; trouble at the provider is transient.
fn oauth_error(code: &str) -> Error {
    let (ours, why) = match code {
        "invalid_grant" | "bad_verification_code" | "bad_refresh_token" | "expired_token" => (ErrorCode::ProviderUnauthorized, "the code or refresh token is invalid, used or expired"),
        "access_denied" => (ErrorCode::OauthDenied, "the sign-in was denied"),
        "unauthorized_client" => (ErrorCode::ProviderUnauthorized, "the provider refused this grant for the app (Gitea also says so for a used code or a failed PKCE check)"),
        "invalid_client" | "incorrect_client_credentials" => (ErrorCode::InvalidInput, "the OAuth app's client id or secret was refused; check it in Settings"),
        "server_error" | "temporarily_unavailable" => (ErrorCode::ProviderUnavailable, "the provider is having trouble; try again later"),
        _ => (ErrorCode::ProviderError, "the provider refused the token request"),
    };
    Error::new(ours, format!("{why} ({code})"))
}

fn token_set(r: &impl TokenResponse) -> TokenSet {
    TokenSet {
        access: Secret::new(r.access_token().secret().clone()),
        refresh: r.refresh_token().map(|t| Secret::new(t.secret().clone())),
        expires_at: r.expires_in().and_then(|d| chrono::Duration::from_std(d).ok()).map(|d| format(chrono::Utc::now() + d)),
        scopes: r.scopes().map(|s| s.iter().flat_map(|x| x.split(',')).map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect()),
    }
}

pub async fn exchange_code(http: &Http, ep: &Endpoints, app: &OAuthApp, redirect_uri: &str, code: &str, verifier: &Secret) -> Result<TokenSet> {
    let client = client!(ep, app).set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).map_err(bad_config)?);
    let transport = |req| http.send_http(req);
    let r = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.expose().to_owned()))
        .request_async(&transport)
        .await
        .map_err(token_error)?;
    Ok(token_set(&r))
}

pub async fn refresh(http: &Http, ep: &Endpoints, app: &OAuthApp, refresh_token: &Secret) -> Result<TokenSet> {
    let client = client!(ep, app);
    let transport = |req| http.send_http(req);
    let r = client
        .exchange_refresh_token(&RefreshToken::new(refresh_token.expose().to_owned()))
        .request_async(&transport)
        .await
        .map_err(token_error)?;
    let mut set = token_set(&r);
    // Providers that do not rotate keep the old refresh token valid.
    if set.refresh.is_none() {
        set.refresh = Some(refresh_token.clone());
    }
    Ok(set)
}

/// RFC 7009 revocation of a token (GitLab `/oauth/revoke`). Sent through the HTTP layer directly:
/// the oauth2 crate refuses any `http:` revocation URL, and hosts on the loopback interface (a
/// local GitLab) are `http:` — `Host` already refuses `http:` anywhere else.
pub async fn revoke(http: &Http, ep: &Endpoints, app: &OAuthApp, token: &Secret) -> Result<()> {
    let Some(url) = &ep.revoke else {
        return Err(Error::new(ErrorCode::ProviderError, "the provider has no revocation endpoint"));
    };
    let mut form = vec![("token", token.expose()), ("token_type_hint", "access_token")];
    let auth = match (&app.client_secret, ep.basic_auth) {
        (Some(secret), true) => Auth::Basic(app.client_id.clone(), secret.clone()),
        (secret, _) => {
            form.push(("client_id", app.client_id.as_str()));
            if let Some(s) = secret {
                form.push(("client_secret", s.expose()));
            }
            Auth::None
        }
    };
    let r = http.post_form(url, &auth, &[("accept", "application/json")], &form).await?;
    if r.is_success() {
        return Ok(());
    }
    let error = serde_json::from_slice::<serde_json::Value>(&r.body).ok().and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned));
    Err(Error::new(ErrorCode::ProviderError, format!("revocation failed: HTTP {}{}", r.status, error.map(|e| format!(" ({e})")).unwrap_or_default())))
}

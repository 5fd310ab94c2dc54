//! OAuth 2.0 as the providers serve it at the host root: GitHub (+ GHES paths), GitLab,
//! Bitbucket Cloud, Gitee and Gitea. Codeup has none.
//!
//! | | authorize | token | device | revoke |
//! |---|---|---|---|---|
//! | GitHub | `/login/oauth/authorize` | `/login/oauth/access_token` | `/login/device/code`, page `/login/device` | (REST: `DELETE /applications/{id}/token`, `POST /credentials/revoke`) |
//! | GitLab | `/oauth/authorize` | `/oauth/token` | `/oauth/authorize_device`, page `/oauth/device` | `/oauth/revoke`; `/oauth/token/info` |
//! | Bitbucket | `/site/oauth2/authorize` | `/site/oauth2/access_token` | — | — |
//! | Gitee | `/oauth/authorize` | `/oauth/token` | — | — |
//! | Gitea | `/login/oauth/authorize` (+ `/login/oauth/grant`) | `/login/oauth/access_token` | — | — (`/.well-known/openid-configuration`) |
//!
//! Sources: GitHub docs `authorizing-oauth-apps.md`, `troubleshooting-authorization-request-errors.md`,
//! `troubleshooting-oauth-app-access-token-request-errors.md`; GitLab `doc/api/oauth2.md` and
//! Doorkeeper (`URIChecker`, error texts, `TokensController#revoke`); Bitbucket Cloud
//! "OAuth 2.0" docs; Gitee `api/v5/oauth_doc`; Gitea `routers/web/auth/oauth2_provider.go`
//! and `models/auth/oauth2.go`. See README.md "OAuth" for each choice.
//!
//! State that is not part of the [`World`] (consent requests, codes, refresh tokens, device
//! grants) lives in [`OAuthState`] behind its own mutex; issued access tokens are real world
//! tokens ([`TokenKind::Oauth`]) added through [`Change::AddToken`].

mod codes;
mod device;
mod pages;
mod token;

pub use codes::s256;

use crate::http::{SimRequest, SimResponse};
use crate::provider::{AsProvider, Provider};
use crate::server::{Effect, Env, SimHandle};
use crate::world::{OAuthApp, ProviderWorld, Token, TokenKind, World};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// The device-code grant type of RFC 8628.
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// OAuth state kept beside the world.
#[derive(Debug, Default)]
pub struct OAuthState {
    /// Consent pages shown and not yet answered, by request id.
    pending: HashMap<String, Grant>,
    /// Issued authorization codes.
    codes: HashMap<String, Code>,
    /// Issued refresh tokens.
    refresh: HashMap<String, Refresh>,
    /// Device grants (RFC 8628).
    devices: Vec<Device>,
}

/// What the user is asked to approve (and, once approved, what a code stands for).
#[derive(Debug, Clone)]
struct Grant {
    provider: Provider,
    client_id: String,
    user: String,
    scopes: Vec<String>,
    /// Where the browser is sent (the given `redirect_uri` or the registered default).
    redirect: String,
    /// The `redirect_uri` parameter as sent, which the token request must repeat.
    redirect_param: Option<String>,
    state: Option<String>,
    /// PKCE `(code_challenge, method)`.
    challenge: Option<(String, String)>,
}

#[derive(Debug, Clone)]
struct Code {
    grant: Grant,
    expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
struct Refresh {
    provider: Provider,
    client_id: String,
    user: String,
    scopes: Vec<String>,
    /// The access token most recently issued with it.
    access: String,
    /// Rotated away (used once where refresh tokens are single-use).
    used: bool,
    /// Revoked (GitLab `/oauth/revoke`, GitHub `/credentials/revoke`).
    revoked: bool,
    expires_at: Option<DateTime<Utc>>,
    /// Issued through the device flow (GitHub: refreshing needs no client secret).
    device: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum DeviceStatus {
    Pending,
    Approved(String),
    Denied,
    /// Tokens were issued; the device code is spent.
    Done,
}

#[derive(Debug, Clone)]
struct Device {
    provider: Provider,
    client_id: String,
    device_code: String,
    user_code: String,
    scopes: Vec<String>,
    expires_at: DateTime<Utc>,
    interval: u64,
    last_poll: Option<DateTime<Utc>>,
    status: DeviceStatus,
}

/// A world change the OAuth endpoints ask for; applied under the write lock.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Add an issued access token to the provider's token table (id assigned here).
    AddToken(Token),
}

/// Applies a [`Change`] (called by the server after the response is built).
pub fn apply(world: &mut World, p: Provider, change: Change) {
    match change {
        Change::AddToken(mut t) => {
            let pw = world.provider_mut(p);
            t.id = pw.tokens.iter().map(|t| t.id).max().unwrap_or(0) + 1;
            pw.tokens.push(t);
        }
    }
}

fn lock(m: &Mutex<OAuthState>) -> MutexGuard<'_, OAuthState> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Routes the OAuth endpoints of `p`; `None` for any other path. Only at the host root
/// (GHES serves them at `https://HOST/login/oauth/...`, not under `/api/v3`).
pub fn handle(env: &Env, req: &SimRequest, p: Provider) -> Option<SimResponse> {
    use Provider::*;
    if !req.prefix.is_empty() {
        return None;
    }
    let path = req.path.trim_end_matches('/');
    let m = req.method.as_str();
    let authorize = authorize_path(p);
    let resp = match (p, m, path) {
        (Codeup, ..) => return None,
        (_, "GET", x) if x == authorize => authorize_get(env, req, p),
        (_, "POST", x) if x == authorize => decide(env, req, p),
        (Gitea, "POST", "/login/oauth/grant") => decide(env, req, p),
        (_, "POST", x) if x == token_path(p) => token::handle(env, req, p),
        (Github, "POST", "/login/device/code") | (Gitlab, "POST", "/oauth/authorize_device") => {
            device::start(env, req, p)
        }
        (Github, "GET" | "POST", "/login/device") | (Gitlab, "GET" | "POST", "/oauth/device") => {
            device::page(env, req, p)
        }
        (Gitlab, "POST", "/oauth/revoke") => token::gitlab_revoke(env, req),
        (Gitlab, "GET", "/oauth/token/info") => token::gitlab_token_info(env, req),
        (Gitea, "GET", "/.well-known/openid-configuration") => gitea_discovery(req),
        _ => return None,
    };
    Some(resp)
}

pub(crate) fn authorize_path(p: Provider) -> &'static str {
    match p {
        Provider::Github | Provider::Gitea => "/login/oauth/authorize",
        Provider::Gitlab | Provider::Gitee => "/oauth/authorize",
        Provider::Bitbucket => "/site/oauth2/authorize",
        Provider::Codeup => "",
    }
}

pub(crate) fn token_path(p: Provider) -> &'static str {
    match p {
        Provider::Github | Provider::Gitea => "/login/oauth/access_token",
        Provider::Gitlab | Provider::Gitee => "/oauth/token",
        Provider::Bitbucket => "/site/oauth2/access_token",
        Provider::Codeup => "",
    }
}

/// Request parameters: the query string, then a form body, then a flat JSON body.
fn params(req: &SimRequest) -> Vec<(String, String)> {
    let mut out = req.query.clone();
    let ct = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.contains("json") {
        if let Some(Value::Object(o)) = req.json() {
            for (k, v) in o {
                let v = match v {
                    Value::String(s) => s,
                    Value::Null => continue,
                    other => other.to_string(),
                };
                out.push((k, v));
            }
        }
    } else if !req.body.is_empty() {
        out.extend(req.form());
    }
    out
}

fn param<'a>(ps: &'a [(String, String)], key: &str) -> Option<&'a str> {
    ps.iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// Client credentials: HTTP Basic `client_id:client_secret` wins over body fields.
#[derive(Debug, Clone, Default)]
struct ClientCreds {
    id: Option<String>,
    secret: Option<String>,
    basic: bool,
}

fn client_creds(req: &SimRequest, ps: &[(String, String)]) -> ClientCreds {
    if let Some(crate::auth::Cred::Basic(u, s)) = crate::auth::authorization(req) {
        let dec = |v: &str| {
            form_urlencoded::parse(format!("v={v}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        return ClientCreds {
            id: Some(dec(&u)).filter(|v| !v.is_empty()),
            secret: Some(dec(&s)).filter(|v| !v.is_empty()),
            basic: true,
        };
    }
    ClientCreds {
        id: param(ps, "client_id").map(str::to_string),
        secret: param(ps, "client_secret").map(str::to_string),
        basic: false,
    }
}

/// The account that approves: the app's configured user, else the provider's first user.
fn approving_user(pw: &ProviderWorld, app: &OAuthApp) -> Option<String> {
    match &app.user {
        Some(u) => pw.user(u).map(|u| u.login.clone()),
        None => pw.users.first().map(|u| u.login.clone()),
    }
}

fn split_scopes(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in s.split([' ', ',', '+']).filter(|x| !x.is_empty()) {
        if !out.iter().any(|y| y == x) {
            out.push(x.to_string());
        }
    }
    out
}

const GITEA_SCOPE_CATEGORIES: [&str; 9] = [
    "activitypub",
    "admin",
    "issue",
    "misc",
    "notification",
    "organization",
    "package",
    "repository",
    "user",
];

/// The scopes a grant carries, or `Err(())` for `invalid_scope`.
fn grant_scopes(p: Provider, app: &OAuthApp, requested: Option<&str>) -> Result<Vec<String>, ()> {
    let asked = requested.map(split_scopes).unwrap_or_default();
    match p {
        // Scopes as asked (none = an empty list, per the docs).
        Provider::Github => Ok(asked),
        // Doorkeeper: unknown to the application → invalid_scope; none → the default `api`
        // (or the application's own scopes).
        Provider::Gitlab => {
            if asked.is_empty() {
                return Ok(if app.scopes.is_empty() {
                    vec!["api".to_string()]
                } else {
                    app.scopes.clone()
                });
            }
            if !app.scopes.is_empty() && asked.iter().any(|s| !app.scopes.contains(s)) {
                return Err(());
            }
            Ok(asked)
        }
        // Fixed by the consumer's permission checkboxes; `scope` is not a documented parameter.
        Provider::Bitbucket => Ok(app.scopes.clone()),
        Provider::Gitee => Ok(if !asked.is_empty() {
            asked
        } else if !app.scopes.is_empty() {
            app.scopes.clone()
        } else {
            vec!["user_info".to_string()]
        }),
        // Gitea ≥ 1.23: granular `read:`/`write:` scopes; only OIDC scopes or anything unknown
        // means full access (the legacy `all`).
        Provider::Gitea => {
            let granular = |s: &str| {
                s.split_once(':').is_some_and(|(lvl, cat)| {
                    matches!(lvl, "read" | "write") && GITEA_SCOPE_CATEGORIES.contains(&cat)
                })
            };
            let oidc = |s: &str| matches!(s, "openid" | "profile" | "email" | "groups" | "public-only");
            let unknown = asked.iter().any(|s| !granular(s) && !oidc(s));
            let g: Vec<String> = asked.iter().filter(|s| granular(s)).cloned().collect();
            Ok(if unknown || g.is_empty() { vec!["all".to_string()] } else { g })
        }
        Provider::Codeup => Ok(asked),
    }
}

/// `base` with query parameters appended (after an existing query, if any).
fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let base = base.split('#').next().unwrap_or(base);
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    let q = ser.finish();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{q}")
}

/// Gitea answers with 303 See Other; the others with 302 Found.
fn redirect(p: Provider, location: &str) -> SimResponse {
    let status = if p == Provider::Gitea { 303 } else { 302 };
    SimResponse::new(status)
        .header("location", location)
        .header("cache-control", "no-store")
}

/// An authorization error sent back to a verified redirect URI (RFC 6749 §4.1.2.1).
fn redirect_error(p: Provider, to: &str, error: &str, desc: &str, state: Option<&str>) -> SimResponse {
    let uri = github_error_uri(error);
    let mut pairs = vec![("error", error), ("error_description", desc)];
    if p == Provider::Github {
        if let Some(u) = uri.as_deref() {
            pairs.push(("error_uri", u));
        }
    }
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect(p, &with_query(to, &pairs))
}

fn github_error_uri(error: &str) -> Option<String> {
    let anchor = match error {
        "access_denied" => "access-denied",
        "redirect_uri_mismatch" => "redirect-uri-mismatch",
        "application_suspended" => "application-suspended",
        _ => return None,
    };
    Some(format!("/apps/building-integrations/setting-up-and-registering-oauth-apps/troubleshooting-authorization-request-errors/#{anchor}"))
}

/// The user denied: `error=access_denied` with each provider's wording.
fn denied_description(p: Provider) -> &'static str {
    match p {
        Provider::Github => "The user has denied your application access.",
        Provider::Gitea => "the request is denied",
        // Doorkeeper's text (GitLab; Gitee and Bitbucket wording unconfirmed).
        _ => "The resource owner or authorization server denied the request.",
    }
}

/// `GET` authorize: validate, then show the consent page (or approve at once).
fn authorize_get(env: &Env, req: &SimRequest, p: Provider) -> SimResponse {
    let q = |k: &str| req.q(k).filter(|v| !v.is_empty());
    let state = q("state");
    let client_id = q("client_id").unwrap_or("");
    let Some(app) = env.pw.app(client_id) else {
        return unknown_client_page(p, client_id);
    };

    // Redirect URI: never redirect to an unregistered one.
    let redirect_param = q("redirect_uri").map(str::to_string);
    let target = match &redirect_param {
        Some(r) if codes::redirect_allowed(p, app, r) => r.clone(),
        Some(_) => {
            // GitHub documents a redirect to the *registered* callback with
            // `error=redirect_uri_mismatch`; everyone else shows an error page.
            if p == Provider::Github {
                if let Some(reg) = app.redirect_uris.first() {
                    return redirect_error(
                        p,
                        reg,
                        "redirect_uri_mismatch",
                        "The redirect_uri MUST match the registered callback URL for this application.",
                        state,
                    );
                }
            }
            return bad_redirect_page(p);
        }
        // GitLab (Doorkeeper) and Gitea need it; the others fall back to the registered one.
        None if matches!(p, Provider::Gitlab | Provider::Gitea) => return bad_redirect_page(p),
        None => match app.redirect_uris.first() {
            Some(r) => r.clone(),
            None => return bad_redirect_page(p),
        },
    };

    // response_type (GitHub ignores it).
    if p != Provider::Github {
        match q("response_type") {
            Some("code") => {}
            None => {
                return redirect_error(
                    p,
                    &target,
                    "invalid_request",
                    "Missing required parameter: response_type.",
                    state,
                )
            }
            Some(_) => {
                let desc = match p {
                    Provider::Gitea => "Only code response type is supported.",
                    _ => "The authorization server does not support this response type.",
                };
                return redirect_error(p, &target, "unsupported_response_type", desc, state);
            }
        }
    }

    // PKCE.
    let challenge = match pkce_params(p, app, q("code_challenge"), q("code_challenge_method")) {
        Ok(c) => c,
        Err(desc) => return redirect_error(p, &target, "invalid_request", desc, state),
    };

    let scopes = match grant_scopes(p, app, q("scope")) {
        Ok(s) => s,
        Err(()) => {
            return redirect_error(
                p,
                &target,
                "invalid_scope",
                "The requested scope is invalid, unknown, or malformed.",
                state,
            )
        }
    };
    let Some(user) = approving_user(env.pw, app) else {
        return pages::error(p, 500, "server_error", "No account exists to sign in with.");
    };
    let grant = Grant {
        provider: p,
        client_id: app.client_id.clone(),
        user,
        scopes,
        redirect: target,
        redirect_param,
        state: state.map(str::to_string),
        challenge,
    };
    let mut st = lock(&env.shared.oauth);
    if env.pw.settings.oauth_auto_approve {
        return approve(env, &mut st, grant);
    }
    let request_id = codes::alnum(24);
    let action = match p {
        Provider::Gitea => "/login/oauth/grant",
        _ => authorize_path(p),
    };
    let resp = pages::consent(
        p,
        &pages::Consent {
            action,
            request_id: &request_id,
            app_name: app.name.as_deref().unwrap_or(&app.client_id),
            client_id: &app.client_id,
            user: &grant.user,
            scopes: &grant.scopes,
            redirect_uri: &grant.redirect,
        },
    );
    st.pending.insert(request_id, grant);
    resp
}

/// Validates `code_challenge` / `code_challenge_method`; `Err` is an `invalid_request` text.
fn pkce_params(
    p: Provider,
    app: &OAuthApp,
    challenge: Option<&str>,
    method: Option<&str>,
) -> Result<Option<(String, String)>, &'static str> {
    match p {
        // github.com: S256 only ("the plain code challenge method is not supported").
        Provider::Github => match (challenge, method) {
            (None, _) => Ok(None),
            (Some(c), Some("S256")) => Ok(Some((c.to_string(), "S256".to_string()))),
            (Some(_), _) => Err("code_challenge_method must be S256"),
        },
        // Gitea: S256 or plain; without a method no PKCE, which public clients may not skip.
        Provider::Gitea => match method {
            Some(m @ ("S256" | "plain")) => Ok(Some((challenge.unwrap_or("").to_string(), m.to_string()))),
            None if app.is_confidential() => Ok(None),
            None => Err("PKCE is required for public clients"),
            Some(_) => Err("unsupported code challenge method"),
        },
        // Doorkeeper (GitLab) and the rest: method defaults to `plain` (RFC 7636 §4.3);
        // GitLab refuses public (non-confidential) applications without PKCE.
        _ => match (challenge, method) {
            (None, _) if p == Provider::Gitlab && !app.is_confidential() => Err("Code challenge is required."),
            (None, _) => Ok(None),
            (Some(c), None | Some("plain")) => Ok(Some((c.to_string(), "plain".to_string()))),
            (Some(c), Some("S256")) => Ok(Some((c.to_string(), "S256".to_string()))),
            (Some(_), Some(_)) => Err("The code challenge method must be plain or S256."),
        },
    }
}

fn unknown_client_page(p: Provider, client_id: &str) -> SimResponse {
    match p {
        // github.com answers an unknown client_id with its 404 page.
        Provider::Github => pages::error(p, 404, "not_found", "Not Found"),
        Provider::Gitlab => pages::error(
            p,
            401,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        ),
        Provider::Gitea => pages::error(p, 400, "unauthorized_client", "Client ID not registered"),
        _ => pages::error(
            p,
            400,
            "invalid_client",
            &format!("Invalid client_id: {client_id}"),
        ),
    }
}

fn bad_redirect_page(p: Provider) -> SimResponse {
    match p {
        Provider::Gitea => pages::error(p, 400, "invalid_request", "Unregistered Redirect URI"),
        Provider::Gitlab => pages::error(
            p,
            400,
            "invalid_redirect_uri",
            "The redirect URI included is not valid.",
        ),
        _ => pages::error(
            p,
            400,
            "redirect_uri_mismatch",
            "The redirect_uri does not match the registered callback URL for this application.",
        ),
    }
}

/// `POST` on the consent form: `request_id` and `decision=approve|deny` (Gitea's own form
/// field `granted=true|false` works too).
fn decide(env: &Env, req: &SimRequest, p: Provider) -> SimResponse {
    let ps = params(req);
    let approve_it = match (param(&ps, "decision"), param(&ps, "granted")) {
        (Some("approve"), _) | (None, Some("true")) => true,
        (Some("deny"), _) | (None, Some("false")) => false,
        _ => return pages::error(p, 400, "invalid_request", "Choose authorize or cancel."),
    };
    let id = param(&ps, "request_id").unwrap_or("");
    let mut st = lock(&env.shared.oauth);
    let Some(grant) = st.pending.remove(id).filter(|g| g.provider == p) else {
        return pages::error(
            p,
            400,
            "invalid_request",
            "This authorization request is no longer valid. Start again from the application.",
        );
    };
    if approve_it {
        approve(env, &mut st, grant)
    } else {
        redirect_error(
            p,
            &grant.redirect,
            "access_denied",
            denied_description(p),
            grant.state.as_deref(),
        )
    }
}

/// Issues a code for an approved grant and redirects with `code` and `state`.
fn approve(env: &Env, st: &mut OAuthState, grant: Grant) -> SimResponse {
    let p = grant.provider;
    let code = codes::auth_code(p);
    let ttl = env.pw.settings.oauth_code_ttl_secs.unwrap_or(600);
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = grant.state.as_deref() {
        pairs.push(("state", s));
    }
    let location = with_query(&grant.redirect, &pairs);
    st.codes.insert(
        code.clone(),
        Code {
            grant,
            expires_at: env.now + Duration::seconds(ttl as i64),
        },
    );
    redirect(p, &location)
}

/// Tokens handed out by one successful grant.
struct Issued {
    access: String,
    refresh: Option<String>,
    expires_in: Option<u64>,
    refresh_expires_in: Option<u64>,
    scopes: Vec<String>,
}

/// Access-token lifetime: the setting, else the provider default. GitHub tokens of apps
/// without token expiration never expire.
fn access_ttl(p: Provider, app: &OAuthApp, pw: &ProviderWorld) -> Option<u64> {
    let default = match p {
        Provider::Github if !app.expiring_tokens => return None,
        Provider::Github => 28_800,
        Provider::Gitlab | Provider::Bitbucket => 7_200,
        Provider::Gitee => 86_400,
        Provider::Gitea => 3_600,
        Provider::Codeup => 86_400,
    };
    Some(pw.settings.oauth_token_ttl_secs.unwrap_or(default))
}

/// Refresh-token lifetime: GitHub 6 months (15897600 s), Gitea `REFRESH_TOKEN_EXPIRATION_TIME`
/// 730 h; the others do not expire them.
fn refresh_ttl(p: Provider) -> Option<u64> {
    match p {
        Provider::Github => Some(15_897_600),
        Provider::Gitea => Some(730 * 3_600),
        _ => None,
    }
}

fn issues_refresh(p: Provider, app: &OAuthApp) -> bool {
    p != Provider::Github || app.expiring_tokens
}

/// Creates an access token (a world token, via an effect) and, where the provider issues
/// one, a refresh token.
fn issue(
    env: &Env,
    st: &mut OAuthState,
    p: Provider,
    app: &OAuthApp,
    user: &str,
    scopes: Vec<String>,
    device: bool,
) -> Issued {
    let ttl = access_ttl(p, app, env.pw);
    let exp = ttl.map(|s| env.now + Duration::seconds(s as i64));
    let access = codes::access_token(p, exp.map(|e| e.timestamp()).unwrap_or(0));
    let mut t = Token::new(&access, user, TokenKind::Oauth);
    t.scopes = scopes.clone();
    t.expires_at = exp;
    t.app = Some(app.client_id.clone());
    t.name = app.name.clone();
    t.created_at = Some(env.now);
    env.effect(Effect::Oauth(Change::AddToken(t)));
    let refresh = issues_refresh(p, app).then(|| {
        let rttl = refresh_ttl(p);
        let rexp = rttl.map(|s| env.now + Duration::seconds(s as i64));
        let value = codes::refresh_token(p, rexp.map(|e| e.timestamp()).unwrap_or(0));
        st.refresh.insert(
            value.clone(),
            Refresh {
                provider: p,
                client_id: app.client_id.clone(),
                user: user.to_string(),
                scopes: scopes.clone(),
                access: access.clone(),
                used: false,
                revoked: false,
                expires_at: rexp,
                device,
            },
        );
        value
    });
    Issued {
        access,
        refresh_expires_in: refresh.as_ref().and(refresh_ttl(p)),
        refresh,
        expires_in: ttl,
        scopes,
    }
}

/// Revokes a refresh token and the access token issued with it. For GitHub's
/// `POST /credentials/revoke` (`ghr_…` values) and GitLab's `/oauth/revoke`.
pub fn revoke_refresh_token(env: &Env, p: Provider, value: &str) -> bool {
    let mut st = lock(&env.shared.oauth);
    match st.refresh.get_mut(value).filter(|r| r.provider == p) {
        Some(r) => {
            r.revoked = true;
            env.effect(Effect::RevokeToken(r.access.clone()));
            true
        }
        None => false,
    }
}

/// Gitea's OIDC discovery document (`routers/web/auth/oauth2_wellknown.go` template).
fn gitea_discovery(req: &SimRequest) -> SimResponse {
    let o = &req.origin;
    SimResponse::json(
        200,
        &json!({
            "issuer": format!("{o}/"),
            "authorization_endpoint": format!("{o}/login/oauth/authorize"),
            "token_endpoint": format!("{o}/login/oauth/access_token"),
            "jwks_uri": format!("{o}/login/oauth/keys"),
            "userinfo_endpoint": format!("{o}/login/oauth/userinfo"),
            "introspection_endpoint": format!("{o}/login/oauth/introspect"),
            "response_types_supported": ["code", "id_token"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "scopes_supported": ["openid", "profile", "email", "groups"],
            "claims_supported": ["aud", "exp", "iat", "iss", "sub", "name", "preferred_username", "profile", "picture", "website", "locale", "updated_at", "email", "email_verified", "groups"],
            "code_challenge_methods_supported": ["plain", "S256"],
            "grant_types_supported": ["authorization_code", "refresh_token"]
        }),
    )
}

impl SimHandle {
    /// Approves a pending device authorization as the app's user (what a person does at the
    /// verification URI). Returns false for an unknown, expired or already answered code.
    pub fn approve_device(&self, user_code: &str) -> bool {
        self.decide_device(user_code, true)
    }

    /// Denies a pending device authorization (the user pressed Cancel).
    pub fn deny_device(&self, user_code: &str) -> bool {
        self.decide_device(user_code, false)
    }

    /// Number of authorization codes issued and not yet exchanged, for a provider.
    pub fn pending_oauth_codes(&self, p: impl AsProvider) -> usize {
        let p = p.provider();
        lock(&self.shared.oauth)
            .codes
            .values()
            .filter(|c| c.grant.provider == p)
            .count()
    }

    fn decide_device(&self, user_code: &str, approve_it: bool) -> bool {
        let world = self
            .shared
            .world
            .read()
            .unwrap_or_else(|e| e.into_inner());
        let resolve = |p: Provider, cid: &str| {
            let pw = world.provider(p);
            let app = pw.app(cid)?;
            let user = approving_user(pw, app)?;
            Some((user, app.name.clone().unwrap_or_else(|| app.client_id.clone())))
        };
        let mut st = lock(&self.shared.oauth);
        device::decide(&mut st, None, user_code, approve_it, Utc::now(), &resolve).is_some()
    }
}

//! The token endpoint (authorization code, refresh token, device code), its errors in each
//! provider's shape, GitLab's RFC 7009 revocation and token info.
//!
//! Error shapes:
//! - GitHub: HTTP **200** with `error`, `error_description`, `error_uri`, form-encoded unless
//!   `Accept: application/json` ("Troubleshooting OAuth app access token request errors").
//! - GitLab (Doorkeeper): JSON `{"error","error_description"}`, 401 for `invalid_client`,
//!   400 otherwise, with Doorkeeper's English texts.
//! - Bitbucket: JSON, 400 (`invalid_grant` "The specified code is not valid.",
//!   `unauthorized_client` "Requests must be authenticated using OAuth client credentials";
//!   both seen from bitbucket.org, statuses unconfirmed).
//! - Gitee (Doorkeeper, Chinese locale): `invalid_grant` "授权方式无效，或者登录回调地址无效、过期或已被撤销"
//!   (seen from gitee.com); statuses and the other texts unconfirmed.
//! - Gitea: JSON, always 400 (`handleAccessTokenError`), texts from `oauth2_provider.go`.

use super::{
    client_creds, codes, device, issue, lock, param, params, Issued, DEVICE_GRANT,
};
use crate::auth::{self, Cred, Lookup};
use crate::http::{SimRequest, SimResponse};
use crate::provider::Provider;
use crate::server::{Effect, Env};
use crate::world::{OAuthApp, TokenKind};
use serde_json::{json, Map, Value};

const DK_INVALID_CLIENT: &str = "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.";
const DK_INVALID_GRANT: &str = "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
const GITEE_INVALID_GRANT: &str = "授权方式无效，或者登录回调地址无效、过期或已被撤销";
const GITEE_INVALID_CLIENT: &str =
    "由于未知的客户端、未包含客户端认证信息或使用了不支持的认证方式，客户端认证失败。";
const GH_TOKEN_ERRORS: &str =
    "/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/";
const GH_DEVICE_ERRORS: &str =
    "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow";

/// Which grant an error belongs to (Gitea words client errors differently per grant).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Code,
    Refresh,
    Device,
}

/// Everything the token, device and revoke endpoints can refuse.
pub(super) enum Fail {
    UnknownClient(String),
    MissingSecret,
    BadSecret,
    BadCode,
    /// The code belongs to another application.
    OtherClient,
    RedirectMismatch,
    BadVerifier,
    MissingParam(&'static str),
    BadRefresh,
    /// A rotated (single-use) refresh token used again.
    RefreshReused,
    /// The refresh token's authorization was revoked.
    RefreshRevoked,
    UnsupportedGrant(Option<String>),
    InvalidScope,
    Pending,
    SlowDown(u64),
    Expired,
    Denied,
    BadDeviceCode,
    DeviceDisabled,
}

fn wants_json(req: &SimRequest) -> bool {
    req.header("accept")
        .is_some_and(|a| a.to_ascii_lowercase().contains("json"))
}

/// GitHub's token-endpoint body: form-encoded by default, JSON with `Accept: application/json`.
pub(super) fn github_body(req: &SimRequest, fields: &[(&str, Value)]) -> SimResponse {
    let resp = if wants_json(req) {
        let mut m = Map::new();
        for (k, v) in fields {
            m.insert((*k).to_string(), v.clone());
        }
        SimResponse::json(200, &Value::Object(m))
    } else {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            ser.append_pair(k, &s);
        }
        SimResponse::text(
            200,
            "application/x-www-form-urlencoded; charset=utf-8",
            &ser.finish(),
        )
    };
    resp.header("cache-control", "no-store")
}

fn oauth_json(status: u16, error: &str, desc: &str) -> SimResponse {
    let r = SimResponse::json(status, &json!({"error": error, "error_description": desc}))
        .header("cache-control", "no-store")
        .header("pragma", "no-cache");
    if status == 401 {
        r.header(
            "www-authenticate",
            format!("Bearer realm=\"Doorkeeper\", error=\"{error}\", error_description=\"{desc}\""),
        )
    } else {
        r
    }
}

/// Renders a refusal in `p`'s shape.
pub(super) fn fail(p: Provider, req: &SimRequest, f: Fail, flow: Flow) -> SimResponse {
    match p {
        Provider::Github => github_fail(req, f),
        Provider::Gitlab => gitlab_fail(f),
        Provider::Bitbucket => bitbucket_fail(f),
        Provider::Gitee => gitee_fail(f),
        Provider::Gitea | Provider::Codeup => gitea_fail(f, flow),
    }
}

fn github_fail(req: &SimRequest, f: Fail) -> SimResponse {
    let creds = (
        "incorrect_client_credentials",
        "The client_id and/or client_secret passed are incorrect.",
        format!("{GH_TOKEN_ERRORS}#incorrect-client-credentials"),
    );
    let code = (
        "bad_verification_code",
        "The code passed is incorrect or expired.",
        format!("{GH_TOKEN_ERRORS}#bad-verification-code"),
    );
    let refresh = (
        "bad_refresh_token",
        "The refresh token passed is incorrect or expired.",
        "https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens".to_string(),
    );
    let dev = |e: &'static str, d: &'static str| (e, d, GH_DEVICE_ERRORS.to_string());
    let mut extra: Option<u64> = None;
    let (error, desc, uri) = match f {
        Fail::UnknownClient(_) | Fail::MissingSecret | Fail::BadSecret => creds,
        Fail::BadCode | Fail::OtherClient | Fail::BadVerifier | Fail::MissingParam(_) => code,
        Fail::RedirectMismatch => (
            "redirect_uri_mismatch",
            "The redirect_uri MUST match the registered callback URL for this application.",
            "/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch2".to_string(),
        ),
        Fail::BadRefresh | Fail::RefreshReused | Fail::RefreshRevoked => refresh,
        Fail::UnsupportedGrant(_) => dev(
            "unsupported_grant_type",
            "The grant type must be urn:ietf:params:oauth:grant-type:device_code and included as an input parameter when you poll the OAuth token request.",
        ),
        Fail::InvalidScope => dev("invalid_scope", "The requested scope is invalid."),
        Fail::Pending => dev("authorization_pending", "The authorization request is still pending."),
        Fail::SlowDown(i) => {
            extra = Some(i);
            dev("slow_down", "Too many requests have been made in the same timeframe.")
        }
        Fail::Expired => dev("expired_token", "The `device_code` has expired."),
        Fail::Denied => dev("access_denied", "The authorization request was denied."),
        Fail::BadDeviceCode => dev("incorrect_device_code", "The device_code provided is not valid."),
        Fail::DeviceDisabled => dev("device_flow_disabled", "Device Flow must be explicitly enabled for this App"),
    };
    let mut fields = vec![
        ("error", json!(error)),
        ("error_description", json!(desc)),
        ("error_uri", json!(uri)),
    ];
    if let Some(i) = extra {
        fields.push(("interval", json!(i)));
    }
    github_body(req, &fields)
}

fn gitlab_fail(f: Fail) -> SimResponse {
    match f {
        Fail::UnknownClient(_) | Fail::MissingSecret | Fail::BadSecret => {
            oauth_json(401, "invalid_client", DK_INVALID_CLIENT)
        }
        Fail::BadCode
        | Fail::OtherClient
        | Fail::RedirectMismatch
        | Fail::BadVerifier
        | Fail::BadRefresh
        | Fail::RefreshReused
        | Fail::RefreshRevoked
        | Fail::BadDeviceCode => oauth_json(400, "invalid_grant", DK_INVALID_GRANT),
        Fail::MissingParam(p) => oauth_json(
            400,
            "invalid_request",
            &format!("Missing required parameter: {p}."),
        ),
        Fail::UnsupportedGrant(_) => oauth_json(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        ),
        Fail::InvalidScope => oauth_json(
            400,
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        ),
        Fail::Pending => oauth_json(400, "authorization_pending", "The authorization request is still pending as the end user hasn't yet completed the user-interaction steps."),
        Fail::SlowDown(_) => oauth_json(400, "slow_down", "The authorization request is still pending and polling should continue, but the interval MUST be increased by 5 seconds for this and all subsequent requests."),
        Fail::Expired => oauth_json(400, "expired_token", "The device_code has expired, and the device authorization session has concluded."),
        Fail::Denied => oauth_json(400, "access_denied", "The resource owner or authorization server denied the request."),
        Fail::DeviceDisabled => oauth_json(400, "unauthorized_client", "The client is not authorized to perform this request using this method."),
    }
}

fn bitbucket_fail(f: Fail) -> SimResponse {
    match f {
        Fail::MissingSecret => oauth_json(
            400,
            "unauthorized_client",
            "Requests must be authenticated using OAuth client credentials",
        ),
        Fail::UnknownClient(_) | Fail::BadSecret => {
            oauth_json(400, "invalid_client", "Invalid OAuth client credentials")
        }
        Fail::BadCode
        | Fail::OtherClient
        | Fail::RedirectMismatch
        | Fail::BadVerifier
        | Fail::MissingParam("code") => oauth_json(400, "invalid_grant", "The specified code is not valid."),
        Fail::UnsupportedGrant(g) => oauth_json(
            400,
            "invalid_grant",
            &format!("Unsupported grant type: {}", g.as_deref().unwrap_or("None")),
        ),
        Fail::MissingParam(p) => oauth_json(400, "invalid_request", &format!("Missing {p} parameter.")),
        _ => oauth_json(400, "invalid_grant", "Invalid refresh_token"),
    }
}

fn gitee_fail(f: Fail) -> SimResponse {
    match f {
        Fail::UnknownClient(_) | Fail::MissingSecret | Fail::BadSecret => {
            oauth_json(401, "invalid_client", GITEE_INVALID_CLIENT)
        }
        Fail::UnsupportedGrant(_) => oauth_json(
            400,
            "unsupported_grant_type",
            "授权服务器不支持该授权类型。",
        ),
        Fail::MissingParam(p) => oauth_json(400, "invalid_request", &format!("缺少必需的参数：{p}。")),
        _ => oauth_json(400, "invalid_grant", GITEE_INVALID_GRANT),
    }
}

fn gitea_fail(f: Fail, flow: Flow) -> SimResponse {
    let client_err = if flow == Flow::Refresh {
        "invalid_client"
    } else {
        "unauthorized_client"
    };
    let (e, d): (&str, String) = match f {
        Fail::UnknownClient(id) => (
            "invalid_client",
            if flow == Flow::Refresh {
                format!("cannot load client with client id: \"{id}\"")
            } else {
                format!("cannot load client with client id: '{id}'")
            },
        ),
        Fail::MissingSecret => (client_err, "invalid empty client secret".into()),
        Fail::BadSecret => (client_err, "invalid client secret".into()),
        Fail::RedirectMismatch => ("unauthorized_client", "unexpected redirect URI".into()),
        Fail::BadCode | Fail::MissingParam("code") => {
            ("unauthorized_client", "client is not authorized".into())
        }
        Fail::BadVerifier => ("unauthorized_client", "failed PKCE code challenge".into()),
        Fail::OtherClient => ("invalid_grant", "invalid grant".into()),
        Fail::BadRefresh | Fail::MissingParam(_) => {
            ("unauthorized_client", "unable to parse refresh token".into())
        }
        Fail::RefreshReused => ("unauthorized_client", "token was already used".into()),
        Fail::RefreshRevoked => ("invalid_grant", "grant does not exist".into()),
        _ => (
            "unsupported_grant_type",
            "Only refresh_token or authorization_code grant type is supported".into(),
        ),
    };
    oauth_json(400, e, &d)
}

/// `POST` token endpoint.
pub(super) fn handle(env: &Env, req: &SimRequest, p: Provider) -> SimResponse {
    let is_json = req
        .header("content-type")
        .is_some_and(|c| c.to_ascii_lowercase().contains("json"));
    // Bitbucket: "The body must be form-encoded; JSON gives Unsupported grant type: None".
    if p == Provider::Bitbucket && is_json {
        return fail(p, req, Fail::UnsupportedGrant(None), Flow::Code);
    }
    let ps = params(req);
    match param(&ps, "grant_type") {
        Some("authorization_code") => code_grant(env, req, p, &ps),
        // GitHub's web flow does not need `grant_type` for the code exchange.
        None if p == Provider::Github && param(&ps, "code").is_some() => {
            code_grant(env, req, p, &ps)
        }
        Some("refresh_token") => refresh_grant(env, req, p, &ps),
        Some(DEVICE_GRANT) if matches!(p, Provider::Github | Provider::Gitlab) => {
            device::poll(env, req, p, &ps)
        }
        other => fail(
            p,
            req,
            Fail::UnsupportedGrant(other.map(str::to_string)),
            Flow::Code,
        ),
    }
}

/// Checks the client secret: `Ok` when it matches or is not required.
fn check_secret(app: &OAuthApp, given: Option<&str>, required: bool) -> Result<(), Fail> {
    if !required {
        return Ok(());
    }
    match given {
        None => Err(Fail::MissingSecret),
        Some(s) if !app.client_secret.is_empty() && s == app.client_secret => Ok(()),
        Some(_) => Err(Fail::BadSecret),
    }
}

/// Whether the token endpoint demands the client secret for this grant.
fn secret_required(p: Provider, app: &OAuthApp) -> bool {
    match p {
        // GitHub web flow: "client_secret | Required" even with PKCE.
        Provider::Github | Provider::Bitbucket | Provider::Gitee => true,
        // Confidential applications only; public ones use PKCE.
        Provider::Gitlab | Provider::Gitea => app.is_confidential(),
        Provider::Codeup => false,
    }
}

fn code_grant(env: &Env, req: &SimRequest, p: Provider, ps: &[(String, String)]) -> SimResponse {
    let flow = Flow::Code;
    let creds = client_creds(req, ps);
    // Bitbucket: client credentials only as HTTP Basic (`curl -u client_id:secret`).
    if p == Provider::Bitbucket && !creds.basic {
        return fail(p, req, Fail::MissingSecret, flow);
    }
    let cid = creds.id.clone().unwrap_or_default();
    let Some(app) = env.pw.app(&cid) else {
        return fail(p, req, Fail::UnknownClient(cid), flow);
    };
    if let Err(f) = check_secret(app, creds.secret.as_deref(), secret_required(p, app)) {
        return fail(p, req, f, flow);
    }
    let redirect = param(ps, "redirect_uri");
    // Gitea only checks that a given redirect_uri is registered (not that it repeats the
    // authorize request's).
    if p == Provider::Gitea {
        if let Some(r) = redirect {
            if !codes::redirect_allowed(p, app, r) {
                return fail(p, req, Fail::RedirectMismatch, flow);
            }
        }
    }
    let Some(code) = param(ps, "code") else {
        return fail(p, req, Fail::MissingParam("code"), flow);
    };
    let mut st = lock(&env.shared.oauth);
    let Some(c) = st.codes.get(code).filter(|c| c.grant.provider == p).cloned() else {
        return fail(p, req, Fail::BadCode, flow);
    };
    if c.expires_at <= env.now {
        st.codes.remove(code);
        return fail(p, req, Fail::BadCode, flow);
    }
    let g = &c.grant;
    if g.client_id != app.client_id && p != Provider::Gitea {
        return fail(p, req, Fail::BadCode, flow);
    }
    if p != Provider::Gitea {
        let mismatch = match (&g.redirect_param, redirect) {
            (Some(a), Some(b)) => a != b,
            // Doorkeeper requires it; RFC 6749 §4.1.3 too when the authorize request had it.
            // GitHub calls it "strongly recommended" only.
            (Some(_), None) if p == Provider::Gitlab => {
                return fail(p, req, Fail::MissingParam("redirect_uri"), flow)
            }
            (Some(_), None) => p != Provider::Github,
            (None, Some(b)) => b != g.redirect,
            (None, None) => false,
        };
        if mismatch {
            return fail(p, req, Fail::RedirectMismatch, flow);
        }
    }
    if let Some((challenge, method)) = &g.challenge {
        let ok = param(ps, "code_verifier")
            .is_some_and(|v| codes::pkce_ok(challenge, method, v));
        if !ok {
            return fail(p, req, Fail::BadVerifier, flow);
        }
    }
    if g.client_id != app.client_id {
        return fail(p, req, Fail::OtherClient, flow);
    }
    st.codes.remove(code);
    let issued = issue(env, &mut st, p, app, &g.user, g.scopes.clone(), false);
    success(env, req, p, &issued, "authorization_code")
}

fn refresh_grant(env: &Env, req: &SimRequest, p: Provider, ps: &[(String, String)]) -> SimResponse {
    let flow = Flow::Refresh;
    let creds = client_creds(req, ps);
    if p == Provider::Bitbucket && !creds.basic {
        return fail(p, req, Fail::MissingSecret, flow);
    }
    let Some(rt) = param(ps, "refresh_token") else {
        return fail(p, req, Fail::MissingParam("refresh_token"), flow);
    };
    let mut st = lock(&env.shared.oauth);
    let rec = st.refresh.get(rt).filter(|r| r.provider == p).cloned();
    // Gitee's documented refresh call carries no client credentials: the token names its app.
    let cid = match (p, &rec) {
        (Provider::Gitee, Some(r)) if creds.id.is_none() => r.client_id.clone(),
        (Provider::Gitee, None) if creds.id.is_none() => {
            return fail(p, req, Fail::BadRefresh, flow)
        }
        _ => creds.id.clone().unwrap_or_default(),
    };
    let Some(app) = env.pw.app(&cid) else {
        return fail(p, req, Fail::UnknownClient(cid), flow);
    };
    let Some(rec) = rec.filter(|r| r.client_id == app.client_id) else {
        return fail(p, req, Fail::BadRefresh, flow);
    };
    let required = match p {
        // "Required unless the token was generated using the device flow."
        Provider::Github => !rec.device,
        Provider::Gitee => creds.secret.is_some(),
        _ => secret_required(p, app),
    };
    if let Err(f) = check_secret(app, creds.secret.as_deref(), required) {
        return fail(p, req, f, flow);
    }
    if rec.used {
        return fail(p, req, Fail::RefreshReused, flow);
    }
    let access_revoked = env.pw.token(&rec.access).is_some_and(|t| t.revoked);
    if rec.revoked || access_revoked {
        return fail(p, req, Fail::RefreshRevoked, flow);
    }
    if rec.expires_at.is_some_and(|e| e <= env.now) {
        return fail(p, req, Fail::BadRefresh, flow);
    }
    if p == Provider::Github && !app.expiring_tokens {
        return fail(p, req, Fail::BadRefresh, flow);
    }
    let rotate = env
        .pw
        .settings
        .oauth_rotate_refresh_tokens
        .unwrap_or(matches!(p, Provider::Github | Provider::Gitlab | Provider::Bitbucket));
    // Gitee without rotation answers with the same refresh token; the others always hand
    // out a new one (Gitea: a new JWT, the old one valid unless INVALIDATE_REFRESH_TOKENS).
    let keep_same = p == Provider::Gitee && !rotate;
    let mut issued = issue(
        env,
        &mut st,
        p,
        app,
        &rec.user,
        rec.scopes.clone(),
        rec.device,
    );
    if keep_same {
        if let Some(new) = issued.refresh.take() {
            st.refresh.remove(&new);
        }
        if let Some(r) = st.refresh.get_mut(rt) {
            r.access = issued.access.clone();
        }
        issued.refresh = Some(rt.to_string());
    } else if rotate {
        if let Some(r) = st.refresh.get_mut(rt) {
            r.used = true;
        }
        // GitHub: "that refresh token and the old access token will no longer work";
        // GitLab: "Invalidates the existing access_token and refresh_token".
        if matches!(p, Provider::Github | Provider::Gitlab) {
            env.effect(Effect::RevokeToken(rec.access.clone()));
        }
    }
    success(env, req, p, &issued, "refresh_token")
}

/// The successful token response in `p`'s shape.
pub(super) fn success(
    env: &Env,
    req: &SimRequest,
    p: Provider,
    i: &Issued,
    grant: &str,
) -> SimResponse {
    let now = env.now.timestamp();
    let resp = match p {
        Provider::Github => {
            let mut f = vec![("access_token", json!(i.access))];
            if let Some(e) = i.expires_in {
                f.push(("expires_in", json!(e)));
            }
            if let Some(r) = &i.refresh {
                f.push(("refresh_token", json!(r)));
            }
            if let Some(e) = i.refresh_expires_in {
                f.push(("refresh_token_expires_in", json!(e)));
            }
            f.push(("scope", json!(i.scopes.join(","))));
            f.push(("token_type", json!("bearer")));
            return github_body(req, &f);
        }
        Provider::Gitlab | Provider::Gitee => SimResponse::json(
            200,
            &json!({
                "access_token": i.access,
                "token_type": "bearer",
                "expires_in": i.expires_in,
                "refresh_token": i.refresh,
                "scope": i.scopes.join(" "),
                "created_at": now,
            }),
        ),
        Provider::Bitbucket => SimResponse::json(
            200,
            &json!({
                "access_token": i.access,
                "scopes": i.scopes.join(" "),
                "expires_in": i.expires_in,
                "refresh_token": i.refresh,
                "token_type": "bearer",
                "state": grant,
            }),
        ),
        Provider::Gitea | Provider::Codeup => SimResponse::json(
            200,
            &json!({
                "access_token": i.access,
                "token_type": "bearer",
                "expires_in": i.expires_in,
                "refresh_token": i.refresh,
            }),
        ),
    };
    resp.header("cache-control", "no-store")
        .header("pragma", "no-cache")
}

/// GitLab `POST /oauth/revoke` (RFC 7009, Doorkeeper `TokensController#revoke`): the client
/// authenticates (public apps by `client_id`), the token is looked up as access or refresh
/// token; tokens of a confidential app may only be revoked by that app (403
/// `unauthorized_client`); unknown tokens still get `200 {}`.
pub(super) fn gitlab_revoke(env: &Env, req: &SimRequest) -> SimResponse {
    let p = Provider::Gitlab;
    let ps = params(req);
    let creds = client_creds(req, &ps);
    let cid = creds.id.clone().unwrap_or_default();
    let Some(client) = env.pw.app(&cid) else {
        return fail(p, req, Fail::UnknownClient(cid), Flow::Code);
    };
    if let Err(f) = check_secret(client, creds.secret.as_deref(), client.is_confidential()) {
        return fail(p, req, f, Flow::Code);
    }
    let ok = SimResponse::json(200, &json!({})).header("cache-control", "no-store");
    let Some(value) = param(&ps, "token") else {
        return ok;
    };
    let owner = if let Some(t) = env.pw.token(value).filter(|t| t.kind == TokenKind::Oauth) {
        t.app.clone()
    } else {
        let st = lock(&env.shared.oauth);
        match st.refresh.get(value).filter(|r| r.provider == p) {
            Some(r) => Some(r.client_id.clone()),
            None => return ok,
        }
    };
    let owner_app = owner.as_deref().and_then(|o| env.pw.app(o));
    if owner_app.is_some_and(|a| a.is_confidential() && a.client_id != client.client_id) {
        return oauth_json(
            403,
            "unauthorized_client",
            "You are not authorized to revoke this token",
        );
    }
    if env.pw.token(value).is_some() {
        env.effect(Effect::RevokeToken(value.to_string()));
    } else {
        super::revoke_refresh_token(env, p, value);
    }
    ok
}

/// GitLab `GET /oauth/token/info` (Doorkeeper): the calling OAuth token's owner, scopes,
/// remaining lifetime and application.
pub(super) fn gitlab_token_info(env: &Env, req: &SimRequest) -> SimResponse {
    let secret = match auth::authorization(req) {
        Some(Cred::Bearer(t)) => Some(t),
        _ => req.q("access_token").map(str::to_string),
    };
    let invalid = |desc: &str| {
        SimResponse::json(401, &json!({"error": "invalid_token", "error_description": desc}))
            .header(
                "www-authenticate",
                format!("Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"{desc}\""),
            )
    };
    let Some(secret) = secret else {
        return invalid("The access token is invalid");
    };
    match auth::lookup(env.pw, &secret, env.now) {
        Lookup::Valid(t, u) if t.kind == TokenKind::Oauth => SimResponse::json(
            200,
            &json!({
                "resource_owner_id": u.id,
                "scope": t.scopes,
                "expires_in": t.expires_at.map(|e| (e - env.now).num_seconds().max(0)),
                "application": {"uid": t.app},
                "created_at": t.created_at.map(|c| c.timestamp()),
            }),
        ),
        Lookup::Expired(..) => invalid("The access token expired"),
        Lookup::Revoked(..) => invalid("The access token was revoked"),
        _ => invalid("The access token is invalid"),
    }
}

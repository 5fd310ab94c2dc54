//! The device authorization grant (RFC 8628): GitHub `POST /login/device/code` (page
//! `/login/device`) and GitLab `POST /oauth/authorize_device` (page `/oauth/device`), polled
//! at the token endpoint with `grant_type=urn:ietf:params:oauth:grant-type:device_code`.
//!
//! GitHub ("Device flow" in `authorizing-oauth-apps.md`): form-encoded unless
//! `Accept: application/json`; errors with HTTP 200; `slow_down` adds 5 s and carries the new
//! `interval`; the app must have the device flow enabled. GitLab (`doc/api/oauth2.md`,
//! Doorkeeper device grant): JSON with `verification_uri_complete`, errors with HTTP 400.

use super::token::{fail, github_body, success, Fail, Flow};
use super::{
    approving_user, client_creds, codes, grant_scopes, issue, lock, pages, param, params,
    Device, DeviceStatus, OAuthState,
};
use crate::http::{SimRequest, SimResponse};
use crate::provider::Provider;
use crate::server::Env;
use crate::world::OptionExt;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

fn page_path(p: Provider) -> &'static str {
    match p {
        Provider::Github => "/login/device",
        _ => "/oauth/device",
    }
}

/// Step 1: the app asks for a device code and a user code.
pub(super) fn start(env: &Env, req: &SimRequest, p: Provider) -> SimResponse {
    let ps = params(req);
    let creds = client_creds(req, &ps);
    let cid = creds.id.clone().unwrap_or_default();
    let Some(app) = env.pw.app(&cid) else {
        return fail(p, req, Fail::UnknownClient(cid), Flow::Device);
    };
    if p == Provider::Github && !app.device_flow {
        return fail(p, req, Fail::DeviceDisabled, Flow::Device);
    }
    // Doorkeeper authenticates confidential clients here too.
    if p == Provider::Gitlab && app.is_confidential() {
        match creds.secret.as_deref() {
            None => return fail(p, req, Fail::MissingSecret, Flow::Device),
            Some(s) if s != app.client_secret => return fail(p, req, Fail::BadSecret, Flow::Device),
            Some(_) => {}
        }
    }
    let Ok(scopes) = grant_scopes(p, app, param(&ps, "scope")) else {
        return fail(p, req, Fail::InvalidScope, Flow::Device);
    };
    let s = &env.pw.settings;
    let ttl = s
        .oauth_device_ttl_secs
        .unwrap_or(if p == Provider::Github { 900 } else { 300 });
    let interval = s.oauth_device_interval_secs.unwrap_or(5);
    let d = Device {
        provider: p,
        client_id: app.client_id.clone(),
        device_code: codes::device_code(p),
        user_code: codes::user_code(p),
        scopes,
        expires_at: env.now + Duration::seconds(ttl as i64),
        interval,
        last_poll: None,
        status: DeviceStatus::Pending,
    };
    let uri = format!("{}{}", req.origin, page_path(p));
    let resp = match p {
        Provider::Github => github_body(
            req,
            &[
                ("device_code", json!(d.device_code)),
                ("user_code", json!(d.user_code)),
                ("verification_uri", json!(uri)),
                ("expires_in", json!(ttl)),
                ("interval", json!(interval)),
            ],
        ),
        _ => SimResponse::json(
            200,
            &json!({
                "device_code": d.device_code,
                "user_code": d.user_code,
                "verification_uri": uri,
                "verification_uri_complete": format!("{uri}?user_code={}", d.user_code),
                "expires_in": ttl,
                "interval": interval,
            }),
        )
        .header("cache-control", "no-store"),
    };
    lock(&env.shared.oauth).devices.push(d);
    resp
}

/// Step 3: the app polls the token endpoint.
pub(super) fn poll(env: &Env, req: &SimRequest, p: Provider, ps: &[(String, String)]) -> SimResponse {
    let flow = Flow::Device;
    let creds = client_creds(req, ps);
    let Some(dc) = param(ps, "device_code") else {
        return match p {
            Provider::Github => fail(p, req, Fail::BadDeviceCode, flow),
            _ => fail(p, req, Fail::MissingParam("device_code"), flow),
        };
    };
    let mut st = lock(&env.shared.oauth);
    let Some(idx) = st
        .devices
        .iter()
        .position(|d| d.provider == p && d.device_code == dc)
    else {
        return fail(p, req, Fail::BadDeviceCode, flow);
    };
    let cid = creds.id.clone().unwrap_or_default();
    let app = env.pw.app(&cid);
    let Some(app) = app.filter(|a| a.client_id == st.devices[idx].client_id) else {
        return fail(p, req, Fail::UnknownClient(cid), flow);
    };
    // "The client_secret is not needed for the device flow" (GitHub); Doorkeeper still
    // authenticates confidential GitLab applications.
    if p == Provider::Gitlab && app.is_confidential() {
        match creds.secret.as_deref() {
            None => return fail(p, req, Fail::MissingSecret, flow),
            Some(s) if s != app.client_secret => return fail(p, req, Fail::BadSecret, flow),
            Some(_) => {}
        }
    }
    let now = env.now;
    let d = &mut st.devices[idx];
    if d.status == DeviceStatus::Done {
        return fail(p, req, Fail::BadDeviceCode, flow);
    }
    // A denial stays a denial ("the user won't be able to use the verification code again").
    if d.status == DeviceStatus::Denied {
        return fail(p, req, Fail::Denied, flow);
    }
    if d.expires_at <= now {
        return fail(p, req, Fail::Expired, flow);
    }
    match d.status.clone() {
        DeviceStatus::Denied => fail(p, req, Fail::Denied, flow),
        DeviceStatus::Pending => {
            let too_fast = d.interval > 0
                && d.last_poll
                    .is_some_and(|l| now < l + Duration::seconds(d.interval as i64));
            d.last_poll = Some(now);
            if too_fast {
                d.interval += 5;
                fail(p, req, Fail::SlowDown(d.interval), flow)
            } else {
                fail(p, req, Fail::Pending, flow)
            }
        }
        DeviceStatus::Approved(user) => {
            d.status = DeviceStatus::Done;
            let scopes = d.scopes.clone();
            let issued = issue(env, &mut st, p, app, &user, scopes, true);
            success(env, req, p, &issued, super::DEVICE_GRANT)
        }
        DeviceStatus::Done => fail(p, req, Fail::BadDeviceCode, flow),
    }
}

/// Step 2 in a browser: the verification page. `GET` shows the form (GitLab pre-fills
/// `?user_code=`), `POST user_code=…&decision=approve|deny` answers it.
pub(super) fn page(env: &Env, req: &SimRequest, p: Provider) -> SimResponse {
    let path = page_path(p);
    if req.method.as_str() == "GET" {
        return pages::device_form(p, path, req.q("user_code").unwrap_or(""), None);
    }
    let ps = params(req);
    let code = param(&ps, "user_code").unwrap_or("");
    let approve = param(&ps, "decision") != Some("deny");
    let pw = env.pw;
    let resolve = |_: Provider, cid: &str| {
        let app = pw.app(cid)?;
        let user = approving_user(pw, app)?;
        Some((user, app.name.clone().unwrap_or_else(|| app.client_id.clone())))
    };
    let mut st = lock(&env.shared.oauth);
    match decide(&mut st, Some(p), code, approve, env.now, &resolve) {
        Some(app_name) => pages::device_done(p, approve, &app_name),
        None => pages::device_form(
            p,
            path,
            code,
            Some("The code you entered is incorrect, expired or already used."),
        ),
    }
}

/// Maps (provider, client_id) to (approving user, app name).
pub(super) type Resolve<'a> = dyn Fn(Provider, &str) -> Option<(String, String)> + 'a;

/// Approves or denies the pending device grant with this user code. `resolve` maps
/// (provider, client_id) to (approving user, app name). Returns the app name.
pub(super) fn decide(
    st: &mut OAuthState,
    only: Option<Provider>,
    user_code: &str,
    approve: bool,
    now: DateTime<Utc>,
    resolve: &Resolve,
) -> Option<String> {
    let want = codes::normalize_user_code(user_code);
    if want.is_empty() {
        return None;
    }
    let d = st.devices.iter_mut().find(|d| {
        only.none_or(|p| d.provider == p)
            && codes::normalize_user_code(&d.user_code) == want
            && d.status == DeviceStatus::Pending
            && d.expires_at > now
    })?;
    let (user, name) = resolve(d.provider, &d.client_id)?;
    d.status = if approve {
        DeviceStatus::Approved(user)
    } else {
        DeviceStatus::Denied
    };
    Some(name)
}

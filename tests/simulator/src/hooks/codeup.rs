//! Codeup webhooks through the Yunxiao OpenAPI (CreateWebHook / ListWebHooks / UpdateWebHook,
//! providers.md §5): `GET|POST /oapi/v1/codeup/organizations/{organizationId}/repositories/
//! {repositoryId}/webhooks` and `GET|PUT|DELETE …/webhooks/{hookId}` (Region/dedicated editions
//! without `/organizations/{organizationId}`), `repositoryId` numeric or the URL-encoded full
//! path. JSON camelCase: `url`, `token`, `pushEvents`, `tagPushEvents`, `mergeRequestsEvents`,
//! `noteEvents`, `enableSslVerification`, `description`; the response as the docs list it
//! (`id, url, token, pushEvents, tagPushEvents, mergeRequestsEvents, noteEvents,
//! enableSSLVerification, repositoryId, createdAt, updatedAt, description`).
//!
//! Unconfirmed and chosen here: create answers 200 (as Yunxiao's other creates), delete answers
//! 200 with the deleted hook; the PAT permission "代码管理 / WebHook 读写" is modelled by the
//! token's `scopes`: empty = every permission (the demo token), otherwise reads need
//! `webhook:read` or `webhook:write` and changes `webhook:write` (403 `Forbidden`); managing hooks
//! needs the repository admin level (40).
//!
//! Deliveries (help.aliyun.com "Webhooks设置"): GitLab-shaped payload, `X-Codeup-Token: <secret>`
//! (plain), `X-Codeup-Event: Push Hook` / `Tag Push Hook` (also sent as the documented
//! `Codeup-Event`).

use super::{add, find_hook, fresh, hooks_of, params, remove, toggle, update, Hook, PushCtx};
use crate::auth::Caller;
use crate::http::{SimRequest, SimResponse};
use crate::paginate;
use crate::provider::Provider;
use crate::server::Env;
use crate::world::{iso_ms, Org, Repo};
use serde_json::{json, Map, Value};

/// (JSON field, stored event name, default on create).
const EVENTS: [(&str, bool); 4] = [
    ("pushEvents", true),
    ("tagPushEvents", false),
    ("mergeRequestsEvents", false),
    ("noteEvents", false),
];

fn error(status: u16, code: &str, message: &str) -> SimResponse {
    SimResponse::json(status, &json!({"errorCode": code, "errorMessage": message}))
}

/// `…/repositories/{repo}/webhooks/...` in organization `o` (membership already checked).
pub(crate) fn route(
    env: &Env,
    req: &SimRequest,
    c: Caller,
    o: &Org,
    repo: &str,
    rest: &[&str],
) -> SimResponse {
    let write = req.method != "GET";
    let scopes = &c.token.scopes;
    let allowed = scopes.is_empty()
        || scopes.iter().any(|s| s == "webhook:write")
        || (!write && scopes.iter().any(|s| s == "webhook:read"));
    if !allowed {
        return error(
            403,
            "Forbidden",
            "The token has no permission for this operation: Code Management / Webhook",
        );
    }
    let ns = o.codeup_id();
    let found = env.pw.repos.iter().find(|r| {
        (r.owner == o.login || r.owner == ns)
            && (repo.parse::<u64>().ok() == Some(r.id)
                || repo == format!("{ns}/{}", r.name)
                || repo == r.full_name())
    });
    let Some(r) = found else {
        return error(404, "NotFound", "Repository not found");
    };
    let level = crate::codeup::repo_level(env.pw.direct_access(o, &c.user.login).unwrap_or(20));
    if level < 40 {
        return error(403, "Forbidden", "Forbidden");
    }
    match (req.method.as_str(), rest) {
        ("GET", []) => {
            let items = hooks_of(env, r)
                .into_iter()
                .map(|h| hook_json(r, h))
                .collect();
            crate::codeup::paged(
                items,
                paginate::page_params(req, "page", "perPage", 20, 100),
            )
        }
        ("POST", []) => create(env, req, &c, r),
        ("GET", [id]) => match find_hook(env, r, id) {
            Some(h) => SimResponse::json(200, &hook_json(r, h)),
            None => error(404, "NotFound", "Webhook not found"),
        },
        ("PUT", [id]) => match find_hook(env, r, id) {
            Some(h) => edit(env, req, r, h),
            None => error(404, "NotFound", "Webhook not found"),
        },
        ("DELETE", [id]) => match find_hook(env, r, id) {
            Some(h) => {
                remove(env, h);
                SimResponse::json(200, &hook_json(r, h))
            }
            None => error(404, "NotFound", "Webhook not found"),
        },
        _ => error(404, "NotFound", "Not Found"),
    }
}

fn hook_json(r: &Repo, h: &Hook) -> Value {
    let mut v = json!({
        "id": h.id, "url": h.url, "token": h.secret.clone().unwrap_or_default(),
        "enableSSLVerification": h.ssl_verify, "repositoryId": r.id,
        "createdAt": iso_ms(h.created()), "updatedAt": iso_ms(h.updated()),
        "description": h.description.clone().unwrap_or_default()
    });
    if let Some(m) = v.as_object_mut() {
        for (e, _) in EVENTS {
            m.insert(e.to_string(), json!(h.has_event(e)));
        }
        // The docs also spell it mergeRequestEvents.
        m.insert(
            "mergeRequestEvents".into(),
            json!(h.has_event("mergeRequestsEvents")),
        );
    }
    v
}

fn fields(h: &mut Hook, m: &Map<String, Value>) -> Result<(), SimResponse> {
    if let Some(url) = super::text(m, "url") {
        if !super::is_http_url(&url) {
            return Err(error(400, "BadRequest", "url is invalid"));
        }
        h.url = url;
    }
    if let Some(t) = super::text(m, "token") {
        h.secret = Some(t).filter(|s| !s.is_empty());
    }
    if let Some(d) = super::text(m, "description") {
        h.description = Some(d);
    }
    let ssl = super::flag(m, "enableSslVerification").or(super::flag(m, "enableSSLVerification"));
    if let Some(v) = ssl {
        h.ssl_verify = v;
    }
    for (e, _) in EVENTS {
        toggle(&mut h.events, e, super::flag(m, e));
    }
    if let Some(v) = super::flag(m, "mergeRequestEvents") {
        toggle(&mut h.events, "mergeRequestsEvents", Some(v));
    }
    Ok(())
}

fn create(env: &Env, req: &SimRequest, c: &Caller, r: &Repo) -> SimResponse {
    let Ok(m) = params(req) else {
        return error(400, "BadRequest", "the body is not JSON");
    };
    if super::blank(super::text(&m, "url")) {
        return error(400, "BadRequest", "url is required");
    }
    let mut h = fresh(env, Provider::Codeup, r, &c.user.login);
    h.events = EVENTS
        .iter()
        .filter(|(_, on)| *on)
        .map(|(e, _)| e.to_string())
        .collect();
    if let Err(resp) = fields(&mut h, &m) {
        return resp;
    }
    let v = hook_json(r, &h);
    add(env, h);
    SimResponse::json(200, &v)
}

fn edit(env: &Env, req: &SimRequest, r: &Repo, old: &Hook) -> SimResponse {
    let Ok(m) = params(req) else {
        return error(400, "BadRequest", "the body is not JSON");
    };
    let mut h = old.clone();
    if let Err(resp) = fields(&mut h, &m) {
        return resp;
    }
    h.updated_at = Some(env.now);
    let v = hook_json(r, &h);
    update(env, h);
    SimResponse::json(200, &v)
}

// ---- the push event ---------------------------------------------------------------------

pub(super) fn delivery(ctx: &PushCtx, h: &Hook) -> (String, Vec<(String, String)>, Vec<u8>) {
    let body = serde_json::to_vec(&super::gitlab::payload(ctx)).unwrap_or_default();
    let event = if ctx.tag {
        "Tag Push Hook"
    } else {
        "Push Hook"
    }
    .to_string();
    let mut headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("x-codeup-event".to_string(), event.clone()),
        ("codeup-event".to_string(), event.clone()),
    ];
    if let Some(s) = h.secret.as_deref().filter(|s| !s.is_empty()) {
        headers.push(("x-codeup-token".to_string(), s.to_string()));
    }
    (event, headers, body)
}

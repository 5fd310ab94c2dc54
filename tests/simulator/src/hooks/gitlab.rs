//! GitLab project webhooks (`doc/api/project_webhooks.md`): `GET|POST /projects/:id/hooks`,
//! `GET|PUT|DELETE /projects/:id/hooks/:hook_id`, where `:id` is the numeric id or the
//! URL-encoded full path (subgroups: `acme%2Fplatform%2Fbackend%2Fapi-server`). The `token`
//! is write-only (never returned); "When you change the webhook URL, the secret token is reset
//! and not retained." Reads work with `api` or `read_api`, changes need `api` (else 403
//! `insufficient_scope`); managing hooks needs the Maintainer role (else `403 Forbidden`).
//! Loopback receivers are allowed, as with "Allow requests to the local network from webhooks"
//! on a self-managed instance.
//!
//! Deliveries (`doc/user/project/integrations/webhook_events.md` "Push events" / "Tag events"):
//! `X-Gitlab-Event: Push Hook` / `Tag Push Hook`, `X-Gitlab-Token: <secret>` (no HMAC),
//! `X-Gitlab-Webhook-UUID`, `X-Gitlab-Instance`, `X-Gitlab-Event-UUID`, `Idempotency-Key`.

use super::{add, find_hook, fresh, hooks_of, params, remove, toggle, update, Hook, PushCtx};
use crate::auth::Caller;
use crate::http::{SimRequest, SimResponse};
use crate::provider::Provider;
use crate::server::Env;
use crate::world::{iso_ms, Repo};
use serde_json::{json, Map, Value};

/// Every `*_events` flag GitLab's hook API takes, with its default on create.
const EVENTS: [(&str, bool); 16] = [
    ("push_events", true),
    ("tag_push_events", false),
    ("merge_requests_events", false),
    ("issues_events", false),
    ("confidential_issues_events", false),
    ("note_events", false),
    ("confidential_note_events", false),
    ("job_events", false),
    ("pipeline_events", false),
    ("wiki_page_events", false),
    ("deployment_events", false),
    ("releases_events", false),
    ("feature_flag_events", false),
    ("emoji_events", false),
    ("resource_access_token_events", false),
    ("repository_update_events", false),
];

fn message(status: u16, m: &str) -> SimResponse {
    SimResponse::json(status, &json!({ "message": m }))
}

/// `/projects/:id/hooks/...` (already past authentication; `decorate` is applied by the caller).
pub(crate) fn route(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    id: &str,
    rest: &[&str],
) -> SimResponse {
    let Some(c) = c else {
        return crate::gitlab::unauthorized();
    };
    let read = req.method == "GET";
    let scopes: &[&str] = if read { &["api", "read_api"] } else { &["api"] };
    if !c.token.has_any(scopes) {
        return crate::gitlab::insufficient_scope(scopes);
    }
    let found = match id.parse::<u64>() {
        Ok(n) => env.pw.repos.iter().find(|r| r.id == n),
        Err(_) => env.pw.repos.iter().find(|r| r.full_name() == id),
    };
    let Some(repo) = found.filter(|r| crate::gitlab::project_visible(env, r, Some(&c))) else {
        return message(404, "404 Project Not Found");
    };
    if crate::gitlab::project_access(env, repo, &c.user.login).unwrap_or(0) < 40 {
        return message(403, "403 Forbidden");
    }
    match (req.method.as_str(), rest) {
        ("GET", []) => {
            let items = hooks_of(env, repo)
                .into_iter()
                .map(|h| hook_json(repo, h))
                .collect();
            crate::gitlab::offset_page(req, items, crate::gitlab::page(req))
        }
        ("POST", []) => create(env, req, &c, repo),
        ("GET", [hid]) => match find_hook(env, repo, hid) {
            Some(h) => SimResponse::json(200, &hook_json(repo, h)),
            None => message(404, "404 Not found"),
        },
        ("PUT", [hid]) => match find_hook(env, repo, hid) {
            Some(h) => edit(env, req, repo, h),
            None => message(404, "404 Not found"),
        },
        ("DELETE", [hid]) => match find_hook(env, repo, hid) {
            Some(h) => {
                remove(env, h);
                SimResponse::new(204)
            }
            None => message(404, "404 Not found"),
        },
        _ => SimResponse::json(404, &json!({"error": "404 Not Found"})),
    }
}

pub(crate) fn hook_json(r: &Repo, h: &Hook) -> Value {
    let mut v = json!({
        "id": h.id, "url": h.url, "name": h.name.clone().unwrap_or_default(),
        "description": h.description.clone().unwrap_or_default(), "project_id": r.id,
        "push_events_branch_filter": h.branch_filter.clone().unwrap_or_default(),
        "branch_filter_strategy": if h.branch_filter.is_some() { "wildcard" } else { "all_branches" },
        "enable_ssl_verification": h.ssl_verify,
        "alert_status": if h.active { "executable" } else { "disabled" },
        "disabled_until": null, "url_variables": [], "created_at": iso_ms(h.created()),
        "custom_webhook_template": null, "custom_headers": []
    });
    if let Some(m) = v.as_object_mut() {
        for (e, _) in EVENTS {
            m.insert(e.to_string(), json!(h.has_event(e)));
        }
    }
    v
}

fn fields(h: &mut Hook, m: &Map<String, Value>) {
    for (e, _) in EVENTS {
        toggle(&mut h.events, e, super::flag(m, e));
    }
    if let Some(v) = super::flag(m, "enable_ssl_verification") {
        h.ssl_verify = v;
    }
    if let Some(v) = super::text(m, "name") {
        h.name = Some(v);
    }
    if let Some(v) = super::text(m, "description") {
        h.description = Some(v);
    }
    if let Some(v) = super::text(m, "push_events_branch_filter") {
        h.branch_filter = Some(v).filter(|s| !s.is_empty());
    }
    if let Some(v) = super::text(m, "token") {
        h.secret = Some(v).filter(|s| !s.is_empty());
    }
}

fn create(env: &Env, req: &SimRequest, c: &Caller, r: &Repo) -> SimResponse {
    let Ok(m) = params(req) else {
        return SimResponse::json(400, &json!({"error": "400 Bad request"}));
    };
    let Some(url) = super::text(&m, "url").filter(|u| !u.is_empty()) else {
        return SimResponse::json(400, &json!({"error": "url is missing"}));
    };
    if !super::is_http_url(&url) {
        return SimResponse::json(
            422,
            &json!({"message": {"url": ["is blocked: Only allowed schemes are http, https"]}}),
        );
    }
    let mut h = fresh(env, Provider::Gitlab, r, &c.user.login);
    h.url = url;
    h.events = EVENTS
        .iter()
        .filter(|(_, on)| *on)
        .map(|(e, _)| e.to_string())
        .collect();
    fields(&mut h, &m);
    let v = hook_json(r, &h);
    add(env, h);
    SimResponse::json(201, &v)
}

fn edit(env: &Env, req: &SimRequest, r: &Repo, old: &Hook) -> SimResponse {
    let Ok(m) = params(req) else {
        return SimResponse::json(400, &json!({"error": "400 Bad request"}));
    };
    let mut h = old.clone();
    if let Some(url) = super::text(&m, "url") {
        if !super::is_http_url(&url) {
            return SimResponse::json(
                422,
                &json!({"message": {"url": ["is blocked: Only allowed schemes are http, https"]}}),
            );
        }
        if url != h.url && !m.contains_key("token") {
            h.secret = None;
        }
        h.url = url;
    }
    fields(&mut h, &m);
    h.updated_at = Some(env.now);
    let v = hook_json(r, &h);
    update(env, h);
    SimResponse::json(200, &v)
}

// ---- the push event (also Codeup's shape) ----------------------------------------------

fn visibility_level(r: &Repo) -> u32 {
    match r.visibility() {
        "public" => 20,
        "internal" => 10,
        _ => 0,
    }
}

/// The GitLab push / tag push payload.
pub(super) fn payload(ctx: &PushCtx) -> Value {
    let r = ctx.repo;
    let web = ctx.web_url();
    let kind = if ctx.tag { "tag_push" } else { "push" };
    let namespace = r.owner.rsplit('/').next().unwrap_or(&r.owner).to_string();
    let namespace = ctx
        .pw
        .orgs
        .iter()
        .find(|o| o.full_path() == r.owner)
        .map(|o| o.display_name().to_string())
        .unwrap_or(namespace);
    json!({
        "object_kind": kind, "event_name": kind,
        "before": ctx.before, "after": ctx.after, "ref": ctx.full_ref, "ref_protected": r.branch() == ctx.name,
        "checkout_sha": ctx.after, "message": null,
        "user_id": ctx.pusher.id, "user_name": ctx.pusher.display_name(), "user_username": ctx.pusher.login,
        "user_email": "", "user_avatar": format!("{}/uploads/-/system/user/avatar/{}/avatar.png", ctx.origin, ctx.pusher.id),
        "project_id": r.id,
        "project": {
            "id": r.id, "name": r.name, "description": r.description, "web_url": web, "avatar_url": null,
            "git_ssh_url": ctx.ssh_url(), "git_http_url": ctx.clone_url(), "namespace": namespace,
            "visibility_level": visibility_level(r), "path_with_namespace": r.full_name(),
            "default_branch": r.branch(), "ci_config_path": null, "homepage": web,
            "url": ctx.ssh_url(), "ssh_url": ctx.ssh_url(), "http_url": ctx.clone_url()
        },
        "commits": [{
            "id": ctx.after, "message": format!("{}\n", ctx.message()), "title": ctx.message(),
            "timestamp": ctx.now.to_rfc3339(), "url": format!("{web}/-/commit/{}", ctx.after),
            "author": {"name": ctx.pusher.display_name(), "email": "[REDACTED]"},
            "added": [], "modified": ["README.md"], "removed": []
        }],
        "total_commits_count": 1, "push_options": {},
        "repository": {
            "name": r.name, "url": ctx.ssh_url(), "description": r.description, "homepage": web,
            "git_http_url": ctx.clone_url(), "git_ssh_url": ctx.ssh_url(), "visibility_level": visibility_level(r)
        }
    })
}

pub(super) fn delivery(ctx: &PushCtx, h: &Hook) -> (String, Vec<(String, String)>, Vec<u8>) {
    let body = serde_json::to_vec(&payload(ctx)).unwrap_or_default();
    let event = if ctx.tag {
        "Tag Push Hook"
    } else {
        "Push Hook"
    }
    .to_string();
    let version = ctx
        .pw
        .settings
        .version
        .clone()
        .unwrap_or_else(|| "17.9.1".to_string());
    let mut headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("user-agent".to_string(), format!("GitLab/{version}")),
        (
            "idempotency-key".to_string(),
            uuid::Uuid::new_v4().to_string(),
        ),
        ("x-gitlab-event".to_string(), event.clone()),
        (
            "x-gitlab-webhook-uuid".to_string(),
            crate::world::uuid_for(h.id)
                .trim_matches(|c| c == '{' || c == '}')
                .to_string(),
        ),
        ("x-gitlab-instance".to_string(), ctx.origin.clone()),
        (
            "x-gitlab-event-uuid".to_string(),
            uuid::Uuid::new_v4().to_string(),
        ),
    ];
    if let Some(s) = h.secret.as_deref().filter(|s| !s.is_empty()) {
        headers.push(("x-gitlab-token".to_string(), s.to_string()));
    }
    (event, headers, body)
}

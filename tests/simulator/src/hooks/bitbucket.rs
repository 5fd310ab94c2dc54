//! Bitbucket Cloud repository webhooks (`swagger.v3.json`: `/repositories/{workspace}/{repo_slug}/hooks`
//! and `/hooks/{uid}`, schema `webhook_subscription`): create → 201 with `Location`, list (paged),
//! get, update (PUT), delete → 204. The secret is write-only (`secret_set` tells whether one is
//! set). Scopes (`x-atlassian-oauth2-scopes`): reads `read:webhook:bitbucket`, create/update
//! `write:webhook:bitbucket`, delete `delete:webhook:bitbucket` for API tokens; `webhook` for OAuth
//! consumers and access tokens. Managing hooks needs repository admin (workspace admin here).
//!
//! Deliveries: `X-Event-Key: repo:push`, `X-Hook-UUID`, `X-Request-UUID`, `X-Attempt-Number`,
//! `User-Agent: Bitbucket-Webhooks/2.0`, and `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret,
//! body)>` when a secret is set (the "enhanced webhook security" scheme); payload `repo:push`
//! (`push.changes[].new{type: branch|tag, name, target{hash}}`, `repository`, `actor`).

use super::{add, find_hook, fresh, hmac_sha256_hex, hooks_of, remove, update, Hook, PushCtx};
use crate::auth::Caller;
use crate::http::{SimRequest, SimResponse};
use crate::provider::Provider;
use crate::server::Env;
use crate::world::{OptionExt, Repo, TokenKind, User};
use serde_json::{json, Map, Value};

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Read,
    Write,
    Delete,
}

impl Op {
    fn granular(self) -> &'static str {
        match self {
            Op::Read => "read:webhook:bitbucket",
            Op::Write => "write:webhook:bitbucket",
            Op::Delete => "delete:webhook:bitbucket",
        }
    }
}

fn granted(c: &Caller, op: Op) -> bool {
    let s = &c.token.scopes;
    if c.token.kind == TokenKind::ApiToken {
        let has = |x: &str| s.iter().any(|g| g == x);
        return has(op.granular())
            || (op == Op::Read
                && (has("write:webhook:bitbucket") || has("delete:webhook:bitbucket")))
            || has("admin:webhook:bitbucket");
    }
    s.iter().any(|g| g == "webhook")
}

fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

/// `/repositories/{ws}/{slug}/hooks/...` for an authenticated caller.
pub(crate) fn route(
    env: &Env,
    req: &SimRequest,
    c: Caller,
    ws: &str,
    slug: &str,
    rest: &[&str],
) -> SimResponse {
    let op = match req.method.as_str() {
        "GET" => Op::Read,
        "DELETE" => Op::Delete,
        _ => Op::Write,
    };
    let resp = handle(env, req, &c, op, ws, slug, rest);
    crate::bitbucket::decorate(resp, c, "webhook")
}

fn handle(
    env: &Env,
    req: &SimRequest,
    c: &Caller,
    op: Op,
    ws: &str,
    slug: &str,
    rest: &[&str],
) -> SimResponse {
    if !granted(c, op) {
        let required = if c.token.kind == TokenKind::ApiToken {
            op.granular()
        } else {
            "webhook"
        };
        return SimResponse::json(
            403,
            &json!({"type": "error", "error": {
                "message": "Your credentials lack one or more required privilege scopes.",
                "detail": {"granted": c.token.scopes, "required": [required]}}}),
        );
    }
    let me = &c.user.login;
    // The workspace: an org (access by membership) or a user's own workspace.
    let access = match env.pw.org(ws) {
        Some(o) => env.pw.direct_access(o, me),
        None if env.pw.user(ws).is_some() => (ws == me).then_some(50),
        None => None,
    };
    let found = env
        .pw
        .repos
        .iter()
        .find(|r| r.owner == ws && r.name == slug && (!r.private || access.is_some()));
    let Some(repo) = found else {
        return crate::bitbucket::error(404, &format!("Repository {ws}/{slug} not found"));
    };
    if access.unwrap_or(0) < 50 {
        return crate::bitbucket::error(403, "You do not have admin access to this repository.");
    }
    match (req.method.as_str(), rest) {
        ("GET", []) => {
            let items = hooks_of(env, repo)
                .into_iter()
                .map(|h| hook_json(req, repo, h))
                .collect();
            crate::bitbucket::envelope(req, items, crate::bitbucket::page(req))
        }
        ("POST", []) => create(env, req, c, repo),
        ("GET", [uid]) => match find_hook(env, repo, uid) {
            Some(h) => SimResponse::json(200, &hook_json(req, repo, h)),
            None => not_found(),
        },
        ("PUT", [uid]) => match find_hook(env, repo, uid) {
            Some(h) => edit(env, req, repo, h),
            None => not_found(),
        },
        ("DELETE", [uid]) => match find_hook(env, repo, uid) {
            Some(h) => {
                remove(env, h);
                SimResponse::new(204)
            }
            None => not_found(),
        },
        _ => crate::bitbucket::error(404, "Resource not found"),
    }
}

fn not_found() -> SimResponse {
    crate::bitbucket::error(404, "Webhook not found")
}

fn bad_request(field: &str) -> SimResponse {
    SimResponse::json(
        400,
        &json!({"type": "error", "error": {"message": "Bad request", "fields": {field: ["This field is required."]}}}),
    )
}

fn repo_brief(api: &str, origin: &str, r: &Repo) -> Value {
    let full = r.full_name();
    json!({
        "type": "repository", "full_name": full, "name": r.name, "uuid": crate::world::uuid_for(r.id),
        "links": {
            "self": {"href": format!("{api}/repositories/{full}")},
            "html": {"href": format!("{origin}/{full}")},
            "avatar": {"href": format!("{origin}/{full}/avatar/32/")}
        }
    })
}

fn hook_json(req: &SimRequest, r: &Repo, h: &Hook) -> Value {
    let key = h.key();
    json!({
        "type": "webhook_subscription", "uuid": key, "url": h.url,
        "description": h.description.clone().unwrap_or_default(), "subject_type": "repository",
        "subject": repo_brief(&req.api_base(), &req.origin, r), "active": h.active,
        "created_at": ts(h.created()), "events": h.events,
        "secret_set": h.secret.as_deref().is_some_and(|s| !s.is_empty()),
        "skip_cert_verification": !h.ssl_verify, "history_enabled": false,
        "links": {"self": {"href": format!("{}/repositories/{}/hooks/{}", req.api_base(), r.full_name(), key)}}
    })
}

fn body(req: &SimRequest) -> Option<Map<String, Value>> {
    match req.json() {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn fields(h: &mut Hook, m: &Map<String, Value>) -> Result<(), SimResponse> {
    if let Some(u) = m.get("url") {
        let u = u.as_str().unwrap_or_default();
        if !super::is_http_url(u) {
            return Err(SimResponse::json(
                400,
                &json!({"type": "error", "error": {"message": "Bad request", "fields": {"url": ["Enter a valid URL."]}}}),
            ));
        }
        h.url = u.to_string();
    }
    if let Some(d) = m.get("description").and_then(Value::as_str) {
        h.description = Some(d.to_string());
    }
    if let Some(a) = m.get("active").and_then(Value::as_bool) {
        h.active = a;
    }
    if let Some(s) = m.get("secret") {
        h.secret = s.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    }
    if let Some(v) = m.get("skip_cert_verification").and_then(Value::as_bool) {
        h.ssl_verify = !v;
    }
    if let Some(ev) = m.get("events").and_then(Value::as_array) {
        h.events = ev
            .iter()
            .filter_map(|e| e.as_str().map(str::to_string))
            .collect();
    }
    Ok(())
}

fn create(env: &Env, req: &SimRequest, c: &Caller, r: &Repo) -> SimResponse {
    let Some(m) = body(req) else {
        return crate::bitbucket::error(400, "Bad request");
    };
    if m.get("url")
        .and_then(Value::as_str)
        .none_or(|u| u.trim().is_empty())
    {
        return bad_request("url");
    }
    let mut h = fresh(env, Provider::Bitbucket, r, &c.user.login);
    if let Err(resp) = fields(&mut h, &m) {
        return resp;
    }
    if h.events.is_empty() {
        return bad_request("events");
    }
    let v = hook_json(req, r, &h);
    let location = v["links"]["self"]["href"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    add(env, h);
    SimResponse::json(201, &v).header("location", location)
}

fn edit(env: &Env, req: &SimRequest, r: &Repo, old: &Hook) -> SimResponse {
    let Some(m) = body(req) else {
        return crate::bitbucket::error(400, "Bad request");
    };
    let mut h = old.clone();
    if let Err(resp) = fields(&mut h, &m) {
        return resp;
    }
    if h.events.is_empty() {
        return bad_request("events");
    }
    h.updated_at = Some(env.now);
    let v = hook_json(req, r, &h);
    update(env, h);
    SimResponse::json(200, &v)
}

// ---- the repo:push event ----------------------------------------------------------------

fn actor(ctx: &PushCtx, u: &User) -> Value {
    json!({
        "type": "user", "display_name": u.display_name(), "uuid": u.bitbucket_uuid(),
        "account_id": u.account_id.clone().unwrap_or_else(|| format!("557058:{}", crate::world::hex_id(u.id, 24))),
        "nickname": u.login,
        "links": {"self": {"href": format!("{}/users/{}", ctx.api, u.bitbucket_uuid())},
                  "html": {"href": format!("{}/{}/", ctx.origin, u.bitbucket_uuid())}}
    })
}

pub(super) fn delivery(ctx: &PushCtx, h: &Hook) -> (String, Vec<(String, String)>, Vec<u8>) {
    let r = ctx.repo;
    let web = ctx.web_url();
    let kind = if ctx.tag { "tag" } else { "branch" };
    let commit = |hash: &str| {
        json!({"type": "commit", "hash": hash, "date": ctx.now.to_rfc3339(), "message": format!("{}\n", ctx.message()),
               "author": {"type": "author", "raw": format!("{} <{}>", ctx.pusher.display_name(), ctx.email())},
               "links": {"html": {"href": format!("{web}/commits/{hash}")}}})
    };
    let mut repository = repo_brief(&ctx.api, &ctx.origin, r);
    if let Some(m) = repository.as_object_mut() {
        m.insert("is_private".into(), json!(r.private));
        m.insert("scm".into(), json!("git"));
        let ws = ctx.pw.org(&r.owner);
        m.insert(
            "workspace".into(),
            json!({"type": "workspace", "slug": r.owner,
                   "name": ws.map(|o| o.display_name().to_string()).unwrap_or_else(|| r.owner.clone()),
                   "uuid": ws.map(|o| o.bitbucket_uuid()).unwrap_or_default()}),
        );
    }
    let payload = json!({
        "push": {"changes": [{
            "new": {"type": kind, "name": ctx.name, "target": commit(&ctx.after),
                    "links": {"html": {"href": format!("{web}/branch/{}", ctx.name)}}},
            "old": {"type": kind, "name": ctx.name, "target": commit(&ctx.before)},
            "created": false, "closed": false, "forced": false, "truncated": false,
            "commits": [commit(&ctx.after)],
            "links": {"html": {"href": format!("{web}/branches/compare/{}..{}", ctx.after, ctx.before)}}
        }]},
        "repository": repository,
        "actor": actor(ctx, &ctx.pusher)
    });
    let body = serde_json::to_vec(&payload).unwrap_or_default();
    let mut headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        (
            "user-agent".to_string(),
            "Bitbucket-Webhooks/2.0".to_string(),
        ),
        ("x-event-key".to_string(), "repo:push".to_string()),
        (
            "x-hook-uuid".to_string(),
            h.key().trim_matches(|c| c == '{' || c == '}').to_string(),
        ),
        (
            "x-request-uuid".to_string(),
            uuid::Uuid::new_v4().to_string(),
        ),
        ("x-attempt-number".to_string(), "1".to_string()),
    ];
    if let Some(s) = h.secret.as_deref().filter(|s| !s.is_empty()) {
        headers.push((
            "x-hub-signature".to_string(),
            format!("sha256={}", hmac_sha256_hex(s.as_bytes(), &body)),
        ));
    }
    ("repo:push".to_string(), headers, body)
}

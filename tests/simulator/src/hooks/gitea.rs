//! Gitea / Forgejo repository webhooks (swagger `repoListHooks`, `repoCreateHook`,
//! `repoGetHook`, `repoEditHook`, `repoDeleteHook`; `CreateHookOption`, `EditHookOption`,
//! `Hook`): `type` (gitea, gogs, slack, ...) and `config.url` + `config.content_type` (`json` |
//! `form`) are required (422 "Missing config option: url" / "Invalid content type"), `events`
//! defaults to `["push"]`, `active` to false (as the swagger says), `branch_filter` to `*`;
//! `config.secret` is never returned. Create → 201, edit (PATCH) → 200, delete → 204. Routes
//! are under `reqToken` + repository-admin (`routers/api/v1/api.go`): reads need
//! `read:repository`, changes `write:repository` (`all` grants both).
//!
//! Deliveries (`services/webhook/deliver.go`): `X-Gitea-Event: push`, `X-Gitea-Event-Type`,
//! `X-Gitea-Delivery`, `X-Gitea-Signature: <hex HMAC-SHA256(secret, payload)>` (no prefix), the
//! same as `X-Gogs-*`, and GitHub-style `X-GitHub-Event`, `X-Hub-Signature` (sha1=) and
//! `X-Hub-Signature-256` (sha256=). A tag push is a `push` event with `refs/tags/...`.

use super::{
    add, find_hook, fresh, hmac_sha1_hex, hmac_sha256_hex, hooks_of, remove, update, Hook, PushCtx,
};
use crate::auth::Caller;
use crate::http::{SimRequest, SimResponse};
use crate::provider::Provider;
use crate::server::Env;
use crate::world::{iso, Repo};
use serde_json::{json, Map, Value};

const TYPES: [&str; 12] = [
    "gitea",
    "gogs",
    "slack",
    "discord",
    "dingtalk",
    "telegram",
    "msteams",
    "feishu",
    "matrix",
    "wechatwork",
    "packagist",
    "forgejo",
];

/// `/repos/{owner}/{name}/hooks/...`.
pub(crate) fn route(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    owner: &str,
    name: &str,
    rest: &[&str],
) -> SimResponse {
    let Some(c) = c else {
        return crate::gitea::error(req, 401, "token is required");
    };
    let write = req.method != "GET";
    let s = &c.token.scopes;
    let has = |x: &str| s.iter().any(|g| g == x);
    let ok = has("all") || has("write:repository") || (!write && has("read:repository"));
    if !ok {
        let need = if write {
            "write:repository"
        } else {
            "read:repository"
        };
        return crate::gitea::error(
            req,
            403,
            &format!(
                "token does not have at least one of required scope(s), required=[{need}], token scope={}",
                s.join(",")
            ),
        );
    }
    let found = env
        .pw
        .repos
        .iter()
        .find(|r| r.owner.eq_ignore_ascii_case(owner) && r.name.eq_ignore_ascii_case(name));
    let access = found.and_then(|r| crate::gitea::access(env, r, &c.user.login));
    let Some(repo) = found.filter(|r| !r.private || access.is_some()) else {
        return crate::gitea::error(req, 404, "The target couldn't be found.");
    };
    if access.unwrap_or(0) < 50 {
        return crate::gitea::error(
            req,
            403,
            "user should be an owner or a collaborator with admin write of a repository",
        );
    }
    match (req.method.as_str(), rest) {
        ("GET", []) => {
            let items = hooks_of(env, repo).into_iter().map(hook_json).collect();
            crate::gitea::paged(req, items, crate::gitea::page(env, req))
        }
        ("POST", []) => create(env, req, &c, repo),
        ("GET", [id]) => match find_hook(env, repo, id) {
            Some(h) => SimResponse::json(200, &hook_json(h)),
            None => crate::gitea::error(req, 404, "The target couldn't be found."),
        },
        ("PATCH", [id]) => match find_hook(env, repo, id) {
            Some(h) => edit(env, req, h),
            None => crate::gitea::error(req, 404, "The target couldn't be found."),
        },
        ("DELETE", [id]) => match find_hook(env, repo, id) {
            Some(h) => {
                remove(env, h);
                SimResponse::new(204)
            }
            None => crate::gitea::error(req, 404, "The target couldn't be found."),
        },
        _ => crate::gitea::error(req, 404, "not found"),
    }
}

fn hook_json(h: &Hook) -> Value {
    json!({
        "id": h.id, "type": h.name.clone().unwrap_or_else(|| "gitea".to_string()),
        "branch_filter": h.branch_filter.clone().unwrap_or_else(|| "*".to_string()),
        "config": {"content_type": h.content_type.clone().unwrap_or_else(|| "json".to_string()), "url": h.url},
        "events": h.events, "authorization_header": "", "active": h.active,
        "updated_at": iso(h.updated()), "created_at": iso(h.created())
    })
}

fn body(req: &SimRequest) -> Result<Map<String, Value>, SimResponse> {
    match req.json() {
        Some(Value::Object(m)) => Ok(m),
        _ => Err(crate::gitea::error(req, 422, "[]: Unprocessable Entity")),
    }
}

fn apply_config(
    req: &SimRequest,
    h: &mut Hook,
    cfg: &Map<String, Value>,
) -> Result<(), SimResponse> {
    if let Some(u) = cfg.get("url").and_then(Value::as_str) {
        if !super::is_http_url(u) {
            return Err(crate::gitea::error(req, 422, "Invalid url"));
        }
        h.url = u.to_string();
    }
    if let Some(ct) = cfg.get("content_type").and_then(Value::as_str) {
        if ct != "json" && ct != "form" {
            return Err(crate::gitea::error(req, 422, "Invalid content type"));
        }
        h.content_type = Some(ct.to_string());
    }
    if let Some(s) = cfg.get("secret").and_then(Value::as_str) {
        h.secret = Some(s.to_string()).filter(|s| !s.is_empty());
    }
    Ok(())
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}

fn create(env: &Env, req: &SimRequest, c: &Caller, r: &Repo) -> SimResponse {
    let m = match body(req) {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    let kind = m.get("type").and_then(Value::as_str).unwrap_or_default();
    if kind.is_empty() {
        return crate::gitea::error(req, 422, "[Type]: Required");
    }
    if !TYPES.contains(&kind) {
        return crate::gitea::error(req, 422, "Invalid hook type");
    }
    let Some(cfg) = m.get("config").and_then(Value::as_object) else {
        return crate::gitea::error(req, 422, "[Config]: Required");
    };
    if cfg.get("url").and_then(Value::as_str).is_none() {
        return crate::gitea::error(req, 422, "Missing config option: url");
    }
    if cfg.get("content_type").and_then(Value::as_str).is_none() {
        return crate::gitea::error(req, 422, "Missing config option: content_type");
    }
    let mut h = fresh(env, Provider::Gitea, r, &c.user.login);
    h.name = Some(kind.to_string());
    if let Err(resp) = apply_config(req, &mut h, cfg) {
        return resp;
    }
    h.events = m
        .get("events")
        .and_then(strings)
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| vec!["push".to_string()]);
    h.active = m.get("active").and_then(Value::as_bool).unwrap_or(false);
    h.branch_filter = m
        .get("branch_filter")
        .and_then(Value::as_str)
        .map(str::to_string);
    let v = hook_json(&h);
    add(env, h);
    SimResponse::json(201, &v)
}

fn edit(env: &Env, req: &SimRequest, old: &Hook) -> SimResponse {
    let m = match body(req) {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    let mut h = old.clone();
    if let Some(cfg) = m.get("config").and_then(Value::as_object) {
        if let Err(resp) = apply_config(req, &mut h, cfg) {
            return resp;
        }
    }
    if let Some(ev) = m.get("events").and_then(strings) {
        h.events = ev;
    }
    if let Some(a) = m.get("active").and_then(Value::as_bool) {
        h.active = a;
    }
    if let Some(b) = m.get("branch_filter").and_then(Value::as_str) {
        h.branch_filter = Some(b.to_string());
    }
    h.updated_at = Some(env.now);
    let v = hook_json(&h);
    update(env, h);
    SimResponse::json(200, &v)
}

// ---- the push event ---------------------------------------------------------------------

fn user(ctx: &PushCtx, login: &str, id: u64, name: &str, email: &str) -> Value {
    json!({"id": id, "login": login, "login_name": "", "full_name": name, "email": email,
           "avatar_url": format!("{}/avatars/{id:x}", ctx.origin), "language": "", "is_admin": false,
           "username": login, "html_url": format!("{}/{login}", ctx.origin)})
}

pub(super) fn delivery(ctx: &PushCtx, h: &Hook) -> (String, Vec<(String, String)>, Vec<u8>) {
    let r = ctx.repo;
    let web = ctx.web_url();
    let pusher = user(
        ctx,
        &ctx.pusher.login,
        ctx.pusher.id,
        ctx.pusher.display_name(),
        &ctx.email(),
    );
    let owner_id = ctx
        .pw
        .org(&r.owner)
        .map(|o| o.id)
        .or_else(|| ctx.pw.user(&r.owner).map(|u| u.id))
        .unwrap_or(0);
    let commit = json!({
        "id": ctx.after, "message": format!("{}\n", ctx.message()), "url": format!("{web}/commit/{}", ctx.after),
        "author": {"name": ctx.pusher.display_name(), "email": ctx.email(), "username": ctx.pusher.login},
        "committer": {"name": ctx.pusher.display_name(), "email": ctx.email(), "username": ctx.pusher.login},
        "verification": null, "timestamp": ctx.now.to_rfc3339(), "added": [], "removed": [], "modified": ["README.md"]
    });
    let payload = json!({
        "ref": ctx.full_ref, "before": ctx.before, "after": ctx.after,
        "compare_url": format!("{web}/compare/{}...{}", ctx.before, ctx.after),
        "commits": [commit.clone()], "total_commits": 1, "head_commit": commit,
        "repository": {
            "id": r.id, "owner": user(ctx, &r.owner, owner_id, &r.owner, ""), "name": r.name,
            "full_name": r.full_name(), "description": r.description.clone().unwrap_or_default(),
            "empty": false, "private": r.private, "fork": false, "template": false, "mirror": false,
            "html_url": web, "url": format!("{}/repos/{}", ctx.api, r.full_name()),
            "ssh_url": ctx.ssh_url(), "clone_url": ctx.clone_url(), "default_branch": r.branch(),
            "archived": r.archived, "created_at": iso(r.created()), "updated_at": iso(r.updated())
        },
        "pusher": pusher, "sender": pusher
    });
    let json_text = serde_json::to_vec(&payload).unwrap_or_default();
    let form = h.content_type.as_deref() == Some("form");
    let body = if form {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("payload", &String::from_utf8_lossy(&json_text))
            .finish()
            .into_bytes()
    } else {
        json_text.clone()
    };
    let delivery = uuid::Uuid::new_v4().to_string();
    let mut headers = vec![
        (
            "content-type".to_string(),
            if form {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            }
            .to_string(),
        ),
        ("user-agent".to_string(), "Go-http-client/1.1".to_string()),
        ("x-gitea-event".to_string(), "push".to_string()),
        ("x-gitea-event-type".to_string(), "push".to_string()),
        ("x-gitea-delivery".to_string(), delivery.clone()),
        (
            "x-gitea-hook-installation-target-type".to_string(),
            "repository".to_string(),
        ),
        ("x-gogs-event".to_string(), "push".to_string()),
        ("x-gogs-event-type".to_string(), "push".to_string()),
        ("x-gogs-delivery".to_string(), delivery.clone()),
        ("x-github-event".to_string(), "push".to_string()),
        ("x-github-event-type".to_string(), "push".to_string()),
        ("x-github-delivery".to_string(), delivery),
        (
            "x-github-hook-installation-target-type".to_string(),
            "repository".to_string(),
        ),
    ];
    // Gitea signs the JSON payload itself (also when it is sent form-encoded).
    let secret = h.secret.clone().unwrap_or_default();
    let sig256 = hmac_sha256_hex(secret.as_bytes(), &json_text);
    headers.push(("x-gitea-signature".to_string(), sig256.clone()));
    headers.push(("x-gogs-signature".to_string(), sig256.clone()));
    headers.push((
        "x-hub-signature".to_string(),
        format!("sha1={}", hmac_sha1_hex(secret.as_bytes(), &json_text)),
    ));
    headers.push((
        "x-hub-signature-256".to_string(),
        format!("sha256={sig256}"),
    ));
    ("push".to_string(), headers, body)
}

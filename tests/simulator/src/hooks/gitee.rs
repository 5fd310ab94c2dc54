//! Gitee repository webhooks (swagger `getV5ReposOwnerRepoHooks`, `postV5ReposOwnerRepoHooks`,
//! `getV5ReposOwnerRepoHooksId`, `patchV5ReposOwnerRepoHooksId`, `deleteV5ReposOwnerRepoHooksId`;
//! model `Hook`): form-encoded `access_token`, `url`, `encryption_type` (0 password, 1 signing
//! key), `password`, `push_events` (default true), `tag_push_events`, `issues_events`,
//! `note_events`, `merge_requests_events` → **201**; list (`page`, `per_page`, `total_count` /
//! `total_page` headers); PATCH → 200; DELETE → **204** (gokins client code). A token without
//! the `hook` scope gets `401 Unauthorized: no 'hook' scope`; managing hooks needs repository
//! admin (403 otherwise, unconfirmed body).
//!
//! Deliveries (help.gitee.com/articles/4290, 4186): `User-Agent: git-oschina-hook`,
//! `X-Gitee-Event: Push Hook` / `Tag Push Hook`, `X-Gitee-Timestamp` (ms), `X-Gitee-Token`: the
//! password (type 0) or `Base64(HMAC-SHA256(key=secret, timestamp + "\n" + secret))` (type 1);
//! the body also carries `hook_name`, `password`/`sign`, `timestamp`.

use super::{
    add, find_hook, fresh, gitee_sign, hooks_of, params, remove, toggle, update, Hook, PushCtx,
};
use crate::auth::Caller;
use crate::http::{SimRequest, SimResponse};
use crate::provider::Provider;
use crate::server::Env;
use crate::world::Repo;
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{json, Map, Value};

const EVENTS: [(&str, bool); 5] = [
    ("push_events", true),
    ("tag_push_events", false),
    ("issues_events", false),
    ("note_events", false),
    ("merge_requests_events", false),
];

fn message(status: u16, m: &str) -> SimResponse {
    SimResponse::json(status, &json!({ "message": m }))
}

fn ts(t: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(8 * 3600) {
        Some(cst) => t
            .with_timezone(&cst)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        None => crate::world::iso(t),
    }
}

/// `/repos/{owner}/{name}/hooks/...`.
pub(crate) fn route(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    owner: &str,
    name: &str,
    rest: &[&str],
) -> SimResponse {
    crate::gitee::need(c, "hook", |c| handle(env, req, c, owner, name, rest))
}

fn handle(
    env: &Env,
    req: &SimRequest,
    c: Caller,
    owner: &str,
    name: &str,
    rest: &[&str],
) -> SimResponse {
    let found = env
        .pw
        .repos
        .iter()
        .find(|r| r.owner == owner && r.name == name);
    let access = found.and_then(|r| crate::gitee::member(env, r, &c.user.login));
    let Some(repo) = found.filter(|r| !r.private || access.is_some()) else {
        return message(404, "Not Found Project");
    };
    if access.unwrap_or(0) < 40 {
        return message(403, "403 Forbidden");
    }
    match (req.method.as_str(), rest) {
        ("GET", []) => {
            let items = hooks_of(env, repo)
                .into_iter()
                .map(|h| hook_json(repo, h))
                .collect();
            crate::gitee::paged(items, crate::gitee::page(req))
        }
        ("POST", []) => create(env, req, &c, repo),
        ("GET", [id]) => match find_hook(env, repo, id) {
            Some(h) => SimResponse::json(200, &hook_json(repo, h)),
            None => message(404, "404 Not Found"),
        },
        ("PATCH", [id]) => match find_hook(env, repo, id) {
            Some(h) => edit(env, req, repo, h),
            None => message(404, "404 Not Found"),
        },
        ("DELETE", [id]) => match find_hook(env, repo, id) {
            Some(h) => {
                remove(env, h);
                SimResponse::new(204)
            }
            None => message(404, "404 Not Found"),
        },
        _ => message(404, "Not Found"),
    }
}

fn hook_json(r: &Repo, h: &Hook) -> Value {
    let mut v = json!({
        "id": h.id, "url": h.url, "created_at": ts(h.created()),
        "password": h.secret.clone().unwrap_or_default(), "project_id": r.id,
        "result": "", "result_code": null, "encryption_type": h.encryption_type.unwrap_or(0)
    });
    if let Some(m) = v.as_object_mut() {
        for (e, _) in EVENTS {
            m.insert(e.to_string(), json!(h.has_event(e)));
        }
    }
    v
}

fn fields(h: &mut Hook, m: &Map<String, Value>) -> Result<(), SimResponse> {
    if let Some(url) = super::text(m, "url") {
        if !super::is_http_url(&url) {
            return Err(message(400, "url is invalid"));
        }
        h.url = url;
    }
    if let Some(t) = super::text(m, "encryption_type") {
        match t.as_str() {
            "0" => h.encryption_type = Some(0),
            "1" => h.encryption_type = Some(1),
            _ => return Err(message(400, "encryption_type is invalid")),
        }
    }
    if let Some(p) = super::text(m, "password") {
        h.secret = Some(p).filter(|s| !s.is_empty());
    }
    for (e, _) in EVENTS {
        toggle(&mut h.events, e, super::flag(m, e));
    }
    Ok(())
}

fn create(env: &Env, req: &SimRequest, c: &Caller, r: &Repo) -> SimResponse {
    let Ok(m) = params(req) else {
        return message(400, "400 Bad Request");
    };
    if super::blank(super::text(&m, "url")) {
        return message(400, "url is missing");
    }
    let mut h = fresh(env, Provider::Gitee, r, &c.user.login);
    h.encryption_type = Some(0);
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
    SimResponse::json(201, &v)
}

fn edit(env: &Env, req: &SimRequest, r: &Repo, old: &Hook) -> SimResponse {
    let Ok(m) = params(req) else {
        return message(400, "400 Bad Request");
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

fn user(ctx: &PushCtx) -> Value {
    let u = &ctx.pusher;
    json!({"id": u.id, "name": u.display_name(), "email": ctx.email(), "username": u.login,
           "user_name": u.login, "url": format!("{}/{}", ctx.origin, u.login), "login": u.login,
           "avatar_url": format!("{}/assets/no_portrait.png", ctx.origin),
           "html_url": format!("{}/{}", ctx.origin, u.login), "type": "User", "site_admin": false,
           "time": ts(ctx.now), "remark": ""})
}

pub(super) fn delivery(ctx: &PushCtx, h: &Hook) -> (String, Vec<(String, String)>, Vec<u8>) {
    let r = ctx.repo;
    let web = ctx.web_url();
    let u = user(ctx);
    let commit = json!({
        "id": ctx.after, "tree_id": super::fake_sha(&format!("tree:{}", ctx.after)), "parent_ids": [ctx.before],
        "distinct": true, "message": ctx.message(), "timestamp": ts(ctx.now),
        "url": format!("{web}/commit/{}", ctx.after), "author": u, "committer": u,
        "added": null, "removed": null, "modified": ["README.md"]
    });
    let project = json!({
        "id": r.id, "name": r.name, "path": r.name, "full_name": r.full_name(),
        "owner": {"login": r.owner, "name": r.owner, "username": r.owner},
        "private": r.private, "html_url": web, "url": web, "description": r.description.clone().unwrap_or_default(),
        "fork": false, "created_at": ts(r.created()), "updated_at": ts(r.updated()), "pushed_at": ts(ctx.now),
        "git_url": format!("git://{}/{}.git", ctx.origin.trim_start_matches("http://"), r.full_name()),
        "ssh_url": ctx.ssh_url(), "clone_url": ctx.clone_url(), "default_branch": r.branch(),
        "namespace": r.owner, "name_with_namespace": format!("{}/{}", r.owner, r.name),
        "path_with_namespace": r.full_name(), "git_http_url": ctx.clone_url(), "git_ssh_url": ctx.ssh_url()
    });
    let timestamp = ctx.now.timestamp_millis();
    let secret = h.secret.clone().unwrap_or_default();
    let sign_mode = h.encryption_type == Some(1);
    let token = if sign_mode {
        gitee_sign(&secret, timestamp)
    } else {
        secret.clone()
    };
    let mut payload = json!({
        "ref": ctx.full_ref, "before": ctx.before, "after": ctx.after, "created": false, "deleted": false,
        "compare": format!("{web}/compare/{}...{}", ctx.before, ctx.after),
        "commits": [commit.clone()], "head_commit": commit, "total_commits_count": 1,
        "commits_more_than_ten": false, "repository": project.clone(), "project": project,
        "user_id": ctx.pusher.id, "user_name": ctx.pusher.display_name(), "user": u, "pusher": u, "sender": u,
        "enterprise": null, "hook_name": if ctx.tag { "tag_push_hooks" } else { "push_hooks" },
        "hook_id": h.id, "hook_url": format!("{web}/hooks/{}/edit", h.id),
        "timestamp": timestamp.to_string()
    });
    if let Some(m) = payload.as_object_mut() {
        if sign_mode {
            m.insert("sign".into(), json!(token));
            m.insert("password".into(), json!(""));
        } else {
            m.insert("password".into(), json!(secret));
        }
    }
    let body = serde_json::to_vec(&payload).unwrap_or_default();
    let event = if ctx.tag {
        "Tag Push Hook"
    } else {
        "Push Hook"
    }
    .to_string();
    let mut headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("user-agent".to_string(), "git-oschina-hook".to_string()),
        ("x-gitee-event".to_string(), event.clone()),
        ("x-gitee-ping".to_string(), "false".to_string()),
        ("x-gitee-timestamp".to_string(), timestamp.to_string()),
    ];
    if !secret.is_empty() {
        headers.push(("x-gitee-token".to_string(), token));
    }
    (event, headers, body)
}

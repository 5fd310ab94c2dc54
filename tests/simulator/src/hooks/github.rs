//! GitHub repository webhooks: `repos/create-webhook`, `repos/list-webhooks`,
//! `repos/get-webhook`, `repos/update-webhook`, `repos/delete-webhook` (rest-api-description,
//! schema `hook`), and the `push` event (`webhook-push`, headers from the `webhooks` section).
//!
//! Access: classic/OAuth tokens need `admin:repo_hook`, `write:repo_hook` (not for delete),
//! `read:repo_hook` (reads only) or `repo`; without one GitHub answers **404** (it hides the
//! resource; octokit/octokit.js#1541 shows the 404 with `x-accepted-oauth-scopes: admin:repo_hook,
//! repo, write:repo_hook`). Fine-grained tokens need the repository's owner as resource owner
//! (else 403 "Resource not accessible by personal access token" + `X-Accepted-GitHub-Permissions`).
//! Only repository admins manage hooks (others: 404).

use super::{
    add, find_hook, fresh, hmac_sha1_hex, hmac_sha256_hex, hooks_of, remove, update, Hook, PushCtx,
};
use crate::auth::Caller;
use crate::http::{SimRequest, SimResponse};
use crate::paginate;
use crate::provider::Provider;
use crate::server::Env;
use crate::world::{iso, Repo, TokenKind};
use serde_json::{json, Map, Value};

const READ: &str = "admin:repo_hook, read:repo_hook, repo, write:repo_hook";
const WRITE: &str = "admin:repo_hook, repo, write:repo_hook";
const DELETE: &str = "admin:repo_hook, repo";
const DOCS: &str = "https://docs.github.com/rest/repos/webhooks";

fn err(status: u16, message: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({"message": message, "documentation_url": DOCS, "status": status.to_string()}),
    )
}

fn not_found() -> SimResponse {
    err(404, "Not Found")
}

fn invalid(message: &str) -> SimResponse {
    SimResponse::json(
        422,
        &json!({"message": "Validation Failed", "errors": [{"resource": "Hook", "code": "custom", "message": message}],
                "documentation_url": format!("{DOCS}#create-a-repository-webhook"), "status": "422"}),
    )
}

/// `/repos/{owner}/{name}/hooks/...`: the response and the `X-Accepted-OAuth-Scopes` value.
pub(crate) fn route(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    owner: &str,
    name: &str,
    rest: &[&str],
) -> (SimResponse, &'static str) {
    let m = req.method.as_str();
    let accepted = match m {
        "GET" => READ,
        "DELETE" => DELETE,
        _ => WRITE,
    };
    let Some(repo) = env
        .pw
        .repos
        .iter()
        .find(|r| r.owner == owner && r.name == name)
    else {
        return (not_found(), accepted);
    };
    // Anonymous callers get the same 404 as callers without access (unconfirmed).
    let Some(c) = c else {
        return (not_found(), accepted);
    };
    if let Some(o) = env.pw.org(owner) {
        if let Some(resp) = crate::github::org_gate(env, req, Some(&c), o, true) {
            return (resp, accepted);
        }
    }
    if !crate::github::can_see(env, Some(&c), repo) {
        return (not_found(), accepted);
    }
    match c.token.kind {
        TokenKind::FineGrained | TokenKind::App => {
            if c.token.resource_owner.as_deref().unwrap_or(&c.user.login) != owner {
                let perm = if m == "GET" {
                    "repository_hooks=read"
                } else {
                    "repository_hooks=write"
                };
                return (
                    err(403, "Resource not accessible by personal access token")
                        .header("x-accepted-github-permissions", perm),
                    accepted,
                );
            }
        }
        _ => {
            let wanted: Vec<&str> = accepted.split(", ").collect();
            if !c.token.has_any(&wanted) {
                return (not_found(), accepted);
            }
        }
    }
    if !is_admin(env, &c, repo) {
        return (not_found(), accepted);
    }
    let resp = match (m, rest) {
        ("GET", []) => list(env, req, repo),
        ("POST", []) => create(env, req, &c, repo),
        ("GET", [id]) => match find_hook(env, repo, id) {
            Some(h) => SimResponse::json(200, &hook_json(req, repo, h)),
            None => not_found(),
        },
        ("PATCH", [id]) => match find_hook(env, repo, id) {
            Some(h) => edit(env, req, repo, h),
            None => not_found(),
        },
        ("DELETE", [id]) => match find_hook(env, repo, id) {
            Some(h) => {
                remove(env, h);
                SimResponse::new(204)
            }
            None => not_found(),
        },
        // Ping and test deliveries are accepted and not sent.
        ("POST", [id, "pings" | "tests"]) => match find_hook(env, repo, id) {
            Some(_) => SimResponse::new(204),
            None => not_found(),
        },
        _ => not_found(),
    };
    (resp, accepted)
}

fn is_admin(env: &Env, c: &Caller, r: &Repo) -> bool {
    r.owner == c.user.login
        || env.pw.org(&r.owner).is_some_and(|o| {
            o.members
                .iter()
                .any(|m| m.login == c.user.login && m.access_level >= 50)
        })
}

fn hook_json(req: &SimRequest, r: &Repo, h: &Hook) -> Value {
    let url = format!("{}/repos/{}/hooks/{}", req.api_base(), r.full_name(), h.id);
    let mut config = Map::new();
    config.insert(
        "content_type".into(),
        json!(h.content_type.as_deref().unwrap_or("form")),
    );
    config.insert(
        "insecure_ssl".into(),
        json!(if h.ssl_verify { "0" } else { "1" }),
    );
    config.insert("url".into(), json!(h.url));
    if h.secret.as_deref().is_some_and(|s| !s.is_empty()) {
        config.insert("secret".into(), json!("********"));
    }
    json!({
        "type": "Repository", "id": h.id, "name": "web", "active": h.active, "events": h.events,
        "config": config, "updated_at": iso(h.updated()), "created_at": iso(h.created()),
        "url": url, "test_url": format!("{url}/test"), "ping_url": format!("{url}/pings"),
        "deliveries_url": format!("{url}/deliveries"),
        "last_response": {"code": null, "status": "unused", "message": null}
    })
}

fn list(env: &Env, req: &SimRequest, r: &Repo) -> SimResponse {
    let items: Vec<Value> = hooks_of(env, r)
        .into_iter()
        .map(|h| hook_json(req, r, h))
        .collect();
    let p = paginate::page_params(req, "page", "per_page", 30, 100);
    let rels = paginate::standard_rels(&p, items.len(), &["prev", "next", "last", "first"], true);
    let mut resp = SimResponse::json(200, &Value::Array(p.slice(&items).to_vec()));
    if let Some(link) = paginate::link_header(req, "page", &rels) {
        resp = resp.header("link", link);
    }
    resp
}

fn body(req: &SimRequest) -> Result<Map<String, Value>, SimResponse> {
    match req.json() {
        Some(Value::Object(m)) => Ok(m),
        _ if req.body.iter().all(|b| b.is_ascii_whitespace()) => Ok(Map::new()),
        _ => Err(err(400, "Problems parsing JSON")),
    }
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// Applies a `config` object: `url`, `content_type` (`json`|`form`), `secret`, `insecure_ssl`.
fn apply_config(h: &mut Hook, config: &Map<String, Value>) -> Result<(), SimResponse> {
    if let Some(u) = config.get("url") {
        let u = u.as_str().unwrap_or_default();
        if !super::is_http_url(u) {
            return Err(invalid("url is not a valid URL"));
        }
        h.url = u.to_string();
    }
    if let Some(ct) = config.get("content_type") {
        match ct.as_str() {
            Some(v @ ("json" | "form")) => h.content_type = Some(v.to_string()),
            _ => return Err(invalid("content_type must be json or form")),
        }
    }
    if let Some(s) = config.get("secret") {
        h.secret = s.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    }
    if let Some(v) = config.get("insecure_ssl") {
        h.ssl_verify = match v {
            Value::String(s) => s == "0",
            Value::Number(n) => n.as_i64() == Some(0),
            _ => true,
        };
    }
    Ok(())
}

fn create(env: &Env, req: &SimRequest, c: &Caller, r: &Repo) -> SimResponse {
    let m = match body(req) {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    if let Some(n) = m.get("name") {
        if n.as_str() != Some("web") {
            return invalid("Name must be 'web'");
        }
    }
    let mut h = fresh(env, Provider::Github, r, &c.user.login);
    h.content_type = Some("form".to_string());
    let config = m.get("config").and_then(Value::as_object);
    match config {
        Some(cfg) if cfg.get("url").and_then(Value::as_str).is_some() => {
            if let Err(resp) = apply_config(&mut h, cfg) {
                return resp;
            }
        }
        _ => return invalid("url is missing"),
    }
    h.events = match m.get("events").map(string_list) {
        Some(Some(ev)) if !ev.is_empty() => ev,
        Some(None) => return invalid("events must be a list of event names"),
        _ => vec!["push".to_string()],
    };
    h.active = m.get("active").and_then(Value::as_bool).unwrap_or(true);
    // "Each webhook needs a unique config."
    let duplicate = hooks_of(env, r).into_iter().any(|x| {
        x.url == h.url && x.content_type == h.content_type && x.ssl_verify == h.ssl_verify
    });
    if duplicate {
        return invalid("Hook already exists on this repository");
    }
    let v = hook_json(req, r, &h);
    let location = v["url"].as_str().unwrap_or_default().to_string();
    add(env, h);
    SimResponse::json(201, &v).header("location", location)
}

fn edit(env: &Env, req: &SimRequest, r: &Repo, old: &Hook) -> SimResponse {
    let m = match body(req) {
        Ok(m) => m,
        Err(resp) => return resp,
    };
    let mut h = old.clone();
    if let Some(cfg) = m.get("config").and_then(Value::as_object) {
        if let Err(resp) = apply_config(&mut h, cfg) {
            return resp;
        }
    }
    if let Some(ev) = m.get("events").and_then(string_list) {
        h.events = ev;
    }
    for e in m
        .get("add_events")
        .and_then(string_list)
        .unwrap_or_default()
    {
        if !h.has_event(&e) {
            h.events.push(e);
        }
    }
    let drop = m
        .get("remove_events")
        .and_then(string_list)
        .unwrap_or_default();
    h.events.retain(|e| !drop.contains(e));
    if let Some(a) = m.get("active").and_then(Value::as_bool) {
        h.active = a;
    }
    h.updated_at = Some(env.now);
    let v = hook_json(req, r, &h);
    update(env, h);
    SimResponse::json(200, &v)
}

// ---- the push event --------------------------------------------------------------------

fn user_json(ctx: &PushCtx, login: &str, id: u64) -> Value {
    json!({
        "name": login, "email": null, "login": login, "id": id,
        "node_id": format!("U_kgDO{id:08X}"), "avatar_url": format!("{}/avatars/u/{id}?v=4", ctx.origin),
        "url": format!("{}/users/{login}", ctx.api), "html_url": format!("{}/{login}", ctx.origin),
        "type": "User", "site_admin": false
    })
}

/// `push` (schema `webhook-push`): `ref`, `before`, `after`, `repository`, `pusher`, `sender`,
/// `created`, `deleted`, `forced`, `base_ref`, `compare`, `commits`, `head_commit`.
pub(super) fn delivery(ctx: &PushCtx, h: &Hook) -> (String, Vec<(String, String)>, Vec<u8>) {
    let r = ctx.repo;
    let full = r.full_name();
    let owner_id = ctx
        .pw
        .org(&r.owner)
        .map(|o| o.id)
        .or_else(|| ctx.pw.user(&r.owner).map(|u| u.id))
        .unwrap_or(0);
    let mut owner = user_json(ctx, &r.owner, owner_id);
    if ctx.pw.org(&r.owner).is_some() {
        owner["type"] = json!("Organization");
    }
    let web = ctx.web_url();
    let commit = json!({
        "id": ctx.after, "tree_id": super::fake_sha(&format!("tree:{}", ctx.after)), "distinct": true,
        "message": ctx.message(), "timestamp": ctx.now.to_rfc3339(),
        "url": format!("{web}/commit/{}", ctx.after),
        "author": {"name": ctx.pusher.display_name(), "email": ctx.email(), "username": ctx.pusher.login},
        "committer": {"name": ctx.pusher.display_name(), "email": ctx.email(), "username": ctx.pusher.login},
        "added": [], "removed": [], "modified": ["README.md"]
    });
    let payload = json!({
        "ref": ctx.full_ref, "before": ctx.before, "after": ctx.after,
        "repository": {
            "id": r.id, "node_id": format!("R_kgDO{:08X}", r.id), "name": r.name, "full_name": full,
            "private": r.private, "owner": owner, "html_url": web, "description": r.description,
            "fork": false, "url": web, "created_at": r.created().timestamp(),
            "updated_at": iso(r.updated()), "pushed_at": ctx.now.timestamp(),
            "git_url": format!("git://{}/{full}.git", ctx.origin.trim_start_matches("http://")),
            "ssh_url": ctx.ssh_url(), "clone_url": ctx.clone_url(), "homepage": null,
            "default_branch": r.branch(), "master_branch": r.branch(),
            "visibility": if r.private { "private" } else { "public" }, "archived": r.archived
        },
        "pusher": {"name": ctx.pusher.login, "email": ctx.email()},
        "sender": user_json(ctx, &ctx.pusher.login, ctx.pusher.id),
        "created": false, "deleted": false, "forced": false, "base_ref": null,
        "compare": format!("{web}/compare/{}...{}", &ctx.before[..12], &ctx.after[..12]),
        "commits": [commit.clone()], "head_commit": commit
    });
    let json_text = serde_json::to_vec(&payload).unwrap_or_default();
    let form = h.content_type.as_deref() == Some("form");
    let body = if form {
        let text = String::from_utf8_lossy(&json_text).into_owned();
        form_urlencoded::Serializer::new(String::new())
            .append_pair("payload", &text)
            .finish()
            .into_bytes()
    } else {
        json_text
    };
    let mut headers = vec![
        (
            "user-agent".to_string(),
            "GitHub-Hookshot/5e2a1c9".to_string(),
        ),
        (
            "content-type".to_string(),
            if form {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            }
            .to_string(),
        ),
        ("x-github-event".to_string(), "push".to_string()),
        (
            "x-github-delivery".to_string(),
            uuid::Uuid::new_v4().to_string(),
        ),
        ("x-github-hook-id".to_string(), h.id.to_string()),
        (
            "x-github-hook-installation-target-type".to_string(),
            "repository".to_string(),
        ),
        (
            "x-github-hook-installation-target-id".to_string(),
            r.id.to_string(),
        ),
    ];
    if let Some(s) = h.secret.as_deref().filter(|s| !s.is_empty()) {
        headers.push((
            "x-hub-signature".to_string(),
            format!("sha1={}", hmac_sha1_hex(s.as_bytes(), &body)),
        ));
        headers.push((
            "x-hub-signature-256".to_string(),
            format!("sha256={}", hmac_sha256_hex(s.as_bytes(), &body)),
        ));
    }
    ("push".to_string(), headers, body)
}

//! GitLab REST v4 at `/api/v4` (gitlab.com and self-managed alike).
//!
//! Shapes: `doc/api/users.md` (current user), `doc/api/personal_access_tokens.md`
//! (`/personal_access_tokens/self`), `doc/api/groups.md`, `doc/api/projects.md`,
//! `doc/api/namespaces.md`, `doc/api/branches.md` and `doc/api/tags.md`
//! (`GET /projects/:id/repository/branches/:branch` and `…/tags/:tag_name`, one URL-encoded
//! path segment each as `lib/api/branches.rb` / `tags.rb` require; unknown → 404 "404 Branch
//! Not Found" / "404 Tag Not Found"; reading code needs Reporter on a private project, else
//! 403; scopes `api`/`read_api` — `read_repository` only opens the repository-files API);
//! pagination: `doc/api/rest/_index.md` (offset headers, keyset,
//! the 10,000-record rule for `x-total`/`x-total-pages`/`rel="last"`); auth and errors:
//! `doc/api/rest/authentication.md`, `lib/api/api_guard.rb`; rate limits:
//! `doc/security/rate_limits.md`.

use crate::auth::{self, Caller, Cred, Lookup};
use crate::faults::Fault;
use crate::http::{SimRequest, SimResponse};
use crate::paginate::{self, Page};
use crate::server::{Effect, Env};
use crate::world::OptionExt;
use crate::world::{iso_ms, Org, Repo, TokenKind};
use chrono::Utc;
use serde_json::{json, Value};

const READ_API: [&str; 2] = ["api", "read_api"];
const READ_USER: [&str; 3] = ["api", "read_api", "read_user"];
/// Beyond this many records GitLab omits `x-total`, `x-total-pages` and `rel="last"`.
const COUNT_LIMIT: usize = 10_000;
/// Default `max_offset` for offset pagination of projects (instance limit).
const MAX_OFFSET: u64 = 50_000;

pub fn handle(env: &Env, req: &SimRequest) -> SimResponse {
    if req.prefix != "/api/v4" {
        // OAuth at the host root: /oauth/authorize, /oauth/token, /oauth/authorize_device,
        // /oauth/device, /oauth/revoke, /oauth/token/info (see `oauth`).
        if let Some(resp) = crate::oauth::handle(env, req, crate::provider::Provider::Gitlab) {
            return decorate(resp);
        }
        return decorate(SimResponse::json(404, &json!({"error": "404 Not Found"})));
    }
    let caller = match authenticate(env, req) {
        Ok(c) => c,
        Err(resp) => return decorate(resp),
    };
    let segs = req.seg_strs();
    let resp = match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["user"]) => need(caller, &READ_USER, |c| {
            SimResponse::json(200, &user_json(req, c))
        }),
        ("GET", ["version"]) => need(caller, &READ_USER, |_| version(env)),
        ("GET", ["personal_access_tokens", "self"]) => match caller {
            Some(c) => token_self(c),
            None => unauthorized(),
        },
        // `doc/api/personal_access_tokens.md` "Revoke a personal access token": the token that
        // calls it revokes itself (any scope, 15.4+) → 204.
        ("DELETE", ["personal_access_tokens", "self"]) => match caller {
            Some(c) => revoke_self(env, c),
            None => unauthorized(),
        },
        ("GET", ["groups"]) => read_api(caller, |c| groups(env, req, c)),
        ("GET", ["groups", id]) => read_api(caller, |c| group_get(env, req, c, id)),
        ("GET", ["groups", id, "subgroups"]) => read_api(caller, |c| subgroups(env, req, c, id)),
        ("GET", ["groups", id, "projects"]) => {
            read_api(caller, |c| group_projects(env, req, c, id))
        }
        ("GET", ["projects"]) => read_api(caller, |c| projects(env, req, c)),
        ("GET", ["projects", id]) => read_api(caller, |c| project_get(env, req, c, id)),
        ("GET", ["projects", id, "repository", kind @ ("branches" | "tags"), name]) => {
            read_api(caller, |c| ref_get(env, req, c, id, kind, name))
        }
        ("GET", ["namespaces"]) => need(caller, &READ_API, |c| namespaces(env, req, c)),
        // Project webhooks (see `hooks::gitlab`).
        (_, ["projects", id, "hooks", rest @ ..]) => {
            crate::hooks::gitlab::route(env, req, caller, id, rest)
        }
        _ => SimResponse::json(404, &json!({"error": "404 Not Found"})),
    };
    decorate(resp)
}

/// Headers GitLab puts on API responses.
fn decorate(resp: SimResponse) -> SimResponse {
    let rid = uuid::Uuid::new_v4().simple().to_string();
    resp.header("x-request-id", rid.clone())
        .header("x-runtime", "0.041")
        .header(
            "x-gitlab-meta",
            format!("{{\"correlation_id\":\"{rid}\",\"version\":\"1\"}}"),
        )
        .header("cache-control", "max-age=0, private, must-revalidate")
        .header("vary", "Origin, Accept-Encoding")
        .header("x-content-type-options", "nosniff")
        .header("x-frame-options", "SAMEORIGIN")
}

fn authenticate<'a>(env: &'a Env, req: &SimRequest) -> Result<Option<Caller<'a>>, SimResponse> {
    let secret = if let Some(t) = req.header("private-token") {
        Some(t.trim().to_string())
    } else if let Some(Cred::Bearer(t)) = auth::authorization(req) {
        Some(t)
    } else {
        req.q("private_token")
            .or_else(|| req.q("access_token"))
            .map(str::to_string)
    };
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    match auth::lookup(env.pw, &secret, env.now) {
        Lookup::Valid(token, user) => Ok(Some(Caller { token, user })),
        Lookup::Unknown => Err(unauthorized()),
        Lookup::Expired(..) => Err(invalid_token(
            "Token is expired. You can either do re-authorization or token refresh.",
        )),
        Lookup::Revoked(..) => Err(invalid_token(
            "Token was revoked. You have to re-authorize from the user.",
        )),
    }
}

pub fn unauthorized() -> SimResponse {
    SimResponse::json(401, &json!({"message": "401 Unauthorized"}))
}

fn invalid_token(desc: &str) -> SimResponse {
    SimResponse::json(401, &json!({"error": "invalid_token", "error_description": desc})).header(
        "www-authenticate",
        format!("Bearer realm=\"Protected by OAuth 2.0\", error=\"invalid_token\", error_description=\"{desc}\""),
    )
}

pub(crate) fn insufficient_scope(scopes: &[&str]) -> SimResponse {
    SimResponse::json(
        403,
        &json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the access token.", "scope": scopes.join(" ")}),
    )
}

/// Requires a caller with one of `scopes`.
fn need(c: Option<Caller>, scopes: &[&str], f: impl FnOnce(Caller) -> SimResponse) -> SimResponse {
    match c {
        None => unauthorized(),
        Some(c) if !c.token.has_any(scopes) => insufficient_scope(scopes),
        Some(c) => f(c),
    }
}

/// Listing endpoints also answer anonymous callers (public data only).
fn read_api(c: Option<Caller>, f: impl FnOnce(Option<Caller>) -> SimResponse) -> SimResponse {
    match c {
        Some(c) if !c.token.has_any(&READ_API) => insufficient_scope(&READ_API),
        other => f(other),
    }
}

/// Renders an injected fault in GitLab's shape.
pub fn fault(f: &Fault, _req: &SimRequest) -> SimResponse {
    let resp = match f {
        Fault::Unauthorized => unauthorized(),
        Fault::MissingScope => insufficient_scope(&READ_API),
        Fault::SsoRequired | Fault::OrgRestricted => {
            SimResponse::json(403, &json!({"message": "403 Forbidden"}))
        }
        Fault::RateLimited { retry_after } => throttled(retry_after.unwrap_or(60)),
        Fault::PrimaryRateLimit => throttled(60),
        Fault::SecondaryRateLimit { retry_after } => throttled(*retry_after),
        Fault::ServerError { status } => {
            SimResponse::json(*status, &json!({"message": "500 Internal Server Error"}))
        }
        _ => SimResponse::json(500, &json!({"message": "500 Internal Server Error"})),
    };
    decorate(resp)
}

/// Rack::Attack's throttled response as GitLab configures it.
fn throttled(retry_after: u64) -> SimResponse {
    let reset = Utc::now() + chrono::Duration::seconds(retry_after as i64);
    SimResponse::text(429, "text/plain", "Retry later\n")
        .header("retry-after", retry_after.to_string())
        .header("ratelimit-name", "throttle_authenticated_api")
        .header("ratelimit-limit", "2000")
        .header("ratelimit-observed", "2001")
        .header("ratelimit-remaining", "0")
        .header("ratelimit-reset", reset.timestamp().to_string())
        .header(
            "ratelimit-resettime",
            reset.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        )
}

// ---- access ---------------------------------------------------------------------

fn group_by_path<'a>(env: &'a Env, full: &str) -> Option<&'a Org> {
    env.pw.orgs.iter().find(|o| o.full_path() == full)
}

fn group_by_id<'a>(env: &'a Env, id: &str) -> Option<&'a Org> {
    match id.parse::<u64>() {
        Ok(n) => env.pw.orgs.iter().find(|o| o.id == n),
        Err(_) => group_by_path(env, id),
    }
}

/// Effective access in a group: the highest direct membership on it or an ancestor.
fn group_access(env: &Env, g: &Org, login: &str) -> Option<u32> {
    let mut best: Option<u32> = None;
    let mut cur = Some(g);
    let mut guard = 0;
    while let Some(o) = cur {
        if let Some(a) = env.pw.direct_access(o, login) {
            best = Some(best.map_or(a, |b| b.max(a)));
        }
        cur = o.parent.as_deref().and_then(|p| group_by_path(env, p));
        guard += 1;
        if guard > 64 {
            break;
        }
    }
    best
}

pub(crate) fn project_access(env: &Env, r: &Repo, login: &str) -> Option<u32> {
    if r.owner == login {
        return Some(50);
    }
    group_by_path(env, &r.owner).and_then(|g| group_access(env, g, login))
}

fn group_visible(env: &Env, g: &Org, c: Option<&Caller>) -> bool {
    match g.visibility() {
        "public" => true,
        "internal" => c.is_some(),
        _ => c.is_some_and(|c| group_access(env, g, &c.user.login).is_some()),
    }
}

pub(crate) fn project_visible(env: &Env, r: &Repo, c: Option<&Caller>) -> bool {
    match r.visibility() {
        "public" => true,
        "internal" => c.is_some(),
        _ => c.is_some_and(|c| project_access(env, r, &c.user.login).is_some()),
    }
}

// ---- JSON -------------------------------------------------------------------------

fn user_json(req: &SimRequest, c: Caller) -> Value {
    let u = c.user;
    let created = iso_ms(u.created());
    json!({
        "id": u.id, "username": u.login, "public_email": null, "name": u.display_name(),
        "state": "active", "locked": false,
        "avatar_url": u.avatar_url.clone().unwrap_or_else(|| format!("{}/uploads/-/system/user/avatar/{}/avatar.png", req.origin, u.id)),
        "web_url": format!("{}/{}", req.origin, u.login),
        "created_at": created, "bio": "", "location": "", "linkedin": "", "twitter": "", "discord": "",
        "website_url": "", "organization": "", "job_title": "", "pronouns": null, "bot": false,
        "work_information": null, "local_time": null,
        "last_sign_in_at": created, "confirmed_at": created, "last_activity_on": u.created().format("%Y-%m-%d").to_string(),
        "email": u.email, "theme_id": 3, "color_scheme_id": 1, "projects_limit": 100000,
        "current_sign_in_at": created, "identities": [], "can_create_group": true, "can_create_project": true,
        "two_factor_enabled": false, "external": false, "private_profile": false, "commit_email": u.email
    })
}

fn token_self(c: Caller) -> SimResponse {
    if c.token.kind == TokenKind::Oauth {
        return SimResponse::json(404, &json!({"message": "404 Not Found"}));
    }
    let t = c.token;
    let now = Utc::now();
    SimResponse::json(
        200,
        &json!({
            "id": t.id, "name": t.name.clone().unwrap_or_else(|| "codebind".to_string()),
            "revoked": t.revoked, "created_at": iso_ms(t.created_at.unwrap_or_else(|| c.user.created())),
            "description": null, "scopes": t.scopes, "user_id": c.user.id,
            "last_used_at": iso_ms(now), "active": !t.revoked && !t.is_expired(now),
            "expires_at": t.expires_at.map(|e| e.format("%Y-%m-%d").to_string())
        }),
    )
}

fn revoke_self(env: &Env, c: Caller) -> SimResponse {
    if c.token.kind == TokenKind::Oauth {
        return SimResponse::json(404, &json!({"message": "404 Not Found"}));
    }
    env.effect(Effect::RevokeToken(c.token.value.clone()));
    SimResponse::new(204)
}

fn version(env: &Env) -> SimResponse {
    let v = env
        .pw
        .settings
        .version
        .clone()
        .unwrap_or_else(|| "17.9.1".to_string());
    SimResponse::json(
        200,
        &json!({"version": v, "revision": "0a1b2c3d4e5", "kas": {"enabled": false, "externalUrl": null, "version": null}, "enterprise": false}),
    )
}

fn group_json(env: &Env, req: &SimRequest, g: &Org) -> Value {
    let full = g.full_path();
    let parent_id = g
        .parent
        .as_deref()
        .and_then(|p| group_by_path(env, p))
        .map(|p| p.id);
    json!({
        "id": g.id, "web_url": format!("{}/groups/{full}", req.origin), "name": g.display_name(),
        "path": g.login, "description": g.description.clone().unwrap_or_default(), "visibility": g.visibility(),
        "share_with_group_lock": false, "require_two_factor_authentication": false, "two_factor_grace_period": 48,
        "project_creation_level": "developer", "auto_devops_enabled": null, "subgroup_creation_level": "maintainer",
        "emails_disabled": false, "emails_enabled": true, "mentions_disabled": null, "lfs_enabled": true,
        "default_branch": null, "default_branch_protection": 2, "avatar_url": null, "request_access_enabled": true,
        "full_name": full_name(env, g), "full_path": full, "created_at": iso_ms(crate::world::base_time()),
        "parent_id": parent_id, "organization_id": 1, "shared_runners_setting": "enabled",
        "ldap_cn": null, "ldap_access": null, "marked_for_deletion_on": null, "wiki_access_level": "enabled"
    })
}

/// `Acme / Platform / Backend` — display names along the group chain.
fn full_name(env: &Env, g: &Org) -> String {
    let mut names = vec![g.display_name().to_string()];
    let mut cur = g.parent.as_deref().and_then(|p| group_by_path(env, p));
    let mut guard = 0;
    while let Some(o) = cur {
        names.push(o.display_name().to_string());
        cur = o.parent.as_deref().and_then(|p| group_by_path(env, p));
        guard += 1;
        if guard > 64 {
            break;
        }
    }
    names.reverse();
    names.join(" / ")
}

fn namespace_json(env: &Env, req: &SimRequest, owner: &str) -> Value {
    if let Some(g) = group_by_path(env, owner) {
        let parent_id = g
            .parent
            .as_deref()
            .and_then(|p| group_by_path(env, p))
            .map(|p| p.id);
        return json!({
            "id": g.id, "name": g.display_name(), "path": g.login, "kind": "group", "full_path": g.full_path(),
            "parent_id": parent_id, "avatar_url": null, "web_url": format!("{}/groups/{}", req.origin, g.full_path())
        });
    }
    let (id, name) = env
        .pw
        .user(owner)
        .map(|u| (u.id, u.display_name().to_string()))
        .unwrap_or((0, owner.to_string()));
    json!({
        "id": id, "name": name, "path": owner, "kind": "user", "full_path": owner, "parent_id": null,
        "avatar_url": null, "web_url": format!("{}/{owner}", req.origin)
    })
}

fn project_json(env: &Env, req: &SimRequest, c: Option<&Caller>, r: &Repo, simple: bool) -> Value {
    let path = r.full_name();
    let host = req.ssh_host();
    let ns_name = match group_by_path(env, &r.owner) {
        Some(g) => full_name(env, g),
        None => env
            .pw
            .user(&r.owner)
            .map(|u| u.display_name().to_string())
            .unwrap_or_else(|| r.owner.clone()),
    };
    let mut v = json!({
        "id": r.id, "description": r.description, "name": r.name, "name_with_namespace": format!("{ns_name} / {}", r.name),
        "path": r.name, "path_with_namespace": path, "created_at": iso_ms(r.created()), "default_branch": r.branch(),
        "tag_list": [], "topics": [], "ssh_url_to_repo": format!("git@{host}:{path}.git"),
        "http_url_to_repo": format!("{}/{path}.git", req.origin), "web_url": format!("{}/{path}", req.origin),
        "readme_url": null, "forks_count": 0, "avatar_url": null, "star_count": 0,
        "last_activity_at": iso_ms(r.updated()), "namespace": namespace_json(env, req, &r.owner)
    });
    if !simple {
        let login = c.map(|c| c.user.login.as_str()).unwrap_or("");
        let project_access = if r.owner == login {
            json!({"access_level": 50, "notification_level": 3})
        } else {
            Value::Null
        };
        let group_access = group_by_path(env, &r.owner)
            .and_then(|g| group_access(env, g, login))
            .map(|a| json!({"access_level": a, "notification_level": 3}))
            .unwrap_or(Value::Null);
        if let Some(o) = v.as_object_mut() {
            o.insert("visibility".into(), json!(r.visibility()));
            o.insert("archived".into(), json!(r.archived));
            o.insert("empty_repo".into(), json!(false));
            o.insert("open_issues_count".into(), json!(0));
            o.insert(
                "creator_id".into(),
                json!(env.pw.user(login).map(|u| u.id).unwrap_or(0)),
            );
            if env.pw.user(&r.owner).is_some() {
                o.insert("owner".into(), json!({"id": env.pw.user(&r.owner).map(|u| u.id), "username": r.owner, "name": ns_name}));
            }
            o.insert(
                "permissions".into(),
                json!({"project_access": project_access, "group_access": group_access}),
            );
        }
    }
    v
}

// ---- pagination -------------------------------------------------------------------

/// Offset pagination headers: `x-page`, `x-per-page`, `x-next-page`, `x-prev-page`,
/// `x-total`, `x-total-pages`, `link` (prev, next, first, last). Counts and `last`
/// are left out past 10,000 records.
pub(crate) fn offset_page(req: &SimRequest, items: Vec<Value>, p: Page) -> SimResponse {
    let total = items.len();
    let counted = total <= COUNT_LIMIT;
    let last = p.total_pages(total);
    let next = if p.page < last {
        (p.page + 1).to_string()
    } else {
        String::new()
    };
    let prev = if p.page > 1 {
        (p.page - 1).to_string()
    } else {
        String::new()
    };
    let mut rels: Vec<(&str, u64)> = Vec::new();
    if p.page > 1 {
        rels.push(("prev", p.page - 1));
    }
    if p.page < last {
        rels.push(("next", p.page + 1));
    }
    rels.push(("first", 1));
    if counted {
        rels.push(("last", last));
    }
    let body = Value::Array(p.slice(&items).to_vec());
    let mut resp = SimResponse::json(200, &body)
        .header("x-page", p.page.to_string())
        .header("x-per-page", p.per_page.to_string())
        .header("x-next-page", next)
        .header("x-prev-page", prev);
    if counted {
        resp = resp
            .header("x-total", total.to_string())
            .header("x-total-pages", last.to_string());
    }
    if let Some(link) = paginate::link_header(req, "page", &rels) {
        resp = resp.header("link", link);
    }
    resp
}

pub(crate) fn page(req: &SimRequest) -> Page {
    paginate::page_params(req, "page", "per_page", 20, 100)
}

// ---- endpoints --------------------------------------------------------------------

fn min_access(req: &SimRequest) -> Option<u32> {
    req.q("min_access_level").and_then(|v| v.parse().ok())
}

fn groups(env: &Env, req: &SimRequest, c: Option<Caller>) -> SimResponse {
    let all_available = req.q_bool("all_available").unwrap_or(c.is_none());
    let min = min_access(req);
    let owned = req.q_bool("owned").unwrap_or(false);
    let top = req.q_bool("top_level_only").unwrap_or(false);
    let search = req.q("search").map(str::to_lowercase);
    let login = c.map(|c| c.user.login.clone()).unwrap_or_default();
    let mut list: Vec<&Org> = env
        .pw
        .orgs
        .iter()
        .filter(|g| group_visible(env, g, c.as_ref()))
        .filter(|g| {
            let acc = group_access(env, g, &login);
            if owned {
                return env.pw.direct_access(g, &login) == Some(50);
            }
            if let Some(m) = min {
                return acc.is_some_and(|a| a >= m);
            }
            all_available || acc.is_some()
        })
        .filter(|g| !top || g.parent.is_none())
        .filter(|g| {
            search.as_ref().none_or(|s| {
                g.login.to_lowercase().contains(s) || g.display_name().to_lowercase().contains(s)
            })
        })
        .collect();
    match req.q("order_by").unwrap_or("name") {
        "id" => list.sort_by_key(|g| g.id),
        "path" => list.sort_by_cached_key(|g| g.full_path()),
        _ => list.sort_by_cached_key(|g| (g.display_name().to_lowercase(), g.id)),
    }
    if req.q("sort") == Some("desc") {
        list.reverse();
    }
    let items = list.iter().map(|g| group_json(env, req, g)).collect();
    offset_page(req, items, page(req))
}

fn group_get(env: &Env, req: &SimRequest, c: Option<Caller>, id: &str) -> SimResponse {
    match group_by_id(env, id).filter(|g| group_visible(env, g, c.as_ref())) {
        Some(g) => SimResponse::json(200, &group_json(env, req, g)),
        None => SimResponse::json(404, &json!({"message": "404 Group Not Found"})),
    }
}

fn subgroups(env: &Env, req: &SimRequest, c: Option<Caller>, id: &str) -> SimResponse {
    let Some(g) = group_by_id(env, id).filter(|g| group_visible(env, g, c.as_ref())) else {
        return SimResponse::json(404, &json!({"message": "404 Group Not Found"}));
    };
    let full = g.full_path();
    let items = env
        .pw
        .orgs
        .iter()
        .filter(|s| s.parent.as_deref() == Some(full.as_str()))
        .filter(|s| group_visible(env, s, c.as_ref()))
        .map(|s| group_json(env, req, s))
        .collect();
    offset_page(req, items, page(req))
}

fn group_projects(env: &Env, req: &SimRequest, c: Option<Caller>, id: &str) -> SimResponse {
    let Some(g) = group_by_id(env, id).filter(|g| group_visible(env, g, c.as_ref())) else {
        return SimResponse::json(404, &json!({"message": "404 Group Not Found"}));
    };
    let full = g.full_path();
    let sub = req.q_bool("include_subgroups").unwrap_or(false);
    let prefix = format!("{full}/");
    let list: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| r.owner == full || (sub && r.owner.starts_with(&prefix)))
        .filter(|r| project_visible(env, r, c.as_ref()))
        .collect();
    list_projects(env, req, c, list)
}

fn projects(env: &Env, req: &SimRequest, c: Option<Caller>) -> SimResponse {
    let membership = req.q_bool("membership").unwrap_or(false);
    let owned = req.q_bool("owned").unwrap_or(false);
    let min = min_access(req);
    let login = c.map(|c| c.user.login.clone()).unwrap_or_default();
    let list: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| project_visible(env, r, c.as_ref()))
        .filter(|r| {
            let acc = project_access(env, r, &login);
            (!membership || acc.is_some())
                && (!owned || r.owner == login)
                && min.none_or(|m| acc.is_some_and(|a| a >= m))
        })
        .collect();
    list_projects(env, req, c, list)
}

/// Filters, orders and paginates (offset or keyset) a project list.
fn list_projects(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    mut list: Vec<&Repo>,
) -> SimResponse {
    let search = req.q("search").map(str::to_lowercase);
    if let Some(s) = &search {
        list.retain(|r| {
            r.name.to_lowercase().contains(s) || r.full_name().to_lowercase().contains(s)
        });
    }
    if let Some(v) = req.q("visibility") {
        list.retain(|r| r.visibility() == v);
    }
    if let Some(a) = req.q_bool("archived") {
        list.retain(|r| r.archived == a);
    }
    if let Some(n) = req.q("id_after").and_then(|v| v.parse::<u64>().ok()) {
        list.retain(|r| r.id > n);
    }
    if let Some(n) = req.q("id_before").and_then(|v| v.parse::<u64>().ok()) {
        list.retain(|r| r.id < n);
    }
    let order_by = req.q("order_by").unwrap_or("created_at");
    let asc = req.q("sort") == Some("asc");
    let keyset = req.q("pagination") == Some("keyset");
    if keyset && order_by != "id" {
        return SimResponse::json(
            405,
            &json!({"error": "Keyset pagination is not yet available for this type of request"}),
        );
    }
    match order_by {
        "id" => list.sort_by_key(|r| r.id),
        "name" => list.sort_by_cached_key(|r| (r.name.to_lowercase(), r.id)),
        "path" => list.sort_by_cached_key(|r| (r.full_name(), r.id)),
        "updated_at" | "last_activity_at" => list.sort_by_key(|r| (r.updated(), r.id)),
        _ => list.sort_by_key(|r| (r.created(), r.id)),
    }
    if !asc {
        list.reverse();
    }
    let simple = req.q_bool("simple").unwrap_or(false);
    let p = page(req);
    if keyset {
        let chunk: Vec<&Repo> = list.iter().take(p.per_page as usize).copied().collect();
        let body: Vec<Value> = chunk
            .iter()
            .map(|r| project_json(env, req, c.as_ref(), r, simple))
            .collect();
        let mut resp = SimResponse::json(200, &Value::Array(body));
        if list.len() > chunk.len() {
            if let Some(last) = chunk.last() {
                let (key, other) = if asc {
                    ("id_after", "id_before")
                } else {
                    ("id_before", "id_after")
                };
                let url = req.url_with_all(&[(key, &last.id.to_string())], &[other, "page"]);
                resp = resp.header("link", format!("<{url}>; rel=\"next\""));
            }
        }
        return resp;
    }
    if p.offset() >= MAX_OFFSET {
        return SimResponse::json(
            405,
            &json!({"error": format!("Offset pagination has a maximum allowed offset of {MAX_OFFSET} for requests that return objects of type Project. Remaining records can be retrieved using keyset pagination.")}),
        );
    }
    // Build JSON only for the requested page; the rest are placeholders for counting.
    let start = (p.offset() as usize).min(list.len());
    let end = (start + p.per_page as usize).min(list.len());
    let mut items: Vec<Value> = vec![Value::Null; list.len()];
    for (i, r) in list[start..end].iter().enumerate() {
        items[start + i] = project_json(env, req, c.as_ref(), r, simple);
    }
    offset_page(req, items, p)
}

/// A project by numeric id or full path, if the caller can see it.
fn find_project<'a>(env: &'a Env, c: Option<&Caller>, id: &str) -> Option<&'a Repo> {
    let found = match id.parse::<u64>() {
        Ok(n) => env.pw.repos.iter().find(|r| r.id == n),
        Err(_) => env.pw.repos.iter().find(|r| r.full_name() == id),
    };
    found.filter(|r| project_visible(env, r, c))
}

fn project_get(env: &Env, req: &SimRequest, c: Option<Caller>, id: &str) -> SimResponse {
    match find_project(env, c.as_ref(), id) {
        Some(r) => SimResponse::json(200, &project_json(env, req, c.as_ref(), r, false)),
        None => SimResponse::json(404, &json!({"message": "404 Project Not Found"})),
    }
}

/// `GET /projects/:id/repository/branches/:branch` (`kind` = `branches`) or
/// `…/tags/:tag_name` (`tags`).
fn ref_get(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    id: &str,
    kind: &str,
    name: &str,
) -> SimResponse {
    let Some(r) = find_project(env, c.as_ref(), id) else {
        return SimResponse::json(404, &json!({"message": "404 Project Not Found"}));
    };
    let access = c.and_then(|c| project_access(env, r, &c.user.login));
    // Guests (and anonymous) cannot read a private project's code (`download_code`).
    if r.visibility() == "private" && access.unwrap_or(0) < 20 {
        return SimResponse::json(403, &json!({"message": "403 Forbidden"}));
    }
    let path = r.full_name();
    let found = if kind == "tags" {
        crate::refs::tag(r, name)
    } else {
        crate::refs::branch(r, name)
    };
    let Some(g) = found else {
        let what = if kind == "tags" { "Tag" } else { "Branch" };
        return SimResponse::json(404, &json!({"message": format!("404 {what} Not Found")}));
    };
    let k = crate::refs::commit(env.pw, r, &g.sha);
    let (who, t) = (k.author.display_name(), iso_ms(k.date));
    let commit = json!({
        "id": k.sha, "short_id": k.short(8), "created_at": t, "parent_ids": [], "title": k.title(),
        "message": k.message, "author_name": who, "author_email": k.email, "authored_date": t,
        "committer_name": who, "committer_email": k.email, "committed_date": t,
        "trailers": {}, "extended_trailers": {},
        "web_url": format!("{}/{path}/-/commit/{}", req.origin, k.sha)
    });
    if kind == "tags" {
        // Lightweight tags: `target` is the commit itself and there is no message.
        return SimResponse::json(
            200,
            &json!({"name": g.name, "message": "", "target": g.sha, "commit": commit,
                    "release": null, "protected": false, "created_at": null}),
        );
    }
    let default = g.name == r.branch();
    SimResponse::json(
        200,
        &json!({
            "name": g.name, "commit": commit, "merged": false, "protected": default, "default": default,
            "developers_can_push": false, "developers_can_merge": false,
            "can_push": access.is_some_and(|a| if default { a >= 40 } else { a >= 30 }),
            "web_url": format!("{}/{path}/-/tree/{}", req.origin, g.name)
        }),
    )
}

fn namespaces(env: &Env, req: &SimRequest, c: Caller) -> SimResponse {
    let mut items = vec![namespace_json(env, req, &c.user.login)];
    for g in env
        .pw
        .orgs
        .iter()
        .filter(|g| group_access(env, g, &c.user.login).is_some())
    {
        items.push(namespace_json(env, req, &g.full_path()));
    }
    offset_page(req, items, page(req))
}

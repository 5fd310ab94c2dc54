//! Gitee API v5 at `/api/v5`.
//!
//! Shapes: Gitee's swagger (https://gitee.com/api/v5/swagger: `getV5User`,
//! `getV5UserRepos`, `getV5UserOrgs`, `getV5OrgsOrgRepos`, `getV5ReposOwnerRepo`,
//! `getV5ReposOwnerRepoBranchesBranch` — `CompleteBranch`, the name's slashes kept as path
//! segments; unknown → 404 "Branch not found" (unconfirmed text) — and `getV5ReposOwnerRepoTags`
//! — `Tag` items `{name, message, commit{sha, date}, tagger}`, paginated; v5 has no single-tag
//! endpoint); auth with
//! the `access_token` parameter (query or form); pagination `page`/`per_page` (max 100)
//! with the `total_count` and `total_page` response headers (client code, e.g. gokins
//! `thirdapi/giteeapi/repositoryservice.go`); errors `401 Unauthorized: Access token does
//! not exist` and `401 Unauthorized: no '<scope>' scope` (client constants).

use crate::auth::{self, Caller, Cred, Lookup};
use crate::faults::Fault;
use crate::http::{SimRequest, SimResponse};
use crate::paginate::{self, Page};
use crate::server::Env;
use crate::world::OptionExt;
use crate::world::{Repo, User};
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{json, Value};

pub fn handle(env: &Env, req: &SimRequest) -> SimResponse {
    if req.prefix != "/api/v5" {
        // OAuth: /oauth/authorize and /oauth/token (see `oauth`).
        if let Some(resp) = crate::oauth::handle(env, req, crate::provider::Provider::Gitee) {
            return resp;
        }
        return not_found();
    }
    let caller = match authenticate(env, req) {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let segs = req.seg_strs();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["user"]) => need(caller, "user_info", |c| {
            SimResponse::json(200, &user_json(req, c.user, c.token.has_scope("emails")))
        }),
        ("GET", ["user", "orgs"]) => need(caller, "groups", |c| user_orgs(env, req, c)),
        ("GET", ["user", "repos"]) => need(caller, "projects", |c| user_repos(env, req, c)),
        ("GET", ["orgs", org, "repos"]) => match caller {
            Some(c) if !c.token.has_scope("projects") => no_scope("projects"),
            c => org_repos(env, req, c, org),
        },
        ("GET", ["repos", owner, name]) => match caller {
            Some(c) if !c.token.has_scope("projects") => no_scope("projects"),
            c => repo_get(env, req, c, owner, name),
        },
        ("GET", ["repos", owner, name, "branches", b @ ..]) if !b.is_empty() => match caller {
            Some(c) if !c.token.has_scope("projects") => no_scope("projects"),
            c => branch_get(env, req, c, owner, name, &b.join("/")),
        },
        ("GET", ["repos", owner, name, "tags"]) => match caller {
            Some(c) if !c.token.has_scope("projects") => no_scope("projects"),
            c => tags(env, req, c, owner, name),
        },
        // Repository webhooks (see `hooks::gitee`).
        (_, ["repos", owner, name, "hooks", rest @ ..]) => {
            crate::hooks::gitee::route(env, req, caller, owner, name, rest)
        }
        _ => not_found(),
    }
}

fn not_found() -> SimResponse {
    SimResponse::json(404, &json!({"message": "Not Found"}))
}

fn unauthorized(detail: &str) -> SimResponse {
    SimResponse::json(
        401,
        &json!({"message": format!("401 Unauthorized: {detail}")}),
    )
}

fn no_scope(scope: &str) -> SimResponse {
    unauthorized(&format!("no '{scope}' scope"))
}

pub(crate) fn need(
    c: Option<Caller>,
    scope: &str,
    f: impl FnOnce(Caller) -> SimResponse,
) -> SimResponse {
    match c {
        None => unauthorized("Access token does not exist"),
        Some(c) if !c.token.has_scope(scope) => no_scope(scope),
        Some(c) => f(c),
    }
}

/// `access_token` in the query or form body; the `Authorization` header only when the
/// world's `settings.accept_auth_header` says so (undocumented by Gitee).
fn authenticate<'a>(env: &'a Env, req: &SimRequest) -> Result<Option<Caller<'a>>, SimResponse> {
    let mut secret = req.q("access_token").map(str::to_string);
    if secret.is_none() {
        secret = req
            .form()
            .into_iter()
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v);
    }
    if secret.is_none() {
        secret = req.json().and_then(|v| {
            v.get("access_token")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    }
    if secret.is_none() && env.pw.settings.accept_auth_header {
        if let Some(Cred::Bearer(t)) | Some(Cred::Token(t)) = auth::authorization(req) {
            secret = Some(t);
        }
    }
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    match auth::lookup(env.pw, &secret, env.now) {
        Lookup::Valid(token, user) => Ok(Some(Caller { token, user })),
        Lookup::Expired(..) => Err(unauthorized("Access token is expired")),
        _ => Err(unauthorized("Access token does not exist")),
    }
}

/// Renders an injected fault in Gitee's shape.
pub fn fault(f: &Fault, _req: &SimRequest) -> SimResponse {
    match f {
        Fault::Unauthorized => unauthorized("Access token does not exist"),
        Fault::MissingScope | Fault::SsoRequired | Fault::OrgRestricted => no_scope("projects"),
        Fault::RateLimited { retry_after } => {
            let r = SimResponse::json(429, &json!({"message": "Rate Limit Exceeded"}));
            match retry_after {
                Some(s) => r.header("retry-after", s.to_string()),
                None => r,
            }
        }
        Fault::PrimaryRateLimit | Fault::SecondaryRateLimit { .. } => {
            SimResponse::json(403, &json!({"message": "Rate Limit Exceeded"}))
        }
        Fault::ServerError { status } => {
            SimResponse::json(*status, &json!({"message": "500 Internal Server Error"}))
        }
        _ => SimResponse::json(500, &json!({"message": "500 Internal Server Error"})),
    }
}

// ---- JSON -------------------------------------------------------------------------

/// Gitee prints times in China Standard Time: `2021-03-01T16:00:00+08:00`.
fn ts(t: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(8 * 3600) {
        Some(cst) => t
            .with_timezone(&cst)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        None => crate::world::iso(t),
    }
}

fn user_basic(req: &SimRequest, u: &User) -> Value {
    let b = req.api_base();
    let l = &u.login;
    json!({
        "id": u.id, "login": l, "name": u.display_name(),
        "avatar_url": u.avatar_url.clone().unwrap_or_else(|| format!("{}/assets/no_portrait.png", req.origin)),
        "url": format!("{b}/users/{l}"), "html_url": format!("{}/{l}", req.origin), "remark": "",
        "followers_url": format!("{b}/users/{l}/followers"), "following_url": format!("{b}/users/{l}/following_url{{/other_user}}"),
        "gists_url": format!("{b}/users/{l}/gists{{/gist_id}}"), "starred_url": format!("{b}/users/{l}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{b}/users/{l}/subscriptions"), "organizations_url": format!("{b}/users/{l}/orgs"),
        "repos_url": format!("{b}/users/{l}/repos"), "events_url": format!("{b}/users/{l}/events{{/privacy}}"),
        "received_events_url": format!("{b}/users/{l}/received_events"), "type": "User"
    })
}

fn user_json(req: &SimRequest, u: &User, email: bool) -> Value {
    let mut v = user_basic(req, u);
    if let Some(o) = v.as_object_mut() {
        o.insert("blog".into(), Value::Null);
        o.insert("weibo".into(), Value::Null);
        o.insert("bio".into(), json!(""));
        o.insert("public_repos".into(), json!(0));
        o.insert("public_gists".into(), json!(0));
        o.insert("followers".into(), json!(0));
        o.insert("following".into(), json!(0));
        o.insert("stared".into(), json!(0));
        o.insert("watched".into(), json!(0));
        o.insert("created_at".into(), json!(ts(u.created())));
        o.insert("updated_at".into(), json!(ts(u.created())));
        o.insert(
            "email".into(),
            if email { json!(u.email) } else { Value::Null },
        );
    }
    v
}

pub(crate) fn member(env: &Env, r: &Repo, login: &str) -> Option<u32> {
    if r.owner == login {
        return Some(50);
    }
    env.pw
        .org(&r.owner)
        .and_then(|o| env.pw.direct_access(o, login))
}

fn repo_json(env: &Env, req: &SimRequest, c: Option<&Caller>, r: &Repo) -> Value {
    let b = req.api_base();
    let full = r.full_name();
    let host = req.ssh_host();
    let (ns, owner_json) = match env.pw.org(&r.owner) {
        Some(o) => (
            json!({"id": o.id, "type": "group", "name": o.display_name(), "path": o.login, "html_url": format!("{}/{}", req.origin, o.login)}),
            json!({"id": o.id, "login": o.login, "name": o.display_name(), "type": "User", "html_url": format!("{}/{}", req.origin, o.login)}),
        ),
        None => {
            let u = env.pw.user(&r.owner);
            let owner = u
                .map(|u| user_basic(req, u))
                .unwrap_or_else(|| json!({"login": r.owner}));
            (
                json!({"id": u.map(|u| u.id).unwrap_or(0), "type": "personal", "name": u.map(|u| u.display_name().to_string()).unwrap_or_else(|| r.owner.clone()), "path": r.owner, "html_url": format!("{}/{}", req.origin, r.owner)}),
                owner,
            )
        }
    };
    let acc = c.and_then(|c| member(env, r, &c.user.login));
    let human_owner = ns
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(&r.owner)
        .to_string();
    json!({
        "id": r.id, "full_name": full, "human_name": format!("{human_owner}/{}", r.name),
        "url": format!("{b}/repos/{full}"), "namespace": ns, "path": r.name, "name": r.name,
        "owner": owner_json.clone(), "assigner": owner_json, "description": r.description.clone().unwrap_or_default(),
        "private": r.private, "public": !r.private, "internal": false, "fork": false,
        "html_url": format!("{}/{full}.git", req.origin), "ssh_url": format!("git@{host}:{full}.git"),
        "forks_url": format!("{b}/repos/{full}/forks"), "hooks_url": format!("{b}/repos/{full}/hooks"),
        "recommend": false, "gvp": false, "homepage": null, "language": null, "forks_count": 0,
        "stargazers_count": 0, "watchers_count": 1, "default_branch": r.branch(), "open_issues_count": 0,
        "has_issues": true, "has_wiki": true, "issue_comment": false, "can_comment": true,
        "pull_requests_enabled": true, "has_page": false, "license": null, "outsourced": false,
        "project_creator": r.owner, "members": [r.owner],
        "pushed_at": ts(r.updated()), "created_at": ts(r.created()), "updated_at": ts(r.updated()),
        "parent": null, "paas": null, "stared": false, "watched": acc.is_some(),
        "permission": {"pull": true, "push": acc.is_some_and(|a| a >= 30), "admin": acc.is_some_and(|a| a >= 40)},
        "relation": match acc { Some(a) if a >= 50 => "master", Some(a) if a >= 40 => "admin", Some(_) => "developer", None => "" },
        "assignees_number": 1, "testers_number": 1, "status": "开始", "programs": [], "enterprise": null,
        "project_labels": [], "issue_template_source": "project"
    })
}

// ---- pagination -------------------------------------------------------------------

pub(crate) fn page(req: &SimRequest) -> Page {
    paginate::page_params(req, "page", "per_page", 20, 100)
}

/// Array body with the `total_count` and `total_page` headers.
pub(crate) fn paged(items: Vec<Value>, p: Page) -> SimResponse {
    let total = items.len();
    SimResponse::json(200, &Value::Array(p.slice(&items).to_vec()))
        .header("total_count", total.to_string())
        .header("total_page", p.total_pages(total).to_string())
}

fn sort(req: &SimRequest, list: &mut Vec<&Repo>) {
    let key = req.q("sort").unwrap_or("full_name");
    let asc = req
        .q("direction")
        .unwrap_or(if key == "full_name" { "asc" } else { "desc" })
        == "asc";
    match key {
        "created" => list.sort_by_key(|r| (r.created(), r.id)),
        "updated" | "pushed" => list.sort_by_key(|r| (r.updated(), r.id)),
        _ => list.sort_by_cached_key(|r| r.sort_key()),
    }
    if !asc {
        list.reverse();
    }
}

fn render(env: &Env, req: &SimRequest, c: Option<&Caller>, list: &[&Repo], p: Page) -> SimResponse {
    let start = (p.offset() as usize).min(list.len());
    let end = (start + p.per_page as usize).min(list.len());
    let mut items = vec![Value::Null; list.len()];
    for (i, r) in list[start..end].iter().enumerate() {
        items[start + i] = repo_json(env, req, c, r);
    }
    paged(items, p)
}

// ---- endpoints --------------------------------------------------------------------

fn user_orgs(env: &Env, req: &SimRequest, c: Caller) -> SimResponse {
    let b = req.api_base();
    let items = env
        .pw
        .orgs
        .iter()
        .filter(|o| env.pw.direct_access(o, &c.user.login).is_some())
        .filter(|o| req.q_bool("admin") != Some(true) || env.pw.direct_access(o, &c.user.login).unwrap_or(0) >= 40)
        .map(|o| {
            let l = &o.login;
            json!({
                "id": o.id, "login": l, "name": o.display_name(), "url": format!("{b}/orgs/{l}"),
                "avatar_url": format!("{}/assets/no_portrait.png", req.origin), "repos_url": format!("{b}/orgs/{l}/repos"),
                "events_url": format!("{b}/orgs/{l}/events"), "members_url": format!("{b}/orgs/{l}/members{{/member}}"),
                "description": o.description.clone().unwrap_or_default(), "follow_count": 0
            })
        })
        .collect();
    paged(items, page(req))
}

fn user_repos(env: &Env, req: &SimRequest, c: Caller) -> SimResponse {
    let ty = req.q("type");
    if ty.is_some() && (req.q("visibility").is_some() || req.q("affiliation").is_some()) {
        return SimResponse::json(
            422,
            &json!({"message": "type 参数不能与 visibility 或 affiliation 参数一并使用"}),
        );
    }
    let me = c.user.login.as_str();
    let aff: Vec<String> = match ty {
        Some("owner") | Some("personal") => vec!["owner".into()],
        Some("member") => vec!["collaborator".into(), "organization_member".into()],
        _ => req
            .q("affiliation")
            .unwrap_or("owner,collaborator,organization_member,enterprise_member,admin")
            .split(',')
            .map(|s| s.trim().to_string())
            .collect(),
    };
    let vis = match ty {
        Some("public") => "public",
        Some("private") => "private",
        _ => req.q("visibility").unwrap_or("all"),
    };
    let q = req.q("q").map(str::to_lowercase);
    let mut list: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| {
            if r.owner == me {
                return aff.iter().any(|a| a == "owner" || a == "admin");
            }
            member(env, r, me).is_some()
                && aff
                    .iter()
                    .any(|a| a == "organization_member" || a == "admin")
        })
        .filter(|r| match vis {
            "public" => !r.private,
            "private" => r.private,
            _ => true,
        })
        .filter(|r| q.as_ref().none_or(|q| r.name.to_lowercase().contains(q)))
        .collect();
    sort(req, &mut list);
    render(env, req, Some(&c), &list, page(req))
}

fn org_repos(env: &Env, req: &SimRequest, c: Option<Caller>, org: &str) -> SimResponse {
    let Some(o) = env.pw.org(org) else {
        return not_found();
    };
    let is_member = c.is_some_and(|c| env.pw.direct_access(o, &c.user.login).is_some());
    let ty = req.q("type").unwrap_or("all");
    let mut list: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| r.owner == o.login && (!r.private || is_member))
        .filter(|r| match ty {
            "public" => !r.private,
            "private" => r.private,
            _ => true,
        })
        .collect();
    sort(req, &mut list);
    render(env, req, c.as_ref(), &list, page(req))
}

/// The repository `owner/name` if the caller can see it.
fn find_repo<'a>(env: &'a Env, c: Option<Caller>, owner: &str, name: &str) -> Option<&'a Repo> {
    env.pw
        .repos
        .iter()
        .find(|r| r.owner == owner && r.name == name)
        .filter(|r| !r.private || c.is_some_and(|c| member(env, r, &c.user.login).is_some()))
}

fn no_project() -> SimResponse {
    SimResponse::json(404, &json!({"message": "Not Found Project"}))
}

fn repo_get(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    owner: &str,
    name: &str,
) -> SimResponse {
    match find_repo(env, c, owner, name) {
        Some(r) => SimResponse::json(200, &repo_json(env, req, c.as_ref(), r)),
        None => no_project(),
    }
}

/// `GET /repos/{owner}/{repo}/branches/{branch}` (`CompleteBranch`).
fn branch_get(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    owner: &str,
    name: &str,
    branch: &str,
) -> SimResponse {
    let Some(r) = find_repo(env, c, owner, name) else {
        return no_project();
    };
    let Some(g) = crate::refs::branch(r, branch) else {
        return SimResponse::json(404, &json!({"message": "Branch not found"}));
    };
    let k = crate::refs::commit(env.pw, r, &g.sha);
    let (b, full) = (req.api_base(), r.full_name());
    let person = json!({"name": k.author.display_name(), "email": k.email, "date": ts(k.date)});
    let user = env.pw.user(&k.author.login).map(|u| user_basic(req, u));
    SimResponse::json(
        200,
        &json!({
            "name": g.name,
            "commit": {
                "sha": k.sha, "url": format!("{b}/repos/{full}/commits/{}", k.sha),
                "commit": {
                    "author": person, "committer": person, "message": k.message,
                    "url": format!("{b}/repos/{full}/git/commits/{}", k.sha),
                    "tree": {"sha": k.tree, "url": format!("{b}/repos/{full}/git/trees/{}", k.tree)}
                },
                "author": user, "committer": user, "parents": []
            },
            "_links": {"html": format!("{}/{full}/tree/{}", req.origin, g.name),
                       "self": format!("{b}/repos/{full}/branches/{}", g.name)},
            "protected": false,
            "protection_url": format!("{b}/repos/{full}/branches/{}/protection", g.name)
        }),
    )
}

/// `GET /repos/{owner}/{repo}/tags`: by name (`direction=desc` reverses), paginated.
fn tags(env: &Env, req: &SimRequest, c: Option<Caller>, owner: &str, name: &str) -> SimResponse {
    let Some(r) = find_repo(env, c, owner, name) else {
        return no_project();
    };
    let mut list = crate::refs::tags(r);
    if req.q("direction") == Some("desc") {
        list.reverse();
    }
    let items = list
        .iter()
        .map(|g| {
            let k = crate::refs::commit(env.pw, r, &g.sha);
            json!({"name": g.name, "message": "", "commit": {"sha": k.sha, "date": ts(k.date)}, "tagger": null})
        })
        .collect();
    paged(items, page(req))
}

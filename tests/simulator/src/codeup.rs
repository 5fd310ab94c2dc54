//! Alibaba Cloud Codeup through the Yunxiao OpenAPI at `/oapi/v1`, header `x-yunxiao-token`.
//!
//! Paths and shapes: help.aliyun.com/zh/yunxiao/developer-reference — GetUserByToken
//! (`GET /oapi/v1/platform/user`), ListOrganizations (`GET /oapi/v1/platform/organizations`),
//! GetOrganization, ListRepositories (`GET /oapi/v1/codeup/organizations/{organizationId}/
//! repositories`; Region edition `GET /oapi/v1/codeup/repositories`), GetRepository
//! (`repositoryId` = numeric id or URL-encoded full path), ListCommits
//! (`GET …/repositories/{repositoryId}/commits?refName=…&page&perPage`, Region edition
//! without `/organizations/{organizationId}`: the commits of a branch, tag or SHA, newest
//! first — here only the head commit, `{id, shortId, title, message, authorName, authorEmail,
//! authoredDate, committerName, committerEmail, committedDate, createdAt, parentIds, webUrl}`;
//! an unknown `refName` → 404 `NotFound`, a missing one → 400 `InvalidParameter`, both
//! unconfirmed). Repository fields and the
//! pagination headers `x-next-page`, `x-page`, `x-per-page`, `x-prev-page`, `x-total`,
//! `x-total-pages`, `x-request-id`: the vendor's `docs/repository.swagger.json` in
//! `aliyun/alibabacloud-devops-mcp-server`. Error codes: the 错误码中心 page
//! (`InvalidTokenError` "Token is invalid", `ExpiredTokenError`, `Forbidden...`,
//! `TooManyRequests`); the `{"errorCode","errorMessage"}` body is what that vendor client
//! reads (not documented on its own).

use crate::auth::{Caller, Lookup};
use crate::faults::Fault;
use crate::http::{SimRequest, SimResponse};
use crate::paginate::{self, Page};
use crate::server::Env;
use crate::world::OptionExt;
use crate::world::{iso_ms, Org, Repo};
use serde_json::{json, Value};

pub fn handle(env: &Env, req: &SimRequest) -> SimResponse {
    let resp = route(env, req);
    resp.header(
        "x-request-id",
        uuid::Uuid::new_v4().to_string().to_uppercase(),
    )
}

fn route(env: &Env, req: &SimRequest) -> SimResponse {
    if req.prefix != "/oapi/v1" {
        // No OAuth: Codeup's (DCR + PKCE, seen only in a third-party CLI) is unconfirmed.
        return error(404, "NotFound", "Not Found");
    }
    let c = match authenticate(env, req) {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let segs = req.seg_strs();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["platform", "user"]) => SimResponse::json(200, &user_json(env, c)),
        ("GET", ["platform", "organizations"]) => organizations(env, req, c),
        ("GET", ["platform", "organizations", id]) => match member_org(env, c, id) {
            Ok(o) => SimResponse::json(200, &org_json(env, o)),
            Err(r) => r,
        },
        ("GET", ["codeup", "organizations", org, "repositories"]) => {
            match member_org(env, c, org) {
                Ok(o) => repositories(env, req, c, o),
                Err(r) => r,
            }
        }
        ("GET", ["codeup", "organizations", org, "repositories", repo]) => {
            match member_org(env, c, org) {
                Ok(o) => repository(env, req, c, o, repo),
                Err(r) => r,
            }
        }
        // Region / dedicated editions drop `/organizations/{organizationId}`.
        ("GET", ["codeup", "repositories"]) => match token_org(env, c) {
            Ok(o) => repositories(env, req, c, o),
            Err(r) => r,
        },
        ("GET", ["codeup", "repositories", repo]) => match token_org(env, c) {
            Ok(o) => repository(env, req, c, o, repo),
            Err(r) => r,
        },
        // ListCommits (organization and Region paths).
        ("GET", ["codeup", "organizations", org, "repositories", repo, "commits"]) => {
            match member_org(env, c, org) {
                Ok(o) => commits(env, req, o, repo),
                Err(r) => r,
            }
        }
        ("GET", ["codeup", "repositories", repo, "commits"]) => match token_org(env, c) {
            Ok(o) => commits(env, req, o, repo),
            Err(r) => r,
        },
        // Webhooks (see `hooks::codeup`).
        (_, ["codeup", "organizations", org, "repositories", repo, "webhooks", rest @ ..]) => {
            match member_org(env, c, org) {
                Ok(o) => crate::hooks::codeup::route(env, req, c, o, repo, rest),
                Err(r) => r,
            }
        }
        (_, ["codeup", "repositories", repo, "webhooks", rest @ ..]) => match token_org(env, c) {
            Ok(o) => crate::hooks::codeup::route(env, req, c, o, repo, rest),
            Err(r) => r,
        },
        _ => error(404, "NotFound", "Not Found"),
    }
}

fn error(status: u16, code: &str, message: &str) -> SimResponse {
    SimResponse::json(status, &json!({"errorCode": code, "errorMessage": message}))
}

fn authenticate<'a>(env: &'a Env, req: &SimRequest) -> Result<Caller<'a>, SimResponse> {
    let Some(secret) = req
        .header("x-yunxiao-token")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    else {
        return Err(error(401, "Unauthorized", "Unauthorized"));
    };
    match crate::auth::lookup(env.pw, secret, env.now) {
        Lookup::Valid(token, user) => Ok(Caller { token, user }),
        Lookup::Expired(..) => Err(error(401, "ExpiredTokenError", "Token has expired")),
        _ => Err(error(401, "InvalidTokenError", "Token is invalid")),
    }
}

/// Renders an injected fault in the Yunxiao shape.
pub fn fault(f: &Fault, _req: &SimRequest) -> SimResponse {
    let r = match f {
        Fault::Unauthorized => error(401, "InvalidTokenError", "Token is invalid"),
        Fault::MissingScope | Fault::SsoRequired | Fault::OrgRestricted => {
            error(403, "Forbidden", "Forbidden")
        }
        Fault::RateLimited { retry_after } => {
            let r = error(429, "TooManyRequests", "Too many requests");
            match retry_after {
                Some(s) => r.header("retry-after", s.to_string()),
                None => r,
            }
        }
        Fault::PrimaryRateLimit | Fault::SecondaryRateLimit { .. } => {
            error(429, "TooManyRequests", "Too many requests")
        }
        Fault::ServerError { status } => {
            error(*status, "InternalServerError", "An internal error occurs")
        }
        _ => error(500, "InternalServerError", "An internal error occurs"),
    };
    r.header(
        "x-request-id",
        uuid::Uuid::new_v4().to_string().to_uppercase(),
    )
}

fn find_org<'a>(env: &'a Env, id: &str) -> Option<&'a Org> {
    env.pw
        .orgs
        .iter()
        .find(|o| o.codeup_id() == id || o.login == id)
}

fn access(env: &Env, o: &Org, c: Caller) -> Option<u32> {
    env.pw.direct_access(o, &c.user.login)
}

fn not_in_org() -> SimResponse {
    error(
        403,
        "Forbidden.InvalidUser.UserNotInCurrentOrganization",
        "The current user is not in the organization and has no right to operate.",
    )
}

fn member_org<'a>(env: &'a Env, c: Caller, id: &str) -> Result<&'a Org, SimResponse> {
    match find_org(env, id) {
        Some(o) if access(env, o, c).is_some() => Ok(o),
        _ => Err(not_in_org()),
    }
}

/// Region edition: the organization comes from the token (or the user's last one).
fn token_org<'a>(env: &'a Env, c: Caller) -> Result<&'a Org, SimResponse> {
    let id = c
        .token
        .organization_id
        .clone()
        .or_else(|| last_org(env, c).map(|o| o.codeup_id()));
    match id {
        Some(id) => member_org(env, c, &id),
        None => Err(not_in_org()),
    }
}

fn last_org<'a>(env: &'a Env, c: Caller) -> Option<&'a Org> {
    env.pw.orgs.iter().find(|o| access(env, o, c).is_some())
}

fn user_json(env: &Env, c: Caller) -> Value {
    let u = c.user;
    let mut v = json!({
        "id": u.codeup_id(), "username": u.login, "name": u.display_name(), "nickName": u.display_name(),
        "sysDeptIds": [], "createdAt": iso_ms(u.created())
    });
    if let Some(o) = v.as_object_mut() {
        if let Some(e) = &u.email {
            o.insert("email".into(), json!(e));
        }
        if let Some(org) = last_org(env, c) {
            o.insert("lastOrganization".into(), json!(org.codeup_id()));
        }
    }
    v
}

fn org_json(env: &Env, o: &Org) -> Value {
    let creator = o
        .members
        .iter()
        .max_by_key(|m| m.access_level)
        .and_then(|m| env.pw.user(&m.login))
        .map(|u| u.codeup_id())
        .unwrap_or_default();
    let t = iso_ms(crate::world::base_time());
    json!({
        "createdAt": t, "creatorId": creator, "defaultRole": "member",
        "description": o.description.clone().unwrap_or_default(), "id": o.codeup_id(),
        "name": o.display_name(), "updateAt": t
    })
}

fn repo_json(req: &SimRequest, o: &Org, r: &Repo, level: u32, detail: bool) -> Value {
    let ns = o.codeup_id();
    let path = format!("{ns}/{}", r.name);
    let mut v = json!({
        "id": r.id, "path": r.name, "name": r.name, "pathWithNamespace": path,
        "nameWithNamespace": format!("{ns} / {}", r.name), "description": r.description.clone().unwrap_or_default(),
        "lastActivityAt": iso_ms(r.updated()),
        "visibility": if r.visibility() == "private" { "private" } else { "internal" },
        "starCount": 0, "webUrl": format!("{}/{path}", req.origin),
        "avatarUrl": format!("{}/thumbnail/{}/w/100/h/100", req.origin, r.id), "starred": false,
        "namespaceId": o.id, "accessLevel": level, "demoProject": false,
        "createdAt": iso_ms(r.created()), "updatedAt": iso_ms(r.updated()), "archived": r.archived,
        "repositorySize": "0", "creatorId": 1, "encrypted": false
    });
    if detail {
        let host = req.ssh_host();
        if let Some(m) = v.as_object_mut() {
            m.insert("defaultBranch".into(), json!(r.branch()));
            m.insert(
                "httpUrlToRepo".into(),
                json!(format!("{}/{path}.git", req.origin)),
            );
            m.insert(
                "sshUrlToRepo".into(),
                json!(format!("git@{host}:{path}.git")),
            );
            m.insert("allowPush".into(), json!(level >= 30));
        }
    }
    v
}

/// Codeup's level names: 20 viewer, 30 developer, 40 admin.
pub(crate) fn repo_level(org_access: u32) -> u32 {
    match org_access {
        a if a >= 40 => 40,
        a if a >= 30 => 30,
        _ => 20,
    }
}

/// Pagination headers. As in the ListOrganizations example, `x-next-page` and
/// `x-prev-page` never go past the last/first page (page 1 of 1 says next 1, prev 1),
/// so clients must stop on `x-total-pages`.
pub(crate) fn paged(items: Vec<Value>, p: Page) -> SimResponse {
    let total = items.len();
    let last = p.total_pages(total);
    SimResponse::json(200, &Value::Array(p.slice(&items).to_vec()))
        .header("x-page", p.page.to_string())
        .header("x-per-page", p.per_page.to_string())
        .header("x-total", total.to_string())
        .header("x-total-pages", last.to_string())
        .header("x-next-page", (p.page + 1).min(last).to_string())
        .header("x-prev-page", p.page.saturating_sub(1).max(1).to_string())
}

fn organizations(env: &Env, req: &SimRequest, c: Caller) -> SimResponse {
    let items = env
        .pw
        .orgs
        .iter()
        .filter(|o| access(env, o, c).is_some())
        .map(|o| org_json(env, o))
        .collect();
    paged(
        items,
        paginate::page_params(req, "page", "perPage", 100, 100),
    )
}

fn repositories(env: &Env, req: &SimRequest, c: Caller, o: &Org) -> SimResponse {
    let level = repo_level(access(env, o, c).unwrap_or(20));
    let ns = o.codeup_id();
    let search = req.q("search").map(str::to_lowercase);
    let mut list: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| r.owner == o.login || r.owner == ns)
        .filter(|r| {
            search
                .as_ref()
                .none_or(|s| r.name.to_lowercase().contains(s))
        })
        .filter(|r| req.q_bool("archived").none_or(|a| r.archived == a))
        .collect();
    match req.q("orderBy").unwrap_or("created_at") {
        "name" | "path" => list.sort_by_cached_key(|r| (r.name.to_lowercase(), r.id)),
        "last_activity_at" | "updated_at" => list.sort_by_key(|r| (r.updated(), r.id)),
        "id" => list.sort_by_key(|r| r.id),
        _ => list.sort_by_key(|r| (r.created(), r.id)),
    }
    if req.q("sort").unwrap_or("desc") != "asc" {
        list.reverse();
    }
    let p = paginate::page_params(req, "page", "perPage", 20, 100);
    let start = (p.offset() as usize).min(list.len());
    let end = (start + p.per_page as usize).min(list.len());
    let mut items = vec![Value::Null; list.len()];
    for (i, r) in list[start..end].iter().enumerate() {
        items[start + i] = repo_json(req, o, r, level, false);
    }
    paged(items, p)
}

/// A repository of `o` by numeric id or full path (`{organizationId}/name` or `org/name`).
fn find_repo<'a>(env: &'a Env, o: &Org, id: &str) -> Option<&'a Repo> {
    let ns = o.codeup_id();
    env.pw.repos.iter().find(|r| {
        (r.owner == o.login || r.owner == ns)
            && (id.parse::<u64>().ok() == Some(r.id)
                || id == format!("{ns}/{}", r.name)
                || id == r.full_name())
    })
}

fn repository(env: &Env, req: &SimRequest, c: Caller, o: &Org, id: &str) -> SimResponse {
    match find_repo(env, o, id) {
        Some(r) => SimResponse::json(
            200,
            &repo_json(req, o, r, repo_level(access(env, o, c).unwrap_or(20)), true),
        ),
        None => error(404, "NotFound", "Repository not found"),
    }
}

/// ListCommits for `refName`: the head commit of that branch, tag or SHA (page 1 only).
fn commits(env: &Env, req: &SimRequest, o: &Org, id: &str) -> SimResponse {
    let Some(r) = find_repo(env, o, id) else {
        return error(404, "NotFound", "Repository not found");
    };
    let Some(ref_name) = req.q("refName").filter(|s| !s.trim().is_empty()) else {
        return error(400, "InvalidParameter", "refName is required");
    };
    let Some(sha) = crate::refs::resolve(r, ref_name) else {
        return error(404, "NotFound", &format!("Ref not found: {ref_name}"));
    };
    let k = crate::refs::commit(env.pw, r, &sha);
    let (who, t) = (k.author.display_name(), iso_ms(k.date));
    let item = json!({
        "id": k.sha, "shortId": k.short(8), "title": k.title(), "message": k.message,
        "authorName": who, "authorEmail": k.email, "authoredDate": t,
        "committerName": who, "committerEmail": k.email, "committedDate": t, "createdAt": t,
        "parentIds": [], "stats": {"additions": 0, "deletions": 0, "total": 0},
        "webUrl": format!("{}/{}/{}/commit/{}", req.origin, o.codeup_id(), r.name, k.sha)
    });
    paged(
        vec![item],
        paginate::page_params(req, "page", "perPage", 20, 100),
    )
}

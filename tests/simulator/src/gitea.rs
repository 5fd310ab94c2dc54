//! Gitea / Forgejo API v1 at `/api/v1`.
//!
//! Shapes: Gitea's swagger (`templates/swagger/v1_json.tmpl`: `User`, `Organization`,
//! `Repository`, `ServerVersion`, `Branch` for `GET /repos/{owner}/{repo}/branches/{branch}`,
//! `Tag` for `GET /repos/{owner}/{repo}/tags/{tag}` — both routed as `/*`, so names keep their
//! slashes; unknown branch → 404 "The target couldn't be found." with `errors: ["branch does
//! not exist [name: …]"]`, unknown tag → 404 with the tag name as `message`, as
//! `routers/api/v1/repo/branch.go` / `tag.go` call `NotFound(err)` / `NotFound(tagName)`);
//! routes and scope checks: `routers/api/v1/api.go`
//! (`/user` needs `read:user`; `/user/repos` also `read:repository`; `/user/orgs` also
//! `read:organization`); pagination `page`/`limit` (default 30, `MAX_RESPONSE_ITEMS` 50)
//! with `X-Total-Count` and `Link` (docs "API Usage", config cheat sheet); errors
//! `{"message","url"}`: `token is required` (reqToken), `user does not exist [uid: 0,
//! name: ]` for an unknown token (seen from gitea.com), `token does not have at least one
//! of required scope(s), required=[...], token scope=...` (tokenRequiresScopes).

use crate::auth::{self, Caller, Cred, Lookup};
use crate::faults::Fault;
use crate::http::{SimRequest, SimResponse};
use crate::paginate::{self, Page};
use crate::server::Env;
use crate::world::{iso, Org, Repo, User};
use serde_json::{json, Value};

const USER: &str = "user";
const REPOSITORY: &str = "repository";
const ORGANIZATION: &str = "organization";

pub fn handle(env: &Env, req: &SimRequest) -> SimResponse {
    if req.prefix != "/api/v1" {
        // OAuth: /login/oauth/authorize, /login/oauth/grant, /login/oauth/access_token and
        // /.well-known/openid-configuration (see `oauth`).
        if let Some(resp) = crate::oauth::handle(env, req, crate::provider::Provider::Gitea) {
            return resp;
        }
        return SimResponse::text(404, "text/plain; charset=utf-8", "404 page not found\n");
    }
    let segs = req.seg_strs();
    if let ("GET", ["version"]) = (req.method.as_str(), segs.as_slice()) {
        let v = env
            .pw
            .settings
            .version
            .clone()
            .unwrap_or_else(|| "1.23.4".to_string());
        return SimResponse::json(200, &json!({ "version": v }));
    }
    let caller = match authenticate(env, req) {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["user"]) => need(req, caller, &[USER], |c| {
            SimResponse::json(200, &user_json(req, c.user, true))
        }),
        ("GET", ["user", "orgs"]) => need(req, caller, &[USER, ORGANIZATION], |c| {
            user_orgs(env, req, c)
        }),
        ("GET", ["user", "repos"]) => need(req, caller, &[USER, REPOSITORY], |c| {
            user_repos(env, req, c)
        }),
        ("GET", ["orgs", org, "repos"]) => scoped(req, caller, &[ORGANIZATION, REPOSITORY], |c| {
            org_repos(env, req, c, org)
        }),
        ("GET", ["repos", owner, name]) => scoped(req, caller, &[REPOSITORY], |c| {
            repo_get(env, req, c, owner, name)
        }),
        ("GET", ["repos", owner, name, kind @ ("branches" | "tags"), r @ ..]) if !r.is_empty() => {
            scoped(req, caller, &[REPOSITORY], |c| {
                ref_get(env, req, c, owner, name, kind, &r.join("/"))
            })
        }
        // Repository webhooks (see `hooks::gitea`).
        (_, ["repos", owner, name, "hooks", rest @ ..]) => {
            crate::hooks::gitea::route(env, req, caller, owner, name, rest)
        }
        _ => error(req, 404, "not found"),
    }
}

pub(crate) fn error(req: &SimRequest, status: u16, message: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({"message": message, "url": format!("{}/api/swagger", req.origin)}),
    )
}

/// Header token (`token`/`Bearer`), Basic with the token as password, and — only when
/// `settings.accept_query_token` — `?token=` / `?access_token=`.
fn authenticate<'a>(env: &'a Env, req: &SimRequest) -> Result<Option<Caller<'a>>, SimResponse> {
    let secret = match auth::authorization(req) {
        Some(Cred::Token(t)) | Some(Cred::Bearer(t)) => Some(t),
        Some(Cred::Basic(_, p)) => Some(p),
        Some(Cred::Malformed) => {
            return Err(error(req, 401, "user does not exist [uid: 0, name: ]"))
        }
        None if env.pw.settings.accept_query_token => req
            .q("token")
            .or_else(|| req.q("access_token"))
            .map(str::to_string),
        None => None,
    };
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    match auth::lookup(env.pw, &secret, env.now) {
        Lookup::Valid(token, user) => Ok(Some(Caller { token, user })),
        _ => Err(error(req, 401, "user does not exist [uid: 0, name: ]")),
    }
}

/// Does the token grant read access to every category? `all` (legacy) grants everything;
/// `write:x` implies `read:x`. Returns the first missing category.
fn missing<'a>(c: &Caller, categories: &[&'a str]) -> Option<&'a str> {
    if c.token.has_scope("all") {
        return None;
    }
    categories
        .iter()
        .find(|cat| {
            !c.token
                .has_any(&[&format!("read:{cat}"), &format!("write:{cat}")])
        })
        .copied()
}

fn scope_error(req: &SimRequest, c: &Caller, cat: &str) -> SimResponse {
    error(
        req,
        403,
        &format!("token does not have at least one of required scope(s), required=[read:{cat}], token scope={}", c.token.scopes.join(",")),
    )
}

fn need(
    req: &SimRequest,
    c: Option<Caller>,
    cats: &[&str],
    f: impl FnOnce(Caller) -> SimResponse,
) -> SimResponse {
    match c {
        None => error(req, 401, "token is required"),
        Some(c) => match missing(&c, cats) {
            Some(cat) => scope_error(req, &c, cat),
            None => f(c),
        },
    }
}

/// Public data is readable anonymously; a token still has to carry the scopes.
fn scoped(
    req: &SimRequest,
    c: Option<Caller>,
    cats: &[&str],
    f: impl FnOnce(Option<Caller>) -> SimResponse,
) -> SimResponse {
    if let Some(c) = c {
        if let Some(cat) = missing(&c, cats) {
            return scope_error(req, &c, cat);
        }
    }
    f(c)
}

/// Renders an injected fault in Gitea's shape (429 and 5xx as a reverse proxy would).
pub fn fault(f: &Fault, req: &SimRequest) -> SimResponse {
    match f {
        Fault::Unauthorized => error(req, 401, "user does not exist [uid: 0, name: ]"),
        Fault::MissingScope | Fault::SsoRequired | Fault::OrgRestricted => error(
            req,
            403,
            "token does not have at least one of required scope(s), required=[read:repository], token scope=read:user",
        ),
        Fault::RateLimited { retry_after } => {
            let r = SimResponse::text(429, "text/plain; charset=utf-8", "Too Many Requests\n");
            match retry_after {
                Some(s) => r.header("retry-after", s.to_string()),
                None => r,
            }
        }
        Fault::PrimaryRateLimit | Fault::SecondaryRateLimit { .. } => SimResponse::text(429, "text/plain; charset=utf-8", "Too Many Requests\n"),
        Fault::ServerError { status } => error(req, *status, "Internal Server Error"),
        _ => error(req, 500, "Internal Server Error"),
    }
}

// ---- JSON -------------------------------------------------------------------------

fn user_json(req: &SimRequest, u: &User, with_email: bool) -> Value {
    json!({
        "id": u.id, "login": u.login, "login_name": "", "source_id": 0, "full_name": u.name.clone().unwrap_or_default(),
        "email": if with_email { u.email.clone().unwrap_or_default() } else { String::new() },
        "avatar_url": u.avatar_url.clone().unwrap_or_else(|| format!("{}/avatars/{:x}", req.origin, u.id)),
        "html_url": format!("{}/{}", req.origin, u.login), "language": "", "is_admin": false,
        "last_login": iso(u.created()), "created": iso(u.created()), "restricted": false, "active": true,
        "prohibit_login": false, "location": "", "website": "", "description": "", "visibility": "public",
        "followers_count": 0, "following_count": 0, "starred_repos_count": 0, "username": u.login
    })
}

fn org_json(req: &SimRequest, o: &Org) -> Value {
    json!({
        "id": o.id, "name": o.login, "full_name": o.name.clone().unwrap_or_default(), "email": "",
        "avatar_url": format!("{}/avatars/{:x}", req.origin, o.id), "description": o.description.clone().unwrap_or_default(),
        "website": "", "location": "", "visibility": o.visibility.clone().unwrap_or_else(|| "public".to_string()),
        "repo_admin_change_team_access": false, "username": o.login
    })
}

pub(crate) fn access(env: &Env, r: &Repo, login: &str) -> Option<u32> {
    if r.owner == login {
        return Some(50);
    }
    env.pw
        .org(&r.owner)
        .and_then(|o| env.pw.direct_access(o, login))
}

fn owner_json(env: &Env, req: &SimRequest, login: &str) -> Value {
    if let Some(u) = env.pw.user(login) {
        return user_json(req, u, false);
    }
    if let Some(o) = env.pw.org(login) {
        let mut v = user_json(req, &User::new(o.id, &o.login), false);
        if let Some(m) = v.as_object_mut() {
            m.insert(
                "full_name".into(),
                json!(o.name.clone().unwrap_or_default()),
            );
        }
        return v;
    }
    json!({"id": 0, "login": login, "username": login})
}

fn repo_json(env: &Env, req: &SimRequest, c: Option<&Caller>, r: &Repo) -> Value {
    let full = r.full_name();
    let host = req.ssh_host();
    let acc = c.and_then(|c| access(env, r, &c.user.login));
    json!({
        "id": r.id, "owner": owner_json(env, req, &r.owner), "name": r.name, "full_name": full,
        "description": r.description.clone().unwrap_or_default(), "empty": false, "private": r.private,
        "fork": false, "template": false, "parent": null, "mirror": false, "size": 0, "language": "",
        "languages_url": format!("{}/repos/{full}/languages", req.api_base()),
        "html_url": format!("{}/{full}", req.origin), "url": format!("{}/repos/{full}", req.api_base()), "link": "",
        "ssh_url": format!("git@{host}:{full}.git"), "clone_url": format!("{}/{full}.git", req.origin),
        "original_url": "", "website": "", "stars_count": 0, "forks_count": 0, "watchers_count": 0,
        "open_issues_count": 0, "open_pr_counter": 0, "release_counter": 0, "default_branch": r.branch(),
        "archived": r.archived, "created_at": iso(r.created()), "updated_at": iso(r.updated()),
        "archived_at": "1970-01-01T00:00:00Z",
        "permissions": {"admin": acc.is_some_and(|a| a >= 50), "push": acc.is_some_and(|a| a >= 30), "pull": acc.is_some() || !r.private},
        "has_issues": true, "has_wiki": true, "has_pull_requests": true, "has_projects": true,
        "has_releases": true, "has_packages": true, "has_actions": true, "ignore_whitespace_conflicts": false,
        "allow_merge_commits": true, "allow_rebase": true, "allow_rebase_explicit": true,
        "allow_squash_merge": true, "default_merge_style": "merge", "avatar_url": "", "internal": false,
        "mirror_interval": "", "object_format_name": "sha1", "mirror_updated": "0001-01-01T00:00:00Z",
        "repo_transfer": null, "topics": [], "licenses": []
    })
}

// ---- pagination -------------------------------------------------------------------

pub(crate) fn page(env: &Env, req: &SimRequest) -> Page {
    let max = env.pw.settings.max_page_size.unwrap_or(50);
    paginate::page_params(req, "page", "limit", 30.min(max), max)
}

/// Array body with `X-Total-Count` and a `Link` header (next, last, first, prev).
pub(crate) fn paged(req: &SimRequest, items: Vec<Value>, p: Page) -> SimResponse {
    let total = items.len();
    let rels = paginate::standard_rels(&p, total, &["next", "last", "first", "prev"], true);
    let mut resp = SimResponse::json(200, &Value::Array(p.slice(&items).to_vec()))
        .header("x-total-count", total.to_string());
    if let Some(link) = paginate::link_header(req, "page", &rels) {
        resp = resp.header("link", link);
    }
    resp
}

fn render(env: &Env, req: &SimRequest, c: Option<&Caller>, list: &[&Repo]) -> SimResponse {
    let p = page(env, req);
    let start = (p.offset() as usize).min(list.len());
    let end = (start + p.per_page as usize).min(list.len());
    let mut items = vec![Value::Null; list.len()];
    for (i, r) in list[start..end].iter().enumerate() {
        items[start + i] = repo_json(env, req, c, r);
    }
    paged(req, items, p)
}

// ---- endpoints --------------------------------------------------------------------

fn user_orgs(env: &Env, req: &SimRequest, c: Caller) -> SimResponse {
    let items = env
        .pw
        .orgs
        .iter()
        .filter(|o| env.pw.direct_access(o, &c.user.login).is_some())
        .map(|o| org_json(req, o))
        .collect();
    paged(req, items, page(env, req))
}

fn user_repos(env: &Env, req: &SimRequest, c: Caller) -> SimResponse {
    let mut list: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| access(env, r, &c.user.login).is_some())
        .collect();
    list.sort_by_key(|r| r.id);
    render(env, req, Some(&c), &list)
}

fn org_repos(env: &Env, req: &SimRequest, c: Option<Caller>, org: &str) -> SimResponse {
    let Some(o) = env.pw.org(org) else {
        return error(req, 404, "GetOrgByName");
    };
    let member = c.is_some_and(|c| env.pw.direct_access(o, &c.user.login).is_some());
    if o.visibility.as_deref() == Some("private") && !member {
        return error(req, 404, "GetOrgByName");
    }
    let mut list: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| r.owner == o.login && (!r.private || member))
        .collect();
    list.sort_by_key(|r| r.id);
    render(env, req, c.as_ref(), &list)
}

/// The repository `owner/name` (case-insensitive) if the caller can see it.
fn find_repo<'a>(env: &'a Env, c: Option<Caller>, owner: &str, name: &str) -> Option<&'a Repo> {
    env.pw
        .repos
        .iter()
        .find(|r| r.owner.eq_ignore_ascii_case(owner) && r.name.eq_ignore_ascii_case(name))
        .filter(|r| !r.private || c.is_some_and(|c| access(env, r, &c.user.login).is_some()))
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
        None => error(req, 404, "The target couldn't be found."),
    }
}

/// `GET /repos/{owner}/{repo}/branches/{branch}` (`Branch`) or `…/tags/{tag}` (`Tag`).
fn ref_get(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    owner: &str,
    name: &str,
    kind: &str,
    ref_name: &str,
) -> SimResponse {
    let Some(r) = find_repo(env, c, owner, name) else {
        return error(req, 404, "The target couldn't be found.");
    };
    let swagger = format!("{}/api/swagger", req.origin);
    let full = r.full_name();
    if kind == "tags" {
        let Some(g) = crate::refs::tag(r, ref_name) else {
            return SimResponse::json(
                404,
                &json!({"message": ref_name, "url": swagger, "errors": null}),
            );
        };
        let k = crate::refs::commit(env.pw, r, &g.sha);
        // A lightweight tag: its id is the commit's and its message the commit's.
        return SimResponse::json(
            200,
            &json!({
                "name": g.name, "message": k.message, "id": k.sha,
                "commit": {"url": format!("{}/repos/{full}/git/commits/{}", req.api_base(), k.sha),
                           "sha": k.sha, "created": iso(k.date)},
                "zipball_url": format!("{}/{full}/archive/{}.zip", req.origin, g.name),
                "tarball_url": format!("{}/{full}/archive/{}.tar.gz", req.origin, g.name)
            }),
        );
    }
    let Some(g) = crate::refs::branch(r, ref_name) else {
        let e = format!("branch does not exist [name: {ref_name}]");
        return SimResponse::json(
            404,
            &json!({"message": "The target couldn't be found.", "url": swagger, "errors": [e]}),
        );
    };
    let k = crate::refs::commit(env.pw, r, &g.sha);
    let person =
        json!({"name": k.author.display_name(), "email": k.email, "username": k.author.login});
    let can_push = c.is_some_and(|c| access(env, r, &c.user.login).is_some_and(|a| a >= 30));
    SimResponse::json(
        200,
        &json!({
            "name": g.name,
            "commit": {
                "id": k.sha, "message": k.message, "url": format!("{}/{full}/commit/{}", req.origin, k.sha),
                "author": person, "committer": person,
                "verification": {"verified": false, "reason": "gpg.error.not_signed_commit", "signature": "", "signer": null, "payload": ""},
                "timestamp": iso(k.date), "added": null, "removed": null, "modified": null
            },
            "protected": false, "required_approvals": 0, "enable_status_check": false,
            "status_check_contexts": [], "user_can_push": can_push, "user_can_merge": can_push,
            "effective_branch_protection_name": ""
        }),
    )
}

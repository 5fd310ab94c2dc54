//! Bitbucket Cloud REST 2.0 at `/2.0` (api.bitbucket.org).
//!
//! Shapes and scopes: the official OpenAPI `swagger.v3.json` (operations `/user`,
//! `/user/emails`, `/user/workspaces` — `workspace_access` items, `/workspaces/{workspace}`,
//! `/repositories/{workspace}`; `x-atlassian-oauth2-scopes` for API-token scopes; page
//! fields `pagelen` (default 10, max 100), `page`, `size`, `next`, `previous`, `values`).
//! `/workspaces`, `/user/permissions/workspaces` and the cross-workspace `/repositories`
//! are deprecated by CHANGE-2770 and answer 410 here. Headers `x-oauth-scopes`,
//! `x-accepted-oauth-scopes`, `x-credential-type`: Atlassian KB "How to fetch the scope of a
//! token via command line". API tokens: Basic `email:token` (support.atlassian.com
//! "Using API tokens").
//!
//! Refs (same spec, tag "Refs"): `GET /repositories/{workspace}/{repo_slug}/refs`,
//! `…/refs/branches`, `…/refs/tags` (paginated `branch` / `tag` objects, `q` in BBQL on
//! `name` — `=`, `!=`, `~`, `!~`, `AND`, `OR`, parentheses; anything else → 400 — and
//! `sort=name`/`-name` in natural order, else lexical), `…/refs/branches/{name}` and
//! `…/refs/tags/{name}` (404 when the ref does not exist); scope `repository` /
//! `read:repository:bitbucket`.

use crate::auth::{self, Caller, Cred, Lookup};
use crate::faults::Fault;
use crate::http::{SimRequest, SimResponse};
use crate::paginate::{self, Page};
use crate::server::Env;
use crate::world::{base_time, Repo, TokenKind, User};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// The scope an endpoint needs: legacy OAuth name and API-token (granular) name.
#[derive(Clone, Copy)]
struct Need {
    legacy: &'static str,
    granular: &'static str,
}

const ACCOUNT: Need = Need {
    legacy: "account",
    granular: "read:user:bitbucket",
};
const EMAIL: Need = Need {
    legacy: "email",
    granular: "read:user:bitbucket",
};
const WORKSPACE: Need = Need {
    legacy: "account",
    granular: "read:workspace:bitbucket",
};
const REPOSITORY: Need = Need {
    legacy: "repository",
    granular: "read:repository:bitbucket",
};

const CHANGE_2770: &str = "This API is no longer supported.\n\nFor information about its removal, please refer to the deprecation notice at: https://developer.atlassian.com/cloud/bitbucket/changelog/#CHANGE-2770";

pub fn handle(env: &Env, req: &SimRequest) -> SimResponse {
    if req.prefix != "/2.0" {
        // OAuth: /site/oauth2/authorize and /site/oauth2/access_token (see `oauth`).
        if let Some(resp) = crate::oauth::handle(env, req, crate::provider::Provider::Bitbucket) {
            return resp;
        }
        return error(404, "Resource not found");
    }
    let segs = req.seg_strs();
    let m = req.method.as_str();
    // Deprecated by CHANGE-2770: answer before authentication, like a removed route.
    match (m, segs.as_slice()) {
        ("GET", ["workspaces"])
        | ("GET", ["user", "permissions", "workspaces"])
        | ("GET", ["user", "permissions", "repositories"])
        | ("GET", ["repositories"]) => return error(410, CHANGE_2770),
        _ => {}
    }
    let caller = match authenticate(env, req) {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let Some(c) = caller else {
        return match (m, segs.as_slice()) {
            ("GET", ["repositories", ws]) => repos(env, req, None, ws),
            ("GET", ["repositories", ws, slug]) => repo_get(env, req, None, ws, slug),
            ("GET", ["repositories", ws, slug, "refs", rest @ ..]) => {
                refs_get(env, req, None, ws, slug, rest)
            }
            _ => basic_challenge(),
        };
    };
    let (need, resp) = match (m, segs.as_slice()) {
        ("GET", ["user"]) => (ACCOUNT, SimResponse::json(200, &account_json(req, c.user))),
        ("GET", ["user", "emails"]) => (EMAIL, emails(req, c)),
        ("GET", ["user", "workspaces"]) => (WORKSPACE, workspaces(env, req, c)),
        ("GET", ["workspaces", ws]) => (WORKSPACE, workspace_get(env, req, c, ws)),
        ("GET", ["repositories", ws]) => (REPOSITORY, repos(env, req, Some(c), ws)),
        ("GET", ["repositories", ws, slug]) => (REPOSITORY, repo_get(env, req, Some(c), ws, slug)),
        ("GET", ["repositories", ws, slug, "refs", rest @ ..]) => {
            (REPOSITORY, refs_get(env, req, Some(c), ws, slug, rest))
        }
        // Repository webhooks (see `hooks::bitbucket`), which check their own scopes.
        (_, ["repositories", ws, slug, "hooks", rest @ ..]) => {
            return crate::hooks::bitbucket::route(env, req, c, ws, slug, rest)
        }
        _ => return decorate(error(404, "Resource not found"), c, ""),
    };
    if !granted(c, need) {
        let required = if c.token.kind == TokenKind::ApiToken {
            need.granular
        } else {
            need.legacy
        };
        let body = json!({"type": "error", "error": {
            "message": "Your credentials lack one or more required privilege scopes.",
            "detail": {"granted": c.token.scopes, "required": [required]}}});
        return decorate(SimResponse::json(403, &body), c, need.legacy);
    }
    decorate(resp, c, need.legacy)
}

pub(crate) fn decorate(resp: SimResponse, c: Caller, accepted: &str) -> SimResponse {
    let mut resp = resp.header("x-oauth-scopes", auth::scope_header(&c.token.scopes));
    if !accepted.is_empty() {
        resp = resp.header("x-accepted-oauth-scopes", accepted);
    }
    let credential_type = match c.token.kind {
        TokenKind::RepositoryAccessToken => Some("repo_access_token"),
        TokenKind::ProjectAccessToken => Some("project_access_token"),
        TokenKind::WorkspaceAccessToken => Some("workspace_access_token"),
        _ => None,
    };
    if let Some(t) = credential_type {
        resp = resp.header("x-credential-type", t);
    }
    resp
}

/// Does the token carry `need` (or a broader scope of the same resource)?
fn granted(c: Caller, need: Need) -> bool {
    let scopes = &c.token.scopes;
    if c.token.kind == TokenKind::ApiToken {
        // read:X:bitbucket is implied by write:/admin:/delete:X:bitbucket.
        let resource = need.granular.trim_start_matches("read:");
        return scopes.iter().any(|s| {
            s == need.granular
                || ["write:", "admin:", "delete:"]
                    .iter()
                    .any(|p| s.strip_prefix(p) == Some(resource))
        });
    }
    // repository ⊂ repository:write ⊂ repository:admin; account ⊂ account:write.
    scopes.iter().any(|s| {
        s == need.legacy
            || s.strip_prefix(need.legacy)
                .is_some_and(|r| r.starts_with(':'))
    })
}

/// Ok(None) = no credentials.
fn authenticate<'a>(env: &'a Env, req: &SimRequest) -> Result<Option<Caller<'a>>, SimResponse> {
    match auth::authorization(req) {
        None => Ok(None),
        Some(Cred::Basic(user, secret)) => match auth::lookup(env.pw, &secret, env.now) {
            Lookup::Valid(token, u) => {
                let ok = match token.kind {
                    TokenKind::ApiToken => u
                        .email
                        .as_deref()
                        .is_some_and(|e| e.eq_ignore_ascii_case(&user)),
                    TokenKind::AppPassword => u.login == user,
                    _ => false,
                };
                if ok {
                    Ok(Some(Caller { token, user: u }))
                } else {
                    Err(basic_challenge())
                }
            }
            _ => Err(basic_challenge()),
        },
        Some(Cred::Bearer(secret)) => match auth::lookup(env.pw, &secret, env.now) {
            Lookup::Valid(token, u) if bearer_kind(token.kind) => {
                Ok(Some(Caller { token, user: u }))
            }
            Lookup::Expired(token, _) if token.kind == TokenKind::Oauth => Err(error(
                401,
                "Access token expired. Use your refresh token to obtain a new access token.",
            )),
            _ => Err(invalid_token()),
        },
        Some(_) => Err(basic_challenge()),
    }
}

fn bearer_kind(k: TokenKind) -> bool {
    matches!(
        k,
        TokenKind::Oauth
            | TokenKind::RepositoryAccessToken
            | TokenKind::ProjectAccessToken
            | TokenKind::WorkspaceAccessToken
    )
}

pub(crate) fn error(status: u16, message: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({"type": "error", "error": {"message": message}}),
    )
}

fn invalid_token() -> SimResponse {
    error(
        401,
        "Token is invalid, expired, or not supported for this endpoint.",
    )
}

/// Bad or missing Basic credentials: an empty 401 with the Basic challenge.
fn basic_challenge() -> SimResponse {
    SimResponse::new(401).header("www-authenticate", "Basic realm=\"Bitbucket.org HTTP\"")
}

/// Renders an injected fault in Bitbucket's shape.
pub fn fault(f: &Fault, _req: &SimRequest) -> SimResponse {
    match f {
        Fault::Unauthorized => invalid_token(),
        Fault::MissingScope | Fault::SsoRequired | Fault::OrgRestricted => SimResponse::json(
            403,
            &json!({"type": "error", "error": {"message": "Your credentials lack one or more required privilege scopes.", "detail": {"granted": ["account"], "required": ["repository"]}}}),
        ),
        Fault::RateLimited { retry_after } => rate_limited(*retry_after),
        Fault::PrimaryRateLimit => rate_limited(None),
        Fault::SecondaryRateLimit { retry_after } => rate_limited(Some(*retry_after)),
        Fault::ServerError { status } => error(*status, "Something went wrong"),
        _ => error(500, "Something went wrong"),
    }
}

fn rate_limited(retry_after: Option<u64>) -> SimResponse {
    let r = error(429, "Rate limit for this resource has been exceeded");
    match retry_after {
        Some(s) => r.header("retry-after", s.to_string()),
        None => r,
    }
}

// ---- JSON -------------------------------------------------------------------------

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

fn href(url: String) -> Value {
    json!({ "href": url })
}

fn account_json(req: &SimRequest, u: &User) -> Value {
    let b = req.api_base();
    let uuid = u.bitbucket_uuid();
    json!({
        "display_name": u.display_name(),
        "links": {
            "self": href(format!("{b}/users/{uuid}")),
            "avatar": href(u.avatar_url.clone().unwrap_or_else(|| format!("{}/account/{}/avatar/", req.origin, u.login))),
            "repositories": href(format!("{b}/repositories/{uuid}")),
            "snippets": href(format!("{b}/snippets/{uuid}")),
            "html": href(format!("{}/{uuid}/", req.origin)),
            "hooks": href(format!("{b}/workspaces/{uuid}/hooks"))
        },
        "created_on": ts(u.created()), "type": "user", "uuid": uuid, "has_2fa_enabled": null,
        "username": u.login, "is_staff": false,
        "account_id": u.account_id.clone().unwrap_or_else(|| format!("557058:{}", crate::world::hex_id(u.id, 24))),
        "nickname": u.login, "account_status": "active", "location": null
    })
}

/// A workspace as the simulator knows it: an org, or a user's personal workspace.
struct Ws {
    slug: String,
    name: String,
    uuid: String,
    private: bool,
    /// Access level of the caller (50 = administrator), None = not a member.
    access: Option<u32>,
}

fn workspace(env: &Env, slug: &str, login: &str) -> Option<Ws> {
    if let Some(o) = env.pw.org(slug) {
        return Some(Ws {
            slug: o.login.clone(),
            name: o.display_name().to_string(),
            uuid: o.bitbucket_uuid(),
            private: o.visibility() != "public",
            access: env.pw.direct_access(o, login),
        });
    }
    env.pw.user(slug).map(|u| Ws {
        slug: u.login.clone(),
        name: u.display_name().to_string(),
        uuid: u.bitbucket_uuid(),
        private: false,
        access: (u.login == login).then_some(50),
    })
}

fn workspace_base(req: &SimRequest, w: &Ws) -> Value {
    json!({
        "links": {
            "avatar": href(format!("{}/workspaces/{}/avatar/", req.origin, w.slug)),
            "self": href(format!("{}/workspaces/{}", req.api_base(), w.slug))
        },
        "slug": w.slug, "type": "workspace_base", "uuid": w.uuid
    })
}

fn workspace_full(req: &SimRequest, w: &Ws) -> Value {
    let b = req.api_base();
    json!({
        "type": "workspace", "uuid": w.uuid, "name": w.name, "slug": w.slug, "is_private": w.private,
        "is_privacy_enforced": false,
        "links": {
            "avatar": href(format!("{}/workspaces/{}/avatar/", req.origin, w.slug)),
            "html": href(format!("{}/{}/", req.origin, w.slug)),
            "members": href(format!("{b}/workspaces/{}/members", w.slug)),
            "owners": href(format!("{b}/workspaces/{}/members?q=permission%3D%22owner%22", w.slug)),
            "projects": href(format!("{b}/workspaces/{}/projects", w.slug)),
            "repositories": href(format!("{b}/repositories/{}", w.slug)),
            "snippets": href(format!("{b}/snippets/{}", w.slug)),
            "self": href(format!("{b}/workspaces/{}", w.slug))
        },
        "created_on": ts(base_time())
    })
}

fn repo_json(env: &Env, req: &SimRequest, r: &Repo, w: &Ws) -> Value {
    let b = req.api_base();
    let full = r.full_name();
    let host = req.ssh_host();
    let api = format!("{b}/repositories/{full}");
    let owner = match env.pw.user(&r.owner) {
        Some(u) => {
            json!({"display_name": u.display_name(), "links": {"self": href(format!("{b}/users/{}", u.bitbucket_uuid()))}, "type": "user", "uuid": u.bitbucket_uuid(), "account_id": u.account_id, "nickname": u.login})
        }
        None => {
            json!({"display_name": w.name, "links": {"self": href(format!("{b}/workspaces/{}", w.slug))}, "type": "team", "uuid": w.uuid, "username": w.slug})
        }
    };
    json!({
        "type": "repository", "full_name": full,
        "links": {
            "self": href(api.clone()), "html": href(format!("{}/{full}", req.origin)),
            "avatar": href(format!("{}/{full}/avatar/32/", req.origin)),
            "pullrequests": href(format!("{api}/pullrequests")), "commits": href(format!("{api}/commits")),
            "forks": href(format!("{api}/forks")), "watchers": href(format!("{api}/watchers")),
            "branches": href(format!("{api}/refs/branches")), "tags": href(format!("{api}/refs/tags")),
            "downloads": href(format!("{api}/downloads")), "source": href(format!("{api}/src")),
            "clone": [
                {"name": "https", "href": format!("{}/{full}.git", req.origin)},
                {"name": "ssh", "href": format!("git@{host}:{full}.git")}
            ],
            "hooks": href(format!("{api}/hooks"))
        },
        "name": r.name, "slug": r.name, "description": r.description.clone().unwrap_or_default(), "scm": "git",
        "website": null, "owner": owner,
        "workspace": {"type": "workspace", "uuid": w.uuid, "name": w.name, "slug": w.slug,
            "links": {"avatar": href(format!("{}/workspaces/{}/avatar/", req.origin, w.slug)), "html": href(format!("{}/{}/", req.origin, w.slug)), "self": href(format!("{b}/workspaces/{}", w.slug))}},
        "is_private": r.private,
        "project": {"type": "project", "key": "PROJ", "uuid": crate::world::uuid_for(r.id ^ 0xabc), "name": "Default project",
            "links": {"self": href(format!("{b}/workspaces/{}/projects/PROJ", w.slug))}},
        "fork_policy": if r.private { "no_public_forks" } else { "allow_forks" },
        "created_on": ts(r.created()), "updated_on": ts(r.updated()), "size": 0, "language": "",
        "uuid": crate::world::uuid_for(r.id), "mainbranch": {"name": r.branch(), "type": "branch"},
        "override_settings": {"default_merge_strategy": true, "branching_model": true},
        "parent": null, "enforced_signed_commits": null, "has_issues": false, "has_wiki": false
    })
}

// ---- pagination -------------------------------------------------------------------

pub(crate) fn page(req: &SimRequest) -> Page {
    paginate::page_params(req, "page", "pagelen", 10, 100)
}

/// The paginated envelope: `pagelen`, `size`, `page`, `values`, `next`, `previous`.
pub(crate) fn envelope(req: &SimRequest, items: Vec<Value>, p: Page) -> SimResponse {
    let total = items.len();
    let mut body =
        json!({"pagelen": p.per_page, "size": total, "page": p.page, "values": p.slice(&items)});
    if let Some(o) = body.as_object_mut() {
        if p.has_next(total) {
            o.insert(
                "next".into(),
                json!(req.url_with("page", &(p.page + 1).to_string())),
            );
        }
        if p.page > 1 {
            o.insert(
                "previous".into(),
                json!(req.url_with("page", &(p.page - 1).to_string())),
            );
        }
    }
    SimResponse::json(200, &body)
}

// ---- endpoints --------------------------------------------------------------------

fn emails(req: &SimRequest, c: Caller) -> SimResponse {
    let items = c
        .user
        .email
        .iter()
        .map(|e| json!({"is_primary": true, "is_confirmed": true, "type": "email", "email": e, "links": {"self": href(format!("{}/user/emails/{e}", req.api_base()))}}))
        .collect();
    envelope(req, items, page(req))
}

fn workspaces(env: &Env, req: &SimRequest, c: Caller) -> SimResponse {
    let me = &c.user.login;
    let mut list: Vec<Ws> = Vec::new();
    if env.pw.org(me).is_none() {
        if let Some(w) = workspace(env, me, me) {
            list.push(w);
        }
    }
    for o in env
        .pw
        .orgs
        .iter()
        .filter(|o| env.pw.direct_access(o, me).is_some())
    {
        if let Some(w) = workspace(env, &o.login, me) {
            list.push(w);
        }
    }
    if let Some(admin) = req.q_bool("administrator") {
        list.retain(|w| (w.access.unwrap_or(0) >= 50) == admin);
    }
    if let Some(slug) = req.q("q").and_then(q_slug) {
        list.retain(|w| w.slug == slug);
    }
    match req.q("sort") {
        Some("-slug") => list.sort_by(|a, b| b.slug.cmp(&a.slug)),
        _ => list.sort_by(|a, b| a.slug.cmp(&b.slug)),
    }
    let items = list
        .iter()
        .map(|w| json!({"administrator": w.access.unwrap_or(0) >= 50, "type": "workspace_access", "workspace": workspace_base(req, w)}))
        .collect();
    envelope(req, items, page(req))
}

/// `slug="x"` (the only filter this simulator understands).
fn q_slug(q: &str) -> Option<String> {
    let (k, v) = q.split_once('=')?;
    (k.trim() == "slug").then(|| v.trim().trim_matches('"').to_string())
}

fn workspace_get(env: &Env, req: &SimRequest, c: Caller, slug: &str) -> SimResponse {
    match workspace(env, slug, &c.user.login).filter(|w| !w.private || w.access.is_some()) {
        Some(w) => SimResponse::json(200, &workspace_full(req, &w)),
        None => error(404, &format!("No workspace with identifier '{slug}'.")),
    }
}

fn visible(r: &Repo, w: &Ws) -> bool {
    !r.private || w.access.is_some()
}

fn repos(env: &Env, req: &SimRequest, c: Option<Caller>, slug: &str) -> SimResponse {
    let login = c.map(|c| c.user.login.as_str()).unwrap_or("");
    let Some(w) = workspace(env, slug, login) else {
        return error(404, &format!("No workspace with identifier '{slug}'."));
    };
    let role = req.q("role");
    let mut list: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| r.owner == w.slug && visible(r, &w))
        .filter(|_| match role {
            None => true,
            Some("member") => w.access.is_some(),
            Some("contributor") => w.access.is_some_and(|a| a >= 30),
            Some("admin") => w.access.is_some_and(|a| a >= 50),
            Some("owner") => w.slug == login,
            Some(_) => false,
        })
        .collect();
    let sort = req.q("sort").unwrap_or("created_on");
    let (desc, key) = match sort.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, sort),
    };
    match key {
        "name" | "slug" | "full_name" => list.sort_by_cached_key(|r| (r.name.to_lowercase(), r.id)),
        "updated_on" => list.sort_by_key(|r| (r.updated(), r.id)),
        _ => list.sort_by_key(|r| (r.created(), r.id)),
    }
    if desc {
        list.reverse();
    }
    let p = page(req);
    let start = (p.offset() as usize).min(list.len());
    let end = (start + p.per_page as usize).min(list.len());
    let mut items = vec![Value::Null; list.len()];
    for (i, r) in list[start..end].iter().enumerate() {
        items[start + i] = repo_json(env, req, r, &w);
    }
    envelope(req, items, p)
}

/// The repository `slug/name` and its workspace, if the caller can see it.
fn find_repo<'a>(
    env: &'a Env,
    c: Option<Caller>,
    slug: &str,
    name: &str,
) -> Option<(&'a Repo, Ws)> {
    let login = c.map(|c| c.user.login.as_str()).unwrap_or("");
    workspace(env, slug, login).and_then(|w| {
        env.pw
            .repos
            .iter()
            .find(|r| r.owner == w.slug && r.name == name && visible(r, &w))
            .map(|r| (r, w))
    })
}

fn repo_get(env: &Env, req: &SimRequest, c: Option<Caller>, slug: &str, name: &str) -> SimResponse {
    match find_repo(env, c, slug, name) {
        Some((r, w)) => SimResponse::json(200, &repo_json(env, req, r, &w)),
        None => error(404, &format!("Repository {slug}/{name} not found")),
    }
}

/// `…/refs`, `…/refs/branches[/{name}]`, `…/refs/tags[/{name}]` (`rest` = what follows `refs`).
fn refs_get(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    slug: &str,
    name: &str,
    rest: &[&str],
) -> SimResponse {
    use crate::refs::{self, Bbql};
    let Some((r, _)) = find_repo(env, c, slug, name) else {
        return error(404, &format!("Repository {slug}/{name} not found"));
    };
    let (mut list, what) = match rest.split_first() {
        None => (
            refs::branches(r).into_iter().chain(refs::tags(r)).collect(),
            "",
        ),
        Some((&"branches", _)) => (refs::branches(r), "Branch"),
        Some((&"tags", _)) => (refs::tags(r), "Tag"),
        Some(_) => return error(404, "Resource not found"),
    };
    if rest.len() > 1 {
        // One ref; its name may contain slashes.
        let wanted = rest[1..].join("/");
        return match list.into_iter().find(|g| g.name == wanted) {
            Some(g) => SimResponse::json(200, &ref_json(env, req, r, &g)),
            None => error(404, &format!("{what} \"{wanted}\" not found")),
        };
    }
    if let Some(q) = req.q("q") {
        match Bbql::parse(q) {
            Ok(f) => list.retain(|g| f.matches(&g.name)),
            Err(e) => {
                let body =
                    json!({"type": "error", "error": {"message": "Invalid query", "detail": e}});
                return SimResponse::json(400, &body);
            }
        }
    }
    match req.q("sort") {
        Some("name") => list.sort_by(|a, b| refs::natural_cmp(&a.name, &b.name)),
        Some("-name") => list.sort_by(|a, b| refs::natural_cmp(&b.name, &a.name)),
        _ => {}
    }
    let items = list.iter().map(|g| ref_json(env, req, r, g)).collect();
    envelope(req, items, page(req))
}

/// A `branch` or `tag` object with its `target` commit.
fn ref_json(env: &Env, req: &SimRequest, r: &Repo, g: &crate::refs::GitRef) -> Value {
    let k = crate::refs::commit(env.pw, r, &g.sha);
    let full = r.full_name();
    let (api, web) = (
        format!("{}/repositories/{full}", req.api_base()),
        format!("{}/{full}", req.origin),
    );
    let user = json!({"display_name": k.author.display_name(), "type": "user", "uuid": k.author.bitbucket_uuid(),
                      "nickname": k.author.login, "links": {"self": href(format!("{}/users/{}", req.api_base(), k.author.bitbucket_uuid()))}});
    let author = json!({"type": "author", "raw": format!("{} <{}>", k.author.display_name(), k.email), "user": user});
    let html = k
        .message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let target = json!({
        "type": "commit", "hash": k.sha, "date": ts(k.date), "author": author, "message": k.message,
        "summary": {"raw": k.message, "markup": "markdown", "html": format!("<p>{html}</p>")},
        "parents": [],
        "repository": {"type": "repository", "full_name": full, "name": r.name, "uuid": crate::world::uuid_for(r.id),
                       "links": {"self": href(api.clone()), "html": href(web.clone())}},
        "links": {"self": href(format!("{api}/commit/{}", k.sha)), "html": href(format!("{web}/commits/{}", k.sha)),
                  "diff": href(format!("{api}/diff/{}", k.sha)), "patch": href(format!("{api}/patch/{}", k.sha))}
    });
    let n = &g.name;
    match g.kind {
        crate::refs::RefKind::Branch => json!({
            "type": "branch", "name": n, "target": target,
            "links": {"self": href(format!("{api}/refs/branches/{n}")), "commits": href(format!("{api}/commits/{n}")),
                      "html": href(format!("{web}/branch/{n}"))},
            "merge_strategies": ["merge_commit", "squash", "fast_forward", "squash_fast_forward", "rebase_fast_forward", "rebase_merge"],
            "default_merge_strategy": "merge_commit"
        }),
        // Lightweight tags carry no message, date or tagger of their own.
        crate::refs::RefKind::Tag => json!({
            "type": "tag", "name": n, "target": target, "message": null, "date": null, "tagger": null,
            "links": {"self": href(format!("{api}/refs/tags/{n}")), "commits": href(format!("{api}/commits/{n}")),
                      "html": href(format!("{web}/commits/tag/{n}"))}
        }),
    }
}

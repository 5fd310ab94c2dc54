//! GitHub REST (api.github.com at `/`, GitHub Enterprise Server at `/api/v3`).
//!
//! Shapes: `github/rest-api-description` (`users/get-authenticated`,
//! `repos/list-for-authenticated-user`, `orgs/list-for-authenticated-user`,
//! `repos/list-for-org`, `repos/get`, `repos/get-commit` (`GET /repos/{owner}/{repo}/commits/{ref}`
//! with `heads/B`, `tags/T`, a bare name or a SHA; an unknown ref → 422 "No commit found for
//! SHA: …"), `/credentials/revoke`, `/applications/{client_id}/token`);
//! headers and errors: docs.github.com "Scopes for OAuth apps", "Troubleshooting the REST
//! API", "Rate limits for the REST API", "Authenticating to the REST API" (SAML SSO),
//! "About OAuth App access restrictions". See README.md for the per-item sources.

use crate::auth::{self, Caller, Cred, Lookup};
use crate::faults::Fault;
use crate::http::SimRequest;
use crate::http::SimResponse;
use crate::paginate::{self, Page};
use crate::provider::Provider;
use crate::server::{Effect, Env};
use crate::world::{iso, Org, Repo, TokenKind};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

const DOCS: &str = "https://docs.github.com/rest";
const API_VERSIONS: [&str; 2] = ["2022-11-28", "2026-03-10"];
const ORG_SCOPES: [&str; 4] = ["read:org", "user", "admin:org", "write:org"];

/// The answer to one authenticated-or-not request, before the common headers.
struct Out {
    resp: SimResponse,
    accepted: &'static str,
}

fn out(resp: SimResponse, accepted: &'static str) -> Out {
    Out { resp, accepted }
}

pub fn handle(env: &Env, req: &SimRequest) -> SimResponse {
    // OAuth web and device flows at the host root (github.com / GHES `https://HOST/login/...`),
    // before bearer auth: /login/oauth/authorize, /login/oauth/access_token, /login/device/code.
    if let Some(resp) = crate::oauth::handle(env, req, Provider::Github) {
        return resp;
    }
    let segs = req.seg_strs();
    let m = req.method.as_str();

    // Endpoints that authenticate differently (or not at all).
    match (m, segs.as_slice()) {
        ("POST", ["credentials", "revoke"]) => return credentials_revoke(env, req),
        ("DELETE", ["applications", client_id, "token"]) => {
            return app_token_delete(env, req, client_id)
        }
        _ => {}
    }

    let caller = match authenticate(env, req) {
        Ok(c) => c,
        Err(resp) => return resp,
    };

    let (key, limit, uid) = match caller {
        Some(c) => (c.user.login.as_str(), rate_limit(env), c.user.id),
        None => ("anonymous", 60, 0),
    };
    // `GET /rate_limit` does not count against the primary limit.
    let counts = segs.as_slice() != ["rate_limit"];
    let (used, reset) = env.shared.count_use(Provider::Github, key, env.now, counts);
    if counts && used > limit {
        return primary_rate_limit(req, uid, limit, reset);
    }
    let o = route(env, req, caller, &segs);
    decorate(o, env, req, caller, limit, used, reset)
}

fn rate_limit(env: &Env) -> u64 {
    env.pw.settings.rate_limit.unwrap_or(5000)
}

/// Ok(None) = anonymous; Err = a 401 already built.
fn authenticate<'a>(env: &'a Env, req: &SimRequest) -> Result<Option<Caller<'a>>, SimResponse> {
    let secret = match auth::authorization(req) {
        None => return Ok(None),
        Some(Cred::Bearer(t)) | Some(Cred::Token(t)) => t,
        Some(Cred::Basic(_, p)) => p,
        Some(Cred::Malformed) => return Err(bad_credentials(req)),
    };
    match auth::lookup(env.pw, &secret, env.now) {
        Lookup::Valid(token, user) => Ok(Some(Caller { token, user })),
        _ => Err(bad_credentials(req)),
    }
}

fn route(env: &Env, req: &SimRequest, c: Option<Caller>, segs: &[&str]) -> Out {
    let m = req.method.as_str();
    match (m, segs) {
        ("GET", ["user"]) => with_user(req, c, "", |c| {
            out(SimResponse::json(200, &user_json(req, c)), "")
        }),
        ("GET", ["user", "emails"]) => with_user(req, c, "user", |c| user_emails(req, c)),
        ("GET", ["user", "orgs"]) => {
            with_user(req, c, "admin:org, read:org, repo, user, write:org", |c| {
                user_orgs(env, req, c)
            })
        }
        ("GET", ["user", "repos"]) => with_user(req, c, "", |c| user_repos(env, req, c)),
        ("GET", ["orgs", org]) => org_get(env, req, c, org),
        ("GET", ["orgs", org, "repos"]) => org_repos(env, req, c, org),
        ("GET", ["repos", owner, name]) => repo_get(env, req, c, owner, name),
        // `repos/get-commit`: the ref may span segments (`heads/feature/x`).
        ("GET", ["repos", owner, name, "commits", r @ ..]) if !r.is_empty() => {
            commit_get(env, req, c, owner, name, &r.join("/"))
        }
        ("GET", ["rate_limit"]) => out(SimResponse::json(200, &json!({})), ""),
        // Repository webhooks (see `hooks::github`).
        (_, ["repos", owner, name, "hooks", rest @ ..]) => {
            let (resp, accepted) = crate::hooks::github::route(env, req, c, owner, name, rest);
            out(resp, accepted)
        }
        _ => out(not_found(), ""),
    }
}

fn with_user<'a>(
    req: &SimRequest,
    c: Option<Caller<'a>>,
    accepted: &'static str,
    f: impl FnOnce(Caller<'a>) -> Out,
) -> Out {
    match c {
        Some(c) => f(c),
        None => out(requires_authentication(req), accepted),
    }
}

/// Adds the headers every GitHub API response carries.
fn decorate(
    o: Out,
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    limit: u64,
    used: u64,
    reset: DateTime<Utc>,
) -> SimResponse {
    let mut resp = o.resp;
    if req.segs.first().map(String::as_str) == Some("rate_limit") && resp.status == 200 {
        let used = used.min(limit);
        let core = json!({"limit": limit, "used": used, "remaining": limit - used, "reset": reset.timestamp(), "resource": "core"});
        resp = SimResponse::json(200, &json!({"resources": {"core": core}, "rate": core}));
    }
    let version = req
        .header("x-github-api-version")
        .filter(|v| API_VERSIONS.contains(v))
        .unwrap_or(API_VERSIONS[0])
        .to_string();
    resp = resp
        .header("x-github-media-type", "github.v3; format=json")
        .header("x-github-api-version-selected", version)
        .header("x-github-request-id", request_id())
        .header("x-ratelimit-limit", limit.to_string())
        .header(
            "x-ratelimit-remaining",
            limit.saturating_sub(used).to_string(),
        )
        .header("x-ratelimit-reset", reset.timestamp().to_string())
        .header("x-ratelimit-used", used.to_string())
        .header("x-ratelimit-resource", "core");
    if req.prefix == "/api/v3" {
        let v = env
            .pw
            .settings
            .version
            .clone()
            .unwrap_or_else(|| "3.17.0".to_string());
        resp = resp.header("x-github-enterprise-version", v);
    }
    if let Some(c) = c {
        if sends_scopes(c.token.kind) {
            resp = resp
                .header("x-oauth-scopes", auth::scope_header(&c.token.scopes))
                .header("x-accepted-oauth-scopes", o.accepted);
        }
        if let Some(exp) = c.token.expires_at {
            if matches!(
                c.token.kind,
                TokenKind::Classic | TokenKind::Personal | TokenKind::FineGrained
            ) {
                resp = resp.header(
                    "github-authentication-token-expiration",
                    exp.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                );
            }
        }
    }
    resp
}

/// Classic PATs and OAuth-app tokens carry `X-OAuth-Scopes`; fine-grained and app tokens don't.
fn sends_scopes(k: TokenKind) -> bool {
    matches!(
        k,
        TokenKind::Classic | TokenKind::Personal | TokenKind::Oauth
    )
}

fn request_id() -> String {
    let u = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!(
        "{}:{}:{}:{}:{}",
        &u[0..4],
        &u[4..9],
        &u[9..15],
        &u[15..22],
        &u[22..30]
    )
}

fn err(status: u16, message: &str, doc: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({"message": message, "documentation_url": doc, "status": status.to_string()}),
    )
}

pub fn bad_credentials(_req: &SimRequest) -> SimResponse {
    err(401, "Bad credentials", DOCS)
        .header("x-github-media-type", "github.v3; format=json")
        .header("x-github-request-id", request_id())
}

fn requires_authentication(_req: &SimRequest) -> SimResponse {
    err(
        401,
        "Requires authentication",
        "https://docs.github.com/rest/users/users#get-the-authenticated-user",
    )
}

fn not_found() -> SimResponse {
    err(404, "Not Found", DOCS)
}

fn primary_rate_limit(
    _req: &SimRequest,
    user_id: u64,
    limit: u64,
    reset: DateTime<Utc>,
) -> SimResponse {
    let msg = if user_id > 0 {
        format!("API rate limit exceeded for user ID {user_id}. If you reach out to GitHub Support for help, please include the request ID {}.", request_id())
    } else {
        "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)".to_string()
    };
    err(
        403,
        &msg,
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    )
    .header("x-ratelimit-limit", limit.to_string())
    .header("x-ratelimit-remaining", "0")
    .header("x-ratelimit-used", limit.to_string())
    .header("x-ratelimit-reset", reset.timestamp().to_string())
    .header("x-ratelimit-resource", "core")
    .header("x-github-request-id", request_id())
}

fn secondary_rate_limit(status: u16, retry_after: Option<u64>) -> SimResponse {
    let msg = format!(
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID {}.",
        request_id()
    );
    let mut r = err(status, &msg, "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits");
    if let Some(s) = retry_after {
        r = r.header("retry-after", s.to_string());
    }
    r.header("x-github-request-id", request_id())
}

/// 403 for an org with SAML SSO the token is not authorized for.
fn sso_required(req: &SimRequest, org: &str, kind: TokenKind) -> SimResponse {
    let who = if kind == TokenKind::Oauth {
        "OAuth token"
    } else {
        "Personal Access token"
    };
    let msg = format!("Resource protected by organization SAML enforcement. You must grant your {who} access to this organization.");
    let url = format!(
        "{}/orgs/{org}/sso?authorization_request={}",
        req.origin,
        uuid::Uuid::new_v4().simple()
    );
    err(403, &msg, "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/")
        .header("x-github-sso", format!("required; url={url}"))
}

/// 403 for an org that restricts OAuth apps (OAuth tokens only).
fn oauth_restricted(org: &str) -> SimResponse {
    let msg = format!(
        "Although you appear to have the correct authorization credentials, the `{org}` organization has enabled OAuth App access restrictions, meaning that data access to third-parties is limited. For more information on these restrictions, including how to enable this app, visit https://docs.github.com/articles/restricting-access-to-your-organization-s-data/"
    );
    err(403, &msg, DOCS)
}

/// Renders an injected fault in GitHub's shape.
pub fn fault(f: &Fault, req: &SimRequest) -> SimResponse {
    let org = match req.seg_strs().as_slice() {
        ["orgs", o, ..] | ["repos", o, ..] => o.to_string(),
        _ => "acme".to_string(),
    };
    match f {
        Fault::Unauthorized => bad_credentials(req),
        Fault::MissingScope => err(
            403,
            "Resource not accessible by personal access token",
            DOCS,
        )
        .header("x-accepted-oauth-scopes", "repo")
        .header("x-accepted-github-permissions", "contents=read"),
        Fault::SsoRequired => sso_required(req, &org, TokenKind::Classic),
        Fault::OrgRestricted => oauth_restricted(&org),
        Fault::RateLimited { retry_after } => secondary_rate_limit(429, *retry_after),
        Fault::SecondaryRateLimit { retry_after } => secondary_rate_limit(403, Some(*retry_after)),
        Fault::PrimaryRateLimit => {
            primary_rate_limit(req, 1, 5000, Utc::now() + chrono::Duration::minutes(30))
        }
        Fault::ServerError { status } => err(*status, "Server Error", DOCS),
        _ => err(500, "Server Error", DOCS),
    }
}

// ---- visibility rules -------------------------------------------------------------

fn is_member(org: &Org, login: &str) -> bool {
    org.members.iter().any(|m| m.login == login)
}

fn sso_blocks(org: &Org, c: &Caller) -> bool {
    org.sso_required && sends_scopes(c.token.kind)
}

fn oauth_blocks(org: &Org, c: &Caller) -> bool {
    org.oauth_restricted && c.token.kind == TokenKind::Oauth
}

/// Can this caller see this private repo's contents at all (scope/permission wise)?
fn private_allowed(c: &Caller, owner: &str) -> bool {
    match c.token.kind {
        TokenKind::FineGrained | TokenKind::App => {
            c.token.resource_owner.as_deref().unwrap_or(&c.user.login) == owner
        }
        _ => c.token.has_scope("repo"),
    }
}

/// Whether the repo is visible to the caller (None = anonymous).
pub(crate) fn can_see(env: &Env, c: Option<&Caller>, r: &Repo) -> bool {
    if !r.private {
        return true;
    }
    let Some(c) = c else { return false };
    let related = r.owner == c.user.login
        || env
            .pw
            .org(&r.owner)
            .is_some_and(|o| is_member(o, &c.user.login));
    related && private_allowed(c, &r.owner)
}

// ---- JSON shapes ------------------------------------------------------------------

fn base(req: &SimRequest) -> String {
    req.api_base()
}

fn avatar(req: &SimRequest, id: u64, explicit: Option<&String>) -> String {
    explicit
        .cloned()
        .unwrap_or_else(|| format!("{}/avatars/u/{id}?v=4", req.origin))
}

fn simple_owner(req: &SimRequest, login: &str, id: u64, kind: &str, avatar_url: String) -> Value {
    let b = base(req);
    let path = if kind == "Organization" {
        "orgs"
    } else {
        "users"
    };
    json!({
        "login": login, "id": id, "node_id": node_id(if kind == "Organization" { "O_kgDO" } else { "U_kgDO" }, id),
        "avatar_url": avatar_url, "gravatar_id": "",
        "url": format!("{b}/users/{login}"), "html_url": format!("{}/{login}", req.origin),
        "repos_url": format!("{b}/{path}/{login}/repos"),
        "type": kind, "site_admin": false, "user_view_type": "public"
    })
}

fn node_id(prefix: &str, id: u64) -> String {
    format!("{prefix}{id:08X}")
}

fn user_json(req: &SimRequest, c: Caller) -> Value {
    let u = c.user;
    let b = base(req);
    let private = match c.token.kind {
        TokenKind::FineGrained | TokenKind::App => true,
        _ => c.token.has_any(&["user", "read:user"]),
    };
    let mut v = json!({
        "login": u.login, "id": u.id, "node_id": node_id("U_kgDO", u.id),
        "avatar_url": avatar(req, u.id, u.avatar_url.as_ref()), "gravatar_id": "",
        "url": format!("{b}/users/{}", u.login), "html_url": format!("{}/{}", req.origin, u.login),
        "repos_url": format!("{b}/users/{}/repos", u.login),
        "organizations_url": format!("{b}/users/{}/orgs", u.login),
        "type": "User", "site_admin": false,
        "name": u.name, "company": null, "blog": "", "location": null, "email": u.email,
        "hireable": null, "bio": null, "twitter_username": null,
        "public_repos": 0, "public_gists": 0, "followers": 0, "following": 0,
        "created_at": iso(u.created()), "updated_at": iso(u.created()),
        "user_view_type": if private { "private" } else { "public" }
    });
    if private {
        if let Some(o) = v.as_object_mut() {
            o.insert("private_gists".into(), json!(0));
            o.insert("total_private_repos".into(), json!(0));
            o.insert("owned_private_repos".into(), json!(0));
            o.insert("disk_usage".into(), json!(0));
            o.insert("collaborators".into(), json!(0));
            o.insert("two_factor_authentication".into(), json!(true));
            o.insert("plan".into(), json!({"name": "free", "space": 976562499, "collaborators": 0, "private_repos": 10000}));
        }
    }
    v
}

fn owner_of(env: &Env, req: &SimRequest, login: &str) -> Value {
    if let Some(o) = env.pw.org(login) {
        simple_owner(
            req,
            &o.login,
            o.id,
            "Organization",
            format!("{}/avatars/u/{}?v=4", req.origin, o.id),
        )
    } else if let Some(u) = env.pw.user(login) {
        simple_owner(
            req,
            &u.login,
            u.id,
            "User",
            avatar(req, u.id, u.avatar_url.as_ref()),
        )
    } else {
        simple_owner(
            req,
            login,
            0,
            "User",
            format!("{}/avatars/u/0?v=4", req.origin),
        )
    }
}

/// Repository JSON for a page of repos, building each owner object once.
fn repos_json(env: &Env, req: &SimRequest, c: Option<&Caller>, repos: &[&Repo]) -> Vec<Value> {
    let mut owners: std::collections::HashMap<&str, Value> = std::collections::HashMap::new();
    repos
        .iter()
        .map(|r| {
            let owner = owners
                .entry(r.owner.as_str())
                .or_insert_with(|| owner_of(env, req, &r.owner))
                .clone();
            repo_json(env, req, c, r, owner)
        })
        .collect()
}

fn repo_json(env: &Env, req: &SimRequest, c: Option<&Caller>, r: &Repo, owner: Value) -> Value {
    let b = base(req);
    let full = r.full_name();
    let host = req.ssh_host();
    let admin = c.is_some_and(|c| {
        r.owner == c.user.login
            || env.pw.org(&r.owner).is_some_and(|o| {
                o.members
                    .iter()
                    .any(|m| m.login == c.user.login && m.access_level >= 50)
            })
    });
    let member = c.is_some_and(|c| {
        r.owner == c.user.login
            || env
                .pw
                .org(&r.owner)
                .is_some_and(|o| is_member(o, &c.user.login))
    });
    json!({
        "id": r.id, "node_id": node_id("R_kgDO", r.id), "name": r.name, "full_name": full,
        "private": r.private, "owner": owner,
        "html_url": format!("{}/{full}", req.origin), "description": r.description, "fork": false,
        "url": format!("{b}/repos/{full}"), "hooks_url": format!("{b}/repos/{full}/hooks"),
        "created_at": iso(r.created()), "updated_at": iso(r.updated()), "pushed_at": iso(r.updated()),
        "git_url": format!("git://{host}/{full}.git"), "ssh_url": format!("git@{host}:{full}.git"),
        "clone_url": format!("{}/{full}.git", req.origin), "homepage": null, "size": 0,
        "stargazers_count": 0, "watchers_count": 0, "language": null, "has_issues": true,
        "forks_count": 0, "archived": r.archived, "disabled": false, "open_issues_count": 0,
        "license": null, "allow_forking": true, "is_template": false, "topics": [],
        "visibility": if r.private { "private" } else { "public" },
        "forks": 0, "open_issues": 0, "watchers": 0, "default_branch": r.branch(),
        "permissions": {"admin": admin, "maintain": admin, "push": member, "triage": member, "pull": true}
    })
}

fn org_simple(req: &SimRequest, o: &Org) -> Value {
    let b = base(req);
    let l = &o.login;
    json!({
        "login": l, "id": o.id, "node_id": node_id("O_kgDO", o.id),
        "url": format!("{b}/orgs/{l}"), "repos_url": format!("{b}/orgs/{l}/repos"),
        "events_url": format!("{b}/orgs/{l}/events"), "hooks_url": format!("{b}/orgs/{l}/hooks"),
        "issues_url": format!("{b}/orgs/{l}/issues"), "members_url": format!("{b}/orgs/{l}/members{{/member}}"),
        "public_members_url": format!("{b}/orgs/{l}/public_members{{/member}}"),
        "avatar_url": format!("{}/avatars/u/{}?v=4", req.origin, o.id), "description": o.description
    })
}

// ---- endpoints --------------------------------------------------------------------

fn user_emails(req: &SimRequest, c: Caller) -> Out {
    if sends_scopes(c.token.kind) && !c.token.has_any(&["user", "user:email"]) {
        return out(not_found(), "user");
    }
    let emails: Vec<Value> = c
        .user
        .email
        .iter()
        .map(|e| json!({"email": e, "primary": true, "verified": true, "visibility": "private"}))
        .collect();
    let _ = req;
    out(SimResponse::json(200, &Value::Array(emails)), "user")
}

fn paged(req: &SimRequest, items: &[Value], p: Page) -> SimResponse {
    let rels = paginate::standard_rels(&p, items.len(), &["prev", "next", "last", "first"], true);
    let body = Value::Array(p.slice(items).to_vec());
    let mut resp = SimResponse::json(200, &body);
    if let Some(link) = paginate::link_header(req, "page", &rels) {
        resp = resp.header("link", link);
    }
    resp
}

fn user_orgs(env: &Env, req: &SimRequest, c: Caller) -> Out {
    const ACCEPTED: &str = "admin:org, read:org, repo, user, write:org";
    if matches!(c.token.kind, TokenKind::FineGrained) {
        return out(SimResponse::json(200, &json!([])), ACCEPTED);
    }
    if sends_scopes(c.token.kind) && !c.token.has_any(&ORG_SCOPES) {
        return out(
            err(403, "You need at least read:org scope or user scope to list your organizations.", "https://docs.github.com/rest/orgs/orgs#list-organizations-for-the-authenticated-user"),
            ACCEPTED,
        );
    }
    let mut hidden = Vec::new();
    let orgs: Vec<Value> = env
        .pw
        .orgs
        .iter()
        .filter(|o| is_member(o, &c.user.login))
        .filter(|o| {
            if sso_blocks(o, &c) {
                hidden.push(o.id.to_string());
                false
            } else {
                true
            }
        })
        .map(|o| org_simple(req, o))
        .collect();
    let p = paginate::page_params(req, "page", "per_page", 30, 100);
    let mut resp = paged(req, &orgs, p);
    if !hidden.is_empty() {
        resp = resp.header(
            "x-github-sso",
            format!("partial-results; organizations={}", hidden.join(",")),
        );
    }
    out(resp, ACCEPTED)
}

fn validation_failed(field: &str) -> SimResponse {
    SimResponse::json(
        422,
        &json!({"message": "Validation Failed", "errors": [{"resource": "Search", "field": field, "code": "invalid"}], "documentation_url": "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user", "status": "422"}),
    )
}

fn sort_repos(req: &SimRequest, repos: &mut Vec<&Repo>, default_sort: &str) {
    let sort = req.q("sort").unwrap_or(default_sort);
    let default_dir = if sort == "full_name" { "asc" } else { "desc" };
    let asc = req.q("direction").unwrap_or(default_dir) == "asc";
    match sort {
        "created" => repos.sort_by_key(|r| (r.created(), r.id)),
        "updated" | "pushed" => repos.sort_by_key(|r| (r.updated(), r.id)),
        _ => repos.sort_by_cached_key(|r| r.sort_key()),
    }
    if !asc {
        repos.reverse();
    }
}

fn user_repos(env: &Env, req: &SimRequest, c: Caller) -> Out {
    let ty = req.q("type");
    if ty.is_some() && (req.q("visibility").is_some() || req.q("affiliation").is_some()) {
        return out(validation_failed("type"), "");
    }
    let (affiliation, visibility): (Vec<String>, String) = match ty {
        Some("owner") => (vec!["owner".into()], "all".into()),
        Some("member") => (
            vec!["collaborator".into(), "organization_member".into()],
            "all".into(),
        ),
        Some("public") => (
            vec![
                "owner".into(),
                "collaborator".into(),
                "organization_member".into(),
            ],
            "public".into(),
        ),
        Some("private") => (
            vec![
                "owner".into(),
                "collaborator".into(),
                "organization_member".into(),
            ],
            "private".into(),
        ),
        _ => (
            req.q("affiliation")
                .unwrap_or("owner,collaborator,organization_member")
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            req.q("visibility").unwrap_or("all").to_string(),
        ),
    };
    if !matches!(visibility.as_str(), "all" | "public" | "private") {
        return out(validation_failed("visibility"), "");
    }
    let me = &c.user.login;
    let mut hidden = Vec::new();
    for o in env
        .pw
        .orgs
        .iter()
        .filter(|o| is_member(o, me) && sso_blocks(o, &c))
    {
        hidden.push(o.id.to_string());
    }
    let mut repos: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| {
            if r.owner == *me {
                return affiliation.iter().any(|a| a == "owner");
            }
            match env.pw.org(&r.owner) {
                Some(o) if is_member(o, me) => {
                    affiliation.iter().any(|a| a == "organization_member")
                        && !sso_blocks(o, &c)
                        && !(r.private && oauth_blocks(o, &c))
                }
                _ => false,
            }
        })
        .filter(|r| can_see(env, Some(&c), r))
        .filter(|r| match visibility.as_str() {
            "public" => !r.private,
            "private" => r.private,
            _ => true,
        })
        .collect();
    sort_repos(req, &mut repos, "full_name");
    let p = paginate::page_params(req, "page", "per_page", 30, 100);
    let items = repos_json(env, req, Some(&c), p.slice(&repos));
    let rels = paginate::standard_rels(&p, repos.len(), &["prev", "next", "last", "first"], true);
    let mut resp = SimResponse::json(200, &Value::Array(items));
    if let Some(link) = paginate::link_header(req, "page", &rels) {
        resp = resp.header("link", link);
    }
    if !hidden.is_empty() {
        resp = resp.header(
            "x-github-sso",
            format!("partial-results; organizations={}", hidden.join(",")),
        );
    }
    out(resp, "")
}

/// Applies the org-level blocks for a direct org request.
pub(crate) fn org_gate(
    env: &Env,
    req: &SimRequest,
    c: Option<&Caller>,
    org: &Org,
    touches_private: bool,
) -> Option<SimResponse> {
    let c = c?;
    if !is_member(org, &c.user.login) {
        return None;
    }
    if sso_blocks(org, c) {
        return Some(sso_required(req, &org.login, c.token.kind));
    }
    if oauth_blocks(org, c) && touches_private {
        return Some(oauth_restricted(&org.login));
    }
    let _ = env;
    None
}

fn org_get(env: &Env, req: &SimRequest, c: Option<Caller>, login: &str) -> Out {
    let Some(o) = env.pw.org(login) else {
        return out(not_found(), "");
    };
    if let Some(r) = org_gate(env, req, c.as_ref(), o, true) {
        return out(r, "");
    }
    let mut v = org_simple(req, o);
    if let Some(m) = v.as_object_mut() {
        m.insert("name".into(), json!(o.display_name()));
        m.insert(
            "html_url".into(),
            json!(format!("{}/{}", req.origin, o.login)),
        );
        m.insert("type".into(), json!("Organization"));
        m.insert("created_at".into(), json!(iso(crate::world::base_time())));
    }
    out(SimResponse::json(200, &v), "")
}

fn org_repos(env: &Env, req: &SimRequest, c: Option<Caller>, login: &str) -> Out {
    let Some(o) = env.pw.org(login) else {
        return out(not_found(), "");
    };
    if let Some(r) = org_gate(env, req, c.as_ref(), o, true) {
        return out(r, "");
    }
    let ty = req.q("type").unwrap_or("all");
    let mut repos: Vec<&Repo> = env
        .pw
        .repos
        .iter()
        .filter(|r| r.owner == o.login)
        .filter(|r| can_see(env, c.as_ref(), r))
        .filter(|r| match ty {
            "public" => !r.private,
            "private" => r.private,
            "forks" => false,
            _ => true,
        })
        .collect();
    sort_repos(req, &mut repos, "created");
    let p = paginate::page_params(req, "page", "per_page", 30, 100);
    let items = repos_json(env, req, c.as_ref(), p.slice(&repos));
    let rels = paginate::standard_rels(&p, repos.len(), &["prev", "next", "last", "first"], true);
    let mut resp = SimResponse::json(200, &Value::Array(items));
    if let Some(link) = paginate::link_header(req, "page", &rels) {
        resp = resp.header("link", link);
    }
    out(resp, "")
}

/// The repository `owner/name` if the caller may read it; else the 404 (or the org's 403).
fn readable<'a>(
    env: &'a Env,
    req: &SimRequest,
    c: Option<&Caller>,
    owner: &str,
    name: &str,
) -> Result<&'a Repo, SimResponse> {
    let Some(r) = env
        .pw
        .repos
        .iter()
        .find(|r| r.owner == owner && r.name == name)
    else {
        return Err(not_found());
    };
    if let Some(o) = env.pw.org(owner) {
        if let Some(resp) = org_gate(env, req, c, o, r.private) {
            return Err(resp);
        }
    }
    if !can_see(env, c, r) {
        return Err(not_found());
    }
    Ok(r)
}

fn repo_get(env: &Env, req: &SimRequest, c: Option<Caller>, owner: &str, name: &str) -> Out {
    match readable(env, req, c.as_ref(), owner, name) {
        Ok(r) => out(
            SimResponse::json(
                200,
                &repo_json(env, req, c.as_ref(), r, owner_of(env, req, &r.owner)),
            ),
            "repo",
        ),
        Err(resp) => out(resp, "repo"),
    }
}

/// `repos/get-commit` for a ref (see `refs::resolve`); 422 when nothing matches.
fn commit_get(
    env: &Env,
    req: &SimRequest,
    c: Option<Caller>,
    owner: &str,
    name: &str,
    spec: &str,
) -> Out {
    let r = match readable(env, req, c.as_ref(), owner, name) {
        Ok(r) => r,
        Err(resp) => return out(resp, "repo"),
    };
    let Some(sha) = crate::refs::resolve(r, spec) else {
        return out(
            err(
                422,
                &format!("No commit found for SHA: {spec}"),
                "https://docs.github.com/rest/commits/commits#get-a-commit",
            ),
            "repo",
        );
    };
    let k = crate::refs::commit(env.pw, r, &sha);
    let (b, full) = (base(req), r.full_name());
    let person = json!({"name": k.author.display_name(), "email": k.email, "date": iso(k.date)});
    let user = env.pw.user(&k.author.login).map(|u| {
        simple_owner(
            req,
            &u.login,
            u.id,
            "User",
            avatar(req, u.id, u.avatar_url.as_ref()),
        )
    });
    let body = json!({
        "sha": k.sha, "node_id": format!("C_kwDO{:08X}{}", r.id, k.short(12)),
        "commit": {
            "url": format!("{b}/repos/{full}/git/commits/{}", k.sha),
            "author": person, "committer": person, "message": k.message,
            "tree": {"sha": k.tree, "url": format!("{b}/repos/{full}/git/trees/{}", k.tree)},
            "comment_count": 0,
            "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null}
        },
        "url": format!("{b}/repos/{full}/commits/{}", k.sha),
        "html_url": format!("{}/{full}/commit/{}", req.origin, k.sha),
        "comments_url": format!("{b}/repos/{full}/commits/{}/comments", k.sha),
        "author": user, "committer": user, "parents": [],
        "stats": {"total": 0, "additions": 0, "deletions": 0}, "files": []
    });
    out(SimResponse::json(200, &body), "repo")
}

/// `POST /credentials/revoke`: unauthenticated; 202 with `{}`.
fn credentials_revoke(env: &Env, req: &SimRequest) -> SimResponse {
    if req.header("authorization").is_some() {
        return err(
            403,
            "This endpoint must be called without authentication.",
            "https://docs.github.com/rest/credentials/revoke#revoke-a-list-of-credentials",
        );
    }
    let creds: Option<Vec<String>> = req
        .json()
        .and_then(|v| v.get("credentials").cloned())
        .and_then(|v| {
            v.as_array().map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
        });
    let Some(creds) = creds.filter(|c| !c.is_empty() && c.len() <= 1000) else {
        return SimResponse::json(
            422,
            &json!({"message": "Validation Failed", "errors": [{"resource": "Credentials", "field": "credentials", "code": "invalid"}], "documentation_url": "https://docs.github.com/rest/credentials/revoke#revoke-a-list-of-credentials", "status": "422"}),
        );
    };
    for c in creds {
        if env.pw.token(&c).is_some() {
            env.effect(Effect::RevokeToken(c));
        } else {
            // `ghr_` refresh tokens live with the OAuth state.
            crate::oauth::revoke_refresh_token(env, Provider::Github, &c);
        }
    }
    SimResponse::json(202, &json!({}))
}

/// `DELETE /applications/{client_id}/token`: Basic `client_id:client_secret`, body
/// `{"access_token": "..."}` → 204.
fn app_token_delete(env: &Env, req: &SimRequest, client_id: &str) -> SimResponse {
    let ok = matches!(auth::authorization(req), Some(Cred::Basic(u, p))
        if u == client_id && env.pw.apps.iter().any(|a| a.client_id == u && a.client_secret == p));
    if !ok {
        return not_found();
    }
    let Some(token) = req.json().and_then(|v| {
        v.get("access_token")
            .and_then(Value::as_str)
            .map(str::to_string)
    }) else {
        return SimResponse::json(
            422,
            &json!({"message": "Invalid request.\n\n\"access_token\" wasn't supplied.", "documentation_url": "https://docs.github.com/rest/apps/oauth-applications#delete-an-app-token", "status": "422"}),
        );
    };
    match env.pw.token(&token) {
        Some(t) if t.app.as_deref() == Some(client_id) => {
            env.effect(Effect::RevokeToken(token));
            SimResponse::new(204)
        }
        _ => not_found(),
    }
}

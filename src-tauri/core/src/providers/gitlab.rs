//! GitLab (gitlab.com and self-managed). REST API v4, `Authorization: Bearer` (works for personal
//! access tokens and OAuth tokens). Docs: doc/api/users.md, personal_access_tokens.md, groups.md,
//! projects.md, rest/_index.md (pagination headers).

use async_trait::async_trait;
use serde::Deserialize;

use super::classify::{check, json};
use super::paginate::{collect_all, fetch_all, with_param, Page};
use super::{api_base, checked_sha, encode_path, delete_gone_ok, Host, Identity, Provider, RemoteHook, RepoSink, Session};
use crate::vault::Secret;
use crate::error::{ErrorCode, Result};
use crate::model::{Org, OrgAccess, ProviderKind, Repo, RevokeOutcome, SourceType};
use crate::net::{ApiResponse, Auth};

pub struct GitLab;
const KIND: ProviderKind = ProviderKind::Gitlab;

#[derive(Deserialize)]
struct User {
    id: u64,
    username: String,
    name: Option<String>,
    avatar_url: Option<String>,
}

#[derive(Deserialize)]
struct TokenSelf {
    scopes: Vec<String>,
    expires_at: Option<String>,
}

#[derive(Deserialize)]
struct Group {
    id: u64,
    full_path: String,
    name: Option<String>,
    web_url: Option<String>,
}

#[derive(Deserialize)]
struct Namespace {
    kind: String,
    full_path: String,
}

#[derive(Deserialize)]
struct Project {
    id: u64,
    path_with_namespace: String,
    name: String,
    visibility: Option<String>,
    default_branch: Option<String>,
    web_url: String,
    http_url_to_repo: Option<String>,
    namespace: Option<Namespace>,
}

fn auth(s: &Session<'_>) -> Auth {
    Auth::Bearer(s.token.clone())
}

fn page<T: serde::de::DeserializeOwned>(r: &ApiResponse) -> Result<Page<T>> {
    let items = json(KIND, r)?;
    // x-total-pages is omitted for very large collections on GitLab.com; then follow x-next-page/Link.
    let total_pages = r.header_u64("x-total-pages").map(|n| n as u32);
    Ok(Page { items, total_pages, next: r.link("next") })
}

#[async_trait]
impl Provider for GitLab {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    async fn whoami(&self, s: &Session<'_>) -> Result<Identity> {
        let base = api_base(KIND, s.host);
        let a = auth(s);
        let (user_url, self_url) = (format!("{base}/user"), format!("{base}/personal_access_tokens/self"));
        let (user, token) = futures::join!(s.http.get(&user_url, &a, &[]), s.http.get(&self_url, &a, &[]));
        let user: User = json(KIND, &user?)?;
        // OAuth tokens are not personal access tokens: /self answers 401/404 and scopes stay unknown.
        let token = token?;
        let info: Option<TokenSelf> = match check(KIND, &token) {
            Ok(()) => Some(token.json()?),
            Err(e) if matches!(e.code, ErrorCode::NotFound | ErrorCode::ProviderUnauthorized | ErrorCode::ProviderForbidden | ErrorCode::InsufficientScope) => None,
            Err(e) => return Err(e),
        };
        Ok(Identity {
            account_id: user.id.to_string(),
            login: user.username,
            display_name: user.name.filter(|n| !n.is_empty()),
            avatar_url: user.avatar_url,
            expires_at: info.as_ref().and_then(|i| i.expires_at.as_deref()).and_then(expiry_date),
            scopes: info.map(|i| i.scopes),
            organization: None,
        })
    }

    async fn orgs(&self, s: &Session<'_>) -> Result<Vec<Org>> {
        let a = auth(s);
        let first = format!("{}/groups?min_access_level=10&per_page=100&page=1", api_base(KIND, s.host));
        let groups: Vec<Group> = collect_all(first.clone(), |n| with_param(&first, "page", &n.to_string()), |url: String| {
            let a = a.clone();
            async move { page(&s.http.get(&url, &a, &[]).await?) }
        })
        .await?;
        Ok(groups
            .into_iter()
            .map(|g| Org {
                id: g.id.to_string(),
                parent: g.full_path.rsplit_once('/').map(|(p, _)| p.to_owned()),
                kind: if g.full_path.contains('/') { "subgroup" } else { "group" }.to_owned(),
                login: g.full_path,
                name: g.name,
                web_url: g.web_url,
                access: OrgAccess::Granted,
                grant_url: None,
            })
            .collect())
    }

    async fn repos(&self, s: &Session<'_>, sink: RepoSink<'_>) -> Result<()> {
        let a = auth(s);
        let first = format!(
            "{}/projects?membership=true&order_by=id&sort=asc&per_page=100&page=1",
            api_base(KIND, s.host)
        );
        fetch_all(
            first.clone(),
            |n| with_param(&first, "page", &n.to_string()),
            |url: String| {
                let a = a.clone();
                async move {
                    let p: Page<Project> = page(&s.http.get(&url, &a, &[]).await?)?;
                    Ok(p.map(into_repo))
                }
            },
            sink,
        )
        .await
    }

    /// `DELETE /personal_access_tokens/self` (GitLab 15.4+) revokes the token that calls it.
    async fn revoke(&self, s: &Session<'_>) -> Result<RevokeOutcome> {
        let url = format!("{}/personal_access_tokens/self", api_base(KIND, s.host));
        let r = s.http.send(reqwest::Method::DELETE, &url, &auth(s), &[], None).await?;
        Ok(match check(KIND, &r) {
            Ok(()) => RevokeOutcome::Revoked,
            Err(e) => RevokeOutcome::Failed { message: e.message, url: self.revoke_page(s.host) },
        })
    }

    fn revoke_page(&self, host: &Host) -> String {
        host.join("/-/user_settings/personal_access_tokens")
    }

    /// Subgroup projects are addressed by their URL-encoded full path.
    async fn create_hook(&self, s: &Session<'_>, repo: &str, url: &str, secret: &Secret) -> Result<RemoteHook> {
        let body = serde_json::json!({
            "url": url, "token": secret.expose(), "push_events": true, "tag_push_events": true,
            "enable_ssl_verification": true, "name": "Codebind", "description": "Codebind build trigger"
        });
        let r = s.http.send(reqwest::Method::POST, &format!("{}/projects/{}/hooks", api_base(KIND, s.host), encode_path(repo)), &auth(s), &[], Some(&body)).await?;
        let h: HookJson = json(KIND, &r)?;
        Ok(h.into())
    }

    async fn list_hooks(&self, s: &Session<'_>, repo: &str) -> Result<Vec<RemoteHook>> {
        let r = s.http.get(&format!("{}/projects/{}/hooks?per_page=100", api_base(KIND, s.host), encode_path(repo)), &auth(s), &[]).await?;
        let hooks: Vec<HookJson> = json(KIND, &r)?;
        Ok(hooks.into_iter().map(Into::into).collect())
    }

    async fn delete_hook(&self, s: &Session<'_>, repo: &str, hook_id: &str) -> Result<()> {
        delete_gone_ok(KIND, s, &format!("{}/projects/{}/hooks/{hook_id}", api_base(KIND, s.host), encode_path(repo)), &auth(s), &[]).await
    }

    fn hooks_page(&self, host: &Host, repo: &str) -> String {
        host.join(&format!("/{repo}/-/hooks"))
    }

    /// `GET /projects/:id/repository/branches/:branch` or `…/tags/:tag_name` → `commit.id`
    /// (a tag's commit, not its tag object); names URL-encoded, `/` as `%2F`.
    async fn head_commit(&self, s: &Session<'_>, repo: &str, kind: SourceType, name: &str) -> Result<String> {
        let what = if kind == SourceType::Tag { "tags" } else { "branches" };
        let url = format!("{}/projects/{}/repository/{what}/{}", api_base(KIND, s.host), encode_path(repo), encode_path(name));
        let r: RefJson = json(KIND, &s.http.get(&url, &auth(s), &[]).await?)?;
        checked_sha(KIND, &r.commit.id)
    }
}

#[derive(Deserialize)]
struct RefJson {
    commit: CommitId,
}

#[derive(Deserialize)]
struct CommitId {
    id: String,
}

#[derive(Deserialize)]
struct HookJson {
    id: u64,
    url: String,
    #[serde(default)]
    push_events: bool,
    #[serde(default)]
    tag_push_events: bool,
    disabled_until: Option<String>,
    /// `executable`, `temporarily_disabled` (with `disabled_until`) or `disabled` (permanently,
    /// after repeated failures; `disabled_until` is then null).
    alert_status: Option<String>,
}

impl From<HookJson> for RemoteHook {
    fn from(h: HookJson) -> Self {
        let events = RemoteHook::events_from_flags(h.push_events, h.tag_push_events);
        let active = match h.alert_status.as_deref() {
            Some(status) => status == "executable",
            None => h.disabled_until.is_none(),
        };
        RemoteHook { id: h.id.to_string(), url: h.url, events, active }
    }
}

/// GitLab tokens expire at the start of their `expires_at` date (UTC).
fn expiry_date(d: &str) -> Option<String> {
    let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
    Some(crate::time::format(date.and_hms_opt(0, 0, 0)?.and_utc()))
}

fn into_repo(p: Project) -> Repo {
    // A project whose namespace is a group below another group lives in a subgroup.
    let in_subgroup = p.namespace.as_ref().is_some_and(|n| n.kind == "group" && n.full_path.contains('/'));
    Repo {
        id: p.id.to_string(),
        full_name: p.path_with_namespace,
        name: p.name,
        private: p.visibility.as_deref() != Some("public"),
        default_branch: p.default_branch,
        web_url: p.web_url,
        clone_url: p.http_url_to_repo,
        in_subgroup,
    }
}

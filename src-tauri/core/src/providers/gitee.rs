//! Gitee. API v5; the token travels as the `access_token` query parameter (the v5 swagger models
//! it so), redacted in every log. Pagination headers `total_count` and `total_page`.

use async_trait::async_trait;
use serde::Deserialize;

use super::classify::json;
use super::paginate::{collect_all, fetch_all, with_param, Page};
use super::{api_base, checked_sha, delete_gone_ok, encode_segments, Host, Identity, Provider, RemoteHook, RepoSink, Session};
use crate::vault::Secret;
use crate::error::{Error, Result};
use crate::model::{Org, OrgAccess, ProviderKind, Repo, SourceType};
use crate::net::{ApiResponse, Auth};

pub struct Gitee;
const KIND: ProviderKind = ProviderKind::Gitee;

#[derive(Deserialize)]
struct User {
    id: u64,
    login: String,
    name: Option<String>,
    avatar_url: Option<String>,
}

#[derive(Deserialize)]
struct OrgJson {
    id: u64,
    login: String,
    name: Option<String>,
}

#[derive(Deserialize)]
struct RepoJson {
    id: u64,
    full_name: String,
    name: String,
    private: bool,
    default_branch: Option<String>,
    html_url: String,
}

fn auth(s: &Session<'_>) -> Auth {
    Auth::Query("access_token", s.token.clone())
}

fn page<T: serde::de::DeserializeOwned>(r: &ApiResponse) -> Result<Page<T>> {
    Ok(Page { items: json(KIND, r)?, total_pages: r.header_u64("total_page").map(|n| n as u32), next: None })
}

#[async_trait]
impl Provider for Gitee {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    async fn whoami(&self, s: &Session<'_>) -> Result<Identity> {
        let r = s.http.get(&format!("{}/user", api_base(KIND, s.host)), &auth(s), &[]).await?;
        let u: User = json(KIND, &r)?;
        Ok(Identity {
            account_id: u.id.to_string(),
            login: u.login,
            display_name: u.name,
            avatar_url: u.avatar_url,
            scopes: None,
            expires_at: None,
            organization: None,
        })
    }

    async fn orgs(&self, s: &Session<'_>) -> Result<Vec<Org>> {
        let a = auth(s);
        let first = format!("{}/user/orgs?per_page=100&page=1", api_base(KIND, s.host));
        let orgs: Vec<OrgJson> = collect_all(first.clone(), |n| with_param(&first, "page", &n.to_string()), |url: String| {
            let a = a.clone();
            async move { page(&s.http.get(&url, &a, &[]).await?) }
        })
        .await?;
        Ok(orgs
            .into_iter()
            .map(|o| Org {
                id: o.id.to_string(),
                web_url: Some(s.host.join(&format!("/{}", o.login))),
                login: o.login,
                name: o.name,
                kind: "organization".to_owned(),
                parent: None,
                access: OrgAccess::Granted,
                grant_url: None,
            })
            .collect())
    }

    async fn repos(&self, s: &Session<'_>, sink: RepoSink<'_>) -> Result<()> {
        let a = auth(s);
        let first = format!("{}/user/repos?per_page=100&sort=full_name&page=1", api_base(KIND, s.host));
        fetch_all(
            first.clone(),
            |n| with_param(&first, "page", &n.to_string()),
            |url: String| {
                let a = a.clone();
                async move {
                    let p: Page<RepoJson> = page(&s.http.get(&url, &a, &[]).await?)?;
                    Ok(p.map(|r| Repo {
                                id: r.id.to_string(),
                                clone_url: Some(format!("{}.git", r.html_url.trim_end_matches(".git"))),
                                full_name: r.full_name,
                                name: r.name,
                                private: r.private,
                                default_branch: r.default_branch,
                                web_url: r.html_url,
                                in_subgroup: false,
                            }))
                }
            },
            sink,
        )
        .await
    }

    /// Gitee documents no revocation API: personal access tokens are deleted in the settings.
    fn revoke_page(&self, host: &Host) -> String {
        host.join("/profile/personal_access_tokens")
    }

    /// Gitee signs deliveries with the timestamp scheme when `encryption_type` is 1.
    async fn create_hook(&self, s: &Session<'_>, repo: &str, url: &str, secret: &Secret) -> Result<RemoteHook> {
        let form = [("url", url), ("encryption_type", "1"), ("password", secret.expose()), ("push_events", "true"), ("tag_push_events", "true")];
        let r = s.http.post_form(&format!("{}/repos/{repo}/hooks", api_base(KIND, s.host)), &auth(s), &[], &form).await?;
        let h: HookJson = json(KIND, &r)?;
        Ok(h.into())
    }

    async fn list_hooks(&self, s: &Session<'_>, repo: &str) -> Result<Vec<RemoteHook>> {
        let r = s.http.get(&format!("{}/repos/{repo}/hooks?per_page=100&page=1", api_base(KIND, s.host)), &auth(s), &[]).await?;
        let hooks: Vec<HookJson> = json(KIND, &r)?;
        Ok(hooks.into_iter().map(Into::into).collect())
    }

    async fn delete_hook(&self, s: &Session<'_>, repo: &str, hook_id: &str) -> Result<()> {
        delete_gone_ok(KIND, s, &format!("{}/repos/{repo}/hooks/{hook_id}", api_base(KIND, s.host)), &auth(s), &[]).await
    }

    fn hooks_page(&self, host: &Host, repo: &str) -> String {
        host.join(&format!("/{repo}/hooks"))
    }

    /// `GET /v5/repos/{owner}/{repo}/branches/{branch}` → `commit.sha`; v5 has no single-tag
    /// endpoint, so tags are found in `GET /v5/repos/{owner}/{repo}/tags` (page by page).
    async fn head_commit(&self, s: &Session<'_>, repo: &str, kind: SourceType, name: &str) -> Result<String> {
        let base = api_base(KIND, s.host);
        if kind == SourceType::Branch {
            let r: RefJson = json(KIND, &s.http.get(&format!("{base}/repos/{repo}/branches/{}", encode_segments(name)), &auth(s), &[]).await?)?;
            return checked_sha(KIND, &r.commit.sha);
        }
        for page in 1..=MAX_TAG_PAGES {
            let tags: Vec<RefJson> = json(KIND, &s.http.get(&format!("{base}/repos/{repo}/tags?per_page=100&page={page}"), &auth(s), &[]).await?)?;
            let last = tags.len() < 100;
            if let Some(t) = tags.into_iter().find(|t| t.name == name) {
                return checked_sha(KIND, &t.commit.sha);
            }
            if last {
                break;
            }
        }
        Err(Error::not_found(format!("{repo} has no tag {name}")))
    }
}

/// Tags looked through for one name (10,000).
const MAX_TAG_PAGES: u32 = 100;

#[derive(Deserialize)]
struct RefJson {
    name: String,
    commit: CommitSha,
}

#[derive(Deserialize)]
struct CommitSha {
    sha: String,
}

#[derive(Deserialize)]
struct HookJson {
    id: u64,
    url: String,
    #[serde(default)]
    push_events: bool,
    #[serde(default)]
    tag_push_events: bool,
}

impl From<HookJson> for RemoteHook {
    fn from(h: HookJson) -> Self {
        let events = RemoteHook::events_from_flags(h.push_events, h.tag_push_events);
        RemoteHook { id: h.id.to_string(), url: h.url, events, active: true }
    }
}

//! Gitea and Forgejo. API v1 with `Authorization: Bearer` (also accepted as `token`). Pages are
//! `page`/`limit` (at most 50 by default); headers `X-Total-Count` and `Link`.

use async_trait::async_trait;
use serde::Deserialize;

use super::classify::json;
use super::paginate::{collect_all, fetch_all, pages_for, param, with_param, Page};
use super::{api_base, checked_sha, delete_gone_ok, encode_segments, Host, Identity, Provider, RemoteHook, RepoSink, Session};
use crate::vault::Secret;
use crate::error::Result;
use crate::model::{Org, OrgAccess, ProviderKind, Repo, SourceType};
use crate::net::{ApiResponse, Auth};

pub struct Gitea;
const KIND: ProviderKind = ProviderKind::Gitea;
const LIMIT: u64 = 50;

#[derive(Deserialize)]
struct User {
    id: u64,
    login: String,
    full_name: Option<String>,
    avatar_url: Option<String>,
}

#[derive(Deserialize)]
struct OrgJson {
    id: u64,
    name: String,
    full_name: Option<String>,
}

#[derive(Deserialize)]
struct RepoJson {
    id: u64,
    full_name: String,
    name: String,
    private: bool,
    default_branch: Option<String>,
    html_url: String,
    clone_url: Option<String>,
}

fn auth(s: &Session<'_>) -> Auth {
    Auth::Bearer(s.token.clone())
}

/// The page count from the server's own `rel="last"` link: an instance may cap pages below the
/// `limit` asked for (`[api] MAX_RESPONSE_ITEMS`), so `X-Total-Count / LIMIT` would stop short.
/// Without the link, the count is derived from the size of the page actually served.
fn page<T: serde::de::DeserializeOwned>(r: &ApiResponse) -> Result<Page<T>> {
    let items: Vec<T> = json(KIND, r)?;
    let from_link = r.link("last").and_then(|l| param(&l, "page")).and_then(|p| p.parse().ok());
    let from_count = r.header_u64("x-total-count").map(|t| pages_for(t, (items.len() as u64).clamp(1, LIMIT)));
    Ok(Page { total_pages: from_link.or(from_count), next: r.link("next"), items })
}

#[async_trait]
impl Provider for Gitea {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    async fn whoami(&self, s: &Session<'_>) -> Result<Identity> {
        let r = s.http.get(&format!("{}/user", api_base(KIND, s.host)), &auth(s), &[]).await?;
        let u: User = json(KIND, &r)?;
        Ok(Identity {
            account_id: u.id.to_string(),
            login: u.login,
            display_name: u.full_name.filter(|n| !n.is_empty()),
            avatar_url: u.avatar_url,
            scopes: None,
            expires_at: None,
            organization: None,
        })
    }

    async fn orgs(&self, s: &Session<'_>) -> Result<Vec<Org>> {
        let a = auth(s);
        let first = format!("{}/user/orgs?limit={LIMIT}&page=1", api_base(KIND, s.host));
        let orgs: Vec<OrgJson> = collect_all(first.clone(), |n| with_param(&first, "page", &n.to_string()), |url: String| {
            let a = a.clone();
            async move { page(&s.http.get(&url, &a, &[]).await?) }
        })
        .await?;
        Ok(orgs
            .into_iter()
            .map(|o| Org {
                id: o.id.to_string(),
                web_url: Some(s.host.join(&format!("/{}", o.name))),
                login: o.name,
                name: o.full_name.filter(|n| !n.is_empty()),
                kind: "organization".to_owned(),
                parent: None,
                access: OrgAccess::Granted,
                grant_url: None,
            })
            .collect())
    }

    async fn repos(&self, s: &Session<'_>, sink: RepoSink<'_>) -> Result<()> {
        let a = auth(s);
        let first = format!("{}/user/repos?limit={LIMIT}&page=1", api_base(KIND, s.host));
        fetch_all(
            first.clone(),
            |n| with_param(&first, "page", &n.to_string()),
            |url: String| {
                let a = a.clone();
                async move {
                    let p: Page<RepoJson> = page(&s.http.get(&url, &a, &[]).await?)?;
                    Ok(p.map(|r| Repo {
                                id: r.id.to_string(),
                                full_name: r.full_name,
                                name: r.name,
                                private: r.private,
                                default_branch: r.default_branch,
                                web_url: r.html_url,
                                clone_url: r.clone_url,
                                in_subgroup: false,
                            }))
                }
            },
            sink,
        )
        .await
    }

    /// Deleting a token through the API needs the account password (Basic auth); revoke it in the
    /// settings instead.
    fn revoke_page(&self, host: &Host) -> String {
        host.join("/user/settings/applications")
    }

    async fn create_hook(&self, s: &Session<'_>, repo: &str, url: &str, secret: &Secret) -> Result<RemoteHook> {
        let body = serde_json::json!({
            "type": "gitea", "active": true, "events": ["push"], "branch_filter": "*",
            "config": { "url": url, "content_type": "json", "secret": secret.expose() }
        });
        let r = s.http.send(reqwest::Method::POST, &format!("{}/repos/{repo}/hooks", api_base(KIND, s.host)), &auth(s), &[], Some(&body)).await?;
        let h: HookJson = json(KIND, &r)?;
        Ok(h.into())
    }

    async fn list_hooks(&self, s: &Session<'_>, repo: &str) -> Result<Vec<RemoteHook>> {
        let r = s.http.get(&format!("{}/repos/{repo}/hooks?limit=50", api_base(KIND, s.host)), &auth(s), &[]).await?;
        let hooks: Vec<HookJson> = json(KIND, &r)?;
        Ok(hooks.into_iter().map(Into::into).collect())
    }

    async fn delete_hook(&self, s: &Session<'_>, repo: &str, hook_id: &str) -> Result<()> {
        delete_gone_ok(KIND, s, &format!("{}/repos/{repo}/hooks/{hook_id}", api_base(KIND, s.host)), &auth(s), &[]).await
    }

    fn hooks_page(&self, host: &Host, repo: &str) -> String {
        host.join(&format!("/{repo}/settings/hooks"))
    }

    /// `GET /repos/{owner}/{repo}/branches/{branch}` → `commit.id`, or
    /// `GET /repos/{owner}/{repo}/tags/{tag}` → `commit.sha` (the tagged commit).
    async fn head_commit(&self, s: &Session<'_>, repo: &str, kind: SourceType, name: &str) -> Result<String> {
        let base = api_base(KIND, s.host);
        let name = encode_segments(name);
        if kind == SourceType::Tag {
            let t: TagJson = json(KIND, &s.http.get(&format!("{base}/repos/{repo}/tags/{name}"), &auth(s), &[]).await?)?;
            return checked_sha(KIND, &t.commit.sha);
        }
        let b: BranchJson = json(KIND, &s.http.get(&format!("{base}/repos/{repo}/branches/{name}"), &auth(s), &[]).await?)?;
        checked_sha(KIND, &b.commit.id)
    }
}

#[derive(Deserialize)]
struct BranchJson {
    commit: BranchCommit,
}

#[derive(Deserialize)]
struct BranchCommit {
    id: String,
}

#[derive(Deserialize)]
struct TagJson {
    commit: TagCommit,
}

#[derive(Deserialize)]
struct TagCommit {
    sha: String,
}

#[derive(Deserialize)]
struct HookConfig {
    url: Option<String>,
}

#[derive(Deserialize)]
struct HookJson {
    id: u64,
    #[serde(default)]
    active: bool,
    #[serde(default)]
    events: Vec<String>,
    config: HookConfig,
}

impl From<HookJson> for RemoteHook {
    fn from(h: HookJson) -> Self {
        // Gitea's push event covers tag pushes too.
        let events = RemoteHook::events_from_list(h.events, "push");
        RemoteHook { id: h.id.to_string(), url: h.config.url.unwrap_or_default(), events, active: h.active }
    }
}

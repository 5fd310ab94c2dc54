//! Alibaba Cloud Codeup through the Yunxiao OpenAPI (`https://{domain}/oapi/v1/...`) with the
//! `x-yunxiao-token` header. Repositories live in an organization. Pagination `page`/`perPage`
//! (at most 100) with headers `x-total`, `x-total-pages`, `x-next-page`.
//! Docs: help.aliyun.com/zh/yunxiao/developer-reference (GetUserByToken, ListRepositories).

use async_trait::async_trait;
use serde::Deserialize;

use super::classify::json;
use super::paginate::{fetch_all, with_param, Page};
use super::{api_base, checked_sha, encode_path, delete_gone_ok, Host, Identity, Provider, RemoteHook, RepoSink, Session};
use crate::vault::Secret;
use crate::error::{Error, Result};
use crate::model::{Org, OrgAccess, ProviderKind, Repo, SourceType};
use crate::net::{ApiResponse, Auth};

pub struct Codeup;
const KIND: ProviderKind = ProviderKind::Codeup;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    username: Option<String>,
    name: Option<String>,
    nick_name: Option<String>,
    last_organization: Option<String>,
}

#[derive(Deserialize)]
struct OrgJson {
    id: String,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RepoJson {
    id: serde_json::Value,
    name: String,
    path_with_namespace: Option<String>,
    name_with_namespace: Option<String>,
    visibility: Option<String>,
    default_branch: Option<String>,
    web_url: Option<String>,
    http_url_to_repo: Option<String>,
}

fn auth(s: &Session<'_>) -> Auth {
    Auth::Header("x-yunxiao-token", s.token.clone())
}

fn page<T: serde::de::DeserializeOwned>(r: &ApiResponse) -> Result<Page<T>> {
    Ok(Page { items: json(KIND, r)?, total_pages: r.header_u64("x-total-pages").map(|n| n as u32), next: None })
}

#[async_trait]
impl Provider for Codeup {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    async fn whoami(&self, s: &Session<'_>) -> Result<Identity> {
        let r = s.http.get(&format!("{}/platform/user", api_base(KIND, s.host)), &auth(s), &[]).await?;
        let u: User = json(KIND, &r)?;
        Ok(Identity {
            account_id: u.id,
            // The seeds bind Codeup with the HTTPS clone user name; keep the API's name otherwise.
            login: s.username.map(str::to_owned).or(u.username).unwrap_or_default(),
            display_name: u.nick_name.or(u.name),
            avatar_url: None,
            scopes: None,
            expires_at: None,
            organization: s.organization.map(str::to_owned).or(u.last_organization),
        })
    }

    async fn orgs(&self, s: &Session<'_>) -> Result<Vec<Org>> {
        let r = s.http.get(&format!("{}/platform/organizations", api_base(KIND, s.host)), &auth(s), &[]).await?;
        let orgs: Vec<OrgJson> = json(KIND, &r)?;
        Ok(orgs
            .into_iter()
            .map(|o| Org {
                web_url: Some(format!("https://codeup.aliyun.com/{}", o.id)),
                login: o.id.clone(),
                id: o.id,
                name: o.name,
                kind: "organization".to_owned(),
                parent: None,
                access: OrgAccess::Granted,
                grant_url: None,
            })
            .collect())
    }

    async fn repos(&self, s: &Session<'_>, sink: RepoSink<'_>) -> Result<()> {
        let org = s.organization.ok_or_else(|| Error::invalid_input("Codeup needs the organization id; bind with --org"))?;
        let a = auth(s);
        let first = format!("{}/codeup/organizations/{org}/repositories?perPage=100&page=1", api_base(KIND, s.host));
        fetch_all(
            first.clone(),
            |n| with_param(&first, "page", &n.to_string()),
            |url: String| {
                let a = a.clone();
                async move {
                    let p: Page<RepoJson> = page(&s.http.get(&url, &a, &[]).await?)?;
                    Ok(p.map(into_repo))
                }
            },
            sink,
        )
        .await
    }

    /// Yunxiao has no API to revoke a personal access token.
    fn revoke_page(&self, _host: &Host) -> String {
        "https://account-devops.aliyun.com/settings/personalAccessToken".to_owned()
    }

    /// CreateWebHook: the repository is addressed by its URL-encoded full path.
    async fn create_hook(&self, s: &Session<'_>, repo: &str, url: &str, secret: &Secret) -> Result<RemoteHook> {
        let body = serde_json::json!({
            "url": url, "token": secret.expose(), "pushEvents": true, "tagPushEvents": true,
            "mergeRequestsEvents": false, "noteEvents": false, "enableSslVerification": true,
            "description": "Codebind build trigger"
        });
        let r = s.http.send(reqwest::Method::POST, &hooks_url(s, repo)?, &auth(s), &[], Some(&body)).await?;
        let h: HookJson = json(KIND, &r)?;
        Ok(h.into())
    }

    async fn list_hooks(&self, s: &Session<'_>, repo: &str) -> Result<Vec<RemoteHook>> {
        let r = s.http.get(&format!("{}?page=1&perPage=100", hooks_url(s, repo)?), &auth(s), &[]).await?;
        let hooks: Vec<HookJson> = json(KIND, &r)?;
        Ok(hooks.into_iter().map(Into::into).collect())
    }

    async fn delete_hook(&self, s: &Session<'_>, repo: &str, hook_id: &str) -> Result<()> {
        delete_gone_ok(KIND, s, &format!("{}/{hook_id}", hooks_url(s, repo)?), &auth(s), &[]).await
    }

    fn hooks_page(&self, _host: &Host, repo: &str) -> String {
        format!("https://codeup.aliyun.com/{repo}/settings/webhooks")
    }

    /// ListCommits `GET …/repositories/{repositoryId}/commits?refName=…&perPage=1` → `[0].id`
    /// (a branch or tag name alike).
    async fn head_commit(&self, s: &Session<'_>, repo: &str, kind: SourceType, name: &str) -> Result<String> {
        let org = s.organization.ok_or_else(|| Error::invalid_input("Codeup needs the organization id; bind with --org"))?;
        let url = format!("{}/codeup/organizations/{org}/repositories/{}/commits?refName={}&page=1&perPage=1", api_base(KIND, s.host), encode_path(repo), encode_path(name));
        let commits: Vec<CommitJson> = json(KIND, &s.http.get(&url, &auth(s), &[]).await?)?;
        let what = if kind == SourceType::Tag { "tag" } else { "branch" };
        let first = commits.into_iter().next().ok_or_else(|| Error::not_found(format!("{repo} has no {what} {name}")))?;
        checked_sha(KIND, &first.id)
    }
}

#[derive(Deserialize)]
struct CommitJson {
    id: String,
}

fn hooks_url(s: &Session<'_>, repo: &str) -> Result<String> {
    let org = s.organization.ok_or_else(|| Error::invalid_input("Codeup needs the organization id; bind with --org"))?;
    Ok(format!("{}/codeup/organizations/{org}/repositories/{}/webhooks", api_base(KIND, s.host), encode_path(repo)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HookJson {
    id: serde_json::Value,
    url: String,
    #[serde(default)]
    push_events: bool,
    #[serde(default)]
    tag_push_events: bool,
}

impl From<HookJson> for RemoteHook {
    fn from(h: HookJson) -> Self {
        let events = RemoteHook::events_from_flags(h.push_events, h.tag_push_events);
        let id = match h.id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        RemoteHook { id, url: h.url, events, active: true }
    }
}

fn into_repo(r: RepoJson) -> Repo {
    let full_name = r.path_with_namespace.or(r.name_with_namespace).unwrap_or_else(|| r.name.clone());
    Repo {
        id: match r.id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        },
        web_url: r.web_url.unwrap_or_else(|| format!("https://codeup.aliyun.com/{full_name}")),
        full_name,
        name: r.name,
        private: r.visibility.as_deref() != Some("public"),
        default_branch: r.default_branch,
        clone_url: r.http_url_to_repo,
        in_subgroup: false,
    }
}

//! Alibaba Cloud Codeup through the Yunxiao OpenAPI (`https://{domain}/oapi/v1/...`) with the
//! `x-yunxiao-token` header. Repositories live in an organization. Pagination `page`/`perPage`
//! (at most 100) with headers `x-total`, `x-total-pages`, `x-next-page`.
//! Docs: help.aliyun.com/zh/yunxiao/developer-reference (GetUserByToken, ListRepositories).

use async_trait::async_trait;
use serde::Deserialize;

use super::classify::json;
use super::paginate::{fetch_all, with_param, Page};
use super::{api_base, Host, Identity, Provider, RepoSink, Session};
use crate::error::{Error, Result};
use crate::model::{Org, OrgAccess, ProviderKind, Repo};
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
                    Ok(Page { items: p.items.into_iter().map(into_repo).collect(), total_pages: p.total_pages, next: None })
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

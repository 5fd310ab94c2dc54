//! Bitbucket Cloud. REST API 2.0. API tokens go with the Atlassian account email over HTTP Basic;
//! OAuth and access tokens use Bearer. Docs: developer.atlassian.com/cloud/bitbucket/rest
//! (user, user/workspaces — CHANGE-3022 replaces the deprecated /workspaces — repositories), and
//! "How to fetch the scope of a token" (x-oauth-scopes). Pagination is in the body: pagelen, page,
//! size, next.

use async_trait::async_trait;
use serde::Deserialize;

use super::classify::json;
use super::paginate::{collect_all, fetch_all, pages_for, with_param, Page};
use super::{api_base, checked_sha, encode_path, delete_gone_ok, Host, Identity, Provider, RemoteHook, RepoSink, Session};
use crate::vault::Secret;
use crate::error::{Error, Result};
use crate::model::{Org, OrgAccess, ProviderKind, Repo, SourceType};
use crate::net::Auth;

pub struct Bitbucket;
const KIND: ProviderKind = ProviderKind::Bitbucket;
const PAGELEN: u64 = 100;

#[derive(Deserialize)]
struct Link {
    href: String,
}

#[derive(Deserialize, Default)]
struct UserLinks {
    avatar: Option<Link>,
}

#[derive(Deserialize)]
struct User {
    uuid: String,
    display_name: Option<String>,
    username: Option<String>,
    nickname: Option<String>,
    #[serde(default)]
    links: UserLinks,
}

#[derive(Deserialize)]
struct Paged<T> {
    values: Vec<T>,
    size: Option<u64>,
    pagelen: Option<u64>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct Workspace {
    uuid: String,
    slug: String,
    name: Option<String>,
}

#[derive(Deserialize)]
struct WorkspaceAccess {
    workspace: Workspace,
}

#[derive(Deserialize)]
struct CloneLink {
    name: String,
    href: String,
}

#[derive(Deserialize, Default)]
struct RepoLinks {
    html: Option<Link>,
    #[serde(default)]
    clone: Vec<CloneLink>,
}

#[derive(Deserialize)]
struct Branch {
    name: String,
}

#[derive(Deserialize)]
struct RepoJson {
    uuid: String,
    full_name: String,
    name: String,
    is_private: bool,
    mainbranch: Option<Branch>,
    #[serde(default)]
    links: RepoLinks,
}

fn auth(s: &Session<'_>) -> Auth {
    match s.username {
        Some(email) if !email.is_empty() => Auth::Basic(email.to_owned(), s.token.clone()),
        _ => Auth::Bearer(s.token.clone()),
    }
}

fn page<T: serde::de::DeserializeOwned>(r: &crate::net::ApiResponse) -> Result<Page<T>> {
    let p: Paged<T> = json(KIND, r)?;
    let total_pages = p.size.map(|size| pages_for(size, p.pagelen.unwrap_or(PAGELEN)));
    Ok(Page { items: p.values, total_pages, next: p.next })
}

async fn workspaces(s: &Session<'_>) -> Result<Vec<Workspace>> {
    let a = auth(s);
    let first = format!("{}/user/workspaces?pagelen={PAGELEN}&page=1", api_base(KIND, s.host));
    let list: Vec<WorkspaceAccess> = collect_all(first.clone(), |n| with_param(&first, "page", &n.to_string()), |url: String| {
        let a = a.clone();
        async move { page(&s.http.get(&url, &a, &[]).await?) }
    })
    .await?;
    Ok(list.into_iter().map(|w| w.workspace).collect())
}

#[async_trait]
impl Provider for Bitbucket {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    async fn whoami(&self, s: &Session<'_>) -> Result<Identity> {
        let r = s.http.get(&format!("{}/user", api_base(KIND, s.host)), &auth(s), &[]).await?;
        let user: User = json(KIND, &r)?;
        let scopes = r.header("x-oauth-scopes").map(|h| {
            h.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>()
        });
        Ok(Identity {
            account_id: user.uuid,
            login: user.username.or(user.nickname).unwrap_or_default(),
            display_name: user.display_name,
            avatar_url: user.links.avatar.map(|l| l.href),
            scopes,
            expires_at: None,
            organization: None,
        })
    }

    async fn orgs(&self, s: &Session<'_>) -> Result<Vec<Org>> {
        Ok(workspaces(s)
            .await?
            .into_iter()
            .map(|w| Org {
                id: w.uuid,
                web_url: Some(format!("https://bitbucket.org/{}/", w.slug)),
                login: w.slug,
                name: w.name,
                kind: "workspace".to_owned(),
                parent: None,
                access: OrgAccess::Granted,
                grant_url: None,
            })
            .collect())
    }

    async fn repos(&self, s: &Session<'_>, sink: RepoSink<'_>) -> Result<()> {
        let a = auth(s);
        for w in workspaces(s).await? {
            let first = format!("{}/repositories/{}?role=member&pagelen={PAGELEN}&page=1", api_base(KIND, s.host), w.slug);
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
            .await?;
        }
        Ok(())
    }

    /// Bitbucket has no API to revoke a token: API tokens are revoked on the Atlassian account page.
    fn revoke_page(&self, _host: &Host) -> String {
        "https://id.atlassian.com/manage-profile/security/api-tokens".to_owned()
    }

    async fn create_hook(&self, s: &Session<'_>, repo: &str, url: &str, secret: &Secret) -> Result<RemoteHook> {
        let body = serde_json::json!({
            "description": "Codebind build trigger", "url": url, "active": true,
            "secret": secret.expose(), "events": ["repo:push"]
        });
        let r = s.http.send(reqwest::Method::POST, &format!("{}/repositories/{repo}/hooks", api_base(KIND, s.host)), &auth(s), &[], Some(&body)).await?;
        let h: HookJson = json(KIND, &r)?;
        Ok(h.into())
    }

    async fn list_hooks(&self, s: &Session<'_>, repo: &str) -> Result<Vec<RemoteHook>> {
        let r = s.http.get(&format!("{}/repositories/{repo}/hooks?pagelen=100", api_base(KIND, s.host)), &auth(s), &[]).await?;
        let p: Paged<HookJson> = json(KIND, &r)?;
        Ok(p.values.into_iter().map(Into::into).collect())
    }

    async fn delete_hook(&self, s: &Session<'_>, repo: &str, hook_id: &str) -> Result<()> {
        let id = encode_path(hook_id);
        delete_gone_ok(KIND, s, &format!("{}/repositories/{repo}/hooks/{id}", api_base(KIND, s.host)), &auth(s), &[]).await
    }

    fn hooks_page(&self, _host: &Host, repo: &str) -> String {
        format!("https://bitbucket.org/{repo}/admin/webhooks")
    }

    /// `GET /repositories/{workspace}/{repo_slug}/refs/branches?q=name="…"` (or `refs/tags`) →
    /// `values[0].target.hash`; the query form works for names with slashes.
    async fn head_commit(&self, s: &Session<'_>, repo: &str, kind: SourceType, name: &str) -> Result<String> {
        let (what, word) = if kind == SourceType::Tag { ("tags", "tag") } else { ("branches", "branch") };
        let q = encode_path(&format!("name=\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\"")));
        let url = format!("{}/repositories/{repo}/refs/{what}?q={q}", api_base(KIND, s.host));
        let p: Paged<RefJson> = json(KIND, &s.http.get(&url, &auth(s), &[]).await?)?;
        let found = p.values.into_iter().find(|r| r.name == name).ok_or_else(|| Error::not_found(format!("{repo} has no {word} {name}")))?;
        checked_sha(KIND, &found.target.hash)
    }
}

#[derive(Deserialize)]
struct RefJson {
    name: String,
    target: Target,
}

#[derive(Deserialize)]
struct Target {
    hash: String,
}

#[derive(Deserialize)]
struct HookJson {
    uuid: String,
    url: String,
    #[serde(default)]
    active: bool,
    #[serde(default)]
    events: Vec<String>,
}

impl From<HookJson> for RemoteHook {
    fn from(h: HookJson) -> Self {
        // repo:push covers branch and tag pushes.
        let events = RemoteHook::events_from_list(h.events, "repo:push");
        RemoteHook { id: h.uuid, url: h.url, events, active: h.active }
    }
}

fn into_repo(r: RepoJson) -> Repo {
    Repo {
        id: r.uuid,
        web_url: r.links.html.map(|l| l.href).unwrap_or_else(|| format!("https://bitbucket.org/{}", r.full_name)),
        clone_url: r.links.clone.into_iter().find(|c| c.name == "https").map(|c| c.href),
        full_name: r.full_name,
        name: r.name,
        private: r.is_private,
        default_branch: r.mainbranch.map(|b| b.name),
        in_subgroup: false,
    }
}

//! GitHub (github.com and GitHub Enterprise Server). REST API v3, `Authorization: Bearer`.
//! Docs: docs.github.com/rest (users/get-authenticated, repos/list-for-authenticated-user,
//! orgs/list-for-authenticated-user, credentials/revoke); github/rest-api-description.

use async_trait::async_trait;
use chrono::{NaiveDateTime, TimeZone, Utc};
use futures::future::join_all;
use serde::Deserialize;

use super::classify::{check, classify, json};
use super::paginate::{collect_all, fetch_all, param, with_param, Page};
use super::{api_base, checked_sha, delete_gone_ok, encode_segments, Host, Identity, Provider, RemoteHook, RepoSink, Session};
use crate::vault::Secret;
use crate::error::{ErrorCode, Result};
use crate::model::{Org, OrgAccess, ProviderKind, Repo, RevokeOutcome, SourceType};
use crate::net::{ApiResponse, Auth};

pub struct GitHub;

const HEADERS: [(&str, &str); 2] = [("accept", "application/vnd.github+json"), ("x-github-api-version", "2022-11-28")];
const KIND: ProviderKind = ProviderKind::Github;

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
    description: Option<String>,
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

/// `github-authentication-token-expiration: 2024-06-01 00:00:00 UTC` (also seen with `+0000`).
fn parse_expiry(v: &str) -> Option<String> {
    let v = v.trim();
    if let Ok(t) = chrono::DateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S %z") {
        return Some(crate::time::format(t.with_timezone(&Utc)));
    }
    let naive = NaiveDateTime::parse_from_str(v.trim_end_matches(" UTC"), "%Y-%m-%d %H:%M:%S").ok()?;
    Some(crate::time::format(Utc.from_utc_datetime(&naive)))
}

fn page<T: serde::de::DeserializeOwned>(r: &ApiResponse) -> Result<Page<T>> {
    let items = json(KIND, r)?;
    let total_pages = r.link("last").and_then(|l| param(&l, "page")).and_then(|p| p.parse().ok());
    Ok(Page { items, total_pages, next: r.link("next") })
}

#[async_trait]
impl Provider for GitHub {
    fn kind(&self) -> ProviderKind {
        KIND
    }

    async fn whoami(&self, s: &Session<'_>) -> Result<Identity> {
        let r = s.http.get(&format!("{}/user", api_base(KIND, s.host)), &auth(s), &HEADERS).await?;
        let user: User = json(KIND, &r)?;
        // Classic PATs and OAuth tokens report scopes; fine-grained tokens send no such header.
        let scopes = r.header("x-oauth-scopes").map(|h| {
            h.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>()
        });
        Ok(Identity {
            account_id: user.id.to_string(),
            login: user.login,
            display_name: user.name.filter(|n| !n.is_empty()),
            avatar_url: user.avatar_url,
            scopes,
            expires_at: r.header("github-authentication-token-expiration").and_then(parse_expiry),
            organization: None,
        })
    }

    async fn orgs(&self, s: &Session<'_>) -> Result<Vec<Org>> {
        let base = api_base(KIND, s.host);
        let a = auth(s);
        let first = format!("{base}/user/orgs?per_page=100");
        let sso_partial = std::sync::Mutex::new(Vec::<String>::new());
        let orgs: Vec<OrgJson> = collect_all(first.clone(), |n| with_param(&first, "page", &n.to_string()), |url: String| {
            let a = a.clone();
            let sso_partial = &sso_partial;
            async move {
                let r = s.http.get(&url, &a, &HEADERS).await?;
                // "X-GitHub-SSO: partial-results; organizations=21955855,20582480"
                if let Some(ids) = r.header("x-github-sso").and_then(|h| h.split_once("organizations=")).map(|(_, ids)| ids.to_owned()) {
                    sso_partial.lock().unwrap_or_else(|p| p.into_inner()).extend(ids.split(',').map(|i| i.trim().to_owned()));
                }
                page(&r)
            }
        })
        .await?;
        let sso_partial = sso_partial.into_inner().unwrap_or_else(|p| p.into_inner());
        // A list call hides restricted orgs' private data; a direct call to each org tells why.
        let probes = orgs.iter().map(|o| {
            let a = a.clone();
            let url = format!("{base}/orgs/{}/repos?per_page=1", o.login);
            async move { s.http.get(&url, &a, &HEADERS).await }
        });
        let results = join_all(probes).await;
        // "If you requested data that could come from multiple organizations, the API will not return
        // results from the organizations that require SAML SSO"; X-GitHub-SSO names them by id only.
        // They are the user's organizations too: list them, so the user sees what to authorize.
        let listed: Vec<String> = orgs.iter().map(|o| o.id.to_string()).collect();
        let mut omitted: Vec<String> = sso_partial.iter().filter(|id| !listed.contains(id)).cloned().collect();
        omitted.sort();
        omitted.dedup();
        // Where the token gets authorized for an SSO organization: "Configure SSO" next to a
        // personal access token; an OAuth App is re-authorized from the authorized-apps page.
        let sso_page = if s.token.expose().starts_with("gho_") { "/settings/applications" } else { "/settings/tokens" };
        let omitted = omitted.into_iter().map(|id| Org {
            login: id.clone(),
            id,
            name: None,
            kind: "organization".to_owned(),
            web_url: None,
            parent: None,
            access: OrgAccess::SsoRequired,
            grant_url: Some(s.host.join(sso_page)),
        });
        Ok(orgs
            .into_iter()
            .zip(results)
            .map(|(o, probe)| {
                let (mut access, mut grant_url) = (OrgAccess::Granted, None);
                if let Ok(r) = probe {
                    if let Err(e) = check(KIND, &r) {
                        match e.code {
                            ErrorCode::SsoRequired => {
                                access = OrgAccess::SsoRequired;
                                grant_url = r.header("x-github-sso").and_then(|h| h.split_once("url=")).map(|(_, u)| u.trim().to_owned());
                            }
                            ErrorCode::OrgRestricted => {
                                access = OrgAccess::Restricted;
                                grant_url = Some(s.host.join("/settings/applications"));
                            }
                            _ => {}
                        }
                    }
                }
                if access == OrgAccess::Granted && sso_partial.contains(&o.id.to_string()) {
                    access = OrgAccess::SsoRequired;
                }
                if access == OrgAccess::SsoRequired && grant_url.is_none() {
                    grant_url = Some(s.host.join(&format!("/orgs/{}/sso", o.login)));
                }
                Org {
                    id: o.id.to_string(),
                    web_url: Some(s.host.join(&format!("/{}", o.login))),
                    login: o.login,
                    name: o.description.filter(|d| !d.is_empty()),
                    kind: "organization".to_owned(),
                    parent: None,
                    access,
                    grant_url,
                }
            })
            .chain(omitted)
            .collect())
    }

    async fn repos(&self, s: &Session<'_>, sink: RepoSink<'_>) -> Result<()> {
        let a = auth(s);
        let first = format!(
            "{}/user/repos?per_page=100&affiliation=owner,collaborator,organization_member&sort=full_name&page=1",
            api_base(KIND, s.host)
        );
        let last = std::sync::OnceLock::<String>::new();
        fetch_all(
            first.clone(),
            |n| with_param(last.get().unwrap_or(&first), "page", &n.to_string()),
            |url: String| {
                let a = a.clone();
                let last = &last;
                async move {
                    let r = s.http.get(&url, &a, &HEADERS).await?;
                    if let Some(l) = r.link("last") {
                        let _ = last.set(l);
                    }
                    let p: Page<RepoJson> = page(&r)?;
                    Ok(p.map(into_repo))
                }
            },
            sink,
        )
        .await
    }

    /// `POST /credentials/revoke` takes any leaked or unwanted token, with no authentication
    /// (github.com only). GitHub Enterprise Server: by hand.
    async fn revoke(&self, s: &Session<'_>) -> Result<RevokeOutcome> {
        if s.host.hostname() != "github.com" && !s.host.is_loopback() {
            return Ok(RevokeOutcome::Manual { url: self.revoke_page(s.host) });
        }
        let body = serde_json::json!({ "credentials": [s.token.expose()] });
        let url = format!("{}/credentials/revoke", api_base(KIND, s.host));
        let r = s.http.send(reqwest::Method::POST, &url, &Auth::None, &HEADERS, Some(&body)).await?;
        Ok(match r.status {
            200..=299 => RevokeOutcome::Revoked,
            _ => RevokeOutcome::Failed { message: classify(KIND, &r).message, url: self.revoke_page(s.host) },
        })
    }

    fn revoke_page(&self, host: &Host) -> String {
        host.join("/settings/tokens")
    }

    async fn create_hook(&self, s: &Session<'_>, repo: &str, url: &str, secret: &Secret) -> Result<RemoteHook> {
        let body = serde_json::json!({
            "name": "web", "active": true, "events": ["push"],
            "config": { "url": url, "content_type": "json", "secret": secret.expose(), "insecure_ssl": "0" }
        });
        let r = s.http.send(reqwest::Method::POST, &format!("{}/repos/{repo}/hooks", api_base(KIND, s.host)), &auth(s), &HEADERS, Some(&body)).await?;
        let h: HookJson = json(KIND, &r)?;
        Ok(h.into())
    }

    async fn list_hooks(&self, s: &Session<'_>, repo: &str) -> Result<Vec<RemoteHook>> {
        let r = s.http.get(&format!("{}/repos/{repo}/hooks?per_page=100", api_base(KIND, s.host)), &auth(s), &HEADERS).await?;
        let hooks: Vec<HookJson> = json(KIND, &r)?;
        Ok(hooks.into_iter().map(Into::into).collect())
    }

    async fn delete_hook(&self, s: &Session<'_>, repo: &str, hook_id: &str) -> Result<()> {
        delete_gone_ok(KIND, s, &format!("{}/repos/{repo}/hooks/{hook_id}", api_base(KIND, s.host)), &auth(s), &HEADERS).await
    }

    fn hooks_page(&self, host: &Host, repo: &str) -> String {
        host.join(&format!("/{repo}/settings/hooks"))
    }

    /// `GET /repos/{owner}/{repo}/commits/{ref}` with `heads/NAME` or `tags/NAME` (repos/get-commit).
    async fn head_commit(&self, s: &Session<'_>, repo: &str, kind: SourceType, name: &str) -> Result<String> {
        let prefix = if kind == SourceType::Tag { "tags" } else { "heads" };
        let url = format!("{}/repos/{repo}/commits/{prefix}/{}", api_base(KIND, s.host), encode_segments(name));
        let r = s.http.get(&url, &auth(s), &HEADERS).await?;
        if r.status == 422 {
            // "No commit found for SHA: …"
            return Err(crate::error::Error::not_found(format!("{repo} has no {} {name}", if kind == SourceType::Tag { "tag" } else { "branch" })));
        }
        let c: ShaJson = json(KIND, &r)?;
        checked_sha(KIND, &c.sha)
    }
}

#[derive(Deserialize)]
struct ShaJson {
    sha: String,
}

#[derive(Deserialize)]
struct HookConfig {
    url: Option<String>,
}

#[derive(Deserialize)]
struct HookJson {
    id: u64,
    active: bool,
    events: Vec<String>,
    config: HookConfig,
}

impl From<HookJson> for RemoteHook {
    fn from(h: HookJson) -> Self {
        // GitHub's push event also fires for tag pushes.
        let events = RemoteHook::events_from_list(h.events, "push");
        RemoteHook { id: h.id.to_string(), url: h.config.url.unwrap_or_default(), events, active: h.active }
    }
}

fn into_repo(r: RepoJson) -> Repo {
    Repo {
        id: r.id.to_string(),
        full_name: r.full_name,
        name: r.name,
        private: r.private,
        default_branch: r.default_branch,
        web_url: r.html_url,
        clone_url: r.clone_url,
        in_subgroup: false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_token_expiration_headers() {
        assert_eq!(super::parse_expiry("2024-06-01 00:00:00 UTC").as_deref(), Some("2024-06-01T00:00:00.000Z"));
        assert_eq!(super::parse_expiry("2024-06-01 08:00:00 +0800").as_deref(), Some("2024-06-01T00:00:00.000Z"));
        assert_eq!(super::parse_expiry("soon"), None);
    }
}

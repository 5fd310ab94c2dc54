//! The code hosts. One module per provider behind the `Provider` trait; all of them talk through the
//! one HTTP layer (`net`) and return model types, never raw JSON.

mod bitbucket;
mod catalog;
mod classify;
mod codeup;
mod gitea;
mod gitee;
mod github;
mod gitlab;
pub mod host;
mod paginate;
pub mod reachability;
pub mod scopes;
pub mod delivery;

use async_trait::async_trait;

pub use catalog::{catalog, info};
pub use host::{api_base, Host};

use crate::error::Result;
use crate::model::{Org, ProviderKind, Repo, RevokeOutcome, SourceType};
use crate::net::Http;
use crate::vault::Secret;

/// Everything a provider call needs: the HTTP layer, the host, and the credential.
pub struct Session<'a> {
    pub http: &'a Http,
    pub host: &'a Host,
    pub token: &'a Secret,
    /// The user name that goes with the token, where the provider needs one (Bitbucket API tokens
    /// use the account email for Basic auth; Codeup keeps the HTTPS clone user name).
    pub username: Option<&'a str>,
    /// The organization the token works in (Codeup).
    pub organization: Option<&'a str>,
}

/// Who a token belongs to and what it may do, as the provider reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub account_id: String,
    pub login: String,
    pub display_name: Option<String>,
    pub avatar_url: Option<String>,
    /// `None` when the provider does not report scopes for this kind of token (fine-grained PATs,
    /// Gitee, Codeup, Gitea): unknown, not empty.
    pub scopes: Option<Vec<String>>,
    /// RFC 3339, when the provider reports an expiry.
    pub expires_at: Option<String>,
    /// The organization a token works in, when the provider tells (Codeup's lastOrganization).
    pub organization: Option<String>,
}

/// Receives repositories page by page, as they arrive.
pub type RepoSink<'a> = &'a (dyn Fn(Vec<Repo>) + Send + Sync);

#[async_trait]
pub trait Provider: Send + Sync {
    fn kind(&self) -> ProviderKind;

    /// The current user and the token's scopes and expiry.
    async fn whoami(&self, s: &Session<'_>) -> Result<Identity>;

    /// Organizations, groups or workspaces the account belongs to, with their access state.
    async fn orgs(&self, s: &Session<'_>) -> Result<Vec<Org>>;

    /// Every repository the account can reach, streamed page by page into `sink`.
    async fn repos(&self, s: &Session<'_>, sink: RepoSink<'_>) -> Result<()>;

    /// Revokes the token at the provider where an API allows it.
    async fn revoke(&self, s: &Session<'_>) -> Result<RevokeOutcome> {
        Ok(RevokeOutcome::Manual { url: self.revoke_page(s.host) })
    }

    /// The page where the user revokes the token (or the app) by hand.
    fn revoke_page(&self, host: &Host) -> String;

    /// Creates a push and tag-push webhook on `repo` (its full name) pointing at `url`, signed
    /// with `secret` in the provider's own scheme.
    async fn create_hook(&self, s: &Session<'_>, repo: &str, url: &str, secret: &Secret) -> Result<RemoteHook>;

    /// The repository's webhooks as the provider has them now.
    async fn list_hooks(&self, s: &Session<'_>, repo: &str) -> Result<Vec<RemoteHook>>;

    /// Removes a webhook; one that is already gone counts as removed.
    async fn delete_hook(&self, s: &Session<'_>, repo: &str, hook_id: &str) -> Result<()>;

    /// The repository's webhook settings page, for removing a hook by hand.
    fn hooks_page(&self, host: &Host, repo: &str) -> String;

    /// The commit a branch or tag of `repo` points at now (annotated tags: the tagged commit).
    async fn head_commit(&self, s: &Session<'_>, repo: &str, kind: SourceType, name: &str) -> Result<String>;
}

/// A webhook as the provider reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteHook {
    pub id: String,
    pub url: String,
    /// Normalised event names: `push`, `tag_push`.
    pub events: Vec<String>,
    pub active: bool,
}

impl RemoteHook {
    /// Events from a provider's push / tag-push switches (GitLab, Gitee, Codeup).
    pub fn events_from_flags(push: bool, tag_push: bool) -> Vec<String> {
        [(push, "push"), (tag_push, "tag_push")].into_iter().filter(|(on, _)| *on).map(|(_, e)| e.to_owned()).collect()
    }

    /// Events from a list where one push event also covers tag pushes (GitHub, Gitea, Bitbucket).
    pub fn events_from_list(events: Vec<String>, push_name: &str) -> Vec<String> {
        events.into_iter().flat_map(|e| if e == push_name { vec!["push".to_owned(), "tag_push".to_owned()] } else { vec![e] }).collect()
    }
}

/// `a/b c` → `a%2Fb%20c`: a full path as one URL path segment (GitLab and Codeup project ids).
pub fn encode_path(repo: &str) -> String {
    url::form_urlencoded::byte_serialize(repo.as_bytes()).collect::<String>().replace('+', "%20")
}

/// A branch or tag name as path segments: each part percent-encoded, the slashes kept.
pub fn encode_segments(name: &str) -> String {
    name.split('/').map(encode_path).collect::<Vec<_>>().join("/")
}

/// A commit SHA as a provider returned it: 40 hex digits (64 for SHA-256 repositories).
pub(crate) fn checked_sha(kind: ProviderKind, sha: &str) -> Result<String> {
    let ok = matches!(sha.len(), 40 | 64) && sha.chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(sha.to_ascii_lowercase())
    } else {
        Err(crate::error::Error::new(crate::error::ErrorCode::ProviderError, format!("{} answered with {sha:?}, which is not a commit SHA", kind.display_name())))
    }
}

/// DELETEs a provider resource; a 404 means it is already gone, which counts as removed.
pub(crate) async fn delete_gone_ok(kind: ProviderKind, s: &Session<'_>, url: &str, auth: &crate::net::Auth, headers: &[(&str, &str)]) -> Result<()> {
    let r = s.http.send(reqwest::Method::DELETE, url, auth, headers, None).await?;
    match classify::check(kind, &r) {
        Err(e) if e.code == crate::error::ErrorCode::NotFound => Ok(()),
        other => other,
    }
}

/// The provider module for `kind`.
pub fn provider(kind: ProviderKind) -> &'static dyn Provider {
    match kind {
        ProviderKind::Github => &github::GitHub,
        ProviderKind::Gitlab => &gitlab::GitLab,
        ProviderKind::Bitbucket => &bitbucket::Bitbucket,
        ProviderKind::Gitee => &gitee::Gitee,
        ProviderKind::Codeup => &codeup::Codeup,
        ProviderKind::Gitea => &gitea::Gitea,
    }
}

//! The simulated world: per provider, its users, tokens, organizations (GitHub orgs,
//! GitLab groups, Bitbucket workspaces, Gitee/Gitea orgs, Codeup organizations),
//! repositories and a few settings. Serializable to JSON for `--world FILE`.

use crate::provider::Provider;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything the simulator knows, one [`ProviderWorld`] per provider.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct World {
    pub github: ProviderWorld,
    pub gitlab: ProviderWorld,
    pub bitbucket: ProviderWorld,
    pub gitee: ProviderWorld,
    pub codeup: ProviderWorld,
    pub gitea: ProviderWorld,
}

/// One provider's data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderWorld {
    pub users: Vec<User>,
    pub tokens: Vec<Token>,
    pub orgs: Vec<Org>,
    pub repos: Vec<Repo>,
    /// Deterministic repo sets, expanded into `repos` when the world is normalized
    /// (by [`Simulator::start`](crate::Simulator::start) or [`World::from_json`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub generate: Vec<RepoSet>,
    /// OAuth applications (GitHub `/applications/{client_id}/token` uses these).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<OAuthApp>,
    /// Repository webhooks (see `hooks`), each naming its repository by id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<crate::hooks::Hook>,
    pub settings: Settings,
}

/// Per-provider knobs. Every field has a default that matches the real service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Server version: Gitea `/api/v1/version`, GitLab `/api/v4/version`,
    /// GHES `X-GitHub-Enterprise-Version` on `/api/v3`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// GitHub primary rate limit per user and hour (default 5000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<u64>,
    /// Gitee: also accept `Authorization: token|Bearer` (undocumented; default false,
    /// so only the documented `access_token` parameter works).
    pub accept_auth_header: bool,
    /// Gitea: accept `?token=` / `?access_token=` (default false, as with
    /// `DISABLE_QUERY_AUTH_TOKEN=true` and Forgejo >= 12).
    pub accept_query_token: bool,
    /// Largest page size honoured (defaults: 100; Gitea `MAX_RESPONSE_ITEMS` 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_page_size: Option<u64>,
    /// OAuth: the authorize endpoint redirects with a code at once instead of showing the
    /// consent page (like GitHub for an app the user already authorized). Default false.
    pub oauth_auto_approve: bool,
    /// OAuth: authorization-code lifetime in seconds (default 600, GitHub's 10 minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_code_ttl_secs: Option<u64>,
    /// OAuth: access-token lifetime in seconds. Defaults: GitHub none (28800 for apps with
    /// `expiring_tokens`), GitLab 7200, Bitbucket 7200, Gitee 86400, Gitea 3600.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_token_ttl_secs: Option<u64>,
    /// OAuth device flow: the polling `interval` in seconds (default 5; 0 = never `slow_down`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_device_interval_secs: Option<u64>,
    /// OAuth device flow: device/user code lifetime (defaults: GitHub 900, GitLab 300).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_device_ttl_secs: Option<u64>,
    /// OAuth refresh: whether a used refresh token dies (rotation). Defaults: GitHub, GitLab,
    /// Bitbucket true; Gitee false; Gitea false (`INVALIDATE_REFRESH_TOKENS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_rotate_refresh_tokens: Option<bool>,
}

/// An account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct User {
    /// Numeric id (0 = assign one). GitHub/GitLab/Gitee/Gitea expose it as a number.
    pub id: u64,
    pub login: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// String id where the provider uses one: Bitbucket `uuid` (`{...}`), Codeup user id.
    /// Derived from `id` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string_id: Option<String>,
    /// Bitbucket Atlassian `account_id`; derived when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

/// What kind of credential a token is; decides headers and auth rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A personal access token (GitLab `glpat-`, Gitee, Codeup `pt-`, Gitea).
    /// On GitHub it behaves like `classic`.
    #[default]
    Personal,
    /// GitHub classic PAT (`ghp_`): `X-OAuth-Scopes` is sent.
    Classic,
    /// GitHub fine-grained PAT (`github_pat_`): no `X-OAuth-Scopes`; sees only
    /// `resource_owner`'s private repos.
    FineGrained,
    /// An OAuth access token (GitHub `gho_`, GitLab, Bitbucket, Gitee, Gitea).
    Oauth,
    /// GitHub App user-to-server token (`ghu_`): no `X-OAuth-Scopes`.
    App,
    /// Bitbucket API token: HTTP Basic with the account **email** as username.
    ApiToken,
    /// Bitbucket app password (deprecated): HTTP Basic with the username.
    AppPassword,
    /// Bitbucket repository/project/workspace access tokens: Bearer,
    /// `x-credential-type: repo_access_token|project_access_token|workspace_access_token`.
    RepositoryAccessToken,
    ProjectAccessToken,
    WorkspaceAccessToken,
}

/// A credential that the simulator accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Token {
    /// The secret as the client sends it.
    pub value: String,
    /// Login of the owning user.
    pub user: String,
    pub kind: TokenKind,
    pub scopes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
    /// Numeric token id (GitLab `personal_access_tokens/self`); assigned when 0.
    pub id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// GitHub fine-grained: the account the token was created for (default: the user).
    /// Bitbucket access tokens: the workspace slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_owner: Option<String>,
    /// Codeup: the organization the token is used with on region/dedicated editions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// GitHub OAuth: the `client_id` of the app that issued it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

/// A member of an org/group/workspace with a GitLab-style access level
/// (10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner).
/// GitHub/Gitea/Bitbucket treat >= 50 as admin/owner; Codeup maps 20/30/40.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub login: String,
    #[serde(default = "default_access")]
    pub access_level: u32,
}

fn default_access() -> u32 {
    30
}

/// An organization-like container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Org {
    pub id: u64,
    /// GitHub org login, GitLab group path (one component), Bitbucket workspace slug,
    /// Gitee/Gitea org name, Codeup organization name.
    pub login: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// GitLab: full path of the parent group (`acme/platform`) for subgroups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub members: Vec<Member>,
    /// `private` (default), `internal` or `public`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Bitbucket workspace uuid, Codeup organization id (24 hex); derived when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string_id: Option<String>,
    /// GitHub: SAML SSO enforced and no token is authorized for it.
    pub sso_required: bool,
    /// GitHub: OAuth App access restrictions on, no app approved.
    pub oauth_restricted: bool,
}

/// A repository / project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Repo {
    pub id: u64,
    /// Owning user login or org login; GitLab: the full namespace path
    /// (`acme/platform/backend`); Codeup: the organization's login or id.
    pub owner: String,
    pub name: String,
    pub private: bool,
    /// Overrides `private` where a provider has more levels (GitLab/Codeup `internal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_branch: Option<String>,
    pub archived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// Branch and tag heads: full ref (`refs/heads/main`, `refs/tags/v1.0.0`) → 40-hex commit
    /// SHA. The default branch exists even when absent here (see [`Repo::head`]);
    /// `SimHandle::push` and `SimHandle::set_ref` change this map.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub refs: BTreeMap<String, String>,
}

/// `count` generated repos `{prefix}{n:05}` owned by `owner` (`repo-00001`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoSet {
    pub owner: String,
    pub count: usize,
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// Every Nth generated repo is private (0 = none).
    #[serde(default)]
    pub private_every: usize,
}

fn default_prefix() -> String {
    "repo-".to_string()
}

/// An OAuth application registered with the provider (GitHub OAuth App, GitLab
/// application, Bitbucket OAuth consumer, Gitee 第三方应用, Gitea OAuth2 application).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OAuthApp {
    pub client_id: String,
    /// Empty for a public client without a secret.
    pub client_secret: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Registered callback URLs. The first one is the default when `redirect_uri` is left
    /// out. A loopback entry without port (`http://127.0.0.1/callback`) accepts any port on
    /// GitHub, GitLab and (public clients) Gitea.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub redirect_uris: Vec<String>,
    /// Confidential client (GitLab/Gitea "Confidential"). None = confidential exactly when
    /// `client_secret` is not empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidential: Option<bool>,
    /// The account that signs in and approves in the simulated browser (default: the
    /// provider's first user).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Bitbucket: the consumer's permissions, granted whatever is asked. GitLab: the scopes
    /// the application may request (empty = any). Gitee: the default when `scope` is absent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// GitHub: "Enable Device Flow" is ticked (GitHub's default is off).
    pub device_flow: bool,
    /// GitHub: user-to-server token expiration opted in: 8-hour access tokens plus 6-month
    /// refresh tokens (`ghr_`). Without it GitHub tokens never expire and refresh is refused.
    pub expiring_tokens: bool,
}

impl OAuthApp {
    pub fn new(client_id: &str, client_secret: &str) -> OAuthApp {
        OAuthApp {
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            ..OAuthApp::default()
        }
    }

    pub fn redirect(mut self, uri: &str) -> OAuthApp {
        self.redirect_uris.push(uri.to_string());
        self
    }

    pub fn is_confidential(&self) -> bool {
        self.confidential.unwrap_or(!self.client_secret.is_empty())
    }
}

/// The epoch generated timestamps count from.
pub fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 3, 1, 8, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

impl World {
    pub fn new() -> World {
        World::default()
    }

    /// Parses the JSON form and normalizes it (ids assigned, `generate` expanded).
    pub fn from_json(text: &str) -> Result<World, serde_json::Error> {
        let mut w: World = serde_json::from_str(text)?;
        w.normalize();
        Ok(w)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn provider(&self, p: Provider) -> &ProviderWorld {
        match p {
            Provider::Github => &self.github,
            Provider::Gitlab => &self.gitlab,
            Provider::Bitbucket => &self.bitbucket,
            Provider::Gitee => &self.gitee,
            Provider::Codeup => &self.codeup,
            Provider::Gitea => &self.gitea,
        }
    }

    pub fn provider_mut(&mut self, p: Provider) -> &mut ProviderWorld {
        match p {
            Provider::Github => &mut self.github,
            Provider::Gitlab => &mut self.gitlab,
            Provider::Bitbucket => &mut self.bitbucket,
            Provider::Gitee => &mut self.gitee,
            Provider::Codeup => &mut self.codeup,
            Provider::Gitea => &mut self.gitea,
        }
    }

    pub fn with_user(mut self, p: Provider, user: User) -> World {
        self.provider_mut(p).users.push(user);
        self
    }

    pub fn with_token(mut self, p: Provider, token: Token) -> World {
        self.provider_mut(p).tokens.push(token);
        self
    }

    pub fn with_org(mut self, p: Provider, org: Org) -> World {
        self.provider_mut(p).orgs.push(org);
        self
    }

    pub fn with_repo(mut self, p: Provider, repo: Repo) -> World {
        self.provider_mut(p).repos.push(repo);
        self
    }

    /// Adds `count` deterministic repos `repo-00001..` owned by `owner` (a user login,
    /// org login or GitLab group path). Public unless a later edit says otherwise.
    pub fn with_repos(mut self, p: Provider, owner: &str, count: usize) -> World {
        self.provider_mut(p).generate_repos(&RepoSet {
            owner: owner.to_string(),
            count,
            prefix: default_prefix(),
            private_every: 0,
        });
        self
    }

    /// Assigns missing ids and expands `generate` sets. Idempotent.
    pub fn normalize(&mut self) {
        for p in Provider::ALL {
            self.provider_mut(p).normalize(p);
        }
    }

    /// Marks every token with this value revoked. Returns whether one was found.
    pub fn revoke_token(&mut self, value: &str) -> bool {
        let mut found = false;
        for p in Provider::ALL {
            for t in self
                .provider_mut(p)
                .tokens
                .iter_mut()
                .filter(|t| t.value == value)
            {
                t.revoked = true;
                found = true;
            }
        }
        found
    }

    /// Sets the token's expiry to one second ago. Returns whether one was found.
    pub fn expire_token(&mut self, value: &str) -> bool {
        let mut found = false;
        let past = Utc::now() - Duration::seconds(1);
        for p in Provider::ALL {
            for t in self
                .provider_mut(p)
                .tokens
                .iter_mut()
                .filter(|t| t.value == value)
            {
                t.expires_at = Some(past);
                found = true;
            }
        }
        found
    }
}

impl ProviderWorld {
    pub fn user(&self, login: &str) -> Option<&User> {
        self.users.iter().find(|u| u.login == login)
    }

    pub fn org(&self, login: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.login == login)
    }

    pub fn token(&self, value: &str) -> Option<&Token> {
        self.tokens.iter().find(|t| t.value == value)
    }

    pub fn app(&self, client_id: &str) -> Option<&OAuthApp> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    /// A member's access level in `org` (direct membership only).
    pub fn direct_access(&self, org: &Org, login: &str) -> Option<u32> {
        org.members
            .iter()
            .find(|m| m.login == login)
            .map(|m| m.access_level)
    }

    fn next_id(&self, floor: u64) -> u64 {
        let max = self
            .users
            .iter()
            .map(|u| u.id)
            .chain(self.orgs.iter().map(|o| o.id))
            .chain(self.repos.iter().map(|r| r.id))
            .max()
            .unwrap_or(0);
        max.max(floor) + 1
    }

    /// Appends the repos of one [`RepoSet`].
    pub fn generate_repos(&mut self, set: &RepoSet) {
        let width = set.count.to_string().len().max(5);
        let first = self.next_id(100_000);
        let base = base_time();
        self.repos.reserve(set.count);
        for (id, i) in (first..).zip(1..=set.count) {
            let created = base + Duration::minutes(i as i64);
            self.repos.push(Repo {
                id,
                owner: set.owner.clone(),
                name: format!("{}{:0width$}", set.prefix, i, width = width),
                private: set.private_every > 0 && i % set.private_every == 0,
                visibility: None,
                description: Some(format!("Generated repository {i} of {}", set.owner)),
                default_branch: Some("main".to_string()),
                archived: false,
                created_at: Some(created),
                updated_at: Some(created + Duration::days(1)),
                refs: BTreeMap::new(),
            });
        }
    }

    fn normalize(&mut self, _p: Provider) {
        let sets = std::mem::take(&mut self.generate);
        for set in &sets {
            self.generate_repos(set);
        }
        for i in 0..self.users.len() {
            if self.users[i].id == 0 {
                self.users[i].id = self.next_id(1000);
            }
        }
        for i in 0..self.orgs.len() {
            if self.orgs[i].id == 0 {
                self.orgs[i].id = self.next_id(5000);
            }
        }
        for i in 0..self.repos.len() {
            if self.repos[i].id == 0 {
                self.repos[i].id = self.next_id(100_000);
            }
        }
        let mut tid = self.tokens.iter().map(|t| t.id).max().unwrap_or(0);
        for t in &mut self.tokens {
            if t.id == 0 {
                tid += 1;
                t.id = tid;
            }
        }
        crate::hooks::normalize(self, _p);
    }
}

impl User {
    pub fn new(id: u64, login: &str) -> User {
        User {
            id,
            login: login.to_string(),
            ..User::default()
        }
    }

    pub fn named(mut self, name: &str) -> User {
        self.name = Some(name.to_string());
        self
    }

    pub fn email(mut self, email: &str) -> User {
        self.email = Some(email.to_string());
        self
    }

    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.login)
    }

    /// Bitbucket-style `{uuid}` or the explicit `string_id`.
    pub fn bitbucket_uuid(&self) -> String {
        self.string_id.clone().unwrap_or_else(|| uuid_for(self.id))
    }

    /// Codeup-style user id (hex) or the explicit `string_id`.
    pub fn codeup_id(&self) -> String {
        self.string_id
            .clone()
            .unwrap_or_else(|| hex_id(self.id, 12))
    }

    pub fn created(&self) -> DateTime<Utc> {
        self.created_at
            .unwrap_or_else(|| base_time() - Duration::days(365))
    }
}

impl Token {
    pub fn new(value: &str, user: &str, kind: TokenKind) -> Token {
        Token {
            value: value.to_string(),
            user: user.to_string(),
            kind,
            ..Token::default()
        }
    }

    pub fn scopes(mut self, scopes: &[&str]) -> Token {
        self.scopes = scopes.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn expires(mut self, at: DateTime<Utc>) -> Token {
        self.expires_at = Some(at);
        self
    }

    pub fn has_scope(&self, s: &str) -> bool {
        self.scopes.iter().any(|x| x == s)
    }

    pub fn has_any(&self, wanted: &[&str]) -> bool {
        wanted.iter().any(|w| self.has_scope(w))
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }
}

impl Org {
    pub fn new(id: u64, login: &str) -> Org {
        Org {
            id,
            login: login.to_string(),
            ..Org::default()
        }
    }

    pub fn member(mut self, login: &str, access_level: u32) -> Org {
        self.members.push(Member {
            login: login.to_string(),
            access_level,
        });
        self
    }

    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.login)
    }

    /// GitLab full path (`parent/login`).
    pub fn full_path(&self) -> String {
        match &self.parent {
            Some(p) if !p.is_empty() => format!("{p}/{}", self.login),
            _ => self.login.clone(),
        }
    }

    pub fn visibility(&self) -> &str {
        self.visibility.as_deref().unwrap_or("private")
    }

    pub fn bitbucket_uuid(&self) -> String {
        self.string_id.clone().unwrap_or_else(|| uuid_for(self.id))
    }

    pub fn codeup_id(&self) -> String {
        self.string_id
            .clone()
            .unwrap_or_else(|| hex_id(self.id, 24))
    }
}

impl Repo {
    pub fn new(id: u64, owner: &str, name: &str) -> Repo {
        Repo {
            id,
            owner: owner.to_string(),
            name: name.to_string(),
            ..Repo::default()
        }
    }

    pub fn private(mut self, private: bool) -> Repo {
        self.private = private;
        self
    }

    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// `owner/name` in ASCII lowercase: the sort key for "full_name" ordering.
    pub fn sort_key(&self) -> String {
        let mut k = String::with_capacity(self.owner.len() + self.name.len() + 1);
        k.push_str(&self.owner);
        k.push('/');
        k.push_str(&self.name);
        k.make_ascii_lowercase();
        k
    }

    /// `private`, `internal` or `public`.
    pub fn visibility(&self) -> &str {
        match self.visibility.as_deref() {
            Some(v) => v,
            None if self.private => "private",
            None => "public",
        }
    }

    pub fn is_public(&self) -> bool {
        self.visibility() == "public"
    }

    pub fn branch(&self) -> &str {
        self.default_branch.as_deref().unwrap_or("main")
    }

    /// Sets a ref's head (`refs/heads/x` / `refs/tags/v1` → SHA), builder style.
    pub fn with_ref(mut self, full_ref: &str, sha: &str) -> Repo {
        self.refs.insert(full_ref.to_string(), sha.to_string());
        self
    }

    /// The commit `full_ref` (`refs/heads/main`, `refs/tags/v1.0.0`) points at: its entry in
    /// [`refs`](Self::refs), else for `refs/heads/{default branch}` a deterministic SHA
    /// (derived from the repository id and the ref), else None (no such ref).
    pub fn head(&self, full_ref: &str) -> Option<String> {
        if let Some(sha) = self.refs.get(full_ref) {
            return Some(sha.clone());
        }
        let default = full_ref
            .strip_prefix("refs/heads/")
            .is_some_and(|b| b == self.branch());
        default.then(|| crate::refs::default_sha(self))
    }

    pub fn created(&self) -> DateTime<Utc> {
        self.created_at
            .unwrap_or_else(|| base_time() + Duration::seconds(self.id as i64 % 86_400))
    }

    pub fn updated(&self) -> DateTime<Utc> {
        self.updated_at
            .unwrap_or_else(|| self.created() + Duration::days(1))
    }
}

/// `Option::is_none_or` for the workspace's minimum Rust version (1.80).
pub trait OptionExt<T> {
    fn none_or(self, f: impl FnOnce(T) -> bool) -> bool;
}

impl<T> OptionExt<T> for Option<T> {
    fn none_or(self, f: impl FnOnce(T) -> bool) -> bool {
        match self {
            None => true,
            Some(v) => f(v),
        }
    }
}

/// A deterministic `{8-4-4-4-12}` uuid in braces from a number.
pub fn uuid_for(n: u64) -> String {
    format!(
        "{{{:08x}-0000-4000-8000-{:012x}}}",
        (n >> 32) as u32 ^ 0x5eed_0000,
        n & 0xffff_ffff_ffff
    )
}

/// A deterministic lowercase hex id of `len` digits.
pub fn hex_id(n: u64, len: usize) -> String {
    let h = format!("{:x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5f0d_a1b2);
    let mut s = format!("{h:0>16}{n:08x}");
    while s.len() < len {
        s.push('0');
    }
    s.truncate(len);
    s
}

/// RFC 3339 with millisecond precision and `Z` (the style GitLab/GitHub use).
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// RFC 3339 with milliseconds (`2021-03-01T08:00:00.000Z`).
pub fn iso_ms(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_repos_is_deterministic_and_padded() {
        let w = World::new().with_repos(Provider::Github, "octo", 12);
        let names: Vec<_> = w.github.repos.iter().map(|r| r.name.clone()).collect();
        assert_eq!(names[0], "repo-00001");
        assert_eq!(names[11], "repo-00012");
        let again = World::new().with_repos(Provider::Github, "octo", 12);
        assert_eq!(w, again);
    }

    #[test]
    fn json_round_trip_expands_generate() {
        let text = r#"{"gitea":{"users":[{"login":"u"}],"generate":[{"owner":"u","count":3}]}}"#;
        let w = World::from_json(text).expect("parse");
        assert_eq!(w.gitea.repos.len(), 3);
        assert!(w.gitea.users[0].id > 0);
        let back = World::from_json(&w.to_json()).expect("reparse");
        assert_eq!(back, w);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(World::from_json(r#"{"github":{"userz":[]}}"#).is_err());
    }

    #[test]
    fn ids_are_stable_strings() {
        assert_eq!(hex_id(7, 24).len(), 24);
        assert!(uuid_for(42).starts_with('{') && uuid_for(42).ends_with('}'));
    }
}

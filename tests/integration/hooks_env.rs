//! What the build-trigger suites share: per provider, the repositories and tokens used, and an
//! environment of one simulator, data dir, MemoryVault core and receiver per test.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use codebind_core::model::{BindRequest, Binding, EventKind, HistoryQuery, ProviderKind, SourceType};
use codebind_core::net::HttpOptions;
use codebind_core::usecases::NewRule;
use codebind_core::vault::{MemoryVault, Vault};
use codebind_core::Core;
use codebind_simulator::{demo, Provider, SimHandle, Simulator, Token, TokenKind, World};
use codebind_tests::receiver::{Received, Receiver};

/// Per provider: the repositories used, a token of the same account without the webhook scope,
/// and the word the `insufficient_scope` message must name.
pub struct Case {
    pub kind: ProviderKind,
    pub sim: Provider,
    pub token: &'static str,
    pub repo: String,
    pub other_repo: String,
    pub no_hook_token: &'static str,
    pub scope_word: &'static str,
}

pub const GITHUB_NO_HOOKS: &str = "ghp_demoNoHookScopes0000000000000000000";
const BITBUCKET_NO_HOOKS: &str = "ATATT3xFfGF0demoNoWebhookScopes00000000000";
const GITEE_NO_HOOKS: &str = "5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";
const CODEUP_NO_HOOKS: &str = "pt-demoNoWebhookPermission_0000000000000000";
const GITEA_NO_HOOKS: &str = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";

pub fn case(kind: ProviderKind) -> Case {
    let (sim, token, repo, other, no_hook, word) = match kind {
        ProviderKind::Github => (Provider::Github, demo::GITHUB_CLASSIC, "acme/api".to_owned(), "octocat/hello-world".to_owned(), GITHUB_NO_HOOKS, "admin:repo_hook"),
        ProviderKind::Gitlab => (
            Provider::Gitlab,
            demo::GITLAB_PAT,
            "acme/platform/backend/api-server".to_owned(),
            "acme/platform/infra".to_owned(),
            demo::GITLAB_READ_USER,
            "api",
        ),
        ProviderKind::Bitbucket => (Provider::Bitbucket, demo::BITBUCKET_API_TOKEN, "acme-ws/backend".to_owned(), "acme-ws/frontend".to_owned(), BITBUCKET_NO_HOOKS, "webhook"),
        ProviderKind::Gitee => (Provider::Gitee, demo::GITEE_TOKEN, "giteeuser/hello-gitee".to_owned(), "acme-cn/service".to_owned(), GITEE_NO_HOOKS, "hook"),
        ProviderKind::Codeup => (
            Provider::Codeup,
            demo::CODEUP_TOKEN,
            format!("{}/demo-repo", demo::CODEUP_ORG_ID),
            format!("{}/build-scripts", demo::CODEUP_ORG_ID),
            CODEUP_NO_HOOKS,
            "Webhook",
        ),
        ProviderKind::Gitea => (Provider::Gitea, demo::GITEA_TOKEN, "acme/platform".to_owned(), "gitea-user/dotfiles".to_owned(), GITEA_NO_HOOKS, "write:repository"),
    };
    Case { kind, sim, token, repo, other_repo: other, no_hook_token: no_hook, scope_word: word }
}

/// The demo world plus, per provider, a token of the demo account that may read repositories but
/// not manage webhooks.
pub fn world() -> World {
    World::demo()
        .with_token(Provider::Github, Token::new(GITHUB_NO_HOOKS, "octocat", TokenKind::Classic).scopes(&["public_repo", "read:org", "read:user"]))
        .with_token(
            Provider::Bitbucket,
            Token::new(BITBUCKET_NO_HOOKS, "bbuser", TokenKind::ApiToken).scopes(&["read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket"]),
        )
        .with_token(Provider::Gitee, Token::new(GITEE_NO_HOOKS, "giteeuser", TokenKind::Personal).scopes(&["user_info", "projects", "groups"]))
        .with_token(Provider::Codeup, {
            let mut t = Token::new(CODEUP_NO_HOOKS, "codeupuser", TokenKind::Personal).scopes(&["repository:read", "organization:read"]);
            t.organization_id = Some(demo::CODEUP_ORG_ID.to_owned());
            t
        })
        .with_token(Provider::Gitea, Token::new(GITEA_NO_HOOKS, "gitea-user", TokenKind::Personal).scopes(&["read:user", "read:repository", "read:organization"]))
}

pub struct Env {
    pub sim: SimHandle,
    pub core: Core,
    pub vault: Arc<MemoryVault>,
    pub rx: Receiver,
    pub dir: tempfile::TempDir,
}

pub async fn env() -> Env {
    let sim = Simulator::start(world()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::new());
    let options = HttpOptions { backoff: Duration::from_millis(10), timeout: Duration::from_secs(5), ..Default::default() };
    let core = Core::open_with(dir.path(), vault.clone(), options).unwrap();
    let rx = Receiver::start().await;
    Env { sim, core, vault, rx, dir }
}

impl Env {
    pub async fn bind(&self, c: &Case, token: &str) -> Binding {
        let req = BindRequest {
            provider: c.kind,
            host: Some(self.sim.base_url(c.sim)),
            token: token.to_owned(),
            username: (c.kind == ProviderKind::Bitbucket).then(|| demo::BITBUCKET_EMAIL.to_owned()),
            organization: (c.kind == ProviderKind::Codeup).then(|| demo::CODEUP_ORG_ID.to_owned()),
            ca_bundle: None,
        };
        match self.core.bind_with_token(req).await {
            Ok(b) => b,
            Err(e) => panic!("{:?}: binding failed: [{}] {}", c.kind, e.code.as_str(), e.message),
        }
    }

    pub fn rule(&self, b: &Binding, repo: &str, source_type: SourceType, source: &str) -> NewRule {
        NewRule {
            binding_id: b.id.clone(),
            repo: repo.to_owned(),
            source_type,
            source: source.to_owned(),
            dockerfile: "docker/Dockerfile".to_owned(),
            context: Some(".".to_owned()),
            image: "registry.example.com/team/app:{branch}{tag}-{sha7}".to_owned(),
            trigger_url: None,
            trigger_auth: None,
        }
    }

    pub fn events(&self, id: &str) -> Vec<EventKind> {
        let q = HistoryQuery { binding_id: Some(id.to_owned()), ..Default::default() };
        let mut kinds: Vec<EventKind> = self.core.history(&q).unwrap().events.iter().map(|e| e.kind).collect();
        kinds.reverse();
        kinds
    }

    pub fn secret(&self, key: &str) -> String {
        self.vault.get(key).unwrap().unwrap_or_else(|| panic!("{key} is in the vault")).expose().to_owned()
    }

    /// The newest request the receiver got after `before` of them, waiting a little for it.
    pub async fn next(&self, before: usize) -> Received {
        let got = self.rx.wait_for(before + 1, Duration::from_secs(5)).await;
        assert_eq!(got.len(), before + 1, "exactly one more request reached the receiver");
        got.last().unwrap().clone()
    }
}


//! `World::demo()`: one user and working token per provider, a few orgs and repos, plus
//! the special cases tests reach for (GitHub SAML-SSO and OAuth-restricted orgs, GitLab
//! nested subgroups, Bitbucket email-based API token, Codeup organization id).
//! The token values are fixed so tests and manual exploration can use them directly.

use crate::provider::Provider::{self, Bitbucket, Codeup, Gitea, Gitee, Github, Gitlab};
use crate::world::{OAuthApp, Org, Repo, Token, TokenKind, User, World};
use chrono::{TimeZone, Utc};

/// The demo tokens, by name, for tests: `demo::GITHUB_CLASSIC` etc.
pub const GITHUB_CLASSIC: &str = "ghp_demoClassicToken0000000000000000000";
pub const GITHUB_FINE_GRAINED: &str =
    "github_pat_11DEMO000000000000000000_demoFineGrainedToken0000000000000000000000";
pub const GITHUB_OAUTH: &str = "gho_demoOAuthToken000000000000000000000";
pub const GITHUB_NO_SCOPES: &str = "ghp_demoNoScopes00000000000000000000000";
pub const GITHUB_APP_CLIENT_ID: &str = "Ov23liDemoClientId00";
pub const GITHUB_APP_CLIENT_SECRET: &str = "demo-client-secret-0000000000000000000000";
pub const GITLAB_PAT: &str = "glpat-demoApiToken0000000";
pub const GITLAB_READ_USER: &str = "glpat-demoReadUser000000";
pub const BITBUCKET_EMAIL: &str = "bbuser@example.com";
pub const BITBUCKET_API_TOKEN: &str = "ATATT3xFfGF0demoApiToken000000000000000000";
pub const BITBUCKET_OAUTH: &str = "demo-bitbucket-oauth-access-token-000000";
pub const BITBUCKET_REPO_ACCESS_TOKEN: &str = "ATCTT3xFfGN0demoRepoAccessToken0000000000";
pub const GITEE_TOKEN: &str = "0d3e1f2a3b4c5d6e7f8091a2b3c4d5e6";
pub const CODEUP_TOKEN: &str = "pt-demoCodeupToken0000_00000000000000000000";
pub const CODEUP_ORG_ID: &str = "60d54f3daccf2bbd6659f3ad";
pub const GITEA_TOKEN: &str = "3f5c2a9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a39";

/// The callbacks the demo OAuth apps register: Codebind's custom scheme and the loopback
/// redirect (registered without port, so any port works where the provider allows it).
pub const OAUTH_CALLBACK: &str = "codebind://oauth/callback";
pub const LOOPBACK_CALLBACK: &str = "http://127.0.0.1/callback";
/// GitLab: a non-confidential application (no secret; PKCE required), scopes `api`,
/// `read_api`, `read_user`.
pub const GITLAB_APP_CLIENT_ID: &str =
    "8f3c1d0e5b7a49c2a1d6e4f3b2c1a0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3";
/// Bitbucket OAuth consumer (key + secret; permissions `account email repository webhook`).
pub const BITBUCKET_APP_CLIENT_ID: &str = "DemoConsumerKey123";
pub const BITBUCKET_APP_CLIENT_SECRET: &str = "DemoConsumerSecret0000000000000000";
/// Gitee 第三方应用 (client id + secret).
pub const GITEE_APP_CLIENT_ID: &str =
    "5e8d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d";
pub const GITEE_APP_CLIENT_SECRET: &str =
    "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
/// Gitea: a public OAuth2 application (no secret; PKCE required).
pub const GITEA_APP_CLIENT_ID: &str = "0f6d3e0a-1c2b-4d5e-8f9a-7b6c5d4e3f2a";

/// Every demo token with its provider, kind and the user it belongs to.
pub fn demo_tokens(w: &World) -> Vec<(Provider, Token)> {
    crate::provider::Provider::ALL
        .into_iter()
        .flat_map(|p| w.provider(p).tokens.iter().cloned().map(move |t| (p, t)))
        .collect()
}

fn far_future() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

fn repo(owner: &str, name: &str, private: bool, desc: &str) -> Repo {
    let mut r = Repo::new(0, owner, name).private(private);
    r.description = Some(desc.to_string());
    r
}

pub fn demo() -> World {
    let mut w = World::new();

    // GitHub -----------------------------------------------------------------------
    w = w
        .with_user(
            Github,
            User::new(583231, "octocat")
                .named("The Octocat")
                .email("octocat@example.com"),
        )
        .with_token(
            Github,
            Token::new(GITHUB_CLASSIC, "octocat", TokenKind::Classic)
                .scopes(&["repo", "read:org", "read:user", "user:email"])
                .expires(far_future()),
        )
        .with_token(Github, {
            let mut t = Token::new(GITHUB_FINE_GRAINED, "octocat", TokenKind::FineGrained);
            t.resource_owner = Some("octocat".to_string());
            t.expires(far_future())
        })
        .with_token(Github, {
            let mut t =
                Token::new(GITHUB_OAUTH, "octocat", TokenKind::Oauth).scopes(&["repo", "read:org"]);
            t.app = Some(GITHUB_APP_CLIENT_ID.to_string());
            t
        })
        .with_token(
            Github,
            Token::new(GITHUB_NO_SCOPES, "octocat", TokenKind::Classic),
        )
        .with_org(Github, Org::new(9919, "acme").member("octocat", 50))
        .with_org(Github, {
            let mut o = Org::new(9920, "acme-sso").member("octocat", 30);
            o.sso_required = true;
            o
        })
        .with_org(Github, {
            let mut o = Org::new(9921, "acme-restricted").member("octocat", 30);
            o.oauth_restricted = true;
            o
        })
        .with_repo(
            Github,
            repo("octocat", "hello-world", false, "My first repository"),
        )
        .with_repo(
            Github,
            repo("octocat", "secret-plans", true, "Private notes"),
        )
        .with_repo(Github, repo("acme", "api", true, "Acme API service"))
        .with_repo(Github, repo("acme", "website", false, "Acme website"))
        .with_repo(Github, repo("acme-sso", "vault", true, "Behind SAML SSO"))
        .with_repo(
            Github,
            repo(
                "acme-restricted",
                "internal-tools",
                true,
                "Restricted to approved OAuth apps",
            ),
        )
        .with_repo(
            Github,
            repo("acme-restricted", "docs", false, "Public docs"),
        );
    // A confidential OAuth App with the device flow and token expiration enabled. (A real
    // OAuth App registers a single callback URL; the simulator accepts a list.)
    w.github.apps.push(OAuthApp {
        name: Some("Codebind (demo)".to_string()),
        device_flow: true,
        expiring_tokens: true,
        ..OAuthApp::new(GITHUB_APP_CLIENT_ID, GITHUB_APP_CLIENT_SECRET)
            .redirect(LOOPBACK_CALLBACK)
            .redirect(OAUTH_CALLBACK)
    });

    // GitLab -----------------------------------------------------------------------
    let mut platform = Org::new(9002, "platform");
    platform.name = Some("Platform".to_string());
    platform.parent = Some("acme".to_string());
    let mut backend = Org::new(9003, "backend");
    backend.name = Some("Backend".to_string());
    backend.parent = Some("acme/platform".to_string());
    let mut oss = Org::new(9004, "opensource");
    oss.name = Some("Open Source".to_string());
    oss.visibility = Some("public".to_string());
    let mut acme = Org::new(9001, "acme").member("alice", 50);
    acme.name = Some("Acme".to_string());
    w = w
        .with_user(
            Gitlab,
            User::new(101, "alice")
                .named("Alice Liddell")
                .email("alice@example.com"),
        )
        .with_token(Gitlab, {
            let mut t = Token::new(GITLAB_PAT, "alice", TokenKind::Personal)
                .scopes(&["api"])
                .expires(far_future());
            t.name = Some("codebind".to_string());
            t
        })
        .with_token(Gitlab, {
            let mut t =
                Token::new(GITLAB_READ_USER, "alice", TokenKind::Personal).scopes(&["read_user"]);
            t.name = Some("identity only".to_string());
            t
        })
        .with_org(Gitlab, acme)
        .with_org(Gitlab, platform)
        .with_org(Gitlab, backend)
        .with_org(Gitlab, oss)
        .with_repo(Gitlab, repo("alice", "dotfiles", true, "Personal dotfiles"))
        .with_repo(Gitlab, {
            let mut r = repo("acme", "handbook", true, "Company handbook");
            r.visibility = Some("internal".to_string());
            r
        })
        .with_repo(
            Gitlab,
            repo("acme/platform", "infra", true, "Infrastructure as code"),
        )
        .with_repo(
            Gitlab,
            repo(
                "acme/platform/backend",
                "api-server",
                true,
                "The API server",
            ),
        )
        .with_repo(
            Gitlab,
            repo("opensource", "public-lib", false, "A public library"),
        );

    w.gitlab.apps.push(OAuthApp {
        name: Some("Codebind (demo)".to_string()),
        confidential: Some(false),
        scopes: vec!["api".into(), "read_api".into(), "read_user".into()],
        ..OAuthApp::new(GITLAB_APP_CLIENT_ID, "")
            .redirect(LOOPBACK_CALLBACK)
            .redirect(OAUTH_CALLBACK)
    });

    // Bitbucket --------------------------------------------------------------------
    w = w
        .with_user(
            Bitbucket,
            User::new(201, "bbuser")
                .named("Bit Bucket")
                .email(BITBUCKET_EMAIL),
        )
        .with_token(
            Bitbucket,
            Token::new(BITBUCKET_API_TOKEN, "bbuser", TokenKind::ApiToken)
                .scopes(&[
                    "read:user:bitbucket",
                    "read:workspace:bitbucket",
                    "read:repository:bitbucket",
                    "read:webhook:bitbucket",
                    "write:webhook:bitbucket",
                    "delete:webhook:bitbucket",
                ])
                .expires(far_future()),
        )
        .with_token(
            Bitbucket,
            Token::new(BITBUCKET_OAUTH, "bbuser", TokenKind::Oauth)
                .scopes(&["account", "repository"]),
        )
        .with_token(Bitbucket, {
            let mut t = Token::new(
                BITBUCKET_REPO_ACCESS_TOKEN,
                "bbuser",
                TokenKind::RepositoryAccessToken,
            )
            .scopes(&["repository:write"]);
            t.resource_owner = Some("acme-ws".to_string());
            t
        })
        .with_org(Bitbucket, {
            let mut o = Org::new(9101, "acme-ws").member("bbuser", 50);
            o.name = Some("Acme Workspace".to_string());
            o
        })
        .with_org(Bitbucket, {
            let mut o = Org::new(9102, "partner-ws").member("bbuser", 30);
            o.name = Some("Partner".to_string());
            o
        })
        .with_repo(Bitbucket, repo("bbuser", "personal-site", false, "My site"))
        .with_repo(Bitbucket, repo("acme-ws", "backend", true, "Backend"))
        .with_repo(Bitbucket, repo("acme-ws", "frontend", true, "Frontend"))
        .with_repo(
            Bitbucket,
            repo("partner-ws", "shared-lib", true, "Shared library"),
        );

    w.bitbucket.apps.push(OAuthApp {
        name: Some("Codebind (demo)".to_string()),
        scopes: vec![
            "account".into(),
            "email".into(),
            "repository".into(),
            "webhook".into(),
        ],
        ..OAuthApp::new(BITBUCKET_APP_CLIENT_ID, BITBUCKET_APP_CLIENT_SECRET)
            .redirect(OAUTH_CALLBACK)
    });

    // Gitee ------------------------------------------------------------------------
    w = w
        .with_user(
            Gitee,
            User::new(7001, "giteeuser")
                .named("码云用户")
                .email("giteeuser@example.com"),
        )
        .with_token(
            Gitee,
            Token::new(GITEE_TOKEN, "giteeuser", TokenKind::Personal).scopes(&[
                "user_info",
                "projects",
                "groups",
                "emails",
                "hook",
            ]),
        )
        .with_org(Gitee, {
            let mut o = Org::new(7101, "acme-cn").member("giteeuser", 50);
            o.name = Some("Acme 中国".to_string());
            o
        })
        .with_repo(Gitee, repo("giteeuser", "hello-gitee", false, "你好"))
        .with_repo(Gitee, repo("giteeuser", "private-notes", true, "私有"))
        .with_repo(Gitee, repo("acme-cn", "service", true, "服务"));

    w.gitee.apps.push(OAuthApp {
        name: Some("Codebind (demo)".to_string()),
        scopes: vec![
            "user_info".into(),
            "projects".into(),
            "groups".into(),
            "hook".into(),
            "emails".into(),
        ],
        ..OAuthApp::new(GITEE_APP_CLIENT_ID, GITEE_APP_CLIENT_SECRET).redirect(OAUTH_CALLBACK)
    });

    // Codeup -----------------------------------------------------------------------
    w = w
        .with_user(Codeup, {
            let mut u = User::new(8001, "codeupuser")
                .named("云效用户")
                .email("codeupuser@example.com");
            u.string_id = Some("62c795c9cfb0b1ef7e1d1a34".to_string());
            u
        })
        .with_token(Codeup, {
            let mut t =
                Token::new(CODEUP_TOKEN, "codeupuser", TokenKind::Personal).expires(far_future());
            t.organization_id = Some(CODEUP_ORG_ID.to_string());
            t
        })
        .with_org(Codeup, {
            let mut o = Org::new(8101, "acme-codeup").member("codeupuser", 40);
            o.name = Some("Acme Codeup".to_string());
            o.string_id = Some(CODEUP_ORG_ID.to_string());
            o
        })
        .with_org(Codeup, {
            let mut o = Org::new(8102, "other-org");
            o.string_id = Some("5f9a0b1c2d3e4f5a6b7c8d9e".to_string());
            o
        })
        .with_repo(
            Codeup,
            repo("acme-codeup", "demo-repo", true, "Demo repository"),
        )
        .with_repo(
            Codeup,
            repo("acme-codeup", "build-scripts", true, "Build scripts"),
        )
        .with_repo(
            Codeup,
            repo(
                "other-org",
                "not-yours",
                true,
                "Another organization's repo",
            ),
        );

    // Gitea ------------------------------------------------------------------------
    w = w
        .with_user(
            Gitea,
            User::new(1, "gitea-user")
                .named("Gitea User")
                .email("gitea-user@example.com"),
        )
        .with_token(
            Gitea,
            Token::new(GITEA_TOKEN, "gitea-user", TokenKind::Personal).scopes(&[
                "read:user",
                "read:repository",
                "read:organization",
                "write:repository",
            ]),
        )
        .with_org(Gitea, Org::new(3, "acme").member("gitea-user", 50))
        .with_repo(Gitea, repo("gitea-user", "dotfiles", false, "Dotfiles"))
        .with_repo(Gitea, repo("gitea-user", "private-repo", true, "Private"))
        .with_repo(Gitea, repo("acme", "platform", true, "Platform"));

    // Custom schemes need `[oauth2] CUSTOM_SCHEMES = codebind` on a real instance.
    w.gitea.apps.push(OAuthApp {
        name: Some("Codebind (demo)".to_string()),
        confidential: Some(false),
        ..OAuthApp::new(GITEA_APP_CLIENT_ID, "")
            .redirect(LOOPBACK_CALLBACK)
            .redirect(OAUTH_CALLBACK)
    });

    w.normalize();
    w
}

impl World {
    /// One user and token per provider and a few repos; see the `demo` module for the
    /// fixed token values.
    pub fn demo() -> World {
        demo()
    }
}

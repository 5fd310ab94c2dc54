//! Every provider's real client (codebind-core) against the simulator, at the library level:
//! MemoryVault, no keychain, no CLI. One simulator per test, so tests run in parallel.
//!
//! What is checked, per provider: binding with the demo token (identity, scopes, expiry),
//! re-binding, organizations and their access state, repositories, verification (also after
//! revocation, expiry and injected faults), disable/enable, unbind with revocation, the documented
//! way each request carries the token, very large accounts, and bad input that must change nothing.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Duration;

use codebind_core::model::{
    BindRequest, Binding, BindingStatus, EventKind, HistoryQuery, OrgAccess, ProviderKind, Repo, RevokeOutcome,
};
use codebind_core::net::HttpOptions;
use codebind_core::vault::{MemoryVault, Vault};
use codebind_core::{Core, Error, ErrorCode};
use codebind_simulator::demo;
use codebind_simulator::{Fault, FaultRule, Provider, SimHandle, Simulator, Token, TokenKind, User, World};

const ALL: [ProviderKind; 6] = ProviderKind::ALL;

/// A simulator, a data dir and a Core with short backoff (retries stay fast).
struct Env {
    sim: SimHandle,
    core: Core,
    vault: Arc<MemoryVault>,
    _dir: tempfile::TempDir,
}

fn options() -> HttpOptions {
    HttpOptions { backoff: Duration::from_millis(10), timeout: Duration::from_secs(3), ..Default::default() }
}

async fn env_with(world: World, options: HttpOptions) -> Env {
    let sim = Simulator::start(world).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::new());
    let core = Core::open_with(dir.path(), vault.clone(), options).unwrap();
    Env { sim, core, vault, _dir: dir }
}

async fn env() -> Env {
    env_with(World::demo(), options()).await
}

fn sim_p(kind: ProviderKind) -> Provider {
    match kind {
        ProviderKind::Github => Provider::Github,
        ProviderKind::Gitlab => Provider::Gitlab,
        ProviderKind::Bitbucket => Provider::Bitbucket,
        ProviderKind::Gitee => Provider::Gitee,
        ProviderKind::Codeup => Provider::Codeup,
        ProviderKind::Gitea => Provider::Gitea,
    }
}

fn demo_token(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Github => demo::GITHUB_CLASSIC,
        ProviderKind::Gitlab => demo::GITLAB_PAT,
        ProviderKind::Bitbucket => demo::BITBUCKET_API_TOKEN,
        ProviderKind::Gitee => demo::GITEE_TOKEN,
        ProviderKind::Codeup => demo::CODEUP_TOKEN,
        ProviderKind::Gitea => demo::GITEA_TOKEN,
    }
}

impl Env {
    fn host(&self, kind: ProviderKind) -> String {
        self.sim.base_url(sim_p(kind))
    }

    /// What a user would enter: the simulator's host, the provider's extra field, the token.
    fn request(&self, kind: ProviderKind, token: &str) -> BindRequest {
        BindRequest {
            provider: kind,
            host: Some(self.host(kind)),
            token: token.to_owned(),
            username: (kind == ProviderKind::Bitbucket).then(|| demo::BITBUCKET_EMAIL.to_owned()),
            organization: (kind == ProviderKind::Codeup).then(|| demo::CODEUP_ORG_ID.to_owned()),
            ca_bundle: None,
        }
    }

    async fn bind_token(&self, kind: ProviderKind, token: &str) -> Binding {
        match self.core.bind_with_token(self.request(kind, token)).await {
            Ok(b) => b,
            Err(e) => panic!("{kind:?}: binding failed: [{}] {}", e.code.as_str(), e.message),
        }
    }

    async fn bind(&self, kind: ProviderKind) -> Binding {
        self.bind_token(kind, demo_token(kind)).await
    }

    /// The binding's history, oldest first.
    fn events(&self, id: &str) -> Vec<EventKind> {
        let q = HistoryQuery { binding_id: Some(id.to_owned()), ..Default::default() };
        let mut kinds: Vec<EventKind> = self.core.history(&q).unwrap().events.iter().map(|e| e.kind).collect();
        kinds.reverse();
        kinds
    }

    fn stored(&self, id: &str) -> Binding {
        self.core.list_bindings().unwrap().into_iter().find(|b| b.id == id).expect("binding is stored")
    }

    fn user(&self, kind: ProviderKind) -> User {
        self.sim.world().provider(sim_p(kind)).users[0].clone()
    }

    fn token_revoked(&self, kind: ProviderKind, token: &str) -> bool {
        self.sim.world().provider(sim_p(kind)).token(token).expect("token in world").revoked
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, Error>) -> ErrorCode {
    r.expect_err("expected an error").code
}

// ---- binding ---------------------------------------------------------------------

#[tokio::test]
async fn every_provider_binds_with_its_demo_token_as_the_worlds_user() {
    let env = env().await;
    for (n, kind) in ALL.into_iter().enumerate() {
        let b = env.bind(kind).await;
        let u = env.user(kind);
        let account_id = match kind {
            ProviderKind::Bitbucket => u.bitbucket_uuid(),
            ProviderKind::Codeup => u.codeup_id(),
            _ => u.id.to_string(),
        };
        assert_eq!(b.provider, kind);
        assert_eq!(b.host, env.host(kind), "{kind:?}: the host is stored normalised");
        assert_eq!(b.account_id, account_id, "{kind:?}");
        assert_eq!(b.login, u.login, "{kind:?}");
        assert_eq!(b.display_name, u.name, "{kind:?}");
        assert_eq!(b.auth_method, codebind_core::model::AuthMethod::Token);
        assert_eq!(b.status, BindingStatus::Active, "{kind:?}");
        assert!(!b.disabled && b.last_verified_at.is_some(), "{kind:?}");
        match kind {
            ProviderKind::Bitbucket => assert_eq!(b.username.as_deref(), Some(demo::BITBUCKET_EMAIL)),
            ProviderKind::Codeup => assert_eq!(b.organization.as_deref(), Some(demo::CODEUP_ORG_ID)),
            _ => assert_eq!((b.username.as_deref(), b.organization.as_deref()), (None, None), "{kind:?}"),
        }
        // The token is in the vault under the binding's key, and only there.
        assert_eq!(env.vault.get(&b.vault_key).unwrap().unwrap().expose(), demo_token(kind));
        assert_eq!(env.vault.len(), n + 1);
        assert_eq!(env.stored(&b.id), b);
        assert_eq!(env.events(&b.id), vec![EventKind::Bound], "{kind:?}");
    }
    assert_eq!(env.core.list_bindings().unwrap().len(), 6);
}

#[tokio::test]
async fn scopes_and_expiry_are_read_each_providers_way() {
    let env = env().await;
    let far = Some("2030-01-01T00:00:00.000Z");

    // GitHub classic PAT: X-OAuth-Scopes and the token-expiration header.
    let gh = env.bind(ProviderKind::Github).await;
    assert!(gh.scopes_reported);
    assert_eq!(gh.scopes, ["repo", "read:org", "read:user", "user:email"]);
    assert_eq!(gh.expires_at.as_deref(), far);
    let health = env.core.binding_detail(&gh.id).unwrap().scope_health;
    assert!(health.reported && health.granted == gh.scopes);

    // A fine-grained PAT sends no scope header: unknown, not empty.
    let fine = env.bind_token(ProviderKind::Github, demo::GITHUB_FINE_GRAINED).await;
    assert!(!fine.scopes_reported && fine.scopes.is_empty());
    assert_eq!(fine.status, BindingStatus::Active);
    assert_eq!(fine.expires_at.as_deref(), far);
    assert!(!env.core.binding_detail(&fine.id).unwrap().scope_health.reported);

    // A classic PAT with no scopes is reported, empty, and not enough to read repositories.
    let bare = env.bind_token(ProviderKind::Github, demo::GITHUB_NO_SCOPES).await;
    assert!(bare.scopes_reported && bare.scopes.is_empty());
    assert_eq!(bare.status, BindingStatus::InsufficientScopes);
    assert_eq!(bare.expires_at, None);

    // GitLab: personal_access_tokens/self, expires_at as a date (start of day, UTC).
    let gl = env.bind(ProviderKind::Gitlab).await;
    assert!(gl.scopes_reported);
    assert_eq!(gl.scopes, ["api"]);
    assert_eq!(gl.expires_at.as_deref(), far);
    assert!(env.sim.requests_for(Provider::Gitlab).iter().any(|r| r.path == "/api/v4/personal_access_tokens/self"));
    let read_user = env.bind_token(ProviderKind::Gitlab, demo::GITLAB_READ_USER).await;
    assert_eq!(read_user.scopes, ["read_user"]);
    assert_eq!(read_user.expires_at, None);
    assert_eq!(read_user.status, BindingStatus::InsufficientScopes);

    // Bitbucket API tokens report their granular scopes in x-oauth-scopes.
    let bb = env.bind(ProviderKind::Bitbucket).await;
    assert!(bb.scopes_reported);
    let got: BTreeSet<&str> = bb.scopes.iter().map(String::as_str).collect();
    let webhooks = ["read:webhook:bitbucket", "write:webhook:bitbucket", "delete:webhook:bitbucket"];
    assert_eq!(got, BTreeSet::from(["read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket", webhooks[0], webhooks[1], webhooks[2]]));
    assert_eq!(bb.status, BindingStatus::Active);

    // Gitee, Codeup and Gitea do not report scopes.
    for kind in [ProviderKind::Gitee, ProviderKind::Codeup, ProviderKind::Gitea] {
        let b = env.bind(kind).await;
        assert!(!b.scopes_reported && b.scopes.is_empty(), "{kind:?}");
        assert_eq!(b.status, BindingStatus::Active, "{kind:?}");
    }
}

#[tokio::test]
async fn rebinding_the_same_account_keeps_its_id_and_logs_re_authorized() {
    let env = env().await;
    for kind in ALL {
        let first = env.bind(kind).await;
        let again = env.bind(kind).await;
        assert_eq!(first.id, again.id, "{kind:?}");
        assert_eq!(first.created_at, again.created_at, "{kind:?}");
        assert_eq!(env.events(&first.id), vec![EventKind::Bound, EventKind::ReAuthorized], "{kind:?}");
    }
    assert_eq!(env.core.list_bindings().unwrap().len(), 6);

    // Another token of the same GitHub account replaces the stored one.
    let id = env.core.list_bindings().unwrap().into_iter().find(|b| b.provider == ProviderKind::Github).unwrap().id;
    let oauth = env.bind_token(ProviderKind::Github, demo::GITHUB_OAUTH).await;
    assert_eq!(oauth.id, id);
    assert_eq!(oauth.scopes, ["repo", "read:org"]);
    assert_eq!(env.vault.get(&oauth.vault_key).unwrap().unwrap().expose(), demo::GITHUB_OAUTH);
    assert_eq!(env.vault.len(), 6);
}

// ---- organizations ---------------------------------------------------------------

#[tokio::test]
async fn github_orgs_show_granted_sso_required_and_restricted_access() {
    let env = env().await;
    let b = env.bind(ProviderKind::Github).await;
    let orgs = env.core.orgs(&b.id).await.unwrap();
    let by_id: BTreeMap<&str, _> = orgs.iter().map(|o| (o.id.as_str(), o)).collect();
    assert_eq!(by_id.len(), 3, "{orgs:#?}");

    let acme = by_id["9919"];
    assert_eq!((acme.login.as_str(), acme.access, acme.grant_url.as_deref()), ("acme", OrgAccess::Granted, None));
    assert_eq!(acme.kind, "organization");
    // A classic PAT is not subject to OAuth App restrictions.
    assert_eq!(by_id["9921"].access, OrgAccess::Granted);
    // The SAML SSO org: GitHub leaves it out of the list and names its id in X-GitHub-SSO.
    let sso = by_id["9920"];
    assert_eq!(sso.access, OrgAccess::SsoRequired, "{sso:#?}");
    // Known by id only; the token is authorized for it next to the token ("Configure SSO").
    assert_eq!(sso.login, "9920");
    assert_eq!(sso.grant_url, Some(format!("{}/settings/tokens", env.host(ProviderKind::Github))));

    // The same account through an OAuth token: acme-restricted restricts OAuth Apps.
    env.bind_token(ProviderKind::Github, demo::GITHUB_OAUTH).await;
    let orgs = env.core.orgs(&b.id).await.unwrap();
    let restricted = orgs.iter().find(|o| o.login == "acme-restricted").unwrap();
    assert_eq!(restricted.access, OrgAccess::Restricted);
    assert!(restricted.grant_url.as_deref().is_some_and(|u| u.starts_with(&env.host(ProviderKind::Github))));
    assert_eq!(orgs.iter().find(|o| o.login == "acme").unwrap().access, OrgAccess::Granted);
    // An OAuth App is re-authorized for an SSO org from the authorized-apps page.
    let sso = orgs.iter().find(|o| o.id == "9920").unwrap();
    assert_eq!(sso.access, OrgAccess::SsoRequired);
    assert_eq!(sso.grant_url, Some(format!("{}/settings/applications", env.host(ProviderKind::Github))));

    // An org that is listed but answers its own requests with SSO required: the grant URL is the
    // one GitHub sends in X-GitHub-SSO.
    env.bind(ProviderKind::Github).await;
    env.sim.add_fault_rule(FaultRule::new(Provider::Github, Fault::SsoRequired).on_path("/orgs/acme/"));
    let orgs = env.core.orgs(&b.id).await.unwrap();
    let acme = orgs.iter().find(|o| o.login == "acme").unwrap();
    assert_eq!(acme.access, OrgAccess::SsoRequired);
    let url = acme.grant_url.as_deref().unwrap();
    assert!(url.starts_with(&format!("{}/orgs/acme/sso?authorization_request=", env.host(ProviderKind::Github))), "{url}");
}

#[tokio::test]
async fn orgs_groups_and_workspaces_of_the_other_providers() {
    let env = env().await;
    let logins = |orgs: &[codebind_core::model::Org]| orgs.iter().map(|o| o.login.clone()).collect::<BTreeSet<_>>();
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();

    let gl = env.bind(ProviderKind::Gitlab).await;
    let groups = env.core.orgs(&gl.id).await.unwrap();
    // Membership of acme is inherited by its subgroups; the public group is not the user's.
    assert_eq!(logins(&groups), set(&["acme", "acme/platform", "acme/platform/backend"]));
    let parent = |l: &str| groups.iter().find(|g| g.login == l).unwrap().parent.clone();
    assert_eq!(parent("acme"), None);
    assert_eq!(parent("acme/platform").as_deref(), Some("acme"));
    assert_eq!(parent("acme/platform/backend").as_deref(), Some("acme/platform"));
    assert!(groups.iter().all(|g| g.access == OrgAccess::Granted && g.grant_url.is_none()));

    let bb = env.bind(ProviderKind::Bitbucket).await;
    let ws = env.core.orgs(&bb.id).await.unwrap();
    assert_eq!(logins(&ws), set(&["bbuser", "acme-ws", "partner-ws"]));
    assert!(ws.iter().all(|w| w.kind == "workspace" && w.id.starts_with('{')), "{ws:#?}");

    let gitee = env.bind(ProviderKind::Gitee).await;
    let orgs = env.core.orgs(&gitee.id).await.unwrap();
    assert_eq!(logins(&orgs), set(&["acme-cn"]));
    assert_eq!(orgs[0].id, "7101");

    let codeup = env.bind(ProviderKind::Codeup).await;
    let orgs = env.core.orgs(&codeup.id).await.unwrap();
    assert_eq!(orgs.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), [demo::CODEUP_ORG_ID], "only the user's organization");
    assert_eq!(orgs[0].name.as_deref(), Some("Acme Codeup"));

    let gitea = env.bind(ProviderKind::Gitea).await;
    let orgs = env.core.orgs(&gitea.id).await.unwrap();
    assert_eq!(logins(&orgs), set(&["acme"]));
    assert_eq!(orgs[0].id, "3");
}

// ---- repositories ----------------------------------------------------------------

/// (full name, private, in a GitLab subgroup) of every repository the demo token reaches.
fn expected_repos(kind: ProviderKind) -> Vec<(String, bool, bool)> {
    let list: Vec<(&str, bool, bool)> = match kind {
        // acme-sso/vault is behind SAML SSO and left out by GitHub.
        ProviderKind::Github => vec![
            ("acme-restricted/docs", false, false),
            ("acme-restricted/internal-tools", true, false),
            ("acme/api", true, false),
            ("acme/website", false, false),
            ("octocat/hello-world", false, false),
            ("octocat/secret-plans", true, false),
        ],
        // opensource/public-lib is public but not the user's project.
        ProviderKind::Gitlab => vec![
            ("acme/handbook", true, false),
            ("acme/platform/backend/api-server", true, true),
            ("acme/platform/infra", true, true),
            ("alice/dotfiles", true, false),
        ],
        ProviderKind::Bitbucket => vec![
            ("acme-ws/backend", true, false),
            ("acme-ws/frontend", true, false),
            ("bbuser/personal-site", false, false),
            ("partner-ws/shared-lib", true, false),
        ],
        ProviderKind::Gitee => vec![
            ("acme-cn/service", true, false),
            ("giteeuser/hello-gitee", false, false),
            ("giteeuser/private-notes", true, false),
        ],
        // other-org/not-yours belongs to an organization the user is not in.
        ProviderKind::Codeup => {
            return vec![
                (format!("{}/build-scripts", demo::CODEUP_ORG_ID), true, false),
                (format!("{}/demo-repo", demo::CODEUP_ORG_ID), true, false),
            ]
        }
        ProviderKind::Gitea => vec![
            ("acme/platform", true, false),
            ("gitea-user/dotfiles", false, false),
            ("gitea-user/private-repo", true, false),
        ],
    };
    list.into_iter().map(|(n, p, s)| (n.to_owned(), p, s)).collect()
}

#[tokio::test]
async fn repositories_match_the_world_with_private_and_subgroup_flags() {
    let env = env().await;
    for kind in ALL {
        let b = env.bind(kind).await;
        let repos = env.core.repos(&b.id).await.unwrap();
        let mut got: Vec<(String, bool, bool)> = repos.iter().map(|r| (r.full_name.clone(), r.private, r.in_subgroup)).collect();
        got.sort();
        assert_eq!(got, expected_repos(kind), "{kind:?}");
        // Sorted by full name (case-insensitive), each once, with ids and links on the host.
        let names: Vec<String> = repos.iter().map(|r| r.full_name.to_lowercase()).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{kind:?}: {names:?}");
        let ids: HashSet<&str> = repos.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), repos.len(), "{kind:?}: ids are unique");
        for r in &repos {
            assert!(!r.id.is_empty() && !r.name.is_empty() && r.full_name.ends_with(&r.name), "{kind:?}: {r:?}");
            assert!(r.web_url.starts_with(&env.host(kind)), "{kind:?}: {}", r.web_url);
            if kind != ProviderKind::Codeup {
                // Codeup's ListRepositories items carry no default branch.
                assert_eq!(r.default_branch.as_deref(), Some("main"), "{kind:?}: {r:?}");
            }
        }
        // The world holds more repositories than the token reaches for some providers.
        let world_total = env.sim.world().provider(sim_p(kind)).repos.len();
        let hidden = match kind {
            ProviderKind::Github | ProviderKind::Gitlab | ProviderKind::Codeup => 1,
            _ => 0,
        };
        assert_eq!(repos.len(), world_total - hidden, "{kind:?}");
    }
}

#[tokio::test]
async fn repositories_stream_page_by_page() {
    let world = World::new()
        .with_user(Provider::Gitea, User::new(5, "carol"))
        .with_token(Provider::Gitea, Token::new("gitea-carol", "carol", TokenKind::Personal).scopes(&["read:user", "read:repository"]))
        .with_repos(Provider::Gitea, "carol", 120);
    let env = env_with(world, options()).await;
    let b = env.core.bind_with_token(BindRequest { provider: ProviderKind::Gitea, host: Some(env.host(ProviderKind::Gitea)), token: "gitea-carol".into(), username: None, organization: None, ca_bundle: None }).await.unwrap();
    let pages = std::sync::Mutex::new(Vec::<usize>::new());
    env.core.repos_streaming(&b.id, &|page: Vec<Repo>| pages.lock().unwrap().push(page.len())).await.unwrap();
    let mut pages = pages.into_inner().unwrap();
    pages.sort();
    assert_eq!(pages, [20, 50, 50], "Gitea pages of at most 50 arrive one by one");
}

// ---- verification ----------------------------------------------------------------

#[tokio::test]
async fn verify_is_active_then_invalid_once_the_token_is_revoked() {
    let env = env().await;
    for kind in ALL {
        let b = env.bind(kind).await;
        let r = env.core.verify(&b.id).await.unwrap();
        assert_eq!((r.status, r.error.clone()), (BindingStatus::Active, None), "{kind:?}");
        assert!(env.sim.revoke_token(demo_token(kind)));
        let r = env.core.verify(&b.id).await.unwrap();
        assert_eq!(r.status, BindingStatus::Invalid, "{kind:?}: {r:?}");
        assert_eq!(r.error.as_ref().unwrap().code, ErrorCode::ProviderUnauthorized, "{kind:?}");
        assert!(!r.error.as_ref().unwrap().message.contains(demo_token(kind)));
        assert_eq!(env.stored(&b.id).status, BindingStatus::Invalid);
        assert_eq!(env.events(&b.id), [EventKind::Bound, EventKind::Verified, EventKind::VerificationFailed], "{kind:?}");
    }
}

#[tokio::test]
async fn an_expired_token_is_expired_when_the_binding_knows_its_expiry() {
    let env = env().await;
    let now = chrono::Utc::now();

    // GitHub: a token that expires in under a second. Its expiry header has whole seconds.
    let soon = now + chrono::Duration::milliseconds(800);
    env.sim.update_world(|w| {
        w.github.tokens.push(Token::new("ghp_expiresSoon000000000000000000000000", "octocat", TokenKind::Classic).scopes(&["repo", "read:org"]).expires(soon))
    });
    let gh = env.bind_token(ProviderKind::Github, "ghp_expiresSoon000000000000000000000000").await;
    let expiry = chrono::DateTime::parse_from_rfc3339(gh.expires_at.as_deref().expect("an expiry")).unwrap();
    assert!(expiry <= soon && expiry > now - chrono::Duration::seconds(1), "{expiry}");
    assert!(env.sim.expire_token("ghp_expiresSoon000000000000000000000000"));
    if let Ok(wait) = (expiry.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std() {
        tokio::time::sleep(wait + Duration::from_millis(5)).await;
    }
    let r = env.core.verify(&gh.id).await.unwrap();
    assert_eq!(r.status, BindingStatus::Expired, "{r:?}");
    assert_eq!(r.error.unwrap().code, ErrorCode::ProviderUnauthorized);

    // GitLab: expires_at is a date, so a token good until tonight already has a past expiry date.
    let tonight = now.date_naive().and_hms_milli_opt(23, 59, 59, 999).unwrap().and_utc();
    if tonight - now > chrono::Duration::seconds(10) {
        env.sim.update_world(|w| {
            w.gitlab.tokens.push(Token::new("glpat-untilTonight000000", "alice", TokenKind::Personal).scopes(&["read_api"]).expires(tonight))
        });
        let gl = env.bind_token(ProviderKind::Gitlab, "glpat-untilTonight000000").await;
        assert_eq!(gl.expires_at, Some(format!("{}T00:00:00.000Z", now.date_naive())));
        assert!(env.sim.expire_token("glpat-untilTonight000000"));
        let r = env.core.verify(&gl.id).await.unwrap();
        assert_eq!(r.status, BindingStatus::Expired, "{r:?}");
    }

    // Without a known expiry, an expired token looks like any rejected one.
    let gitea = env.bind(ProviderKind::Gitea).await;
    assert_eq!(gitea.expires_at, None);
    assert!(env.sim.expire_token(demo::GITEA_TOKEN));
    assert_eq!(env.core.verify(&gitea.id).await.unwrap().status, BindingStatus::Invalid);
}

#[tokio::test]
async fn server_errors_rate_limits_and_login_pages_never_make_a_token_invalid() {
    let env = env().await;
    let mut ids = Vec::new();
    for kind in ALL {
        ids.push((kind, env.bind(kind).await.id));
    }
    // (fault, status afterwards when it was active, error code)
    let cases = [
        (Fault::server_error(500), BindingStatus::Active, ErrorCode::ProviderUnavailable),
        (Fault::server_error(503), BindingStatus::Active, ErrorCode::ProviderUnavailable),
        (Fault::RateLimited { retry_after: Some(60) }, BindingStatus::Active, ErrorCode::RateLimited),
        (Fault::PrimaryRateLimit, BindingStatus::Active, ErrorCode::RateLimited),
        (Fault::SecondaryRateLimit { retry_after: 60 }, BindingStatus::Active, ErrorCode::RateLimited),
        (Fault::HtmlLogin { status: 401 }, BindingStatus::Unreachable, ErrorCode::ProviderError),
        (Fault::HtmlLogin { status: 200 }, BindingStatus::Unreachable, ErrorCode::ProviderError),
        (Fault::MalformedJson, BindingStatus::Unreachable, ErrorCode::ProviderError),
    ];
    for (fault, status, code) in cases {
        for (kind, id) in &ids {
            env.sim.clear_faults();
            assert_eq!(env.core.verify(id).await.unwrap().status, BindingStatus::Active, "{kind:?}");
            env.sim.set_fault(sim_p(*kind), fault.clone());
            let r = env.core.verify(id).await.unwrap();
            assert_eq!(r.status, status, "{kind:?} under {fault:?}: {r:?}");
            assert_eq!(r.error.as_ref().map(|e| e.code), Some(code), "{kind:?} under {fault:?}: {r:?}");
            assert_eq!(env.stored(id).status, status);
        }
    }
    // A 503 from a load balancer is retried (3 attempts) before giving up.
    env.sim.clear_faults();
    env.sim.clear_requests();
    env.sim.set_fault(Provider::Github, Fault::server_error(503));
    env.core.verify(&ids[0].1).await.unwrap();
    assert_eq!(env.sim.requests_for(Provider::Github).len(), 3);
    // A 429 that asks for a short wait is waited for once, then the answer counts.
    env.sim.clear_faults();
    env.sim.add_fault_rule(FaultRule::new(Provider::Gitea, Fault::RateLimited { retry_after: Some(1) }).times(1));
    let started = std::time::Instant::now();
    let r = env.core.verify(&ids[5].1).await.unwrap();
    assert_eq!(r.status, BindingStatus::Active, "{r:?}");
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_token_lacking_a_scope_is_told_apart_from_other_refusals() {
    let world = World::demo()
        .with_token(Provider::Gitee, Token::new("gitee-user-info-only", "giteeuser", TokenKind::Personal).scopes(&["user_info"]))
        .with_token(Provider::Gitea, Token::new("gitea-user-only", "gitea-user", TokenKind::Personal).scopes(&["read:user"]));
    let env = env_with(world, options()).await;
    // Tokens that identify the user but cannot list organizations or repositories.
    for (kind, token, call_orgs) in [
        // GitHub: 403 "You need at least read:org scope or user scope ..." with X-Accepted-OAuth-Scopes.
        (ProviderKind::Github, demo::GITHUB_NO_SCOPES, true),
        // GitLab: 403 insufficient_scope.
        (ProviderKind::Gitlab, demo::GITLAB_READ_USER, false),
        // Gitee: 401 "no 'projects' scope".
        (ProviderKind::Gitee, "gitee-user-info-only", false),
        // Gitea: 403 "token does not have at least one of required scope(s) ...".
        (ProviderKind::Gitea, "gitea-user-only", false),
    ] {
        let b = env.bind_token(kind, token).await;
        let err = if call_orgs { env.core.orgs(&b.id).await.unwrap_err() } else { env.core.repos(&b.id).await.unwrap_err() };
        assert_eq!(err.code, ErrorCode::InsufficientScope, "{kind:?}: {err:?}");
    }
    // A fine-grained token without a permission: "Resource not accessible by personal access token"
    // with X-Accepted-GitHub-Permissions.
    let gh = env.bind(ProviderKind::Github).await;
    env.sim.set_fault(Provider::Github, Fault::MissingScope);
    let r = env.core.verify(&gh.id).await.unwrap();
    assert_eq!(r.error.as_ref().unwrap().code, ErrorCode::InsufficientScope, "{r:?}");
    assert_eq!(r.status, BindingStatus::InsufficientScopes);
    // Bitbucket: 403 "Your credentials lack one or more required privilege scopes."
    let bb = env.bind(ProviderKind::Bitbucket).await;
    env.sim.set_fault(Provider::Bitbucket, Fault::MissingScope);
    assert_eq!(env.core.verify(&bb.id).await.unwrap().status, BindingStatus::InsufficientScopes);
    // A plain 403 that says nothing about scopes changes nothing.
    let codeup = env.bind(ProviderKind::Codeup).await;
    env.sim.set_fault(Provider::Codeup, Fault::MissingScope);
    let r = env.core.verify(&codeup.id).await.unwrap();
    assert_eq!((r.status, r.error.unwrap().code), (BindingStatus::Active, ErrorCode::ProviderForbidden));
}

#[tokio::test]
async fn timeouts_make_bindings_unreachable_not_invalid() {
    // A short client timeout so that three timed-out attempts take about a second.
    let env = env_with(World::demo(), HttpOptions { timeout: Duration::from_millis(300), ..options() }).await;
    let mut ids = Vec::new();
    for kind in ALL {
        ids.push(env.bind(kind).await.id);
    }
    for kind in ALL {
        env.sim.set_fault(sim_p(kind), Fault::timeout(Duration::from_secs(2)));
    }
    let started = std::time::Instant::now();
    let reports = env.core.verify_all().await.unwrap();
    // One after another they would take six times three attempts of 300 ms.
    assert!(started.elapsed() < Duration::from_secs(5), "verifications run concurrently: {:?}", started.elapsed());
    assert_eq!(reports.len(), 6);
    for r in &reports {
        assert_eq!(r.status, BindingStatus::Unreachable, "{r:?}");
        assert_eq!(r.error.as_ref().unwrap().code, ErrorCode::Network, "{r:?}");
    }
    env.sim.clear_faults();
    // Progress arrives once per binding as each finishes; the result keeps the store's order.
    let seen = std::sync::Mutex::new(Vec::new());
    let reports = env.core.verify_all_with(|p| seen.lock().unwrap().push(p)).await.unwrap();
    for r in &reports {
        assert_eq!(r.status, BindingStatus::Active, "{r:?}");
    }
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.iter().map(|p| (p.done, p.total)).collect::<Vec<_>>(), (1..=6).map(|d| (d, 6)).collect::<Vec<_>>());
    let mut reported: Vec<&str> = seen.iter().map(|p| p.report.binding_id.as_str()).collect();
    reported.sort();
    let mut want: Vec<&str> = ids.iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(reported, want, "each binding once");
    let store_order: Vec<String> = env.core.list_bindings().unwrap().into_iter().map(|b| b.id).collect();
    assert_eq!(reports.iter().map(|r| r.binding_id.clone()).collect::<Vec<_>>(), store_order);
}

// ---- disable, enable, unbind -----------------------------------------------------

#[tokio::test]
async fn a_disabled_binding_refuses_provider_calls_until_enabled() {
    let env = env().await;
    for kind in ALL {
        let b = env.bind(kind).await;
        assert!(env.core.disable(&b.id).unwrap().disabled);
        assert_eq!(code(env.core.disable(&b.id)), ErrorCode::Conflict);
        env.sim.clear_requests();
        assert_eq!(code(env.core.verify(&b.id).await), ErrorCode::BindingDisabled, "{kind:?}");
        assert_eq!(code(env.core.orgs(&b.id).await), ErrorCode::BindingDisabled, "{kind:?}");
        assert_eq!(code(env.core.repos(&b.id).await), ErrorCode::BindingDisabled, "{kind:?}");
        assert!(env.core.verify_all().await.unwrap().iter().all(|r| r.binding_id != b.id), "verify --all skips it");
        assert!(env.sim.requests_for(sim_p(kind)).is_empty(), "{kind:?}: a disabled binding sends nothing");
        // The token stays while disabled.
        assert!(env.vault.get(&b.vault_key).unwrap().is_some());

        assert!(!env.core.enable(&b.id).unwrap().disabled);
        assert_eq!(env.core.verify(&b.id).await.unwrap().status, BindingStatus::Active, "{kind:?}");
        assert!(!env.core.repos(&b.id).await.unwrap().is_empty());
        let events = env.events(&b.id);
        assert!(events.starts_with(&[EventKind::Bound, EventKind::Disabled, EventKind::Enabled]), "{kind:?}: {events:?}");
    }
}

#[tokio::test]
async fn unbind_with_revoke_revokes_at_github_and_gitlab_and_names_a_page_elsewhere() {
    let env = env().await;
    for kind in ALL {
        let b = env.bind(kind).await;
        env.sim.clear_requests();
        let report = env.core.unbind(&b.id, true).await.unwrap();
        assert!(report.secret_removed && report.binding_removed);
        assert!(env.core.list_bindings().unwrap().iter().all(|x| x.id != b.id));
        assert_eq!(env.vault.get(&b.vault_key).unwrap(), None, "{kind:?}");
        let events = env.events(&b.id);
        let host = env.host(kind);
        match kind {
            ProviderKind::Github | ProviderKind::Gitlab => {
                assert_eq!(report.revoke, RevokeOutcome::Revoked, "{kind:?}");
                assert!(env.token_revoked(kind, demo_token(kind)), "{kind:?}: the provider really revoked it");
                // The token no longer works.
                let again = env.core.bind_with_token(env.request(kind, demo_token(kind))).await;
                assert_eq!(code(again), ErrorCode::ProviderUnauthorized, "{kind:?}");
                assert_eq!(events, [EventKind::Bound, EventKind::Revoked, EventKind::Unbound], "{kind:?}");
                let requests = env.sim.requests_for(sim_p(kind));
                let revoke = requests.iter().find(|r| r.method != "GET").expect("a revocation request");
                if kind == ProviderKind::Github {
                    // Unauthenticated (an authenticated call is refused); the token is in the body.
                    assert_eq!((revoke.method.as_str(), revoke.path.as_str()), ("POST", "/api/v3/credentials/revoke"));
                    assert_eq!(revoke.header("authorization"), None);
                    assert!(revoke.body.contains("ghp_"), "{}", revoke.body);
                } else {
                    // The token revokes itself.
                    assert_eq!((revoke.method.as_str(), revoke.path.as_str()), ("DELETE", "/api/v4/personal_access_tokens/self"));
                }
            }
            _ => {
                let want = match kind {
                    ProviderKind::Bitbucket => "https://id.atlassian.com/manage-profile/security/api-tokens".to_owned(),
                    ProviderKind::Gitee => format!("{host}/profile/personal_access_tokens"),
                    ProviderKind::Codeup => "https://account-devops.aliyun.com/settings/personalAccessToken".to_owned(),
                    _ => format!("{host}/user/settings/applications"),
                };
                assert_eq!(report.revoke, RevokeOutcome::Manual { url: want }, "{kind:?}");
                assert!(!env.token_revoked(kind, demo_token(kind)));
                assert!(env.sim.requests_for(sim_p(kind)).is_empty(), "{kind:?}: nothing to call");
                assert_eq!(events, [EventKind::Bound, EventKind::Unbound], "{kind:?}");
            }
        }
    }
    assert!(env.vault.is_empty());

    // Without --revoke the token is left alone at the provider.
    let b = env.bind(ProviderKind::Gitea).await;
    let report = env.core.unbind(&b.id, false).await.unwrap();
    assert_eq!(report.revoke, RevokeOutcome::NotRequested);
}

// ---- how requests carry the token ------------------------------------------------

/// The first four base64 characters of Basic `user:password`: they encode its first three bytes.
fn basic_prefix(user: &str) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = user.as_bytes();
    let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
    (0..4).map(|i| ABC[((n >> (18 - 6 * i)) & 63) as usize] as char).collect()
}

#[tokio::test]
async fn every_request_carries_the_token_the_documented_way() {
    let env = env().await;
    for kind in ALL {
        env.sim.clear_requests();
        let b = env.bind(kind).await;
        env.core.verify(&b.id).await.unwrap();
        env.core.orgs(&b.id).await.unwrap();
        env.core.repos(&b.id).await.unwrap();
        let requests = env.sim.requests_for(sim_p(kind));
        assert!(requests.len() >= 4, "{kind:?}");
        let head = &demo_token(kind)[..4];
        for r in &requests {
            let auth = r.header("authorization");
            let what = format!("{kind:?} {} {} {:?}", r.method, r.path, r.headers);
            assert!(r.header("user-agent").is_some_and(|ua| ua.starts_with("Codebind/")), "{what}");
            assert!(!r.path.contains(head), "{what}: no token in the path");
            match kind {
                ProviderKind::Github => {
                    assert_eq!(auth, Some(format!("Bearer {head}…").as_str()), "{what}");
                    assert_eq!(r.header("accept"), Some("application/vnd.github+json"), "{what}");
                    assert_eq!(r.header("x-github-api-version"), Some("2022-11-28"), "{what}");
                }
                ProviderKind::Gitlab => {
                    let bearer = auth == Some(format!("Bearer {head}…").as_str());
                    let private = r.header("private-token") == Some(format!("{head}…").as_str());
                    assert!(bearer || private, "{what}");
                }
                ProviderKind::Bitbucket => {
                    // API tokens: Basic with the account email (the simulator refuses anything else).
                    let want = format!("Basic {}…", basic_prefix(demo::BITBUCKET_EMAIL));
                    assert_eq!(auth, Some(want.as_str()), "{what}");
                }
                ProviderKind::Gitee => {
                    assert_eq!(r.query_param("access_token"), Some(format!("{head}…")), "{what}");
                    assert_eq!(auth, None, "{what}");
                }
                ProviderKind::Codeup => {
                    assert_eq!(r.header("x-yunxiao-token"), Some(format!("{head}…").as_str()), "{what}");
                    assert_eq!(auth, None, "{what}");
                }
                ProviderKind::Gitea => {
                    let ok = auth == Some(format!("Bearer {head}…").as_str()) || auth == Some(format!("token {head}…").as_str());
                    assert!(ok, "{what}");
                    assert_eq!(r.query_param("token"), None, "{what}");
                }
            }
        }
    }
}

/// A host that answers everything with a redirect to `target` (another origin), recording the
/// request heads it received.
async fn redirector(target: String) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let log = log.clone();
            let target = target.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let mut head = Vec::new();
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                log.lock().unwrap().push(head);
                let resp = format!("HTTP/1.1 301 Moved Permanently\r\nLocation: {target}{path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn a_redirect_to_another_origin_drops_every_kind_of_credential() {
    let env = env().await;
    for kind in [ProviderKind::Github, ProviderKind::Gitlab, ProviderKind::Codeup, ProviderKind::Bitbucket] {
        env.sim.clear_requests();
        let (host, seen) = redirector(env.host(kind)).await;
        let mut req = env.request(kind, demo_token(kind));
        req.host = Some(host);
        let err = env.core.bind_with_token(req).await.unwrap_err();
        // The simulator got the request without credentials and said so.
        assert_eq!(err.code, ErrorCode::ProviderUnauthorized, "{kind:?}: {err:?}");
        let forwarded = env.sim.requests_for(sim_p(kind));
        assert!(!forwarded.is_empty(), "{kind:?}: the redirect was followed");
        for r in &forwarded {
            for h in ["authorization", "private-token", "x-yunxiao-token"] {
                assert_eq!(r.header(h), None, "{kind:?}: {h} leaked across origins to {}", r.path);
            }
        }
        // The first host did get the token: the redirect, not a missing token, explains the 401.
        let first = seen.lock().unwrap().join("\n").to_ascii_lowercase();
        assert!(first.contains("authorization:") || first.contains("private-token:") || first.contains("x-yunxiao-token:"), "{kind:?}: {first}");
    }
    assert!(env.core.list_bindings().unwrap().is_empty());
}

// ---- large accounts --------------------------------------------------------------

#[tokio::test]
async fn large_accounts_list_every_repository_exactly_once() {
    const N: usize = 10_000;
    // bob has more than 10,000 GitLab projects: GitLab then leaves out x-total and rel="last".
    const MORE: usize = 10_050;
    let world = World::new()
        .with_user(Provider::Github, User::new(1, "octocat"))
        .with_token(Provider::Github, Token::new("ghp_big", "octocat", TokenKind::Classic).scopes(&["repo", "read:org"]))
        .with_repos(Provider::Github, "octocat", N)
        .with_user(Provider::Gitlab, User::new(2, "alice"))
        .with_token(Provider::Gitlab, Token::new("glpat-big", "alice", TokenKind::Personal).scopes(&["read_api"]))
        .with_repos(Provider::Gitlab, "alice", N)
        .with_user(Provider::Gitlab, User::new(3, "bob"))
        .with_token(Provider::Gitlab, Token::new("glpat-bigger", "bob", TokenKind::Personal).scopes(&["read_api"]))
        .with_repos(Provider::Gitlab, "bob", MORE);
    let env = env_with(world, options()).await;
    let bind = |kind: ProviderKind, token: &str| env.core.bind_with_token(env.request(kind, token));
    let gh = bind(ProviderKind::Github, "ghp_big").await.unwrap();
    let alice = bind(ProviderKind::Gitlab, "glpat-big").await.unwrap();
    let bob = bind(ProviderKind::Gitlab, "glpat-bigger").await.unwrap();
    env.sim.clear_requests();

    let (gh_repos, alice_repos, bob_repos) =
        futures::join!(env.core.repos(&gh.id), env.core.repos(&alice.id), env.core.repos(&bob.id));
    for (owner, repos, n) in [("octocat", gh_repos.unwrap(), N), ("alice", alice_repos.unwrap(), N), ("bob", bob_repos.unwrap(), MORE)] {
        let names: BTreeSet<String> = repos.iter().map(|r| r.full_name.clone()).collect();
        assert_eq!(repos.len(), n, "{owner}");
        assert_eq!(names.len(), n, "{owner}: no repository twice");
        let width = n.to_string().len().max(5);
        let want: BTreeSet<String> = (1..=n).map(|i| format!("{owner}/repo-{i:0width$}")).collect();
        assert_eq!(names, want, "{owner}");
    }
    // Each page was asked for once.
    let pages = |p: Provider, path: &str| env.sim.requests_for(p).iter().filter(|r| r.path.ends_with(path)).count();
    assert_eq!(pages(Provider::Github, "/user/repos"), N / 100);
    assert_eq!(pages(Provider::Gitlab, "/projects"), N / 100 + MORE.div_ceil(100));
}

#[tokio::test]
async fn a_host_with_smaller_pages_than_asked_for_still_lists_everything() {
    // Gitea's MAX_RESPONSE_ITEMS is configurable: here 20, below the 50 the client asks for.
    let mut world = World::new()
        .with_user(Provider::Gitea, User::new(5, "carol"))
        .with_token(Provider::Gitea, Token::new("gitea-carol", "carol", TokenKind::Personal).scopes(&["read:user", "read:repository"]))
        .with_repos(Provider::Gitea, "carol", 75);
    world.gitea.settings.max_page_size = Some(20);
    let env = env_with(world, options()).await;
    let b = env.core.bind_with_token(BindRequest { provider: ProviderKind::Gitea, host: Some(env.host(ProviderKind::Gitea)), token: "gitea-carol".into(), username: None, organization: None, ca_bundle: None }).await.unwrap();
    let repos = env.core.repos(&b.id).await.unwrap();
    let names: BTreeSet<&str> = repos.iter().map(|r| r.full_name.as_str()).collect();
    assert_eq!((repos.len(), names.len()), (75, 75));
}

// ---- bad input -------------------------------------------------------------------

#[tokio::test]
async fn bad_input_is_refused_with_a_clear_code_and_changes_nothing() {
    let env = env().await;
    let gh = env.host(ProviderKind::Github);
    let gl = env.host(ProviderKind::Gitlab);
    let with = |kind: ProviderKind, host: &str, token: &str| BindRequest { host: Some(host.to_owned()), ..env.request(kind, token) };

    // Refused before any request is sent.
    let local = [
        (with(ProviderKind::Gitlab, "https://exa mple.com", demo::GITLAB_PAT), ErrorCode::InvalidUrl),
        (with(ProviderKind::Gitlab, "ftp://gitlab.example.com", demo::GITLAB_PAT), ErrorCode::InvalidUrl),
        (with(ProviderKind::Gitlab, "https://user:pw@gitlab.example.com", demo::GITLAB_PAT), ErrorCode::InvalidUrl),
        (with(ProviderKind::Gitlab, "http://gitlab.example.com", demo::GITLAB_PAT), ErrorCode::InsecureHttp),
        (with(ProviderKind::Gitea, "http://10.0.0.5:3000", demo::GITEA_TOKEN), ErrorCode::InsecureHttp),
        (BindRequest { host: None, ..env.request(ProviderKind::Gitea, demo::GITEA_TOKEN) }, ErrorCode::InvalidUrl),
        (with(ProviderKind::Github, &gh, ""), ErrorCode::InvalidInput),
        (with(ProviderKind::Github, &gh, "   \n"), ErrorCode::InvalidInput),
        (with(ProviderKind::Github, &gh, "ghp_with space"), ErrorCode::InvalidInput),
    ];
    for (req, want) in local {
        let what = format!("{req:?}");
        let err = env.core.bind_with_token(req).await.unwrap_err();
        assert_eq!(err.code, want, "{what}: {err:?}");
        assert!(!err.message.is_empty());
    }
    assert!(env.sim.requests().is_empty(), "nothing was sent for input refused locally");

    // Refused by the provider, or by what answered in its place.
    env.sim.set_fault(Provider::Gitee, Fault::HtmlLogin { status: 200 });
    env.sim.set_fault(Provider::Gitea, Fault::HtmlLogin { status: 401 });
    let remote = [
        (with(ProviderKind::Github, &gh, "ghp_wrongWrongWrong000000000000000000000"), ErrorCode::ProviderUnauthorized),
        (with(ProviderKind::Gitlab, &gl, "glpat-wrong00000000000000"), ErrorCode::ProviderUnauthorized),
        // A GitHub token sent to the GitLab host.
        (with(ProviderKind::Gitlab, &gl, demo::GITHUB_CLASSIC), ErrorCode::ProviderUnauthorized),
        // The right token with the wrong account email.
        (BindRequest { username: Some("someone@example.com".into()), ..env.request(ProviderKind::Bitbucket, demo::BITBUCKET_API_TOKEN) }, ErrorCode::ProviderUnauthorized),
        (env.request(ProviderKind::Codeup, "pt-wrong"), ErrorCode::ProviderUnauthorized),
        // GitLab: the user name must be the token's owner.
        (BindRequest { username: Some("mallory".into()), ..env.request(ProviderKind::Gitlab, demo::GITLAB_PAT) }, ErrorCode::InvalidInput),
        // A captive portal's page instead of the API, with 200 and with 401.
        (env.request(ProviderKind::Gitee, demo::GITEE_TOKEN), ErrorCode::ProviderError),
        (env.request(ProviderKind::Gitea, demo::GITEA_TOKEN), ErrorCode::ProviderError),
    ];
    for (req, want) in remote {
        let (what, token) = (format!("{req:?}"), req.token.clone());
        let err = env.core.bind_with_token(req).await.unwrap_err();
        assert_eq!(err.code, want, "{what}: {err:?}");
        assert!(!err.message.is_empty() && !err.message.contains(&token), "{what}: {err:?}");
    }
    assert!(env.core.list_bindings().unwrap().is_empty());
    assert_eq!(env.core.store().count_events().unwrap(), 0);
    assert!(env.vault.is_empty());
}

//! OAuth sign-in for every provider that has it (GitHub, GitLab, Bitbucket, Gitee, Gitea) against
//! the simulator, at the library level: MemoryVault, no keychain, no CLI. The test plays the
//! browser with reqwest (no automatic redirects): it opens the authorization URL, answers the
//! consent page, and hands the provider's redirect to the strict callback parser, or delivers it
//! to a real loopback listener.
//!
//! What is checked: the authorization request (PKCE S256, state, scopes), the code exchange and the
//! binding it makes, the simulator's PKCE verification (a swapped verifier fails), denial, replay,
//! expiry on both sides, refresh with rotation, refused refresh → needs re-authorization and the
//! re-authorization that keeps the binding, `refresh_due`, the device grant, revocation on unbind,
//! and that no token ever reaches the data dir.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use codebind_core::auth::callback::{self, Callback, Expect, DEEP_LINK_REDIRECT};
use codebind_core::auth::endpoints::endpoints;
use codebind_core::auth::loopback::Loopback;
use codebind_core::model::{
    AuthMethod, Binding, BindingStatus, EventKind, HistoryQuery, ProviderKind, RevokeOutcome,
};
use codebind_core::net::HttpOptions;
use codebind_core::providers::Host;
use codebind_core::vault::{refresh_token_key, MemoryVault, Secret, Vault};
use codebind_core::{Core, Error, ErrorCode};
use codebind_simulator::oauth::s256;
use codebind_simulator::world::Settings;
use codebind_simulator::{demo, Fault, FaultRule, Provider, SimHandle, Simulator, Token, TokenKind, User, World};
use url::Url;

use ProviderKind::{Bitbucket, Gitea, Gitee, Github, Gitlab};

/// Every provider with OAuth (Codeup binds with tokens only).
const OAUTH: [ProviderKind; 5] = [Github, Gitlab, Bitbucket, Gitee, Gitea];

struct Env {
    sim: SimHandle,
    core: Core,
    vault: Arc<MemoryVault>,
    dir: tempfile::TempDir,
}

fn options() -> HttpOptions {
    HttpOptions { backoff: Duration::from_millis(10), timeout: Duration::from_secs(5), ..Default::default() }
}

async fn env_with(world: World, attempt_lifetime: Option<Duration>) -> Env {
    let sim = Simulator::start(world).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::new());
    let mut core = Core::open_with(dir.path(), vault.clone(), options()).unwrap();
    if let Some(l) = attempt_lifetime {
        core = core.with_attempt_lifetime(l);
    }
    Env { sim, core, vault, dir }
}

/// The demo world and every provider's demo OAuth app entered in Settings.
async fn env() -> Env {
    let env = env_with(World::demo(), None).await;
    env.configure_all();
    env
}

fn sim_p(kind: ProviderKind) -> Provider {
    match kind {
        Github => Provider::Github,
        Gitlab => Provider::Gitlab,
        Bitbucket => Provider::Bitbucket,
        Gitee => Provider::Gitee,
        ProviderKind::Codeup => Provider::Codeup,
        Gitea => Provider::Gitea,
    }
}

/// The demo app's client id and secret (GitLab's and Gitea's are public apps: no secret).
fn demo_app(kind: ProviderKind) -> (&'static str, Option<&'static str>) {
    match kind {
        Github => (demo::GITHUB_APP_CLIENT_ID, Some(demo::GITHUB_APP_CLIENT_SECRET)),
        Gitlab => (demo::GITLAB_APP_CLIENT_ID, None),
        Bitbucket => (demo::BITBUCKET_APP_CLIENT_ID, Some(demo::BITBUCKET_APP_CLIENT_SECRET)),
        Gitee => (demo::GITEE_APP_CLIENT_ID, Some(demo::GITEE_APP_CLIENT_SECRET)),
        Gitea => (demo::GITEA_APP_CLIENT_ID, None),
        ProviderKind::Codeup => unreachable!("Codeup has no OAuth"),
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn location(r: &reqwest::Response) -> String {
    assert!(matches!(r.status().as_u16(), 302 | 303), "expected a redirect, got HTTP {}", r.status());
    r.headers().get("location").expect("a Location header").to_str().unwrap().to_owned()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not in {text}")) + start.len();
    let len = text[from..].find(end).unwrap();
    &text[from..from + len]
}

fn param(url: &str, name: &str) -> Option<String> {
    Url::parse(url).unwrap().query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// What a user does in the browser: open the authorization URL and press authorize or deny on the
/// consent page (or nothing, when the provider approves at once). Returns the provider's redirect.
async fn play_browser(authorize_url: &str, decision: &str) -> String {
    let b = browser();
    let r = b.get(authorize_url).send().await.unwrap();
    if r.status().is_redirection() {
        return location(&r);
    }
    assert_eq!(r.status(), 200, "consent page for {authorize_url}");
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"authorize\"") && html.contains("id=\"deny\""), "{html}");
    let action = between(&html, "<form method=\"post\" action=\"", "\"").to_owned();
    let request_id = between(&html, "name=\"request_id\" value=\"", "\"").to_owned();
    let form_url = Url::parse(authorize_url).unwrap().join(&action).unwrap();
    let r = b.post(form_url).form(&[("request_id", request_id.as_str()), ("decision", decision)]).send().await.unwrap();
    location(&r)
}

/// Delivers the provider's redirect to a loopback listener, as the browser would.
async fn deliver_to_loopback(listener: Loopback, redirect: &str) -> Callback {
    let port = Url::parse(redirect).unwrap().port().unwrap();
    let waiting = tokio::spawn(listener.wait());
    let b = browser();
    // A browser may ask for a favicon first: that is answered 404 and the listener keeps waiting.
    let r = b.get(format!("http://127.0.0.1:{port}/favicon.ico")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = b.get(redirect).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Back to Codebind"));
    let cb = waiting.await.unwrap().expect("the listener accepts the callback");
    assert_eq!(cb, callback::parse(redirect, Expect::Loopback(port)).unwrap(), "the listener parses strictly, like the deep link");
    cb
}

fn code<T: std::fmt::Debug>(r: Result<T, Error>) -> ErrorCode {
    r.expect_err("expected an error").code
}

impl Env {
    fn host(&self, kind: ProviderKind) -> String {
        self.sim.base_url(sim_p(kind))
    }

    fn configure(&self, kind: ProviderKind) {
        let (id, secret) = demo_app(kind);
        let view = self.core.save_oauth_app(kind, Some(&self.host(kind)), id, secret).unwrap();
        assert_eq!(view.client_id.as_deref(), Some(id));
        assert_eq!(view.has_secret, secret.is_some());
        assert_eq!(view.source.as_deref(), Some("settings"));
    }

    fn configure_all(&self) {
        for kind in OAUTH {
            self.configure(kind);
        }
    }

    fn settings(&self, kind: ProviderKind, f: impl FnOnce(&mut Settings)) {
        self.sim.update_world(|w| f(&mut w.provider_mut(sim_p(kind)).settings));
    }

    fn user(&self, kind: ProviderKind) -> User {
        self.sim.world().provider(sim_p(kind)).users[0].clone()
    }

    fn world_token(&self, kind: ProviderKind, value: &str) -> Option<Token> {
        self.sim.world().provider(sim_p(kind)).token(value).cloned()
    }

    fn access(&self, b: &Binding) -> String {
        self.vault.get(&b.vault_key).unwrap().expect("the access token is in the vault").expose().to_owned()
    }

    fn refresh_token(&self, b: &Binding) -> Option<String> {
        self.vault.get(&refresh_token_key(&b.id)).unwrap().map(|s| s.expose().to_owned())
    }

    /// The binding's history, oldest first.
    fn events(&self, id: &str) -> Vec<EventKind> {
        let q = HistoryQuery { binding_id: Some(id.to_owned()), ..Default::default() };
        let mut kinds: Vec<EventKind> = self.core.history(&q).unwrap().events.iter().map(|e| e.kind).collect();
        kinds.reverse();
        kinds
    }

    fn all_events(&self) -> usize {
        self.core.history(&HistoryQuery::default()).unwrap().events.len()
    }

    fn stored(&self, id: &str) -> Binding {
        self.core.binding(id).expect("the binding is stored")
    }

    /// Starts a deep-link sign-in and plays the browser; returns the parsed callback.
    async fn callback(&self, kind: ProviderKind, decision: &str) -> Callback {
        let started = self.core.start_oauth(kind, Some(&self.host(kind)), None, None).unwrap();
        assert_eq!(started.redirect_uri, DEEP_LINK_REDIRECT);
        let redirect = play_browser(&started.authorize_url, decision).await;
        assert!(redirect.starts_with("codebind://oauth/callback?"), "{kind:?}: {redirect}");
        callback::parse(&redirect, Expect::DeepLink).unwrap_or_else(|e| panic!("{kind:?}: {redirect}: {}", e.message))
    }

    /// A complete deep-link sign-in, approved.
    async fn sign_in(&self, kind: ProviderKind) -> Binding {
        let cb = self.callback(kind, "approve").await;
        self.core.finish_oauth(cb).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message))
    }

    /// What a bound OAuth binding must look like: the world's user, tokens in the vault, issued
    /// by the demo app to that user.
    fn assert_oauth_binding(&self, kind: ProviderKind, b: &Binding) {
        let u = self.user(kind);
        let account_id = if kind == Bitbucket { u.bitbucket_uuid() } else { u.id.to_string() };
        assert_eq!(b.provider, kind);
        assert_eq!(b.host, self.host(kind));
        assert_eq!(b.auth_method, AuthMethod::Oauth, "{kind:?}");
        assert_eq!(b.account_id, account_id, "{kind:?}");
        assert_eq!(b.login, u.login, "{kind:?}");
        assert_eq!(b.status, BindingStatus::Active, "{kind:?}: {b:?}");
        assert!(b.vault_key.contains(&b.id), "{kind:?}: {}", b.vault_key);
        let access = self.access(b);
        let t = self.world_token(kind, &access).unwrap_or_else(|| panic!("{kind:?}: the stored access token was issued by the simulator"));
        assert_eq!(t.kind, TokenKind::Oauth, "{kind:?}");
        assert_eq!(t.user, u.login, "{kind:?}");
        assert_eq!(t.app.as_deref(), Some(demo_app(kind).0), "{kind:?}");
        assert!(!t.revoked, "{kind:?}");
        // Every provider here issues a refresh token (the demo GitHub app has expiring tokens).
        let refresh = self.refresh_token(b).unwrap_or_else(|| panic!("{kind:?}: the refresh token is in the vault"));
        assert_ne!(refresh, access);
        // An expiring token's expiry is what the provider said.
        let exp = t.expires_at.expect("OAuth tokens of these apps expire");
        let stored = chrono::DateTime::parse_from_rfc3339(b.expires_at.as_deref().expect("expires_at is stored")).unwrap();
        assert!((stored.timestamp() - exp.timestamp()).abs() <= 5, "{kind:?}: {stored} vs {exp}");
    }
}

// ---- the authorization-code flow --------------------------------------------------------

#[tokio::test]
async fn every_provider_signs_in_through_the_deep_link_with_pkce() {
    let env = env().await;
    for kind in OAUTH {
        let host = env.host(kind);
        let ep = endpoints(kind, &Host::parse(&host).unwrap()).unwrap();
        let started = env.core.start_oauth(kind, Some(&host), None, None).unwrap();
        let url = &started.authorize_url;
        // The request: the provider's authorize endpoint, PKCE S256, a fresh state, the deep link.
        assert!(url.starts_with(&ep.authorize), "{kind:?}: {url}");
        assert_eq!(param(url, "response_type").as_deref(), Some("code"), "{kind:?}");
        assert_eq!(param(url, "client_id").as_deref(), Some(demo_app(kind).0), "{kind:?}");
        assert_eq!(param(url, "redirect_uri").as_deref(), Some(DEEP_LINK_REDIRECT), "{kind:?}");
        assert_eq!(param(url, "code_challenge_method").as_deref(), Some("S256"), "{kind:?}");
        let challenge = param(url, "code_challenge").expect("a code challenge");
        assert_eq!(challenge.len(), 43, "{kind:?}: base64url SHA-256");
        let state = param(url, "state").expect("a state");
        assert!(state.len() >= 16, "{kind:?}: {state}");
        let scope = param(url, "scope").unwrap_or_default();
        assert_eq!(scope, ep.scopes.join(" "), "{kind:?}");

        let redirect = play_browser(url, "approve").await;
        let cb = callback::parse(&redirect, Expect::DeepLink).unwrap();
        assert_eq!(cb.state(), state, "{kind:?}: the provider returns our state");
        let events_before = env.all_events();
        env.sim.clear_requests();
        let b = env.core.finish_oauth(cb).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
        env.assert_oauth_binding(kind, &b);
        assert_eq!(env.events(&b.id), vec![EventKind::Bound], "{kind:?}");
        assert_eq!(env.all_events(), events_before + 1);

        // The token request carried the verifier whose S256 is the challenge, and the simulator
        // accepted it (it verifies PKCE; see the swap test for the refusal).
        let token_req = env
            .sim
            .requests_for(sim_p(kind))
            .into_iter()
            .find(|r| r.method == "POST" && ep.token.ends_with(&r.path))
            .expect("a token request");
        let body: Vec<(String, String)> = url::form_urlencoded::parse(token_req.body.as_bytes()).into_owned().collect();
        let get = |k: &str| body.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let verifier = get("code_verifier").unwrap_or_else(|| panic!("{kind:?}: no code_verifier in {}", token_req.body));
        assert_eq!(s256(&verifier), challenge, "{kind:?}");
        assert_eq!(get("redirect_uri").as_deref(), Some(DEEP_LINK_REDIRECT), "{kind:?}");
        assert_eq!(get("grant_type").as_deref(), Some("authorization_code"), "{kind:?}");
        // Bitbucket: client credentials only as HTTP Basic; the others in the form.
        if kind == Bitbucket {
            assert!(token_req.header("authorization").is_some_and(|a| a.starts_with("Basic ")), "{kind:?}");
            assert!(get("client_secret").is_none());
        }
    }
    assert_eq!(env.core.list_bindings().unwrap().len(), 5);
    assert_eq!(env.sim.pending_oauth_codes(Provider::Github), 0, "the codes were spent");
}

#[tokio::test]
async fn loopback_redirects_work_where_the_provider_allows_any_port() {
    let env = env().await;
    let mut loopback_kinds = Vec::new();
    for kind in OAUTH {
        let host = env.host(kind);
        let ep = endpoints(kind, &Host::parse(&host).unwrap()).unwrap();
        let view = env.core.oauth_app_view(kind, Some(&host)).unwrap();
        assert_eq!(view.redirect_uri.contains("127.0.0.1"), ep.loopback, "{kind:?}: Settings tells what to register");
        if !ep.loopback {
            continue;
        }
        loopback_kinds.push(kind);
        let listener = Loopback::bind().await.unwrap();
        let redirect_uri = listener.redirect_uri();
        let started = env.core.start_oauth(kind, Some(&host), Some(&redirect_uri), None).unwrap();
        assert_eq!(started.redirect_uri, redirect_uri);
        assert_eq!(param(&started.authorize_url, "redirect_uri").as_deref(), Some(redirect_uri.as_str()));
        let redirect = play_browser(&started.authorize_url, "approve").await;
        assert!(redirect.starts_with(&format!("{redirect_uri}?")), "{kind:?}: {redirect}");
        // The deep-link parser refuses a loopback redirect and vice versa.
        assert!(callback::parse(&redirect, Expect::DeepLink).is_err());
        let cb = deliver_to_loopback(listener, &redirect).await;
        let b = env.core.finish_oauth(cb).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
        env.assert_oauth_binding(kind, &b);
        assert_eq!(env.events(&b.id), vec![EventKind::Bound]);
    }
    assert_eq!(loopback_kinds, vec![Github, Gitlab, Gitea], "GitHub, GitLab and Gitea accept a loopback redirect on any port");
}

#[tokio::test]
async fn the_simulator_verifies_pkce_a_swapped_verifier_fails() {
    let env = env().await;
    for kind in OAUTH {
        // Two sign-ins in progress; the second attempt's verifier does not belong to the first's code.
        let a = env.callback(kind, "approve").await;
        let b = env.callback(kind, "approve").await;
        let (Callback::Code { code: code_a, state: state_a }, Callback::Code { state: state_b, .. }) = (&a, &b) else { unreachable!() };
        let vault_before = env.vault.len();
        let swapped = Callback::Code { code: code_a.clone(), state: state_b.clone() };
        let err = env.core.finish_oauth(swapped).await.expect_err("a code exchanged with another attempt's verifier");
        assert!(matches!(err.code, ErrorCode::ProviderUnauthorized | ErrorCode::OauthDenied), "{kind:?}: [{}] {}", err.code.as_str(), err.message);
        assert!(env.core.list_bindings().unwrap().iter().all(|x| x.provider != kind), "{kind:?}: nothing bound");
        assert_eq!(env.vault.len(), vault_before, "{kind:?}: nothing stored");
        // The refused exchange did not spend the code: with its own verifier it works.
        let good = Callback::Code { code: code_a.clone(), state: state_a.clone() };
        let bound = env.core.finish_oauth(good).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
        env.assert_oauth_binding(kind, &bound);
    }
}

#[tokio::test]
async fn denying_consent_is_oauth_denied_and_stores_nothing() {
    let env = env().await;
    let vault_before = env.vault.len();
    for kind in OAUTH {
        let cb = env.callback(kind, "deny").await;
        let Callback::Denied { error, .. } = &cb else { panic!("{kind:?}: {cb:?}") };
        assert_eq!(error, "access_denied", "{kind:?}");
        let err = env.core.finish_oauth(cb.clone()).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::OauthDenied, "{kind:?}: {}", err.message);
        // The same denial again: the attempt is gone.
        assert_eq!(code(env.core.finish_oauth(cb).await), ErrorCode::OauthStateMismatch);
    }
    assert!(env.core.list_bindings().unwrap().is_empty());
    assert_eq!(env.all_events(), 0);
    assert_eq!(env.vault.len(), vault_before, "only the client secrets from Settings");
    assert!(env.sim.requests().iter().all(|r| r.method != "POST" || !r.path.contains("token")), "no token request was made");
}

#[tokio::test]
async fn a_cancelled_sign_in_refuses_its_late_callback_and_stores_nothing() {
    let env = env().await;
    let vault_before = env.vault.len();
    for kind in OAUTH {
        let started = env.core.start_oauth(kind, Some(&env.host(kind)), None, None).unwrap();
        assert_eq!(param(&started.authorize_url, "state").as_deref(), Some(started.attempt_id.as_str()), "{kind:?}");
        // The user approves in the browser, but cancelled in the app before the link came back.
        let redirect = play_browser(&started.authorize_url, "approve").await;
        assert!(env.core.cancel_oauth(&started.attempt_id), "{kind:?}");
        assert!(!env.core.cancel_oauth(&started.attempt_id), "{kind:?}: cancelling twice finds nothing");
        let cb = callback::parse(&redirect, Expect::DeepLink).unwrap();
        assert_eq!(code(env.core.finish_oauth(cb).await), ErrorCode::OauthStateMismatch, "{kind:?}");
    }
    assert!(env.core.list_bindings().unwrap().is_empty());
    assert_eq!(env.all_events(), 0);
    assert_eq!(env.vault.len(), vault_before);
    assert!(env.sim.requests().iter().all(|r| r.method != "POST" || !r.path.contains("token")), "no code was exchanged");
}

#[tokio::test]
async fn a_replayed_callback_fails_with_state_mismatch() {
    let env = env().await;
    for kind in OAUTH {
        let cb = env.callback(kind, "approve").await;
        let b = env.core.finish_oauth(cb.clone()).await.unwrap();
        let access = env.access(&b);
        let err = env.core.finish_oauth(cb).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::OauthStateMismatch, "{kind:?}: {}", err.message);
        assert_eq!(env.events(&b.id), vec![EventKind::Bound], "{kind:?}: the replay recorded nothing");
        assert_eq!(env.access(&b), access, "{kind:?}: the stored token is unchanged");
    }
    assert_eq!(env.core.list_bindings().unwrap().len(), 5);
}

#[tokio::test]
async fn an_attempt_older_than_its_lifetime_is_oauth_expired() {
    // Long enough to start all five (starting one purges the expired ones, which then read as
    // unknown rather than expired), short enough to wait out.
    let env = env_with(World::demo(), Some(Duration::from_millis(1500))).await;
    env.configure_all();
    let vault_before = env.vault.len();
    let mut callbacks = Vec::new();
    for kind in OAUTH {
        callbacks.push((kind, env.callback(kind, "approve").await));
    }
    tokio::time::sleep(Duration::from_millis(1600)).await;
    for (kind, cb) in callbacks {
        let err = env.core.finish_oauth(cb).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::OauthExpired, "{kind:?}: {}", err.message);
        // The app did not even try the code: it is still waiting at the provider.
        assert_eq!(env.sim.pending_oauth_codes(sim_p(kind)), 1, "{kind:?}");
    }
    assert!(env.core.list_bindings().unwrap().is_empty());
    assert_eq!(env.all_events(), 0);
    assert_eq!(env.vault.len(), vault_before);
    // Within the lifetime it works.
    let b = env.sign_in(Gitlab).await;
    env.assert_oauth_binding(Gitlab, &b);
}

#[tokio::test]
async fn a_code_expired_at_the_provider_is_refused_and_stores_nothing() {
    let env = env().await;
    for kind in OAUTH {
        env.settings(kind, |s| s.oauth_code_ttl_secs = Some(1));
    }
    let vault_before = env.vault.len();
    let mut callbacks = Vec::new();
    for kind in OAUTH {
        callbacks.push((kind, env.callback(kind, "approve").await));
    }
    tokio::time::sleep(Duration::from_millis(1300)).await;
    for (kind, cb) in callbacks {
        let err = env.core.finish_oauth(cb).await.unwrap_err();
        assert!(
            matches!(err.code, ErrorCode::ProviderUnauthorized | ErrorCode::OauthDenied | ErrorCode::OauthExpired),
            "{kind:?}: [{}] {}",
            err.code.as_str(),
            err.message
        );
        assert!(!err.message.is_empty());
    }
    assert!(env.core.list_bindings().unwrap().is_empty());
    assert_eq!(env.all_events(), 0);
    assert_eq!(env.vault.len(), vault_before);
}

#[tokio::test]
async fn a_client_id_given_only_at_sign_in_is_remembered_for_refresh_and_revocation() {
    // As `codebind bind gitlab --oauth --client-id ...` does it: nothing in Settings.
    let env = env_with(World::demo(), None).await;
    for kind in [Gitlab, Gitea] {
        let host = env.host(kind);
        let id = demo_app(kind).0;
        assert!(env.core.oauth_app_view(kind, Some(&host)).unwrap().client_id.is_none());
        assert_eq!(code(env.core.start_oauth(kind, Some(&host), None, None)), ErrorCode::InvalidInput, "{kind:?}: no app, no client id");
        let started = env.core.start_oauth(kind, Some(&host), None, Some(id)).unwrap();
        assert_eq!(param(&started.authorize_url, "client_id").as_deref(), Some(id));
        let cb = callback::parse(&play_browser(&started.authorize_url, "approve").await, Expect::DeepLink).unwrap();
        let b = env.core.finish_oauth(cb).await.unwrap();
        env.assert_oauth_binding(kind, &b);
        let view = env.core.oauth_app_view(kind, Some(&host)).unwrap();
        assert_eq!((view.client_id.as_deref(), view.source.as_deref()), (Some(id), Some("settings")), "{kind:?}");
        env.core.refresh(&b.id).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
        let expected = if kind == Gitlab { RevokeOutcome::Revoked } else { RevokeOutcome::Manual { url: format!("{host}/user/settings/applications") } };
        assert_eq!(env.core.unbind(&b.id, true).await.unwrap().revoke, expected, "{kind:?}");
    }

    let env = env_with(World::demo(), None).await;
    env.settings(Gitlab, |s| s.oauth_device_interval_secs = Some(1));
    let (dc, signin) = env.core.start_device(Gitlab, Some(&env.host(Gitlab)), Some(demo::GITLAB_APP_CLIENT_ID)).await.unwrap();
    assert!(env.sim.approve_device(&dc.user_code));
    let b = env.core.finish_device(signin).await.unwrap();
    env.core.refresh(&b.id).await.unwrap_or_else(|e| panic!("[{}] {}", e.code.as_str(), e.message));
    let access = env.access(&b);
    assert_eq!(env.core.unbind(&b.id, true).await.unwrap().revoke, RevokeOutcome::Revoked);
    assert!(env.world_token(Gitlab, &access).unwrap().revoked);
}

// ---- refresh ----------------------------------------------------------------------------

#[tokio::test]
async fn refresh_stores_the_rotated_pair_and_the_old_refresh_token_dies() {
    let env = env().await;
    for kind in OAUTH {
        env.settings(kind, |s| {
            s.oauth_rotate_refresh_tokens = Some(true);
            s.oauth_token_ttl_secs = Some(600);
        });
    }
    for kind in OAUTH {
        let b = env.sign_in(kind).await;
        let (old_access, old_refresh) = (env.access(&b), env.refresh_token(&b).unwrap());
        let old_expiry = chrono::DateTime::parse_from_rfc3339(b.expires_at.as_deref().unwrap()).unwrap();
        env.settings(kind, |s| s.oauth_token_ttl_secs = Some(7200));

        let r = env.core.refresh(&b.id).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
        assert_eq!(r.id, b.id);
        assert_eq!(r.status, BindingStatus::Active);
        let new_expiry = chrono::DateTime::parse_from_rfc3339(r.expires_at.as_deref().unwrap()).unwrap();
        assert!(new_expiry - old_expiry > chrono::Duration::seconds(6000), "{kind:?}: {old_expiry} → {new_expiry}");
        assert_eq!(env.stored(&b.id).expires_at, r.expires_at, "{kind:?}: the new expiry is stored");
        let (new_access, new_refresh) = (env.access(&r), env.refresh_token(&r).unwrap());
        assert_ne!(new_access, old_access, "{kind:?}");
        assert_ne!(new_refresh, old_refresh, "{kind:?}: the rotated refresh token is stored");
        assert!(env.world_token(kind, &new_access).is_some_and(|t| !t.revoked && t.kind == TokenKind::Oauth));
        // GitHub and GitLab also end the old access token.
        if matches!(kind, Github | Gitlab) {
            assert!(env.world_token(kind, &old_access).unwrap().revoked, "{kind:?}");
        }
        assert_eq!(env.events(&b.id), vec![EventKind::Bound, EventKind::TokenRefreshed], "{kind:?}");
        assert_eq!(env.core.verify(&b.id).await.unwrap().status, BindingStatus::Active, "{kind:?}: the new token works");

        // A stale copy of the old refresh token: the provider refuses it.
        env.vault.put(&refresh_token_key(&b.id), &Secret::new(old_refresh)).unwrap();
        let err = env.core.refresh(&b.id).await.unwrap_err();
        assert!(matches!(err.code, ErrorCode::ProviderUnauthorized | ErrorCode::OauthDenied), "{kind:?}: [{}] {}", err.code.as_str(), err.message);
        assert_eq!(env.stored(&b.id).status, BindingStatus::NeedsReauth, "{kind:?}");
        assert_eq!(env.access(&b), new_access, "{kind:?}: a refused refresh keeps the access token");
    }
}

#[tokio::test]
async fn a_refused_refresh_needs_reauthorization_and_signing_in_again_keeps_the_binding() {
    let env = env().await;
    for kind in OAUTH {
        let b = env.sign_in(kind).await;
        let access = env.access(&b);
        // The user revoked the authorization at the provider; the refresh token dies with it.
        assert!(env.sim.revoke_token(&access));
        let err = env.core.refresh(&b.id).await.unwrap_err();
        assert!(matches!(err.code, ErrorCode::ProviderUnauthorized | ErrorCode::OauthDenied), "{kind:?}: [{}] {}", err.code.as_str(), err.message);
        let stored = env.stored(&b.id);
        assert_eq!(stored.status, BindingStatus::NeedsReauth, "{kind:?}");
        assert_eq!(env.events(&b.id), vec![EventKind::Bound, EventKind::VerificationFailed], "{kind:?}");
        let q = HistoryQuery { binding_id: Some(b.id.clone()), kind: Some(EventKind::VerificationFailed), ..Default::default() };
        let ev = env.core.history(&q).unwrap().events.remove(0);
        assert_eq!(ev.detail["status"], "needs_reauth", "{kind:?}: {:?}", ev.detail);
        // refresh_due leaves it alone: only a new sign-in helps.
        assert!(env.core.refresh_due(chrono::Duration::days(365)).await.iter().all(|(id, _)| id != &b.id));

        // Re-authorization through a new sign-in: the same binding, active again, history kept.
        let again = env.sign_in(kind).await;
        assert_eq!(again.id, b.id, "{kind:?}");
        assert_eq!(again.created_at, b.created_at, "{kind:?}");
        env.assert_oauth_binding(kind, &again);
        assert_ne!(env.access(&again), access);
        assert_eq!(env.stored(&b.id).status, BindingStatus::Active);
        assert_eq!(env.events(&b.id), vec![EventKind::Bound, EventKind::VerificationFailed, EventKind::ReAuthorized], "{kind:?}");
        // And the new refresh token works.
        env.core.refresh(&b.id).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
    }
    assert_eq!(env.core.list_bindings().unwrap().len(), 5, "no binding was duplicated");
}

#[tokio::test]
async fn a_refresh_that_fails_for_a_transient_reason_keeps_the_binding_active() {
    let env = env().await;
    let faults = [
        Fault::server_error(500),
        Fault::server_error(503),
        Fault::RateLimited { retry_after: Some(1) },
        Fault::HtmlLogin { status: 200 },
        Fault::MalformedJson,
    ];
    for kind in OAUTH {
        let b = env.sign_in(kind).await;
        let (access, refresh) = (env.access(&b), env.refresh_token(&b));
        let token_path = Url::parse(&endpoints(kind, &Host::parse(&b.host).unwrap()).unwrap().token).unwrap().path().to_owned();
        for fault in &faults {
            env.sim.add_fault_rule(FaultRule::new(sim_p(kind), fault.clone()).on_path(&token_path).times(1));
            let err = env.core.refresh(&b.id).await.unwrap_err();
            assert!(
                !matches!(err.code, ErrorCode::ProviderUnauthorized | ErrorCode::OauthDenied),
                "{kind:?} {fault:?}: a provider problem is not a refusal: [{}] {}",
                err.code.as_str(),
                err.message
            );
            assert_eq!(env.stored(&b.id).status, BindingStatus::Active, "{kind:?} {fault:?}");
            assert_eq!((env.access(&b), env.refresh_token(&b)), (access.clone(), refresh.clone()), "{kind:?} {fault:?}: the tokens stay");
        }
        assert_eq!(env.events(&b.id), vec![EventKind::Bound], "{kind:?}: nothing was recorded");
        // Once the provider is back, the same refresh token works.
        env.core.refresh(&b.id).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
        assert_eq!(env.events(&b.id), vec![EventKind::Bound, EventKind::TokenRefreshed]);
    }
}

#[tokio::test]
async fn providers_that_do_not_rotate_keep_the_refresh_token_working() {
    let env = env().await;
    // Gitee answers with the same refresh token; Gitea hands out a new one but the old stays valid.
    for kind in [Gitee, Gitea] {
        let b = env.sign_in(kind).await;
        let first = env.refresh_token(&b).unwrap();
        env.core.refresh(&b.id).await.unwrap();
        let second = env.refresh_token(&b).unwrap();
        assert_eq!(first == second, kind == Gitee, "{kind:?}");
        env.vault.put(&refresh_token_key(&b.id), &Secret::new(first)).unwrap();
        env.core.refresh(&b.id).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
        assert_eq!(env.stored(&b.id).status, BindingStatus::Active);
        assert_eq!(env.events(&b.id), vec![EventKind::Bound, EventKind::TokenRefreshed, EventKind::TokenRefreshed]);
    }
}

#[tokio::test]
async fn refresh_due_refreshes_only_bindings_expiring_within_the_margin() {
    let env = env().await;
    // GitLab's and Gitea's tokens live a minute; Gitee's a day; GitHub's 8 hours.
    env.settings(Gitlab, |s| s.oauth_token_ttl_secs = Some(60));
    env.settings(Gitea, |s| s.oauth_token_ttl_secs = Some(60));
    let gitlab = env.sign_in(Gitlab).await;
    let gitea = env.sign_in(Gitea).await;
    let gitee = env.sign_in(Gitee).await;
    let github = env.sign_in(Github).await;
    // A disabled binding is not refreshed.
    env.core.disable(&gitea.id).unwrap();
    env.settings(Gitlab, |s| s.oauth_token_ttl_secs = None);
    let refresh_before: Vec<Option<String>> = [&gitlab, &gitea, &gitee, &github].iter().map(|b| env.refresh_token(b)).collect();

    let done = env.core.refresh_due(chrono::Duration::minutes(10)).await;
    let ids: BTreeSet<&str> = done.iter().map(|(id, _)| id.as_str()).collect();
    let gitlab_now = env.stored(&gitlab.id);
    assert_eq!(ids, BTreeSet::from([gitlab.id.as_str()]), "only GitLab's token is due");
    assert!(done[0].1.is_ok(), "{:?}", done[0].1.as_ref().err());
    let exp = chrono::DateTime::parse_from_rfc3339(gitlab_now.expires_at.as_deref().unwrap()).unwrap();
    assert!(exp.with_timezone(&chrono::Utc) - chrono::Utc::now() > chrono::Duration::hours(1), "GitLab's new token lives 2 hours: {exp}");
    assert_ne!(env.refresh_token(&gitlab), refresh_before[0]);
    assert!(env.events(&gitlab.id).contains(&EventKind::TokenRefreshed));
    for (i, b) in [&gitea, &gitee, &github].into_iter().enumerate() {
        assert_eq!(env.refresh_token(b), refresh_before[i + 1], "{:?} was not refreshed", b.provider);
        assert!(!env.events(&b.id).contains(&EventKind::TokenRefreshed), "{:?}", b.provider);
    }
    // Nothing is due any more within ten minutes; everything within a day except the disabled one.
    assert!(env.core.refresh_due(chrono::Duration::minutes(10)).await.is_empty());
    let day: BTreeSet<String> = env.core.refresh_due(chrono::Duration::hours(25)).await.into_iter().map(|(id, r)| {
        assert!(r.is_ok(), "{id}: {:?}", r.err());
        id
    }).collect();
    assert_eq!(day, BTreeSet::from([gitlab.id.clone(), gitee.id.clone(), github.id.clone()]));
}

// ---- the device grant -------------------------------------------------------------------

#[tokio::test]
async fn the_device_grant_binds_after_approval_and_a_denial_is_oauth_denied() {
    let env = env().await;
    for kind in [Github, Gitlab] {
        env.settings(kind, |s| s.oauth_device_interval_secs = Some(1));
    }
    let started = std::time::Instant::now();
    let approve = |kind: ProviderKind| {
        let env = &env;
        async move {
            let (dc, signin) = env.core.start_device(kind, Some(&env.host(kind)), None).await.unwrap();
            assert!(dc.verification_uri.starts_with(&env.host(kind)), "{kind:?}: {}", dc.verification_uri);
            assert!(!dc.user_code.is_empty());
            assert_eq!(dc.interval, 1, "{kind:?}: the provider's interval");
            let user_code = dc.user_code.clone();
            let approver = async {
                // At least one poll sees authorization_pending first.
                tokio::time::sleep(Duration::from_millis(1300)).await;
                assert!(env.sim.approve_device(&user_code), "{kind:?}: the code is pending");
            };
            let (b, ()) = tokio::join!(env.core.finish_device(signin), approver);
            let b = b.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
            env.assert_oauth_binding(kind, &b);
            assert_eq!(env.events(&b.id), vec![EventKind::Bound]);
            // GitHub's device-flow refresh needs no client secret; both refresh.
            env.core.refresh(&b.id).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
            // The device code was spent: approving it again does nothing.
            assert!(!env.sim.approve_device(&user_code));
        }
    };
    tokio::join!(approve(Github), approve(Gitlab));

    let deny = |kind: ProviderKind| {
        let env = &env;
        async move {
            let (dc, signin) = env.core.start_device(kind, Some(&env.host(kind)), None).await.unwrap();
            assert!(env.sim.deny_device(&dc.user_code));
            let err = env.core.finish_device(signin).await.unwrap_err();
            assert_eq!(err.code, ErrorCode::OauthDenied, "{kind:?}: {}", err.message);
        }
    };
    let before = env.all_events();
    tokio::join!(deny(Github), deny(Gitlab));
    assert_eq!(env.all_events(), before, "a denial records nothing");
    assert_eq!(env.core.list_bindings().unwrap().len(), 2);
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    // Providers without a device endpoint say so.
    assert_eq!(code(env.core.start_device(Gitea, Some(&env.host(Gitea)), None).await.map(|(dc, _)| dc)), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn github_device_sign_in_needs_no_client_secret_and_unbind_revokes_through_credentials_revoke() {
    let env = env_with(World::demo(), None).await;
    // Only the client id, as `codebind bind github --device --client-id ...` would have it.
    let view = env.core.save_oauth_app(Github, Some(&env.host(Github)), demo::GITHUB_APP_CLIENT_ID, None).unwrap();
    assert!(!view.has_secret && view.secret_required && view.device_flow);
    env.settings(Github, |s| s.oauth_device_interval_secs = Some(1));
    // The browser flow needs the secret; the device flow does not.
    assert_eq!(code(env.core.start_oauth(Github, Some(&env.host(Github)), None, None)), ErrorCode::InvalidInput);
    let (dc, signin) = env.core.start_device(Github, Some(&env.host(Github)), None).await.unwrap();
    assert!(env.sim.approve_device(&dc.user_code));
    let b = env.core.finish_device(signin).await.unwrap();
    env.assert_oauth_binding(Github, &b);
    let before = env.access(&b);
    env.core.refresh(&b.id).await.unwrap_or_else(|e| panic!("[{}] {}", e.code.as_str(), e.message));
    let access = env.access(&b);
    assert_ne!(access, before);
    // Without a secret the application-token API is out of reach: POST /credentials/revoke.
    let report = env.core.unbind(&b.id, true).await.unwrap();
    assert_eq!(report.revoke, RevokeOutcome::Revoked);
    assert!(env.sim.requests_for(Provider::Github).iter().any(|r| r.method == "POST" && r.path.ends_with("/credentials/revoke")));
    assert!(env.world_token(Github, &access).unwrap().revoked);
    assert_eq!(env.events(&b.id), vec![EventKind::Bound, EventKind::TokenRefreshed, EventKind::Revoked, EventKind::Unbound]);
}

// ---- revocation -------------------------------------------------------------------------

/// Whether the provider's API still accepts a token.
async fn api_accepts(env: &Env, kind: ProviderKind, token: &str) -> bool {
    let url = format!("{}/user", env.sim.api_url(sim_p(kind)));
    let r = browser().get(url).bearer_auth(token).header("user-agent", "codebind-tests").send().await.unwrap();
    r.status().is_success()
}

#[tokio::test]
async fn unbind_with_revoke_revokes_where_the_provider_has_an_api() {
    let env = env().await;
    for kind in OAUTH {
        let b = env.sign_in(kind).await;
        let access = env.access(&b);
        if matches!(kind, Github | Gitlab) {
            assert!(api_accepts(&env, kind, &access).await, "{kind:?}");
        }
        let report = env.core.unbind(&b.id, true).await.unwrap();
        assert!(report.secret_removed && report.binding_removed);
        let expected_events = match kind {
            // GitLab: RFC 7009 /oauth/revoke; GitHub: DELETE /applications/{client_id}/token.
            Github | Gitlab => {
                assert_eq!(report.revoke, RevokeOutcome::Revoked, "{kind:?}");
                assert!(env.world_token(kind, &access).unwrap().revoked, "{kind:?}");
                assert!(!api_accepts(&env, kind, &access).await, "{kind:?}: the token stopped working");
                vec![EventKind::Bound, EventKind::Revoked, EventKind::Unbound]
            }
            _ => {
                let page = match kind {
                    Bitbucket => "https://bitbucket.org/account/settings/app-authorizations/".to_owned(),
                    Gitee => format!("{}/profile/applications", env.host(kind)),
                    _ => format!("{}/user/settings/applications", env.host(kind)),
                };
                assert_eq!(report.revoke, RevokeOutcome::Manual { url: page }, "{kind:?}");
                assert!(!env.world_token(kind, &access).unwrap().revoked, "{kind:?}: nothing could revoke it");
                vec![EventKind::Bound, EventKind::Unbound]
            }
        };
        let requests = env.sim.requests_for(sim_p(kind));
        match kind {
            Gitlab => assert!(requests.iter().any(|r| r.method == "POST" && r.path == "/oauth/revoke")),
            Github => assert!(requests.iter().any(|r| r.method == "DELETE" && r.path.ends_with(&format!("/applications/{}/token", demo::GITHUB_APP_CLIENT_ID)))),
            _ => {}
        }
        assert_eq!(env.events(&b.id), expected_events, "{kind:?}: history outlives the binding");
        assert!(env.vault.get(&b.vault_key).unwrap().is_none() && env.vault.get(&refresh_token_key(&b.id)).unwrap().is_none(), "{kind:?}");
        assert!(env.core.binding(&b.id).is_err());
    }
    assert_eq!(env.core.list_bindings().unwrap().len(), 0);
}

#[tokio::test]
async fn gitlab_revocation_also_ends_the_refresh_token() {
    let env = env().await;
    let b = env.sign_in(Gitlab).await;
    let refresh = env.refresh_token(&b).unwrap();
    assert_eq!(env.core.unbind(&b.id, true).await.unwrap().revoke, RevokeOutcome::Revoked);
    let r = browser()
        .post(format!("{}/oauth/token", env.host(Gitlab)))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh.as_str()), ("client_id", demo::GITLAB_APP_CLIENT_ID)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_grant");
}

// ---- secrets stay out of the data dir ---------------------------------------------------

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn no_token_or_secret_ever_reaches_the_data_dir() {
    let env = env().await;
    let mut secrets: Vec<String> = vec![demo::GITHUB_APP_CLIENT_SECRET.into(), demo::BITBUCKET_APP_CLIENT_SECRET.into(), demo::GITEE_APP_CLIENT_SECRET.into()];
    let mut logins = Vec::new();
    for kind in OAUTH {
        let b = env.sign_in(kind).await;
        secrets.push(env.access(&b));
        secrets.push(env.refresh_token(&b).unwrap());
        env.core.refresh(&b.id).await.unwrap();
        secrets.push(env.access(&b));
        secrets.push(env.refresh_token(&b).unwrap());
        logins.push(b.login);
    }
    let files = files_under(env.dir.path());
    assert!(!files.is_empty());
    let mut all = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for s in &secrets {
            assert!(!contains(&bytes, s), "{} contains a secret ({}…)", f.display(), &s[..4]);
        }
        all.extend(bytes);
    }
    // The files searched do hold the bindings (so the search is not vacuous).
    for login in &logins {
        assert!(contains(&all, login), "{login} is in the data dir");
    }
}

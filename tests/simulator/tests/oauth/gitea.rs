use crate::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, SimHandle};
use serde_json::Value;

const LOOPBACK: &str = "http://127.0.0.1:61000/callback";

fn authorize_url(base: &str, scope: &str, challenge: Option<&str>, state: &str) -> String {
    let mut q = vec![
        ("client_id", GITEA_APP_CLIENT_ID),
        ("redirect_uri", LOOPBACK),
        ("response_type", "code"),
        ("scope", scope),
        ("state", state),
    ];
    if let Some(c) = challenge {
        q.push(("code_challenge", c));
        q.push(("code_challenge_method", "S256"));
    }
    url(base, "/login/oauth/authorize", &q)
}

async fn token(base: &str, fields: &[(&str, &str)]) -> Resp {
    post_form(&format!("{base}/login/oauth/access_token"), fields, &[]).await
}

async fn login(sim: &SimHandle, scope: &str) -> Value {
    let base = sim.base_url(Provider::Gitea);
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, scope, Some(&c), "t"), LOOPBACK, "t").await;
    let r = token(&base, &[("client_id", GITEA_APP_CLIENT_ID), ("code", &code), ("grant_type", "authorization_code"), ("redirect_uri", LOOPBACK), ("code_verifier", &v)]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn public_client_flow_and_scopes() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitea);
    let api = sim.api_url(Provider::Gitea);
    // The consent form posts to /login/oauth/grant and the answer is a 303.
    let (v, c) = pkce();
    let page = get(&authorize_url(&base, "read:user", Some(&c), "st")).await;
    assert_eq!(html_attr(&page.text, "action=\""), "/login/oauth/grant");
    let r = consent(&base, &authorize_url(&base, "read:user", Some(&c), "st"), "approve").await;
    assert_eq!(r.status, 303);
    let q = query(&location(&r));
    let t = token(&base, &[("client_id", GITEA_APP_CLIENT_ID), ("code", &q["code"]), ("grant_type", "authorization_code"), ("redirect_uri", LOOPBACK), ("code_verifier", &v)]).await;
    assert_eq!(t.status, 200, "{}", t.text);
    let t = t.json();
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 3600);
    assert!(t.get("scope").is_none());
    let access = s(&t, "access_token");
    assert_eq!(access.split('.').count(), 3, "a JWT: {access}");
    let u = common::get(&format!("{api}/user"), &[("authorization", &format!("token {access}"))]).await;
    assert_eq!(u.status, 200, "{}", u.text);
    assert_eq!(u.json()["login"], "gitea-user");
    let repos = common::get(&format!("{api}/user/repos"), &[("authorization", &bearer(&access))]).await;
    assert_eq!(repos.status, 403);

    // Only OIDC scopes → full access (`all`).
    let t = login(&sim, "openid profile").await;
    let repos = common::get(&format!("{api}/user/repos"), &[("authorization", &bearer(&s(&t, "access_token")))]).await;
    assert_eq!(repos.status, 200, "{}", repos.text);
    let tok = sim.world();
    assert_eq!(tok.gitea.token(&s(&t, "access_token")).map(|t| t.scopes.clone()), Some(vec!["all".to_string()]));

    // Discovery.
    let d = get(&format!("{base}/.well-known/openid-configuration")).await.json();
    assert_eq!(d["token_endpoint"], format!("{base}/login/oauth/access_token"));
    assert_eq!(d["code_challenge_methods_supported"], serde_json::json!(["plain", "S256"]));
}

#[tokio::test]
async fn errors_follow_gitea_source() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitea);
    // Public clients must use PKCE (redirected error, 303).
    let r = get(&authorize_url(&base, "read:user", None, "np")).await;
    assert_eq!(r.status, 303);
    let q = query(&location(&r));
    assert_eq!(q["error"], "invalid_request");
    assert_eq!(q["error_description"], "PKCE is required for public clients");
    assert_eq!(q["state"], "np");
    // Unknown client and unregistered redirect: error pages.
    let r = get(&url(&base, "/login/oauth/authorize", &[("client_id", "nope"), ("redirect_uri", LOOPBACK), ("response_type", "code")])).await;
    assert_eq!(r.status, 400);
    assert!(r.text.contains("Client ID not registered"));
    let r = get(&url(&base, "/login/oauth/authorize", &[("client_id", GITEA_APP_CLIENT_ID), ("redirect_uri", "http://localhost:61000/callback"), ("response_type", "code"), ("code_challenge", "x"), ("code_challenge_method", "S256")])).await;
    assert_eq!(r.status, 400);
    assert!(r.text.contains("Unregistered Redirect URI"));
    assert!(r.h("location").is_none());
    // Deny.
    let (v, c) = pkce();
    let r = consent(&base, &authorize_url(&base, "read:user", Some(&c), "dn"), "deny").await;
    assert_eq!(r.status, 303);
    assert_eq!(query(&location(&r))["error_description"], "the request is denied");

    let code = approve_code(&base, &authorize_url(&base, "read:user", Some(&c), "x"), LOOPBACK, "x").await;
    let ex = |verifier: String, redirect: &'static str| {
        let base = base.clone();
        let code = code.clone();
        async move { token(&base, &[("client_id", GITEA_APP_CLIENT_ID), ("code", &code), ("grant_type", "authorization_code"), ("redirect_uri", redirect), ("code_verifier", &verifier)]).await }
    };
    let r = ex("bad".into(), LOOPBACK).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), serde_json::json!({"error": "unauthorized_client", "error_description": "failed PKCE code challenge"}));
    let r = ex(v.clone(), "http://127.0.0.1:61000/elsewhere").await;
    assert_eq!(r.json()["error_description"], "unexpected redirect URI");
    // Another registered redirect is fine for Gitea (it only checks registration).
    let r = ex(v.clone(), OAUTH_CALLBACK).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = ex(v.clone(), LOOPBACK).await;
    assert_eq!(r.json()["error_description"], "client is not authorized");
    let r = token(&base, &[("client_id", GITEA_APP_CLIENT_ID), ("grant_type", "client_credentials")]).await;
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    let r = token(&base, &[("client_id", "nope"), ("code", "x"), ("grant_type", "authorization_code")]).await;
    assert_eq!(r.json()["error"], "invalid_client");

    sim.update_world(|w| w.gitea.settings.oauth_code_ttl_secs = Some(0));
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, "read:user", Some(&c), "x"), LOOPBACK, "x").await;
    let r = token(&base, &[("client_id", GITEA_APP_CLIENT_ID), ("code", &code), ("grant_type", "authorization_code"), ("redirect_uri", LOOPBACK), ("code_verifier", &v)]).await;
    assert_eq!(r.json()["error_description"], "client is not authorized");
}

#[tokio::test]
async fn refresh_reuse_depends_on_invalidate_refresh_tokens() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitea);
    let api = sim.api_url(Provider::Gitea);
    let refresh = |rt: String| {
        let base = base.clone();
        async move { token(&base, &[("client_id", GITEA_APP_CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt)]).await }
    };
    // Default (INVALIDATE_REFRESH_TOKENS=false): a new refresh token, the old one still works.
    let t = login(&sim, "read:user").await;
    let r1 = s(&t, "refresh_token");
    let t2 = refresh(r1.clone()).await.json();
    assert_ne!(s(&t2, "refresh_token"), r1);
    assert_eq!(refresh(r1.clone()).await.status, 200);
    assert_eq!(common::get(&format!("{api}/user"), &[("authorization", &bearer(&s(&t, "access_token")))]).await.status, 200);
    assert_eq!(refresh("garbage".into()).await.json()["error_description"], "unable to parse refresh token");

    sim.update_world(|w| w.gitea.settings.oauth_rotate_refresh_tokens = Some(true));
    let t = login(&sim, "read:user").await;
    let r1 = s(&t, "refresh_token");
    let t2 = refresh(r1.clone()).await;
    assert_eq!(t2.status, 200);
    let reuse = refresh(r1).await;
    assert_eq!(reuse.status, 400);
    assert_eq!(reuse.json(), serde_json::json!({"error": "unauthorized_client", "error_description": "token was already used"}));
    assert_eq!(refresh(s(&t2.json(), "refresh_token")).await.status, 200);
}

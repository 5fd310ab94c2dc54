use crate::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, SimHandle};
use serde_json::Value;

const INVALID_GRANT: &str = "授权方式无效，或者登录回调地址无效、过期或已被撤销";

fn authorize_url(base: &str, scope: &str, challenge: Option<&str>, state: &str) -> String {
    let mut q = vec![
        ("client_id", GITEE_APP_CLIENT_ID),
        ("redirect_uri", OAUTH_CALLBACK),
        ("response_type", "code"),
        ("scope", scope),
        ("state", state),
    ];
    if let Some(c) = challenge {
        q.push(("code_challenge", c));
        q.push(("code_challenge_method", "S256"));
    }
    url(base, "/oauth/authorize", &q)
}

/// As in Gitee's docs: the parameters in the query string, `client_secret` in the body.
async fn exchange(base: &str, code: &str, redirect: &str, secret: Option<&str>, verifier: Option<&str>) -> Resp {
    let u = url(
        base,
        "/oauth/token",
        &[("grant_type", "authorization_code"), ("code", code), ("client_id", GITEE_APP_CLIENT_ID), ("redirect_uri", redirect)],
    );
    let mut body = vec![];
    if let Some(s) = secret {
        body.push(("client_secret", s));
    }
    if let Some(v) = verifier {
        body.push(("code_verifier", v));
    }
    post_form(&u, &body, &[]).await
}

async fn login(sim: &SimHandle) -> Value {
    let base = sim.base_url(Provider::Gitee);
    let code = approve_code(&base, &authorize_url(&base, "user_info projects", None, "g"), OAUTH_CALLBACK, "g").await;
    let r = exchange(&base, &code, OAUTH_CALLBACK, Some(GITEE_APP_CLIENT_SECRET), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

async fn refresh(base: &str, rt: &str) -> Resp {
    // The documented call carries no client credentials.
    post_form(&url(base, "/oauth/token", &[("grant_type", "refresh_token"), ("refresh_token", rt)]), &[], &[]).await
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn code_flow_and_api_access() {
    let sim = start(|_| {}).await;
    let t = login(&sim).await;
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 86400);
    assert_eq!(t["scope"], "user_info projects");
    assert!(t["created_at"].is_i64());
    let access = s(&t, "access_token");
    assert_eq!(access.len(), 32);
    let api = sim.api_url(Provider::Gitee);
    let u = get(&format!("{api}/user?access_token={access}")).await;
    assert_eq!(u.status, 200, "{}", u.text);
    assert_eq!(u.json()["login"], "giteeuser");
    // Scope `groups` was not granted.
    let orgs = get(&format!("{api}/user/orgs?access_token={access}")).await;
    assert_eq!(orgs.status, 401);
    assert_eq!(orgs.json()["message"], "401 Unauthorized: no 'groups' scope");
}

#[tokio::test]
async fn token_errors() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitee);
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, "user_info", Some(&c), "x"), OAUTH_CALLBACK, "x").await;
    let r = exchange(&base, &code, OAUTH_CALLBACK, None, Some(&v)).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_client");
    let r = exchange(&base, &code, "codebind://oauth/other", Some(GITEE_APP_CLIENT_SECRET), Some(&v)).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), serde_json::json!({"error": "invalid_grant", "error_description": INVALID_GRANT}));
    let r = exchange(&base, &code, OAUTH_CALLBACK, Some(GITEE_APP_CLIENT_SECRET), Some("bad")).await;
    assert_eq!(r.json()["error"], "invalid_grant");
    let r = exchange(&base, &code, OAUTH_CALLBACK, Some(GITEE_APP_CLIENT_SECRET), Some(&v)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = exchange(&base, &code, OAUTH_CALLBACK, Some(GITEE_APP_CLIENT_SECRET), Some(&v)).await;
    assert_eq!(r.json()["error_description"], INVALID_GRANT);

    // Unregistered redirect at authorize: error page.
    let r = get(&url(&base, "/oauth/authorize", &[("client_id", GITEE_APP_CLIENT_ID), ("redirect_uri", "http://127.0.0.1:8080/callback"), ("response_type", "code")])).await;
    assert_eq!(r.status, 400);
    assert!(r.h("location").is_none());

    sim.update_world(|w| w.gitee.settings.oauth_code_ttl_secs = Some(0));
    let code = approve_code(&base, &authorize_url(&base, "user_info", None, "x"), OAUTH_CALLBACK, "x").await;
    let r = exchange(&base, &code, OAUTH_CALLBACK, Some(GITEE_APP_CLIENT_SECRET), None).await;
    assert_eq!(r.json()["error"], "invalid_grant");
}

#[tokio::test]
async fn refresh_keeps_the_refresh_token_unless_rotation_is_on() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitee);
    let api = sim.api_url(Provider::Gitee);
    let t = login(&sim).await;
    let (a1, r1) = (s(&t, "access_token"), s(&t, "refresh_token"));
    let r = refresh(&base, &r1).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t2 = r.json();
    assert_ne!(s(&t2, "access_token"), a1);
    assert_eq!(s(&t2, "refresh_token"), r1);
    assert_eq!(t2["expires_in"], 86400);
    assert_eq!(get(&format!("{api}/user?access_token={a1}")).await.status, 200);
    assert_eq!(get(&format!("{api}/user?access_token={}", s(&t2, "access_token"))).await.status, 200);
    assert_eq!(refresh(&base, &r1).await.status, 200);
    assert_eq!(refresh(&base, "unknown").await.json()["error"], "invalid_grant");

    sim.update_world(|w| w.gitee.settings.oauth_rotate_refresh_tokens = Some(true));
    let t = login(&sim).await;
    let r1 = s(&t, "refresh_token");
    let t2 = refresh(&base, &r1).await.json();
    assert_ne!(s(&t2, "refresh_token"), r1);
    let reuse = refresh(&base, &r1).await;
    assert_eq!((reuse.status, reuse.json()["error"].clone()), (400, "invalid_grant".into()));
}

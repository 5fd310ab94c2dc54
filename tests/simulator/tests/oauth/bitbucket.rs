use crate::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, SimHandle};
use serde_json::Value;

fn authorize_url(base: &str, challenge: &str, state: &str) -> String {
    // No redirect_uri: the consumer's callback URL is used.
    url(
        base,
        "/site/oauth2/authorize",
        &[
            ("client_id", BITBUCKET_APP_CLIENT_ID),
            ("response_type", "code"),
            ("state", state),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ],
    )
}

fn consumer() -> String {
    basic(BITBUCKET_APP_CLIENT_ID, BITBUCKET_APP_CLIENT_SECRET)
}

async fn token(base: &str, fields: &[(&str, &str)]) -> Resp {
    post_form(
        &format!("{base}/site/oauth2/access_token"),
        fields,
        &[("authorization", &consumer())],
    )
    .await
}

async fn login(sim: &SimHandle) -> Value {
    let base = sim.base_url(Provider::Bitbucket);
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, &c, "bb"), OAUTH_CALLBACK, "bb").await;
    let r = token(&base, &[("grant_type", "authorization_code"), ("code", &code), ("code_verifier", &v)]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn consumer_flow_with_basic_auth() {
    let sim = start(|_| {}).await;
    let t = login(&sim).await;
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 7200);
    assert_eq!(t["scopes"], "account email repository webhook");
    assert_eq!(t["state"], "authorization_code");
    assert!(t.get("scope").is_none());
    let access = s(&t, "access_token");
    let u = common::get(&format!("{}/user", sim.api_url(Provider::Bitbucket)), &[("authorization", &bearer(&access))]).await;
    assert_eq!(u.status, 200, "{}", u.text);
    assert_eq!(u.json()["username"], "bbuser");
    assert_eq!(u.h("x-oauth-scopes").as_deref(), Some("account, email, repository, webhook"));
    let repos = common::get(&format!("{}/repositories/acme-ws", sim.api_url(Provider::Bitbucket)), &[("authorization", &bearer(&access))]).await;
    assert_eq!(repos.status, 200);
}

#[tokio::test]
async fn token_errors() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Bitbucket);
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, &c, "e"), OAUTH_CALLBACK, "e").await;
    let tok = format!("{base}/site/oauth2/access_token");

    // Client credentials only as HTTP Basic.
    let r = post_form(&tok, &[("grant_type", "authorization_code"), ("code", &code), ("client_id", BITBUCKET_APP_CLIENT_ID), ("client_secret", BITBUCKET_APP_CLIENT_SECRET), ("code_verifier", &v)], &[]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "unauthorized_client");
    let r = post_form(&tok, &[("grant_type", "authorization_code"), ("code", &code)], &[("authorization", &basic(BITBUCKET_APP_CLIENT_ID, "wrong"))]).await;
    assert_eq!(r.json()["error"], "invalid_client");
    // JSON bodies are not understood.
    let r = send(client().post(&tok).header("authorization", consumer()).json(&serde_json::json!({"grant_type": "authorization_code", "code": code}))).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), serde_json::json!({"error": "invalid_grant", "error_description": "Unsupported grant type: None"}));
    // Wrong PKCE verifier; a redirect_uri that was not in the authorize request.
    let r = token(&base, &[("grant_type", "authorization_code"), ("code", &code), ("code_verifier", "nope")]).await;
    assert_eq!((r.status, r.json()["error"].clone()), (400, "invalid_grant".into()));
    let r = token(&base, &[("grant_type", "authorization_code"), ("code", &code), ("code_verifier", &v), ("redirect_uri", "codebind://oauth/callback/x")]).await;
    assert_eq!(r.json()["error"], "invalid_grant");
    // Good, then reused.
    let r = token(&base, &[("grant_type", "authorization_code"), ("code", &code), ("code_verifier", &v)]).await;
    assert_eq!(r.status, 200);
    let r = token(&base, &[("grant_type", "authorization_code"), ("code", &code), ("code_verifier", &v)]).await;
    assert_eq!(r.json()["error_description"], "The specified code is not valid.");
    // No device flow on Bitbucket.
    let r = token(&base, &[("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", "x")]).await;
    assert_eq!(r.status, 400);
    assert!(post_form(&format!("{base}/login/device/code"), &[("client_id", BITBUCKET_APP_CLIENT_ID)], &[]).await.status >= 400);

    // Expired code.
    sim.update_world(|w| w.bitbucket.settings.oauth_code_ttl_secs = Some(0));
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, &c, "e"), OAUTH_CALLBACK, "e").await;
    let r = token(&base, &[("grant_type", "authorization_code"), ("code", &code), ("code_verifier", &v)]).await;
    assert_eq!(r.json()["error"], "invalid_grant");
}

#[tokio::test]
async fn authorize_rules() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Bitbucket);
    // The consumer registered codebind://oauth/callback only: no loopback.
    let r = get(&url(&base, "/site/oauth2/authorize", &[("client_id", BITBUCKET_APP_CLIENT_ID), ("response_type", "code"), ("redirect_uri", "http://127.0.0.1:5000/callback")])).await;
    assert_eq!(r.status, 400);
    assert!(r.h("location").is_none());
    // A redirect_uri that extends the registered URL is accepted (documented prefix rule).
    let r = get(&url(&base, "/site/oauth2/authorize", &[("client_id", BITBUCKET_APP_CLIENT_ID), ("response_type", "code"), ("redirect_uri", "codebind://oauth/callback?from=bb")])).await;
    assert_eq!(r.status, 200);
    let r = get(&url(&base, "/site/oauth2/authorize", &[("client_id", "unknown"), ("response_type", "code")])).await;
    assert_eq!(r.status, 400);
    assert!(r.h("location").is_none());
    let r = consent(&base, &url(&base, "/site/oauth2/authorize", &[("client_id", BITBUCKET_APP_CLIENT_ID), ("response_type", "code"), ("state", "no")]), "deny").await;
    assert_eq!(r.status, 302);
    let loc = location(&r);
    assert!(loc.starts_with("codebind://oauth/callback?error=access_denied"), "{loc}");
    assert_eq!(query(&loc)["state"], "no");
}

#[tokio::test]
async fn refresh_rotates() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Bitbucket);
    let t = login(&sim).await;
    let r1 = s(&t, "refresh_token");
    let r = token(&base, &[("grant_type", "refresh_token"), ("refresh_token", &r1)]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t2 = r.json();
    assert_eq!(t2["state"], "refresh_token");
    assert_eq!(t2["scopes"], "account email repository webhook");
    let r2 = s(&t2, "refresh_token");
    assert_ne!(r2, r1);
    let again = token(&base, &[("grant_type", "refresh_token"), ("refresh_token", &r1)]).await;
    assert_eq!((again.status, again.json()["error"].clone()), (400, "invalid_grant".into()));
    let u = common::get(&format!("{}/user", sim.api_url(Provider::Bitbucket)), &[("authorization", &bearer(&s(&t2, "access_token")))]).await;
    assert_eq!(u.status, 200);
    // An expired access token says so.
    sim.expire_token(&s(&t2, "access_token"));
    let u = common::get(&format!("{}/user", sim.api_url(Provider::Bitbucket)), &[("authorization", &bearer(&s(&t2, "access_token")))]).await;
    assert_eq!(u.status, 401);
    assert!(u.text.contains("Access token expired"));
    assert_eq!(token(&base, &[("grant_type", "refresh_token"), ("refresh_token", &r2)]).await.status, 200);
}

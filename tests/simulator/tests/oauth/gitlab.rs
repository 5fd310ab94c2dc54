use crate::*;
use codebind_simulator::demo::*;
use codebind_simulator::{OAuthApp, Provider, SimHandle};
use serde_json::Value;

const LOOPBACK: &str = "http://127.0.0.1:49152/callback";
const DEVICE: &str = "urn:ietf:params:oauth:grant-type:device_code";

fn authorize_url(base: &str, redirect: &str, scope: &str, challenge: Option<&str>, state: &str) -> String {
    let mut q = vec![
        ("client_id", GITLAB_APP_CLIENT_ID),
        ("redirect_uri", redirect),
        ("response_type", "code"),
        ("state", state),
        ("scope", scope),
    ];
    if let Some(c) = challenge {
        q.push(("code_challenge", c));
        q.push(("code_challenge_method", "S256"));
    }
    url(base, "/oauth/authorize", &q)
}

async fn token(base: &str, fields: &[(&str, &str)]) -> Resp {
    post_form(&format!("{base}/oauth/token"), fields, &[]).await
}

async fn login(sim: &SimHandle, scope: &str) -> Value {
    let base = sim.base_url(Provider::Gitlab);
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, LOOPBACK, scope, Some(&c), "s"), LOOPBACK, "s").await;
    let r = token(
        &base,
        &[("client_id", GITLAB_APP_CLIENT_ID), ("code", &code), ("grant_type", "authorization_code"), ("redirect_uri", LOOPBACK), ("code_verifier", &v)],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn public_app_pkce_flow_token_works_on_the_api() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitlab);
    let t = login(&sim, "api").await;
    let access = s(&t, "access_token");
    assert_eq!(access.len(), 64);
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 7200);
    assert_eq!(t["scope"], "api");
    assert_eq!(s(&t, "refresh_token").len(), 64);
    assert!(t["created_at"].as_i64().is_some_and(|c| c > 1_600_000_000));

    let u = common::get(&format!("{}/user", sim.api_url(Provider::Gitlab)), &[("authorization", &bearer(&access))]).await;
    assert_eq!(u.status, 200, "{}", u.text);
    assert_eq!(u.json()["username"], "alice");
    let info = common::get(&format!("{base}/oauth/token/info"), &[("authorization", &bearer(&access))]).await;
    assert_eq!(info.status, 200);
    let i = info.json();
    assert_eq!(i["scope"], serde_json::json!(["api"]));
    assert_eq!(i["application"]["uid"], GITLAB_APP_CLIENT_ID);
    assert_eq!(i["resource_owner_id"], 101);
    assert!(i["expires_in"].as_i64().is_some_and(|e| e > 7000 && e <= 7200));

    // A read_user token is limited to what read_user allows.
    let t = login(&sim, "read_user").await;
    let ro = s(&t, "access_token");
    let p = common::get(&format!("{}/projects", sim.api_url(Provider::Gitlab)), &[("authorization", &bearer(&ro))]).await;
    assert_eq!(p.status, 403);
    assert_eq!(p.json()["error"], "insufficient_scope");
}

#[tokio::test]
async fn authorize_and_token_errors() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitlab);
    let (v, c) = pkce();

    // Unknown client / unregistered redirect: error pages, never a redirect.
    let r = get(&url(&base, "/oauth/authorize", &[("client_id", "x"), ("redirect_uri", LOOPBACK), ("response_type", "code")])).await;
    assert_eq!(r.status, 401);
    assert!(r.h("location").is_none());
    for bad in ["http://localhost:49152/callback", "codebind://oauth/other", "http://127.0.0.1:49152/other"] {
        let r = get(&authorize_url(&base, bad, "api", Some(&c), "s")).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.h("location").is_none(), "{bad}");
        assert!(r.text.contains("invalid_redirect_uri"));
    }
    // The custom scheme and any loopback port are registered.
    assert_eq!(get(&authorize_url(&base, OAUTH_CALLBACK, "api", Some(&c), "s")).await.status, 200);
    assert_eq!(get(&authorize_url(&base, "http://127.0.0.1:1/callback", "api", Some(&c), "s")).await.status, 200);

    // Public application without PKCE; unknown scope; wrong response_type → redirected errors.
    let r = get(&authorize_url(&base, LOOPBACK, "api", None, "s1")).await;
    let q = query(&location(&r));
    assert_eq!((q["error"].as_str(), q["state"].as_str()), ("invalid_request", "s1"));
    let r = get(&authorize_url(&base, LOOPBACK, "sudo", Some(&c), "s2")).await;
    assert_eq!(query(&location(&r))["error"], "invalid_scope");

    // Deny.
    let r = consent(&base, &authorize_url(&base, LOOPBACK, "api", Some(&c), "d"), "deny").await;
    assert_eq!(r.status, 302);
    let q = query(&location(&r));
    assert_eq!(q["error"], "access_denied");
    assert_eq!(q["error_description"], "The resource owner or authorization server denied the request.");
    assert_eq!(q["state"], "d");

    let code = approve_code(&base, &authorize_url(&base, LOOPBACK, "api", Some(&c), "s"), LOOPBACK, "s").await;
    let ex = |code: String, redirect: Option<&'static str>, verifier: String| {
        let base = base.clone();
        async move {
            let mut f = vec![("client_id", GITLAB_APP_CLIENT_ID.to_string()), ("code", code), ("grant_type", "authorization_code".to_string()), ("code_verifier", verifier)];
            if let Some(r) = redirect {
                f.push(("redirect_uri", r.to_string()));
            }
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            token(&base, &f).await
        }
    };
    let bad_pkce = ex(code.clone(), Some(LOOPBACK), "wrong".into()).await;
    assert_eq!(bad_pkce.status, 400);
    assert_eq!(bad_pkce.json()["error"], "invalid_grant");
    let wrong_redirect = ex(code.clone(), Some("http://127.0.0.1:49153/callback"), v.clone()).await;
    assert_eq!((wrong_redirect.status, wrong_redirect.json()["error"].clone()), (400, "invalid_grant".into()));
    let missing_redirect = ex(code.clone(), None, v.clone()).await;
    assert_eq!(missing_redirect.status, 400);
    assert_eq!(missing_redirect.json()["error"], "invalid_request");
    let unknown_client = token(&base, &[("client_id", "nope"), ("code", &code), ("grant_type", "authorization_code"), ("redirect_uri", LOOPBACK), ("code_verifier", &v)]).await;
    assert_eq!(unknown_client.status, 401);
    assert_eq!(unknown_client.json()["error"], "invalid_client");
    let ok = ex(code.clone(), Some(LOOPBACK), v.clone()).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let reused = ex(code, Some(LOOPBACK), v.clone()).await;
    assert_eq!((reused.status, reused.json()["error"].clone()), (400, "invalid_grant".into()));

    let unsupported = token(&base, &[("client_id", GITLAB_APP_CLIENT_ID), ("grant_type", "password")]).await;
    assert_eq!(unsupported.json()["error"], "unsupported_grant_type");

    sim.update_world(|w| w.gitlab.settings.oauth_code_ttl_secs = Some(0));
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, LOOPBACK, "api", Some(&c), "s"), LOOPBACK, "s").await;
    let expired = ex(code, Some(LOOPBACK), v).await;
    assert_eq!((expired.status, expired.json()["error"].clone()), (400, "invalid_grant".into()));
}

#[tokio::test]
async fn confidential_app_needs_its_secret() {
    let sim = start(|w| {
        w.gitlab.apps.push(OAuthApp::new("conf-app", "conf-secret").redirect(LOOPBACK_CALLBACK));
    })
    .await;
    let base = sim.base_url(Provider::Gitlab);
    // Confidential apps may skip PKCE.
    let au = url(&base, "/oauth/authorize", &[("client_id", "conf-app"), ("redirect_uri", LOOPBACK), ("response_type", "code"), ("state", "s")]);
    let code = approve_code(&base, &au, LOOPBACK, "s").await;
    let base_fields = [("client_id", "conf-app"), ("code", code.as_str()), ("grant_type", "authorization_code"), ("redirect_uri", LOOPBACK)];
    let r = token(&base, &base_fields).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_client");
    assert!(r.h("www-authenticate").is_some());
    // HTTP Basic works as client authentication too.
    let r = post_form(&format!("{base}/oauth/token"), &base_fields[1..], &[("authorization", &basic("conf-app", "conf-secret"))]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let access = s(&r.json(), "access_token");

    // Its tokens can only be revoked by itself (403 for another client).
    let r = post_form(&format!("{base}/oauth/revoke"), &[("token", &access), ("client_id", GITLAB_APP_CLIENT_ID)], &[]).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "unauthorized_client");
    let r = post_form(&format!("{base}/oauth/revoke"), &[("token", &access), ("client_id", "conf-app"), ("client_secret", "conf-secret")], &[]).await;
    assert_eq!(r.status, 200);
    let u = common::get(&format!("{}/user", sim.api_url(Provider::Gitlab)), &[("authorization", &bearer(&access))]).await;
    assert_eq!(u.status, 401);
}

#[tokio::test]
async fn refresh_rotates_and_old_pair_dies() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitlab);
    let api = sim.api_url(Provider::Gitlab);
    let t = login(&sim, "api").await;
    let (a1, r1) = (s(&t, "access_token"), s(&t, "refresh_token"));
    let refresh = |rt: String| {
        let base = base.clone();
        async move { token(&base, &[("client_id", GITLAB_APP_CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt), ("redirect_uri", LOOPBACK)]).await }
    };
    // Refresh tokens keep working after the access token expired.
    sim.expire_token(&a1);
    let r = refresh(r1.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t2 = r.json();
    let (a2, r2) = (s(&t2, "access_token"), s(&t2, "refresh_token"));
    assert!(a2 != a1 && r2 != r1);
    assert_eq!(t2["expires_in"], 7200);
    assert_eq!(t2["scope"], "api");

    let old = common::get(&format!("{api}/user"), &[("authorization", &bearer(&a1))]).await;
    assert_eq!(old.status, 401);
    assert_eq!(old.json()["error"], "invalid_token");
    let reuse = refresh(r1).await;
    assert_eq!((reuse.status, reuse.json()["error"].clone()), (400, "invalid_grant".into()));
    assert_eq!(common::get(&format!("{api}/user"), &[("authorization", &bearer(&a2))]).await.status, 200);
    assert_eq!(refresh(r2).await.status, 200);
}

#[tokio::test]
async fn device_flow_pending_page_approve_token() {
    let sim = start(|w| w.gitlab.settings.oauth_device_interval_secs = Some(0)).await;
    let base = sim.base_url(Provider::Gitlab);
    let r = post_form(&format!("{base}/oauth/authorize_device"), &[("client_id", GITLAB_APP_CLIENT_ID), ("scope", "api")], &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = r.json();
    let user_code = s(&d, "user_code");
    let device_code = s(&d, "device_code");
    assert_eq!(d["verification_uri"], format!("{base}/oauth/device"));
    assert_eq!(d["verification_uri_complete"], format!("{base}/oauth/device?user_code={user_code}"));
    assert_eq!(d["expires_in"], 300);
    assert_eq!(d["interval"], 0);

    let poll = |dc: String| {
        let base = base.clone();
        async move { token(&base, &[("client_id", GITLAB_APP_CLIENT_ID), ("device_code", &dc), ("grant_type", DEVICE)]).await }
    };
    let p = poll(device_code.clone()).await;
    assert_eq!(p.status, 400);
    assert_eq!(p.json()["error"], "authorization_pending");

    // The verification_uri_complete page comes pre-filled; submitting it approves.
    let page = get(&s(&d, "verification_uri_complete")).await;
    assert_eq!(page.status, 200);
    assert_eq!(html_attr(&page.text, "name=\"user_code\" value=\""), user_code);
    let action = html_attr(&page.text, "action=\"");
    let done = post_form(&format!("{base}{action}"), &[("user_code", &user_code), ("decision", "approve")], &[]).await;
    assert_eq!(done.status, 200);

    let t = poll(device_code.clone()).await;
    assert_eq!(t.status, 200, "{}", t.text);
    let t = t.json();
    assert_eq!(t["expires_in"], 7200);
    let u = common::get(&format!("{}/user", sim.api_url(Provider::Gitlab)), &[("authorization", &bearer(&s(&t, "access_token")))]).await;
    assert_eq!(u.json()["username"], "alice");
    assert_eq!(poll(device_code).await.json()["error"], "invalid_grant");

    // Denied, then expired.
    let d = post_form(&format!("{base}/oauth/authorize_device"), &[("client_id", GITLAB_APP_CLIENT_ID)], &[]).await.json();
    assert!(sim.deny_device(&s(&d, "user_code")));
    let p = poll(s(&d, "device_code")).await;
    assert_eq!((p.status, p.json()["error"].clone()), (400, "access_denied".into()));
    sim.update_world(|w| w.gitlab.settings.oauth_device_ttl_secs = Some(1));
    let d = post_form(&format!("{base}/oauth/authorize_device"), &[("client_id", GITLAB_APP_CLIENT_ID)], &[]).await.json();
    assert_eq!(d["expires_in"], 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(poll(s(&d, "device_code")).await.json()["error"], "expired_token");
    // Unknown client.
    let r = post_form(&format!("{base}/oauth/authorize_device"), &[("client_id", "nope")], &[]).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn device_flow_slow_down_and_handle_approval() {
    let sim = start(|w| w.gitlab.settings.oauth_device_interval_secs = Some(1)).await;
    let base = sim.base_url(Provider::Gitlab);
    let d = post_form(&format!("{base}/oauth/authorize_device"), &[("client_id", GITLAB_APP_CLIENT_ID), ("scope", "read_user")], &[]).await.json();
    let dc = s(&d, "device_code");
    let fields = [("client_id", GITLAB_APP_CLIENT_ID), ("device_code", dc.as_str()), ("grant_type", DEVICE)];
    let poll = || token(&base, &fields);
    assert_eq!(poll().await.json()["error"], "authorization_pending");
    assert_eq!(poll().await.json()["error"], "slow_down");
    assert!(sim.approve_device(&s(&d, "user_code").to_lowercase()));
    let t = poll().await.json();
    assert_eq!(t["scope"], "read_user");
}

#[tokio::test]
async fn revoke_endpoint_rfc7009() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Gitlab);
    let api = sim.api_url(Provider::Gitlab);
    let t = login(&sim, "api").await;
    let (access, rt) = (s(&t, "access_token"), s(&t, "refresh_token"));

    // Client authentication comes first.
    let r = post_form(&format!("{base}/oauth/revoke"), &[("token", &access)], &[]).await;
    assert_eq!(r.status, 401);
    assert_eq!(common::get(&format!("{api}/user"), &[("authorization", &bearer(&access))]).await.status, 200);

    let r = post_form(&format!("{base}/oauth/revoke"), &[("token", &access), ("client_id", GITLAB_APP_CLIENT_ID)], &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), serde_json::json!({}));
    let u = common::get(&format!("{api}/user"), &[("authorization", &bearer(&access))]).await;
    assert_eq!(u.status, 401);
    assert_eq!(u.json()["error_description"], "Token was revoked. You have to re-authorize from the user.");
    let info = common::get(&format!("{base}/oauth/token/info"), &[("authorization", &bearer(&access))]).await;
    assert_eq!(info.status, 401);
    // The refresh token of a revoked token is dead too.
    let r = token(&base, &[("client_id", GITLAB_APP_CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &rt)]).await;
    assert_eq!(r.json()["error"], "invalid_grant");
    // Unknown tokens: still 200 {}.
    let r = post_form(&format!("{base}/oauth/revoke"), &[("token", "nope"), ("client_id", GITLAB_APP_CLIENT_ID)], &[]).await;
    assert_eq!(r.status, 200);

    // Revoking by refresh token kills the access token as well.
    let t = login(&sim, "api").await;
    let r = post_form(&format!("{base}/oauth/revoke"), &[("token", &s(&t, "refresh_token")), ("token_type_hint", "refresh_token"), ("client_id", GITLAB_APP_CLIENT_ID)], &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(common::get(&format!("{api}/user"), &[("authorization", &bearer(&s(&t, "access_token")))]).await.status, 401);
}

use crate::*;
use codebind_simulator::demo::*;
use codebind_simulator::{OAuthApp, Provider};
use serde_json::Value;

const JSON: (&str, &str) = ("accept", "application/json");
const LOOPBACK: &str = "http://127.0.0.1:53682/callback";

fn authorize_url(base: &str, redirect: &str, challenge: &str, state: &str) -> String {
    url(
        base,
        "/login/oauth/authorize",
        &[
            ("client_id", GITHUB_APP_CLIENT_ID),
            ("redirect_uri", redirect),
            ("response_type", "code"),
            ("scope", "repo read:org"),
            ("state", state),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ],
    )
}

async fn exchange(base: &str, code: &str, redirect: &str, verifier: &str) -> Resp {
    post_form(
        &format!("{base}/login/oauth/access_token"),
        &[
            ("client_id", GITHUB_APP_CLIENT_ID),
            ("client_secret", GITHUB_APP_CLIENT_SECRET),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
            ("grant_type", "authorization_code"),
        ],
        &[JSON],
    )
    .await
}

async fn web_login(sim: &codebind_simulator::SimHandle) -> Value {
    let base = sim.base_url(Provider::Github);
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, LOOPBACK, &c, "st1"), LOOPBACK, "st1").await;
    let r = exchange(&base, &code, LOOPBACK, &v).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn web_flow_pkce_consent_token_and_api() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Github);
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, LOOPBACK, &c, "xyz"), LOOPBACK, "xyz").await;
    assert_eq!(code.len(), 20);
    assert_eq!(sim.pending_oauth_codes(Provider::Github), 1);

    let r = exchange(&base, &code, LOOPBACK, &v).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.h("content-type").unwrap_or_default().starts_with("application/json"));
    let t = r.json();
    let access = t["access_token"].as_str().unwrap_or_default().to_string();
    assert!(access.starts_with("gho_") && access.len() == 40, "{t}");
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["scope"], "repo,read:org");
    assert_eq!(t["expires_in"], 28800);
    assert_eq!(t["refresh_token_expires_in"], 15897600);
    assert!(t["refresh_token"].as_str().unwrap_or_default().starts_with("ghr_"));
    assert_eq!(sim.pending_oauth_codes(Provider::Github), 0);

    // The token is a real OAuth token of the world, on both API roots.
    for api in [base.clone(), sim.api_url(Provider::Github)] {
        let u = common::get(&format!("{api}/user"), &[("authorization", &bearer(&access))]).await;
        assert_eq!(u.status, 200, "{}", u.text);
        assert_eq!(u.json()["login"], "octocat");
        assert_eq!(u.h("x-oauth-scopes").as_deref(), Some("repo, read:org"));
    }
    let w = sim.world();
    let tok = w.github.token(&access).expect("issued token in the world");
    assert_eq!(tok.kind, codebind_simulator::TokenKind::Oauth);
    assert_eq!(tok.app.as_deref(), Some(GITHUB_APP_CLIENT_ID));
    assert!(tok.expires_at.is_some());

    // The code is single-use: GitHub answers 200 with bad_verification_code.
    let again = exchange(&base, &code, LOOPBACK, &v).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["error"], "bad_verification_code");
    assert_eq!(again.json()["error_description"], "The code passed is incorrect or expired.");
}

#[tokio::test]
async fn token_endpoint_errors_and_form_encoding() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Github);
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, LOOPBACK, &c, "s"), LOOPBACK, "s").await;

    // Without Accept: application/json the answer is form-encoded, errors included.
    let r = post_form(
        &format!("{base}/login/oauth/access_token"),
        &[("client_id", GITHUB_APP_CLIENT_ID), ("client_secret", GITHUB_APP_CLIENT_SECRET), ("code", &code), ("redirect_uri", LOOPBACK), ("code_verifier", "wrong-verifier")],
        &[],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.h("content-type").unwrap_or_default().starts_with("application/x-www-form-urlencoded"));
    let q = query(&format!("?{}", r.text));
    assert_eq!(q.get("error").map(String::as_str), Some("bad_verification_code"));

    // Secret required even with PKCE.
    let r = post_form(
        &format!("{base}/login/oauth/access_token"),
        &[("client_id", GITHUB_APP_CLIENT_ID), ("code", &code), ("redirect_uri", LOOPBACK), ("code_verifier", &v)],
        &[JSON],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["error"], "incorrect_client_credentials");

    // A different redirect_uri than the authorize request's.
    let r = exchange(&base, &code, "http://127.0.0.1:1/callback", &v).await;
    assert_eq!(r.json()["error"], "redirect_uri_mismatch");

    // The failed attempts did not burn the code; the right request still works, form-encoded.
    let r = post_form(
        &format!("{base}/login/oauth/access_token"),
        &[("client_id", GITHUB_APP_CLIENT_ID), ("client_secret", GITHUB_APP_CLIENT_SECRET), ("code", &code), ("redirect_uri", LOOPBACK), ("code_verifier", &v)],
        &[],
    )
    .await;
    let q = query(&format!("?{}", r.text));
    assert!(q.get("access_token").is_some_and(|a| a.starts_with("gho_")), "{}", r.text);
    assert_eq!(q.get("token_type").map(String::as_str), Some("bearer"));
    assert_eq!(q.get("scope").map(String::as_str), Some("repo,read:org"));

    // Expired codes (10 minutes by default; 0 here).
    sim.update_world(|w| w.github.settings.oauth_code_ttl_secs = Some(0));
    let (v, c) = pkce();
    let code = approve_code(&base, &authorize_url(&base, LOOPBACK, &c, "s"), LOOPBACK, "s").await;
    let r = exchange(&base, &code, LOOPBACK, &v).await;
    assert_eq!(r.json()["error"], "bad_verification_code");
}

#[tokio::test]
async fn authorize_page_rules() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Github);
    let (_, c) = pkce();

    // Unknown client: an HTML 404, no redirect.
    let r = get(&url(&base, "/login/oauth/authorize", &[("client_id", "nope"), ("redirect_uri", LOOPBACK)])).await;
    assert_eq!(r.status, 404);
    assert!(r.h("location").is_none());
    assert!(r.h("content-type").unwrap_or_default().starts_with("text/html"));

    // Loopback: any port; the path must be the callback's (or below it).
    for (redirect, ok) in [
        ("http://127.0.0.1:1/callback", true),
        ("http://127.0.0.1:65000/callback/sub", true),
        ("codebind://oauth/callback", true),
        ("http://localhost:53682/callback", false),
        ("http://127.0.0.1:53682/other", false),
        ("codebind://evil/callback", false),
    ] {
        let r = get(&authorize_url(&base, redirect, &c, "s")).await;
        if ok {
            assert_eq!(r.status, 200, "{redirect}: {}", r.text);
        } else {
            // GitHub documents a redirect to the *registered* callback with redirect_uri_mismatch.
            assert_eq!(r.status, 302, "{redirect}");
            let loc = location(&r);
            assert!(loc.starts_with(LOOPBACK_CALLBACK), "{loc}");
            let q = query(&loc);
            assert_eq!(q.get("error").map(String::as_str), Some("redirect_uri_mismatch"));
            assert_eq!(q.get("state").map(String::as_str), Some("s"));
        }
    }

    // Deny.
    let r = consent(&base, &authorize_url(&base, LOOPBACK, &c, "d1"), "deny").await;
    assert_eq!(r.status, 302);
    let q = query(&location(&r));
    assert_eq!(q.get("error").map(String::as_str), Some("access_denied"));
    assert_eq!(q.get("error_description").map(String::as_str), Some("The user has denied your application access."));
    assert_eq!(q.get("state").map(String::as_str), Some("d1"));
    assert!(!q.contains_key("code"));

    // `plain` PKCE is not supported on GitHub.
    let r = get(&url(&base, "/login/oauth/authorize", &[("client_id", GITHUB_APP_CLIENT_ID), ("redirect_uri", LOOPBACK), ("code_challenge", "abc"), ("code_challenge_method", "plain")])).await;
    assert_eq!(r.status, 302);
    assert_eq!(query(&location(&r)).get("error").map(String::as_str), Some("invalid_request"));

    // The OAuth pages live at the host root (GHES: https://HOST/login/oauth/...), not under /api/v3.
    let r = get(&authorize_url(&sim.api_url(Provider::Github), LOOPBACK, &c, "s")).await;
    assert_eq!(r.status, 404);

    // A consent request can be answered once.
    let page = get(&authorize_url(&base, LOOPBACK, &c, "s")).await;
    let rid = html_attr(&page.text, "name=\"request_id\" value=\"");
    let first = post_form(&format!("{base}/login/oauth/authorize"), &[("request_id", &rid), ("decision", "approve")], &[]).await;
    assert_eq!(first.status, 302);
    let second = post_form(&format!("{base}/login/oauth/authorize"), &[("request_id", &rid), ("decision", "approve")], &[]).await;
    assert_eq!(second.status, 400);
    assert!(second.h("location").is_none());
}

#[tokio::test]
async fn auto_approve_redirects_at_once() {
    let sim = start(|w| w.github.settings.oauth_auto_approve = true).await;
    let base = sim.base_url(Provider::Github);
    let (v, c) = pkce();
    let r = get(&authorize_url(&base, OAUTH_CALLBACK, &c, "auto")).await;
    assert_eq!(r.status, 302, "{}", r.text);
    let loc = location(&r);
    assert!(loc.starts_with("codebind://oauth/callback?code="), "{loc}");
    let q = query(&loc);
    assert_eq!(q.get("state").map(String::as_str), Some("auto"));
    let t = exchange(&base, &q["code"], OAUTH_CALLBACK, &v).await.json();
    assert!(t["access_token"].as_str().is_some_and(|a| a.starts_with("gho_")), "{t}");
}

#[tokio::test]
async fn refresh_rotates_the_pair() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Github);
    let t = web_login(&sim).await;
    let (a1, r1) = (t["access_token"].as_str().unwrap_or_default().to_string(), t["refresh_token"].as_str().unwrap_or_default().to_string());

    let refresh = |rt: String| {
        let base = base.clone();
        async move {
            post_form(
                &format!("{base}/login/oauth/access_token"),
                &[("client_id", GITHUB_APP_CLIENT_ID), ("client_secret", GITHUB_APP_CLIENT_SECRET), ("grant_type", "refresh_token"), ("refresh_token", &rt)],
                &[JSON],
            )
            .await
        }
    };
    let r = refresh(r1.clone()).await;
    assert_eq!(r.status, 200);
    let t2 = r.json();
    let (a2, r2) = (t2["access_token"].as_str().unwrap_or_default().to_string(), t2["refresh_token"].as_str().unwrap_or_default().to_string());
    assert!(a2.starts_with("gho_") && a2 != a1);
    assert!(r2.starts_with("ghr_") && r2 != r1);
    assert_eq!(t2["scope"], "repo,read:org");

    // "that refresh token and the old access token will no longer work"
    let old = common::get(&format!("{base}/user"), &[("authorization", &bearer(&a1))]).await;
    assert_eq!(old.status, 401);
    assert_eq!(old.json()["message"], "Bad credentials");
    let reuse = refresh(r1).await;
    assert_eq!(reuse.status, 200);
    assert_eq!(reuse.json()["error"], "bad_refresh_token");
    let new = common::get(&format!("{base}/user"), &[("authorization", &bearer(&a2))]).await;
    assert_eq!(new.status, 200);

    // Without the client secret (web-flow token) → refused.
    let r = post_form(&format!("{base}/login/oauth/access_token"), &[("client_id", GITHUB_APP_CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", &r2)], &[JSON]).await;
    assert_eq!(r.json()["error"], "incorrect_client_credentials");

    // Apps without token expiration: tokens never expire and there is no refresh token.
    sim.update_world(|w| w.github.apps[0].expiring_tokens = false);
    let t = web_login(&sim).await;
    assert!(t.get("refresh_token").is_none() && t.get("expires_in").is_none(), "{t}");
    let access = t["access_token"].as_str().unwrap_or_default();
    assert!(sim.world().github.token(access).is_some_and(|t| t.expires_at.is_none()));
}

#[tokio::test]
async fn device_flow_pending_slow_down_approve_token() {
    let sim = start(|w| w.github.settings.oauth_device_interval_secs = Some(1)).await;
    let base = sim.base_url(Provider::Github);

    // Form-encoded by default.
    let r = post_form(&format!("{base}/login/device/code"), &[("client_id", GITHUB_APP_CLIENT_ID), ("scope", "repo")], &[]).await;
    assert_eq!(r.status, 200);
    let q = query(&format!("?{}", r.text));
    assert_eq!(q.get("verification_uri"), Some(&format!("{base}/login/device")));
    assert_eq!(q.get("expires_in").map(String::as_str), Some("900"));

    let r = post_form(&format!("{base}/login/device/code"), &[("client_id", GITHUB_APP_CLIENT_ID), ("scope", "repo read:org")], &[JSON]).await;
    let d = r.json();
    let device_code = d["device_code"].as_str().unwrap_or_default().to_string();
    let user_code = d["user_code"].as_str().unwrap_or_default().to_string();
    assert_eq!(device_code.len(), 40);
    assert!(user_code.len() == 9 && &user_code[4..5] == "-", "{user_code}");
    assert_eq!(d["interval"], 1);

    let poll = || {
        let base = base.clone();
        let dc = device_code.clone();
        async move {
            // No client secret: "not needed for the device flow".
            post_form(
                &format!("{base}/login/oauth/access_token"),
                &[("client_id", GITHUB_APP_CLIENT_ID), ("device_code", &dc), ("grant_type", "urn:ietf:params:oauth:grant-type:device_code")],
                &[JSON],
            )
            .await
        }
    };
    let p1 = poll().await;
    assert_eq!(p1.status, 200);
    assert_eq!(p1.json()["error"], "authorization_pending");
    let p2 = poll().await;
    assert_eq!(p2.status, 200);
    assert_eq!(p2.json()["error"], "slow_down");
    assert_eq!(p2.json()["interval"], 6);

    // The verification page approves it.
    let page = get(&format!("{base}/login/device")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("name=\"user_code\"") && page.text.contains("id=\"approve\""));
    let done = post_form(&format!("{base}/login/device"), &[("user_code", &user_code.to_lowercase()), ("decision", "approve")], &[]).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.text.contains("data-approved=\"true\""));

    let t = poll().await.json();
    let access = t["access_token"].as_str().unwrap_or_default().to_string();
    assert!(access.starts_with("gho_"), "{t}");
    assert_eq!(t["scope"], "repo,read:org");
    let u = common::get(&format!("{base}/user"), &[("authorization", &bearer(&access))]).await;
    assert_eq!(u.json()["login"], "octocat");
    // Spent.
    assert_eq!(poll().await.json()["error"], "incorrect_device_code");

    // Device-flow refresh tokens refresh without the client secret.
    let rt = t["refresh_token"].as_str().unwrap_or_default();
    let r = post_form(&format!("{base}/login/oauth/access_token"), &[("client_id", GITHUB_APP_CLIENT_ID), ("grant_type", "refresh_token"), ("refresh_token", rt)], &[JSON]).await;
    assert!(r.json()["access_token"].as_str().is_some(), "{}", r.text);
}

#[tokio::test]
async fn device_flow_denied_expired_disabled() {
    let sim = start(|w| {
        w.github.settings.oauth_device_interval_secs = Some(0);
        w.github.settings.oauth_device_ttl_secs = Some(1);
        w.github.apps.push(OAuthApp::new("Iv1.nodevice", "s"));
    })
    .await;
    let base = sim.base_url(Provider::Github);
    let start_device = || {
        let base = base.clone();
        async move {
            post_form(&format!("{base}/login/device/code"), &[("client_id", GITHUB_APP_CLIENT_ID)], &[JSON]).await.json()
        }
    };
    let poll = |dc: String| {
        let base = base.clone();
        async move {
            post_form(
                &format!("{base}/login/oauth/access_token"),
                &[("client_id", GITHUB_APP_CLIENT_ID), ("device_code", &dc), ("grant_type", "urn:ietf:params:oauth:grant-type:device_code")],
                &[JSON],
            )
            .await
            .json()
        }
    };
    let denied = start_device().await;
    assert!(sim.deny_device(denied["user_code"].as_str().unwrap_or_default()));
    assert_eq!(poll(denied["device_code"].as_str().unwrap_or_default().to_string()).await["error"], "access_denied");
    assert!(!sim.approve_device(denied["user_code"].as_str().unwrap_or_default()), "answered codes stay answered");

    let expired = start_device().await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(!sim.approve_device(expired["user_code"].as_str().unwrap_or_default()));
    assert_eq!(poll(expired["device_code"].as_str().unwrap_or_default().to_string()).await["error"], "expired_token");

    assert_eq!(poll("0000".into()).await["error"], "incorrect_device_code");

    let r = post_form(&format!("{base}/login/device/code"), &[("client_id", "Iv1.nodevice")], &[JSON]).await;
    assert_eq!(r.json()["error"], "device_flow_disabled");
}

#[tokio::test]
async fn revocation_covers_oauth_issued_tokens() {
    let sim = start(|_| {}).await;
    let base = sim.base_url(Provider::Github);

    // DELETE /applications/{client_id}/token (Basic client_id:client_secret) → 204.
    let t = web_login(&sim).await;
    let access = t["access_token"].as_str().unwrap_or_default().to_string();
    let r = send(
        client()
            .delete(format!("{}/applications/{GITHUB_APP_CLIENT_ID}/token", sim.api_url(Provider::Github)))
            .header("authorization", basic(GITHUB_APP_CLIENT_ID, GITHUB_APP_CLIENT_SECRET))
            .json(&serde_json::json!({"access_token": access})),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let u = common::get(&format!("{base}/user"), &[("authorization", &bearer(&access))]).await;
    assert_eq!(u.status, 401);
    // Its refresh token died with it.
    let rt = t["refresh_token"].as_str().unwrap_or_default();
    let r = post_form(&format!("{base}/login/oauth/access_token"), &[("client_id", GITHUB_APP_CLIENT_ID), ("client_secret", GITHUB_APP_CLIENT_SECRET), ("grant_type", "refresh_token"), ("refresh_token", rt)], &[JSON]).await;
    assert_eq!(r.json()["error"], "bad_refresh_token");

    // POST /credentials/revoke with the refresh token (ghr_) kills the pair too.
    let t = web_login(&sim).await;
    let access = t["access_token"].as_str().unwrap_or_default().to_string();
    let rt = t["refresh_token"].as_str().unwrap_or_default().to_string();
    let r = send(client().post(format!("{base}/credentials/revoke")).json(&serde_json::json!({"credentials": [rt]}))).await;
    assert_eq!(r.status, 202);
    let u = common::get(&format!("{base}/user"), &[("authorization", &bearer(&access))]).await;
    assert_eq!(u.status, 401);
    let r = post_form(&format!("{base}/login/oauth/access_token"), &[("client_id", GITHUB_APP_CLIENT_ID), ("client_secret", GITHUB_APP_CLIENT_SECRET), ("grant_type", "refresh_token"), ("refresh_token", &rt)], &[JSON]).await;
    assert_eq!(r.json()["error"], "bad_refresh_token");
}

use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Fault, FaultRule, Provider};
use std::time::{Duration, Instant};

/// A request each provider answers 200 to with the demo world.
fn ok_request(
    sim: &codebind_simulator::SimHandle,
    p: Provider,
) -> (String, Vec<(&'static str, String)>) {
    let api = sim.api_url(p);
    match p {
        Provider::Github => (
            format!("{api}/user"),
            vec![("authorization", bearer(GITHUB_CLASSIC))],
        ),
        Provider::Gitlab => (
            format!("{api}/user"),
            vec![("private-token", GITLAB_PAT.to_string())],
        ),
        Provider::Bitbucket => (
            format!("{api}/user"),
            vec![("authorization", basic(BITBUCKET_EMAIL, BITBUCKET_API_TOKEN))],
        ),
        Provider::Gitee => (format!("{api}/user?access_token={GITEE_TOKEN}"), vec![]),
        Provider::Codeup => (
            format!("{api}/platform/user"),
            vec![("x-yunxiao-token", CODEUP_TOKEN.to_string())],
        ),
        Provider::Gitea => (
            format!("{api}/user"),
            vec![("authorization", format!("token {GITEA_TOKEN}"))],
        ),
    }
}

async fn hit(sim: &codebind_simulator::SimHandle, p: Provider) -> Resp {
    let (url, headers) = ok_request(sim, p);
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    get(&url, &h).await
}

#[tokio::test]
async fn unauthorized_fault_in_each_providers_shape() {
    let sim = start_demo().await;
    for p in Provider::ALL {
        assert_eq!(hit(&sim, p).await.status, 200, "{p} works before the fault");
        sim.set_fault(p, Fault::Unauthorized);
        let r = hit(&sim, p).await;
        assert_eq!(r.status, 401, "{p}");
        let body = r.json();
        match p {
            Provider::Github => assert_eq!(body["message"], "Bad credentials"),
            Provider::Gitlab => assert_eq!(body["message"], "401 Unauthorized"),
            Provider::Bitbucket => assert_eq!(body["type"], "error"),
            Provider::Gitee => assert_eq!(
                body["message"],
                "401 Unauthorized: Access token does not exist"
            ),
            Provider::Codeup => assert_eq!(body["errorCode"], "InvalidTokenError"),
            Provider::Gitea => assert_eq!(body["message"], "user does not exist [uid: 0, name: ]"),
        }
    }
    sim.clear_faults();
    for p in Provider::ALL {
        assert_eq!(hit(&sim, p).await.status, 200, "{p} recovers");
    }
}

#[tokio::test]
async fn counted_and_path_scoped_rules() {
    let sim = start_demo().await;
    sim.add_fault_rule(FaultRule::new(Provider::Gitlab, Fault::server_error(503)).times(2));
    assert_eq!(hit(&sim, Provider::Gitlab).await.status, 503);
    let r = hit(&sim, Provider::Gitlab).await;
    assert_eq!(r.status, 503);
    assert!(r.h("content-type").unwrap().starts_with("text/html"));
    assert_eq!(hit(&sim, Provider::Gitlab).await.status, 200);

    sim.add_fault_rule(
        FaultRule::new(Provider::Gitea, Fault::server_error(500)).on_path("/user/repos"),
    );
    assert_eq!(
        hit(&sim, Provider::Gitea).await.status,
        200,
        "/user is untouched"
    );
    let r = get(
        &format!("{}/user/repos", sim.api_url("gitea")),
        &[("authorization", &format!("token {GITEA_TOKEN}"))],
    )
    .await;
    assert_eq!(r.status, 500);
    assert!(r.json()["message"].is_string());
    // The raw path (with the API prefix) matches as well.
    sim.add_fault_rule(
        FaultRule::new(Provider::Gitee, Fault::server_error(502)).on_path("/api/v5/user"),
    );
    assert_eq!(hit(&sim, Provider::Gitee).await.status, 502);
}

#[tokio::test]
async fn captive_portal_pages_carry_no_provider_headers() {
    let sim = start_demo().await;
    for status in [200u16, 401] {
        for p in [Provider::Github, Provider::Gitlab, Provider::Bitbucket] {
            sim.clear_faults();
            sim.set_fault(p, Fault::HtmlLogin { status });
            let r = hit(&sim, p).await;
            assert_eq!(r.status, status);
            assert!(r.h("content-type").unwrap().starts_with("text/html"));
            assert!(r.text.contains("<form"));
            assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());
            for name in r.headers.keys() {
                let n = name.as_str();
                assert!(
                    !(n.starts_with("x-github")
                        || n.starts_with("x-ratelimit")
                        || n.starts_with("x-oauth")
                        || n.starts_with("x-gitlab")
                        || n == "www-authenticate"
                        || n == "x-request-id"
                        || n.starts_with("x-accepted")),
                    "{p}: provider header {n} on a portal page"
                );
            }
        }
    }
}

#[tokio::test]
async fn malformed_json_and_timeout() {
    let sim = start_demo().await;
    sim.set_fault(Provider::Gitee, Fault::MalformedJson);
    let r = hit(&sim, Provider::Gitee).await;
    assert_eq!(r.status, 200);
    assert!(r.h("content-type").unwrap().starts_with("application/json"));
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());

    sim.set_fault(Provider::Codeup, Fault::timeout(Duration::from_secs(5)));
    let (url, headers) = ok_request(&sim, Provider::Codeup);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let mut rb = client.get(&url);
    for (k, v) in &headers {
        rb = rb.header(*k, v);
    }
    let started = Instant::now();
    let err = rb.send().await.expect_err("must time out");
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn github_rate_limit_faults() {
    let sim = start_demo().await;
    sim.set_fault(Provider::Github, Fault::PrimaryRateLimit);
    let r = hit(&sim, Provider::Github).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.h("x-ratelimit-remaining").as_deref(), Some("0"));
    let reset: i64 = r.h("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(reset > chrono::Utc::now().timestamp());
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .starts_with("API rate limit exceeded"));
    sim.clear_faults();
    sim.set_fault(
        Provider::Github,
        Fault::SecondaryRateLimit { retry_after: 60 },
    );
    let r = hit(&sim, Provider::Github).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.h("retry-after").as_deref(), Some("60"));
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .starts_with("You have exceeded a secondary rate limit"));
    sim.clear_faults();
    sim.set_fault(
        Provider::Github,
        Fault::RateLimited {
            retry_after: Some(7),
        },
    );
    let r = hit(&sim, Provider::Github).await;
    assert_eq!((r.status, r.h("retry-after")), (429, Some("7".to_string())));
    sim.clear_faults();
    sim.set_fault(Provider::Github, Fault::SsoRequired);
    let r = hit(&sim, Provider::Github).await;
    assert_eq!(r.status, 403);
    assert!(r.h("x-github-sso").unwrap().starts_with("required; url="));
    sim.clear_faults();
    sim.set_fault(Provider::Github, Fault::MissingScope);
    let r = hit(&sim, Provider::Github).await;
    assert_eq!(r.status, 403);
    assert!(r.h("x-accepted-oauth-scopes").is_some());
}

#[tokio::test]
async fn other_providers_rate_limit_and_scope_faults() {
    let sim = start_demo().await;
    sim.set_fault(
        Provider::Gitlab,
        Fault::RateLimited {
            retry_after: Some(30),
        },
    );
    let r = hit(&sim, Provider::Gitlab).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.h("retry-after").as_deref(), Some("30"));
    assert_eq!(r.h("ratelimit-remaining").as_deref(), Some("0"));
    assert!(r.h("ratelimit-resettime").is_some());
    assert_eq!(r.text, "Retry later\n");
    sim.set_fault(Provider::Codeup, Fault::RateLimited { retry_after: None });
    let r = hit(&sim, Provider::Codeup).await;
    assert_eq!(
        (r.status, r.json()["errorCode"].clone()),
        (429, serde_json::json!("TooManyRequests"))
    );
    sim.set_fault(Provider::Bitbucket, Fault::MissingScope);
    let r = hit(&sim, Provider::Bitbucket).await;
    assert_eq!(r.status, 403);
    assert!(r.json()["error"]["detail"]["required"].is_array());
    sim.clear_faults(); // earlier rules win, so drop the 429 before adding a 403
    sim.set_fault(Provider::Gitlab, Fault::MissingScope);
    let r = hit(&sim, Provider::Gitlab).await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (403, serde_json::json!("insufficient_scope"))
    );
}

#[tokio::test]
async fn latency_applies_to_every_response() {
    let sim = start_demo().await;
    sim.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    assert_eq!(hit(&sim, Provider::Gitea).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    sim.set_latency(Duration::ZERO);
    sim.set_provider_latency(Provider::Gitee, Duration::from_millis(120));
    let started = Instant::now();
    assert_eq!(hit(&sim, Provider::Gitee).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(120));
}

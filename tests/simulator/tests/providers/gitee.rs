use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, Simulator, World};
use serde_json::json;

#[tokio::test]
async fn access_token_parameter_authenticates() {
    let sim = start_demo().await;
    let base = sim.api_url("gitee");
    assert!(base.ends_with("/api/v5"));
    let r = get(&format!("{base}/user?access_token={GITEE_TOKEN}"), &[]).await;
    assert_eq!(r.status, 200);
    let u = r.json();
    assert_eq!(u["login"], "giteeuser");
    assert_eq!(u["id"], 7001);
    assert_eq!(u["name"], "码云用户");
    assert_eq!(
        u["email"], "giteeuser@example.com",
        "the token has the emails scope"
    );
    assert!(u["created_at"].as_str().unwrap().ends_with("+08:00"));
    // The header form is undocumented: refused unless the world opts in.
    let r = get(
        &format!("{base}/user"),
        &[("authorization", &format!("token {GITEE_TOKEN}"))],
    )
    .await;
    assert_eq!(r.status, 401);
    let mut w = World::demo();
    w.gitee.settings.accept_auth_header = true;
    let sim2 = Simulator::start(w).await;
    let r = get(
        &format!("{}/user", sim2.api_url("gitee")),
        &[("authorization", &bearer(GITEE_TOKEN))],
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn errors_are_401_with_reason() {
    let sim = start_demo().await;
    let base = sim.api_url("gitee");
    let r = get(&format!("{base}/user?access_token=nope"), &[]).await;
    assert_eq!(
        (r.status, r.json()),
        (
            401,
            json!({"message": "401 Unauthorized: Access token does not exist"})
        )
    );
    sim.update_world(|w| w.gitee.tokens[0].scopes = vec!["user_info".into()]);
    let r = get(
        &format!("{base}/user/repos?access_token={GITEE_TOKEN}"),
        &[],
    )
    .await;
    assert_eq!(
        (r.status, r.json()),
        (
            401,
            json!({"message": "401 Unauthorized: no 'projects' scope"})
        )
    );
    let r = get(&format!("{base}/user?access_token={GITEE_TOKEN}"), &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.json()["email"].is_null(), "no emails scope, no email");
}

#[tokio::test]
async fn repos_paginate_with_total_headers() {
    let world = World::demo().with_repos(Provider::Gitee, "giteeuser", 247);
    let sim = Simulator::start(world).await;
    let base = sim.api_url("gitee");
    let r = get(
        &format!("{base}/user/repos?access_token={GITEE_TOKEN}&per_page=100&page=3&sort=full_name"),
        &[],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.h("total_count").as_deref(), Some("250"));
    assert_eq!(r.h("total_page").as_deref(), Some("3"));
    let v = r.json();
    assert_eq!(v.as_array().unwrap().len(), 50);
    let first = &v[0];
    assert!(first["full_name"].as_str().unwrap().contains('/'));
    assert!(first["namespace"]["path"].is_string());
    assert!(first["owner"]["login"].is_string());
    let r = get(
        &format!("{base}/user/repos?access_token={GITEE_TOKEN}&per_page=500"),
        &[],
    )
    .await;
    assert_eq!(r.json().as_array().unwrap().len(), 100);
    assert_eq!(r.h("total_page").as_deref(), Some("3"));
    let r = get(
        &format!("{base}/user/repos?access_token={GITEE_TOKEN}"),
        &[],
    )
    .await;
    assert_eq!(
        r.json().as_array().unwrap().len(),
        20,
        "default per_page is 20"
    );
    let r = get(
        &format!("{base}/user/repos?access_token={GITEE_TOKEN}&type=owner&visibility=all"),
        &[],
    )
    .await;
    assert_eq!(r.status, 422);
    let r = get(
        &format!("{base}/user/repos?access_token={GITEE_TOKEN}&visibility=private&per_page=100"),
        &[],
    )
    .await;
    let privates = names(&r.json());
    assert_eq!(privates, vec!["service", "private-notes"]);
}

#[tokio::test]
async fn orgs_and_org_repos() {
    let sim = start_demo().await;
    let base = sim.api_url("gitee");
    let r = get(&format!("{base}/user/orgs?access_token={GITEE_TOKEN}"), &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()[0]["login"], "acme-cn");
    assert_eq!(r.h("total_count").as_deref(), Some("1"));
    let r = get(
        &format!("{base}/orgs/acme-cn/repos?access_token={GITEE_TOKEN}"),
        &[],
    )
    .await;
    assert_eq!(names(&r.json()), vec!["service"]);
    let r = get(&format!("{base}/orgs/acme-cn/repos"), &[]).await;
    assert_eq!(
        r.json(),
        json!([]),
        "anonymous callers see no private repos"
    );
    let r = get(
        &format!("{base}/repos/acme-cn/service?access_token={GITEE_TOKEN}"),
        &[],
    )
    .await;
    assert_eq!(r.json()["permission"]["admin"], true);
}

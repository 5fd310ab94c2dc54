use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, Simulator, Token, TokenKind, World};
use serde_json::json;

#[tokio::test]
async fn version_and_user_with_both_schemes() {
    let sim = start_demo().await;
    let base = sim.api_url("gitea");
    assert!(base.ends_with("/api/v1"));
    let r = get(&format!("{base}/version"), &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.json()["version"].is_string());
    for auth in [
        format!("token {GITEA_TOKEN}"),
        bearer(GITEA_TOKEN),
        basic("gitea-user", GITEA_TOKEN),
    ] {
        let r = get(&format!("{base}/user"), &[("authorization", &auth)]).await;
        assert_eq!(r.status, 200, "{auth}");
        let u = r.json();
        assert_eq!(u["login"], "gitea-user");
        assert_eq!(u["username"], "gitea-user");
        assert_eq!(u["full_name"], "Gitea User");
        assert_eq!(u["email"], "gitea-user@example.com");
    }
}

#[tokio::test]
async fn query_tokens_and_bad_tokens() {
    let sim = start_demo().await;
    let base = sim.api_url("gitea");
    let r = get(&format!("{base}/user?token={GITEA_TOKEN}"), &[]).await;
    assert_eq!(r.status, 401, "query auth is disabled by default");
    assert_eq!(r.json()["message"], "token is required");
    assert!(r.json()["url"].as_str().unwrap().ends_with("/api/swagger"));
    let r = get(&format!("{base}/user"), &[("authorization", "token 0000")]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"], "user does not exist [uid: 0, name: ]");
    let mut w = World::demo();
    w.gitea.settings.accept_query_token = true;
    let sim2 = Simulator::start(w).await;
    let r = get(
        &format!("{}/user?access_token={GITEA_TOKEN}", sim2.api_url("gitea")),
        &[],
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn scopes_are_checked_per_category() {
    let world = World::demo().with_token(
        Provider::Gitea,
        Token::new("only-user", "gitea-user", TokenKind::Personal).scopes(&["read:user"]),
    );
    let sim = Simulator::start(world).await;
    let base = sim.api_url("gitea");
    let r = get(
        &format!("{base}/user"),
        &[("authorization", "token only-user")],
    )
    .await;
    assert_eq!(r.status, 200);
    let r = get(
        &format!("{base}/user/repos"),
        &[("authorization", "token only-user")],
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "token does not have at least one of required scope(s), required=[read:repository], token scope=read:user"
    );
    let r = get(
        &format!("{base}/user/orgs"),
        &[("authorization", "token only-user")],
    )
    .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn repos_and_orgs_paginate_with_total_count_and_link() {
    let world = World::demo().with_repos(Provider::Gitea, "gitea-user", 117);
    let sim = Simulator::start(world).await;
    let base = sim.api_url("gitea");
    let auth = [(
        "authorization",
        "token 3f5c2a9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
    )];
    assert_eq!(auth[0].1, format!("token {GITEA_TOKEN}"));
    let r = get(&format!("{base}/user/repos?limit=100"), &auth).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.h("x-total-count").as_deref(), Some("120"));
    assert_eq!(
        r.json().as_array().unwrap().len(),
        50,
        "limit is capped at MAX_RESPONSE_ITEMS=50"
    );
    assert_eq!(
        r.link("next").unwrap(),
        format!("{base}/user/repos?limit=100&page=2")
    );
    assert_eq!(
        r.link("last").unwrap(),
        format!("{base}/user/repos?limit=100&page=3")
    );
    let r = get(&format!("{base}/user/repos"), &auth).await;
    assert_eq!(
        r.json().as_array().unwrap().len(),
        30,
        "default page size 30"
    );
    let r = get(&format!("{base}/user/repos?limit=50&page=3"), &auth).await;
    assert_eq!(r.json().as_array().unwrap().len(), 20);
    assert!(r.link("next").is_none());
    assert_eq!(
        r.link("prev").unwrap(),
        format!("{base}/user/repos?limit=50&page=2")
    );
    let repo = &r.json()[0];
    assert!(repo["owner"]["login"].is_string() && repo["clone_url"].is_string());
    let r = get(&format!("{base}/user/orgs"), &auth).await;
    assert_eq!(
        r.json(),
        json!([{
            "id": 3, "name": "acme", "full_name": "", "email": "", "avatar_url": r.json()[0]["avatar_url"],
            "description": "", "website": "", "location": "", "visibility": "public",
            "repo_admin_change_team_access": false, "username": "acme"
        }])
    );
    assert_eq!(r.h("x-total-count").as_deref(), Some("1"));
    let r = get(&format!("{base}/orgs/acme/repos"), &auth).await;
    assert_eq!(names(&r.json()), vec!["platform"]);
}

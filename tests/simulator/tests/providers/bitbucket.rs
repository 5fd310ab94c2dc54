use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, Simulator, Token, TokenKind, World};
use serde_json::Value;

fn api_token_auth() -> String {
    basic(BITBUCKET_EMAIL, BITBUCKET_API_TOKEN)
}

#[tokio::test]
async fn api_token_with_email_basic_auth() {
    let sim = start_demo().await;
    assert!(sim.api_url("bitbucket").ends_with("/2.0"));
    let r = get(
        &format!("{}/user", sim.api_url("bitbucket")),
        &[("authorization", &api_token_auth())],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let u = r.json();
    assert_eq!(u["type"], "user");
    assert_eq!(u["nickname"], "bbuser");
    assert_eq!(u["display_name"], "Bit Bucket");
    let uuid = u["uuid"].as_str().unwrap();
    assert!(
        uuid.starts_with('{') && uuid.ends_with('}') && uuid.len() == 38,
        "{uuid}"
    );
    assert!(u["account_id"].is_string());
    assert!(u["links"]["avatar"]["href"].is_string());
    assert_eq!(
        r.h("x-oauth-scopes").as_deref(),
        Some("read:user:bitbucket, read:workspace:bitbucket, read:repository:bitbucket, read:webhook:bitbucket, write:webhook:bitbucket, delete:webhook:bitbucket")
    );
    assert_eq!(r.h("x-accepted-oauth-scopes").as_deref(), Some("account"));
    assert!(r.h("x-credential-type").is_none());
}

#[tokio::test]
async fn wrong_credentials_shapes() {
    let sim = start_demo().await;
    let url = format!("{}/user", sim.api_url("bitbucket"));
    // The username instead of the email: an empty 401 with the Basic challenge.
    let r = get(
        &url,
        &[("authorization", &basic("bbuser", BITBUCKET_API_TOKEN))],
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(r.text.is_empty());
    assert_eq!(
        r.h("www-authenticate").as_deref(),
        Some("Basic realm=\"Bitbucket.org HTTP\"")
    );
    // An API token is not a Bearer token.
    let r = get(&url, &[("authorization", &bearer(BITBUCKET_API_TOKEN))]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["type"], "error");
    assert_eq!(
        r.json()["error"]["message"],
        "Token is invalid, expired, or not supported for this endpoint."
    );
    let r = get(&url, &[]).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn oauth_and_access_tokens_use_bearer() {
    let sim = start_demo().await;
    let base = sim.api_url("bitbucket");
    let r = get(
        &format!("{base}/user"),
        &[("authorization", &bearer(BITBUCKET_OAUTH))],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.h("x-oauth-scopes").as_deref(),
        Some("account, repository")
    );
    let r = get(
        &format!("{base}/repositories/acme-ws"),
        &[("authorization", &bearer(BITBUCKET_REPO_ACCESS_TOKEN))],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.h("x-credential-type").as_deref(),
        Some("repo_access_token")
    );
    assert_eq!(r.h("x-oauth-scopes").as_deref(), Some("repository:write"));
    assert_eq!(
        r.h("x-accepted-oauth-scopes").as_deref(),
        Some("repository")
    );
}

#[tokio::test]
async fn user_workspaces_is_the_current_listing() {
    let sim = start_demo().await;
    let base = sim.api_url("bitbucket");
    let auth = api_token_auth();
    let r = get(
        &format!("{base}/user/workspaces"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["size"], 3);
    assert_eq!(v["page"], 1);
    assert_eq!(v["pagelen"], 10);
    assert!(v.get("next").is_none());
    let slugs: Vec<&str> = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["workspace"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, vec!["acme-ws", "bbuser", "partner-ws"]);
    assert_eq!(v["values"][0]["type"], "workspace_access");
    assert_eq!(v["values"][0]["administrator"], true);
    assert_eq!(v["values"][2]["administrator"], false);
    assert_eq!(v["values"][0]["workspace"]["type"], "workspace_base");

    let r = get(
        &format!("{base}/user/workspaces?pagelen=2"),
        &[("authorization", &auth)],
    )
    .await;
    let next = r.json()["next"].as_str().unwrap().to_string();
    assert_eq!(next, format!("{base}/user/workspaces?pagelen=2&page=2"));
    let r = get(&next, &[("authorization", &auth)]).await;
    let v = r.json();
    assert_eq!(v["values"].as_array().unwrap().len(), 1);
    assert!(v.get("next").is_none());
    assert_eq!(
        v["previous"],
        format!("{base}/user/workspaces?pagelen=2&page=1")
    );
    let r = get(
        &format!("{base}/user/workspaces?administrator=true"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.json()["size"], 2);

    // CHANGE-2770: the old listings are gone.
    for path in [
        "/workspaces",
        "/user/permissions/workspaces",
        "/repositories?role=member",
    ] {
        let r = get(&format!("{base}{path}"), &[("authorization", &auth)]).await;
        assert_eq!(r.status, 410, "{path}");
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("CHANGE-2770"));
    }
}

#[tokio::test]
async fn repositories_paginate_in_the_body() {
    let world = World::demo().with_repos(Provider::Bitbucket, "acme-ws", 23);
    let sim = Simulator::start(world).await;
    let base = sim.api_url("bitbucket");
    let auth = api_token_auth();
    let mut url = format!("{base}/repositories/acme-ws");
    let mut all = Vec::new();
    let mut pages = 0;
    loop {
        let r = get(&url, &[("authorization", &auth)]).await;
        assert_eq!(r.status, 200);
        let v = r.json();
        assert_eq!(v["size"], 25);
        for x in v["values"].as_array().unwrap() {
            assert_eq!(x["type"], "repository");
            assert_eq!(x["workspace"]["slug"], "acme-ws");
            assert!(x["full_name"].as_str().unwrap().starts_with("acme-ws/"));
            assert!(x["links"]["clone"].is_array());
            all.push(x["slug"].as_str().unwrap().to_string());
        }
        pages += 1;
        match v.get("next").and_then(Value::as_str) {
            Some(n) => url = n.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(all.len(), 25);
    let r = get(
        &format!("{base}/repositories/acme-ws?pagelen=500"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.json()["pagelen"], 100);
    let r = get(
        &format!("{base}/repositories/partner-ws?role=admin"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.json()["size"], 0);
    let r = get(
        &format!("{base}/repositories/partner-ws?role=contributor"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.json()["size"], 1);
    let r = get(
        &format!("{base}/repositories/acme-ws/backend"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.json()["is_private"], true);
    // Without credentials only public repositories are listed.
    let r = get(&format!("{base}/repositories/acme-ws"), &[]).await;
    assert_eq!(r.json()["size"], 23);
}

#[tokio::test]
async fn missing_scope_lists_granted_and_required() {
    let world = World::demo().with_token(
        Provider::Bitbucket,
        Token::new("ATATT-narrow", "bbuser", TokenKind::ApiToken).scopes(&["read:user:bitbucket"]),
    );
    let sim = Simulator::start(world).await;
    let r = get(
        &format!("{}/repositories/acme-ws", sim.api_url("bitbucket")),
        &[("authorization", &basic(BITBUCKET_EMAIL, "ATATT-narrow"))],
    )
    .await;
    assert_eq!(r.status, 403);
    let e = r.json();
    assert_eq!(
        e["error"]["message"],
        "Your credentials lack one or more required privilege scopes."
    );
    assert_eq!(
        e["error"]["detail"]["required"],
        serde_json::json!(["read:repository:bitbucket"])
    );
    assert_eq!(
        e["error"]["detail"]["granted"],
        serde_json::json!(["read:user:bitbucket"])
    );
}

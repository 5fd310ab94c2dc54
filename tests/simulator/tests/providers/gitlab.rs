use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, Simulator, Token, TokenKind, User, World};
use serde_json::json;

fn big_world(n: usize) -> World {
    World::new()
        .with_user(Provider::Gitlab, User::new(1, "bob"))
        .with_token(
            Provider::Gitlab,
            Token::new("glpat-bob", "bob", TokenKind::Personal).scopes(&["read_api"]),
        )
        .with_repos(Provider::Gitlab, "bob", n)
}

#[tokio::test]
async fn user_with_private_token_bearer_and_query() {
    let sim = start_demo().await;
    let url = format!("{}/user", sim.api_url("gitlab"));
    for r in [
        get(&url, &[("private-token", GITLAB_PAT)]).await,
        get(&url, &[("authorization", &bearer(GITLAB_PAT))]).await,
        get(&format!("{url}?private_token={GITLAB_PAT}"), &[]).await,
    ] {
        assert_eq!(r.status, 200, "{}", r.text);
        let u = r.json();
        assert_eq!(u["username"], "alice");
        assert_eq!(u["id"], 101);
        assert_eq!(u["name"], "Alice Liddell");
        assert_eq!(u["email"], "alice@example.com");
        assert_eq!(u["state"], "active");
        assert!(r.h("x-request-id").is_some());
    }
    assert!(sim.api_url("gitlab").ends_with("/api/v4"));
}

#[tokio::test]
async fn token_self_reports_scopes_and_expiry() {
    let sim = start_demo().await;
    let r = get(
        &format!("{}/personal_access_tokens/self", sim.api_url("gitlab")),
        &[("private-token", GITLAB_PAT)],
    )
    .await;
    assert_eq!(r.status, 200);
    let t = r.json();
    assert_eq!(t["scopes"], json!(["api"]));
    assert_eq!(t["expires_at"], "2030-01-01");
    assert_eq!(t["active"], true);
    assert_eq!(t["revoked"], false);
    assert_eq!(t["user_id"], 101);
    assert_eq!(t["name"], "codebind");
    for k in ["id", "created_at", "last_used_at", "description"] {
        assert!(t.get(k).is_some(), "missing {k}");
    }
}

#[tokio::test]
async fn a_token_revokes_itself() {
    let sim = start_demo().await;
    let url = format!("{}/personal_access_tokens/self", sim.api_url("gitlab"));
    let r = send(client().delete(&url), &[]).await;
    assert_eq!(r.status, 401, "no token: {}", r.text);
    let r = send(client().delete(&url), &[("private-token", GITLAB_READ_USER)]).await;
    assert_eq!(r.status, 204, "any scope may revoke itself: {}", r.text);
    assert!(r.text.is_empty());
    let r = get(&url, &[("private-token", GITLAB_READ_USER)]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error_description"], "Token was revoked. You have to re-authorize from the user.");
    // Only the calling token: the other one still works.
    assert_eq!(get(&url, &[("private-token", GITLAB_PAT)]).await.status, 200);
}

#[tokio::test]
async fn auth_errors_follow_api_guard() {
    let sim = start_demo().await;
    let url = format!("{}/user", sim.api_url("gitlab"));
    let r = get(&url, &[]).await;
    assert_eq!(
        (r.status, r.json()),
        (401, json!({"message": "401 Unauthorized"}))
    );
    let r = get(&url, &[("private-token", "glpat-unknown")]).await;
    assert_eq!(
        (r.status, r.json()),
        (401, json!({"message": "401 Unauthorized"}))
    );
    sim.revoke_token(GITLAB_PAT);
    let r = get(&url, &[("private-token", GITLAB_PAT)]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_token");
    assert_eq!(
        r.json()["error_description"],
        "Token was revoked. You have to re-authorize from the user."
    );
    sim.update_world(|w| {
        w.gitlab.tokens.iter_mut().for_each(|t| t.revoked = false);
        w.expire_token(GITLAB_PAT);
    });
    let r = get(&url, &[("authorization", &bearer(GITLAB_PAT))]).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json()["error_description"],
        "Token is expired. You can either do re-authorization or token refresh."
    );
    assert!(r.h("www-authenticate").unwrap().contains("invalid_token"));
}

#[tokio::test]
async fn read_user_token_cannot_list_projects() {
    let sim = start_demo().await;
    let base = sim.api_url("gitlab");
    let r = get(
        &format!("{base}/user"),
        &[("private-token", GITLAB_READ_USER)],
    )
    .await;
    assert_eq!(r.status, 200);
    let r = get(
        &format!("{base}/projects?membership=true"),
        &[("private-token", GITLAB_READ_USER)],
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "insufficient_scope");
    assert_eq!(
        r.json()["error_description"],
        "The request requires higher privileges than provided by the access token."
    );
    assert!(r.json()["scope"].as_str().unwrap().contains("read_api"));
}

#[tokio::test]
async fn groups_nested_and_filters() {
    let sim = start_demo().await;
    let base = sim.api_url("gitlab");
    let auth = [("private-token", GITLAB_PAT)];
    let paths = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["full_path"].as_str().unwrap().to_string())
            .collect()
    };
    let r = get(&format!("{base}/groups"), &auth).await;
    assert_eq!(r.status, 200);
    let mine = paths(r.json());
    assert_eq!(mine.len(), 3, "{mine:?}");
    for p in ["acme", "acme/platform", "acme/platform/backend"] {
        assert!(mine.contains(&p.to_string()), "{mine:?}");
    }
    let r = get(&format!("{base}/groups?all_available=true"), &auth).await;
    assert!(paths(r.json()).contains(&"opensource".to_string()));
    let r = get(&format!("{base}/groups?top_level_only=true"), &auth).await;
    assert_eq!(paths(r.json()), vec!["acme"]);
    let r = get(&format!("{base}/groups?min_access_level=50"), &auth).await;
    assert_eq!(
        paths(r.json()).len(),
        3,
        "owner access is inherited by subgroups"
    );
    let r = get(&format!("{base}/groups/acme%2Fplatform"), &auth).await;
    let g = r.json();
    assert_eq!(g["full_path"], "acme/platform");
    assert_eq!(g["parent_id"], 9001);
    assert_eq!(g["full_name"], "Acme / Platform");
    let r = get(
        &format!("{base}/groups/9001/projects?include_subgroups=true"),
        &auth,
    )
    .await;
    assert_eq!(r.json().as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn membership_projects_carry_namespace() {
    let sim = start_demo().await;
    let base = sim.api_url("gitlab");
    let r = get(
        &format!("{base}/projects?membership=true&order_by=id&sort=asc"),
        &[("private-token", GITLAB_PAT)],
    )
    .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let list = v.as_array().unwrap();
    assert_eq!(
        list.len(),
        4,
        "public projects of other groups are not memberships"
    );
    let deep = list.iter().find(|p| p["name"] == "api-server").unwrap();
    assert_eq!(
        deep["path_with_namespace"],
        "acme/platform/backend/api-server"
    );
    assert_eq!(deep["namespace"]["kind"], "group");
    assert_eq!(deep["namespace"]["full_path"], "acme/platform/backend");
    assert_eq!(deep["namespace"]["parent_id"], 9002);
    assert_eq!(deep["permissions"]["group_access"]["access_level"], 50);
    let mine = list.iter().find(|p| p["name"] == "dotfiles").unwrap();
    assert_eq!(mine["namespace"]["kind"], "user");
    assert_eq!(mine["visibility"], "private");
    assert_eq!(r.h("x-total").as_deref(), Some("4"));

    let r = get(
        &format!("{base}/projects/acme%2Fplatform%2Fbackend%2Fapi-server"),
        &[("private-token", GITLAB_PAT)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], deep["id"]);
    let r = get(
        &format!("{base}/projects/acme%2Fnope"),
        &[("private-token", GITLAB_PAT)],
    )
    .await;
    assert_eq!(
        (r.status, r.json()),
        (404, json!({"message": "404 Project Not Found"}))
    );
    // simple=true leaves the heavier fields out.
    let r = get(
        &format!("{base}/projects?membership=true&simple=true"),
        &[("private-token", GITLAB_PAT)],
    )
    .await;
    assert!(r.json()[0].get("permissions").is_none());
    assert!(r.json()[0]["namespace"]["full_path"].is_string());
}

#[tokio::test]
async fn offset_pagination_headers() {
    let sim = Simulator::start(big_world(45)).await;
    let base = sim.api_url("gitlab");
    let auth = [("private-token", "glpat-bob")];
    let r = get(
        &format!("{base}/projects?membership=true&per_page=20"),
        &auth,
    )
    .await;
    assert_eq!(r.json().as_array().unwrap().len(), 20);
    assert_eq!(r.h("x-total").as_deref(), Some("45"));
    assert_eq!(r.h("x-total-pages").as_deref(), Some("3"));
    assert_eq!(r.h("x-page").as_deref(), Some("1"));
    assert_eq!(r.h("x-per-page").as_deref(), Some("20"));
    assert_eq!(r.h("x-next-page").as_deref(), Some("2"));
    assert_eq!(r.h("x-prev-page").as_deref(), Some(""));
    assert!(r.link("prev").is_none());
    assert_eq!(
        r.link("first").unwrap(),
        format!("{base}/projects?membership=true&per_page=20&page=1")
    );
    assert_eq!(
        r.link("last").unwrap(),
        format!("{base}/projects?membership=true&per_page=20&page=3")
    );
    let r = get(&r.link("next").unwrap(), &auth).await;
    assert_eq!(r.h("x-prev-page").as_deref(), Some("1"));
    let r = get(
        &format!("{base}/projects?membership=true&per_page=20&page=3"),
        &auth,
    )
    .await;
    assert_eq!(r.json().as_array().unwrap().len(), 5);
    assert_eq!(r.h("x-next-page").as_deref(), Some(""));
    // Default order is created_at desc: the newest generated repo first.
    let r = get(&format!("{base}/projects?per_page=1000"), &auth).await;
    assert_eq!(r.h("x-per-page").as_deref(), Some("100"));
    assert_eq!(r.json()[0]["name"], "repo-00045");
}

#[tokio::test]
async fn counts_are_omitted_past_ten_thousand() {
    let sim = Simulator::start(big_world(10_001)).await;
    let r = get(
        &format!(
            "{}/projects?membership=true&per_page=100&simple=true",
            sim.api_url("gitlab")
        ),
        &[("private-token", "glpat-bob")],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.h("x-total").is_none());
    assert!(r.h("x-total-pages").is_none());
    assert!(r.link("last").is_none());
    assert!(r.link("next").is_some());
    assert_eq!(r.h("x-next-page").as_deref(), Some("2"));
    // Offset pagination stops at the instance's max offset; keyset goes on.
    let r = get(
        &format!("{}/projects?per_page=100&page=501", sim.api_url("gitlab")),
        &[("private-token", "glpat-bob")],
    )
    .await;
    assert_eq!(r.status, 405);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("maximum allowed offset of 50000"));
}

#[tokio::test]
async fn keyset_pagination_follows_links() {
    let sim = Simulator::start(big_world(120)).await;
    let base = sim.api_url("gitlab");
    let auth = [("private-token", "glpat-bob")];
    let mut url = format!("{base}/projects?pagination=keyset&per_page=50&order_by=id&sort=asc");
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = get(&url, &auth).await;
        assert_eq!(r.status, 200);
        assert!(r.h("x-total").is_none() && r.h("x-page").is_none());
        seen.extend(names(&r.json()));
        pages += 1;
        match r.link("next") {
            Some(next) => {
                assert!(next.contains("id_after="), "{next}");
                url = next;
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 120);
    assert_eq!(seen.first().map(String::as_str), Some("repo-00001"));
    let r = get(
        &format!("{base}/projects?pagination=keyset&order_by=name&sort=asc"),
        &auth,
    )
    .await;
    assert_eq!(r.status, 405);
    assert_eq!(
        r.json()["error"],
        "Keyset pagination is not yet available for this type of request"
    );
}

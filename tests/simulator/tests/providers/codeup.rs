use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, Simulator, World};
use serde_json::json;

fn tok() -> [(&'static str, &'static str); 1] {
    [("x-yunxiao-token", CODEUP_TOKEN)]
}

#[tokio::test]
async fn current_user_and_organizations() {
    let sim = start_demo().await;
    let base = sim.api_url("codeup");
    assert!(base.ends_with("/oapi/v1"));
    let r = get(&format!("{base}/platform/user"), &tok()).await;
    assert_eq!(r.status, 200);
    let u = r.json();
    assert_eq!(u["id"], "62c795c9cfb0b1ef7e1d1a34");
    assert_eq!(u["username"], "codeupuser");
    assert_eq!(u["name"], "云效用户");
    assert_eq!(u["lastOrganization"], CODEUP_ORG_ID);
    assert!(u.get("avatarUrl").is_none());
    assert!(r.h("x-request-id").is_some());
    let r = get(&format!("{base}/platform/organizations"), &tok()).await;
    let orgs = r.json();
    assert_eq!(orgs.as_array().unwrap().len(), 1);
    assert_eq!(orgs[0]["id"], CODEUP_ORG_ID);
    assert_eq!(orgs[0]["name"], "Acme Codeup");
    for k in [
        "createdAt",
        "creatorId",
        "defaultRole",
        "description",
        "updateAt",
    ] {
        assert!(orgs[0].get(k).is_some(), "missing {k}");
    }
}

#[tokio::test]
async fn token_errors() {
    let sim = start_demo().await;
    let url = format!("{}/platform/user", sim.api_url("codeup"));
    let r = get(&url, &[]).await;
    assert_eq!(
        (r.status, r.json()["errorCode"].clone()),
        (401, json!("Unauthorized"))
    );
    let r = get(&url, &[("x-yunxiao-token", "pt-wrong")]).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json(),
        json!({"errorCode": "InvalidTokenError", "errorMessage": "Token is invalid"})
    );
    // Only the x-yunxiao-token header carries a PAT.
    let r = get(&url, &[("authorization", &bearer(CODEUP_TOKEN))]).await;
    assert_eq!(r.status, 401);
    sim.expire_token(CODEUP_TOKEN);
    let r = get(&url, &tok()).await;
    assert_eq!(
        r.json(),
        json!({"errorCode": "ExpiredTokenError", "errorMessage": "Token has expired"})
    );
}

#[tokio::test]
async fn repositories_of_an_organization() {
    let world = World::demo().with_repos(Provider::Codeup, "acme-codeup", 3);
    let sim = Simulator::start(world).await;
    let base = sim.api_url("codeup");
    let url = format!("{base}/codeup/organizations/{CODEUP_ORG_ID}/repositories");
    let r = get(
        &format!("{url}?perPage=2&page=1&orderBy=name&sort=asc"),
        &tok(),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.h("x-total").as_deref(), Some("5"));
    assert_eq!(r.h("x-total-pages").as_deref(), Some("3"));
    assert_eq!(r.h("x-page").as_deref(), Some("1"));
    assert_eq!(r.h("x-per-page").as_deref(), Some("2"));
    assert_eq!(r.h("x-next-page").as_deref(), Some("2"));
    assert_eq!(r.h("x-prev-page").as_deref(), Some("1"));
    let v = r.json();
    assert_eq!(names(&v), vec!["build-scripts", "demo-repo"]);
    assert_eq!(
        v[0]["pathWithNamespace"],
        format!("{CODEUP_ORG_ID}/build-scripts")
    );
    assert_eq!(v[0]["accessLevel"], 40);
    assert_eq!(v[0]["visibility"], "private");
    assert!(v[0]["webUrl"].is_string() && v[0]["namespaceId"].is_number());
    // The last page: x-next-page does not go past it.
    let r = get(&format!("{url}?perPage=2&page=3"), &tok()).await;
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    assert_eq!(r.h("x-next-page").as_deref(), Some("3"));
    let r = get(&format!("{url}?perPage=1000"), &tok()).await;
    assert_eq!(r.h("x-per-page").as_deref(), Some("100"));
    // GetRepository by URL-encoded full path, and the region-edition path.
    let r = get(&format!("{url}/{CODEUP_ORG_ID}%2Fdemo-repo"), &tok()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["name"], "demo-repo");
    assert!(r.json()["httpUrlToRepo"]
        .as_str()
        .unwrap()
        .ends_with(".git"));
    let r = get(&format!("{base}/codeup/repositories?perPage=100"), &tok()).await;
    assert_eq!(r.h("x-total").as_deref(), Some("5"));
}

#[tokio::test]
async fn other_organizations_are_forbidden() {
    let sim = start_demo().await;
    let r = get(
        &format!(
            "{}/codeup/organizations/5f9a0b1c2d3e4f5a6b7c8d9e/repositories",
            sim.api_url("codeup")
        ),
        &tok(),
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["errorCode"],
        "Forbidden.InvalidUser.UserNotInCurrentOrganization"
    );
}

use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Org, Provider, Simulator, Token, TokenKind, User, World};
use serde_json::json;

#[tokio::test]
async fn classic_token_identity_and_headers() {
    let sim = start_demo().await;
    let auth = bearer(GITHUB_CLASSIC);
    let r = get(
        &format!("{}/user", sim.base_url("github")),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 200);
    let u = r.json();
    assert_eq!(u["login"], "octocat");
    assert_eq!(u["id"], 583231);
    assert_eq!(u["name"], "The Octocat");
    assert_eq!(u["user_view_type"], "private");
    assert!(u.get("total_private_repos").is_some());
    assert_eq!(
        r.h("x-oauth-scopes").as_deref(),
        Some("repo, read:org, read:user, user:email")
    );
    assert!(r.h("x-accepted-oauth-scopes").is_some());
    assert_eq!(
        r.h("github-authentication-token-expiration").as_deref(),
        Some("2030-01-01 00:00:00 UTC")
    );
    assert_eq!(r.h("x-ratelimit-limit").as_deref(), Some("5000"));
    assert_eq!(r.h("x-ratelimit-remaining").as_deref(), Some("4999"));
    assert_eq!(r.h("x-ratelimit-resource").as_deref(), Some("core"));
    assert!(r
        .h("x-ratelimit-reset")
        .and_then(|v| v.parse::<i64>().ok())
        .is_some());
    assert!(r.h("x-github-enterprise-version").is_none());

    // The same user over the GHES prefix; `token` scheme works too; the counter moves on.
    let r = get(
        &format!("{}/user", sim.api_url("github")),
        &[("authorization", &format!("token {GITHUB_CLASSIC}"))],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(sim.api_url("github").ends_with("/api/v3"));
    assert_eq!(r.h("x-ratelimit-remaining").as_deref(), Some("4998"));
    assert!(r.h("x-github-enterprise-version").is_some());
    assert_eq!(r.json()["login"], "octocat");
}

#[tokio::test]
async fn bad_and_missing_credentials() {
    let sim = start_demo().await;
    let r = get(
        &format!("{}/user", sim.api_url("github")),
        &[("authorization", "Bearer ghp_nope")],
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json(),
        json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})
    );
    let r = get(&format!("{}/user", sim.api_url("github")), &[]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"], "Requires authentication");
    assert_eq!(r.h("x-ratelimit-limit").as_deref(), Some("60"));
    // Expired tokens answer exactly like wrong ones.
    sim.expire_token(GITHUB_CLASSIC);
    let r = get(
        &format!("{}/user", sim.api_url("github")),
        &[("authorization", &bearer(GITHUB_CLASSIC))],
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"], "Bad credentials");
}

#[tokio::test]
async fn fine_grained_token_has_no_scope_header_and_sees_no_orgs() {
    let sim = start_demo().await;
    let auth = bearer(GITHUB_FINE_GRAINED);
    let r = get(
        &format!("{}/user", sim.api_url("github")),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.h("x-oauth-scopes").is_none());
    assert!(r.h("github-authentication-token-expiration").is_some());
    let r = get(
        &format!("{}/user/orgs", sim.api_url("github")),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!([]));
    let r = get(
        &format!("{}/user/repos?per_page=100", sim.api_url("github")),
        &[("authorization", &auth)],
    )
    .await;
    let full: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["full_name"].as_str().unwrap().to_string())
        .collect();
    assert!(
        full.contains(&"octocat/secret-plans".to_string()),
        "own private repo visible: {full:?}"
    );
    assert!(
        !full.contains(&"acme/api".to_string()),
        "org private repo hidden: {full:?}"
    );
    assert!(full.contains(&"acme/website".to_string()));
}

#[tokio::test]
async fn user_orgs_needs_read_org_and_hides_sso_orgs() {
    let sim = start_demo().await;
    let r = get(
        &format!("{}/user/orgs", sim.api_url("github")),
        &[("authorization", &bearer(GITHUB_NO_SCOPES))],
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "You need at least read:org scope or user scope to list your organizations."
    );
    assert_eq!(r.h("x-oauth-scopes").as_deref(), Some(""));
    assert_eq!(
        r.h("x-accepted-oauth-scopes").as_deref(),
        Some("admin:org, read:org, repo, user, write:org")
    );

    let r = get(
        &format!("{}/user/orgs", sim.api_url("github")),
        &[("authorization", &bearer(GITHUB_CLASSIC))],
    )
    .await;
    assert_eq!(r.status, 200);
    let body = r.json();
    let logins: Vec<String> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["login"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(logins, vec!["acme", "acme-restricted"]);
    assert_eq!(
        r.h("x-github-sso").as_deref(),
        Some("partial-results; organizations=9920")
    );
    assert!(body[0]["repos_url"]
        .as_str()
        .unwrap()
        .ends_with("/orgs/acme/repos"));
}

#[tokio::test]
async fn user_repos_pagination_and_filters() {
    let world = World::new()
        .with_user(Provider::Github, User::new(1, "pager"))
        .with_token(
            Provider::Github,
            Token::new("ghp_pager", "pager", TokenKind::Classic).scopes(&["repo"]),
        )
        .with_repos(Provider::Github, "pager", 250);
    let sim = Simulator::start(world).await;
    let base = sim.api_url("github");
    let auth = bearer("ghp_pager");
    let r = get(
        &format!("{base}/user/repos?per_page=100"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 200);
    let first = r.json();
    assert_eq!(first.as_array().unwrap().len(), 100);
    assert_eq!(first[0]["name"], "repo-00001");
    assert_eq!(first[0]["owner"]["login"], "pager");
    assert_eq!(first[0]["owner"]["type"], "User");
    assert_eq!(first[0]["visibility"], "public");
    let next = r.link("next").expect("next");
    assert_eq!(next, format!("{base}/user/repos?per_page=100&page=2"));
    assert_eq!(
        r.link("last").as_deref(),
        Some(format!("{base}/user/repos?per_page=100&page=3").as_str())
    );
    assert!(r.link("prev").is_none() && r.link("first").is_none());

    let r = get(&r.link("last").unwrap(), &[("authorization", &auth)]).await;
    assert_eq!(r.json().as_array().unwrap().len(), 50);
    assert!(r.link("next").is_none() && r.link("last").is_none());
    assert_eq!(
        r.link("prev").as_deref(),
        Some(format!("{base}/user/repos?per_page=100&page=2").as_str())
    );
    assert_eq!(
        r.link("first").as_deref(),
        Some(format!("{base}/user/repos?per_page=100&page=1").as_str())
    );

    // per_page is capped at 100; the default is 30.
    let r = get(
        &format!("{base}/user/repos?per_page=1000"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.json().as_array().unwrap().len(), 100);
    let r = get(&format!("{base}/user/repos"), &[("authorization", &auth)]).await;
    assert_eq!(r.json().as_array().unwrap().len(), 30);

    // `type` cannot be combined with `visibility`/`affiliation`.
    let r = get(
        &format!("{base}/user/repos?type=owner&visibility=all"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["message"], "Validation Failed");
    // direction / sort are honoured.
    let r = get(
        &format!("{base}/user/repos?sort=full_name&direction=desc&per_page=1"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(names(&r.json()), vec!["repo-00250"]);
}

#[tokio::test]
async fn private_repos_need_repo_scope_and_affiliation_filters() {
    let sim = start_demo().await;
    let base = sim.api_url("github");
    let all = |tok: &'static str, q: &'static str| {
        let base = base.clone();
        async move {
            let r = get(
                &format!("{base}/user/repos?per_page=100{q}"),
                &[("authorization", &bearer(tok))],
            )
            .await;
            assert_eq!(r.status, 200);
            let v = r.json();
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x["full_name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let classic = all(GITHUB_CLASSIC, "").await;
    assert!(classic.contains(&"octocat/secret-plans".to_string()));
    assert!(classic.contains(&"acme/api".to_string()));
    assert!(
        !classic.iter().any(|n| n.starts_with("acme-sso/")),
        "SSO org left out: {classic:?}"
    );
    let no_scope = all(GITHUB_NO_SCOPES, "").await;
    assert!(!no_scope.contains(&"octocat/secret-plans".to_string()));
    assert!(no_scope.contains(&"octocat/hello-world".to_string()));
    let owned = all(GITHUB_CLASSIC, "&affiliation=owner").await;
    assert_eq!(owned, vec!["octocat/hello-world", "octocat/secret-plans"]);
    let private = all(GITHUB_CLASSIC, "&visibility=private&affiliation=owner").await;
    assert_eq!(private, vec!["octocat/secret-plans"]);
}

#[tokio::test]
async fn saml_sso_org_answers_403_with_sso_header() {
    let sim = start_demo().await;
    let r = get(
        &format!("{}/orgs/acme-sso/repos", sim.api_url("github")),
        &[("authorization", &bearer(GITHUB_CLASSIC))],
    )
    .await;
    assert_eq!(r.status, 403);
    let sso = r.h("x-github-sso").expect("X-GitHub-SSO");
    assert!(sso.starts_with("required; url="), "{sso}");
    assert!(
        sso.contains("/orgs/acme-sso/sso?authorization_request="),
        "{sso}"
    );
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .starts_with("Resource protected by organization SAML enforcement."));
    // /user/repos quietly leaves the org out and says so.
    let r = get(
        &format!("{}/user/repos", sim.api_url("github")),
        &[("authorization", &bearer(GITHUB_CLASSIC))],
    )
    .await;
    assert_eq!(
        r.h("x-github-sso").as_deref(),
        Some("partial-results; organizations=9920")
    );
}

#[tokio::test]
async fn oauth_app_restricted_org() {
    let sim = start_demo().await;
    let base = sim.api_url("github");
    let r = get(
        &format!("{base}/orgs/acme-restricted/repos"),
        &[("authorization", &bearer(GITHUB_OAUTH))],
    )
    .await;
    assert_eq!(r.status, 403);
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(msg.starts_with("Although you appear to have the correct authorization credentials, the `acme-restricted` organization has enabled OAuth App access restrictions"), "{msg}");
    // The list endpoint leaves out the org's private repos but keeps public ones.
    let r = get(
        &format!("{base}/user/repos?per_page=100"),
        &[("authorization", &bearer(GITHUB_OAUTH))],
    )
    .await;
    let full: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["full_name"].as_str().unwrap().to_string())
        .collect();
    assert!(full.contains(&"acme-restricted/docs".to_string()));
    assert!(!full.contains(&"acme-restricted/internal-tools".to_string()));
    // PATs are not affected by OAuth App restrictions.
    let r = get(
        &format!("{base}/orgs/acme-restricted/repos"),
        &[("authorization", &bearer(GITHUB_CLASSIC))],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json().as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn credentials_revoke_is_unauthenticated() {
    let sim = start_demo().await;
    let base = sim.api_url("github");
    let body = json!({"credentials": [GITHUB_OAUTH]});
    let r = send(
        client()
            .post(format!("{base}/credentials/revoke"))
            .json(&body),
        &[("authorization", &bearer(GITHUB_CLASSIC))],
    )
    .await;
    assert_eq!(r.status, 403, "authenticated calls are refused");
    let r = send(
        client()
            .post(format!("{base}/credentials/revoke"))
            .json(&json!({"credentials": []})),
        &[],
    )
    .await;
    assert_eq!(r.status, 422);
    let r = send(
        client()
            .post(format!("{base}/credentials/revoke"))
            .json(&body),
        &[],
    )
    .await;
    assert_eq!(r.status, 202);
    let r = get(
        &format!("{base}/user"),
        &[("authorization", &bearer(GITHUB_OAUTH))],
    )
    .await;
    assert_eq!(r.status, 401);
    // The request log never holds the revoked secret in full.
    let logged = sim
        .requests()
        .into_iter()
        .find(|q| q.path.ends_with("/credentials/revoke") && q.body.contains("credentials"))
        .unwrap();
    assert!(!logged.body.contains(GITHUB_OAUTH), "{}", logged.body);
}

#[tokio::test]
async fn app_token_delete_needs_client_credentials() {
    let sim = start_demo().await;
    let url = format!(
        "{}/applications/{GITHUB_APP_CLIENT_ID}/token",
        sim.api_url("github")
    );
    let body = json!({"access_token": GITHUB_OAUTH});
    let r = send(
        client().delete(&url).json(&body),
        &[("authorization", &basic(GITHUB_APP_CLIENT_ID, "wrong"))],
    )
    .await;
    assert_eq!(r.status, 404);
    let good = basic(GITHUB_APP_CLIENT_ID, GITHUB_APP_CLIENT_SECRET);
    let r = send(
        client().delete(&url).json(&json!({})),
        &[("authorization", &good)],
    )
    .await;
    assert_eq!(r.status, 422);
    let r = send(
        client().delete(&url).json(&body),
        &[("authorization", &good)],
    )
    .await;
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    let r = get(
        &format!("{}/user", sim.api_url("github")),
        &[("authorization", &bearer(GITHUB_OAUTH))],
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn primary_rate_limit_runs_out() {
    let mut world = World::new()
        .with_user(Provider::Github, User::new(7, "busy"))
        .with_token(
            Provider::Github,
            Token::new("ghp_busy", "busy", TokenKind::Classic),
        );
    world.github.settings.rate_limit = Some(3);
    let sim = Simulator::start(world).await;
    let url = format!("{}/user", sim.api_url("github"));
    for left in [2, 1, 0] {
        let r = get(&url, &[("authorization", "token ghp_busy")]).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.h("x-ratelimit-remaining"), Some(left.to_string()));
    }
    let r = get(&url, &[("authorization", "token ghp_busy")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.h("x-ratelimit-remaining").as_deref(), Some("0"));
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .starts_with("API rate limit exceeded for user ID 7."));
    // /rate_limit does not count and still answers.
    let r = get(
        &format!("{}/rate_limit", sim.api_url("github")),
        &[("authorization", "token ghp_busy")],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["resources"]["core"]["remaining"], 0);
    assert_eq!(r.json()["rate"]["limit"], 3);
}

#[tokio::test]
async fn org_and_repo_lookups() {
    let world = World::demo().with_org(Provider::Github, Org::new(9999, "empty-org"));
    let sim = Simulator::start(world).await;
    let base = sim.api_url("github");
    let auth = bearer(GITHUB_CLASSIC);
    let r = get(
        &format!("{base}/orgs/acme/repos?type=private"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(names(&r.json()), vec!["api"]);
    let r = get(
        &format!("{base}/orgs/empty-org/repos"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.json(), json!([]));
    let r = get(
        &format!("{base}/orgs/nope/repos"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 404);
    let r = get(
        &format!("{base}/repos/acme/api"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["permissions"]["admin"], true);
    assert_eq!(
        r.json()["ssh_url"],
        format!("git@127.0.0.1:{}.git", "acme/api")
    );
    // Private repos are 404, not 403, without access.
    let r = get(&format!("{base}/repos/acme/api"), &[]).await;
    assert_eq!(r.status, 404);
}

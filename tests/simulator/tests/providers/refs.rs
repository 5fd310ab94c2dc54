//! "Which commit does this branch / tag point at?" — each provider's ref endpoint, as the
//! app's "Build now" asks it, against `SimHandle::push` / `set_ref` / `head`.

use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Hook, Provider, Repo, Simulator, Token, TokenKind, World};
use serde_json::Value;

const TAG_SHA: &str = "1234567890abcdef1234567890abcdef12345678";
const BRANCH: &str = "feature/build-now";

/// Pushes `git_ref` to `repo` with one hook attached (its receiver is unreachable: only the
/// payload matters) and returns the payload's `after`, which must now be the ref's head.
async fn push_after(
    sim: &codebind_simulator::SimHandle,
    p: Provider,
    repo: &str,
    git_ref: &str,
) -> String {
    let events: &[&str] = match p {
        Provider::Github | Provider::Gitea => &["push"],
        Provider::Bitbucket => &["repo:push"],
        Provider::Gitlab | Provider::Gitee => &["push_events", "tag_push_events"],
        Provider::Codeup => &["pushEvents", "tagPushEvents"],
    };
    let hook = Hook {
        url: "http://127.0.0.1:9/hook".to_string(),
        events: events.iter().map(|e| e.to_string()).collect(),
        ..Hook::default()
    };
    sim.add_hook(p, repo, hook).expect("repository exists");
    let before = sim.head(p, repo, git_ref);
    let deliveries = sim.push(p, repo, git_ref).await;
    assert_eq!(deliveries.len(), 1, "{p}: one hook, one delivery");
    let body = deliveries[0].json().expect("JSON payload");
    let (after, old) = if p == Provider::Bitbucket {
        let change = &body["push"]["changes"][0];
        (
            &change["new"]["target"]["hash"],
            &change["old"]["target"]["hash"],
        )
    } else {
        (&body["after"], &body["before"])
    };
    let after = after.as_str().expect("after").to_string();
    assert_eq!(after.len(), 40);
    if let Some(b) = before {
        assert_eq!(
            old.as_str(),
            Some(b.as_str()),
            "{p}: before = the previous head"
        );
        assert_ne!(after, b);
    }
    assert_eq!(sim.head(p, repo, git_ref).as_deref(), Some(after.as_str()));
    after
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

// ---- GitHub ------------------------------------------------------------------------------

#[tokio::test]
async fn github_commits_by_ref() {
    let sim = start_demo().await;
    let p = Provider::Github;
    let auth = bearer(GITHUB_CLASSIC);
    let h = [("authorization", auth.as_str())];
    for base in [sim.api_url(p), sim.base_url(p)] {
        let url = |r: &str| format!("{base}/repos/octocat/secret-plans/commits/{r}");
        let main = sim
            .head(p, "octocat/secret-plans", "refs/heads/main")
            .expect("default branch");
        let r = get(&url("heads/main"), &h).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let v = r.json();
        assert_eq!(s(&v["sha"]), main);
        assert!(v["commit"]["message"].is_string() && v["commit"]["tree"]["sha"].is_string());
        assert!(v["commit"]["author"]["name"].is_string() && v["parents"].is_array());
        assert!(s(&v["html_url"]).ends_with(&format!("/octocat/secret-plans/commit/{main}")));
        // A bare name and the SHA itself work too.
        assert_eq!(s(&get(&url("main"), &h).await.json()["sha"]), main);
        assert_eq!(s(&get(&url(&main), &h).await.json()["sha"]), main);
    }
    let url = |r: &str| format!("{}/repos/octocat/secret-plans/commits/{r}", sim.api_url(p));

    let after = push_after(&sim, p, "octocat/secret-plans", BRANCH).await;
    let r = get(&url(&format!("heads/{BRANCH}")), &h).await;
    assert_eq!(
        (r.status, s(&r.json()["sha"]).to_string()),
        (200, after.clone())
    );
    // Each segment percent-encoded, the slash raw (how the app sends it).
    let r = get(&url("heads/feature/build%2Dnow"), &h).await;
    assert_eq!(s(&r.json()["sha"]), after);

    assert!(sim.set_ref(p, "octocat/secret-plans", "refs/tags/v1.0.0", Some(TAG_SHA)));
    let r = get(&url("tags/v1.0.0"), &h).await;
    assert_eq!((r.status, s(&r.json()["sha"])), (200, TAG_SHA));
    assert_eq!(s(&get(&url("v1.0.0"), &h).await.json()["sha"]), TAG_SHA);

    for missing in ["heads/nope", "tags/v9", "nope", "tags/main"] {
        let r = get(&url(missing), &h).await;
        assert_eq!(r.status, 422, "{missing}: {}", r.text);
        let v = r.json();
        assert_eq!(
            s(&v["message"]),
            format!("No commit found for SHA: {missing}")
        );
        assert_eq!(
            s(&v["documentation_url"]),
            "https://docs.github.com/rest/commits/commits#get-a-commit"
        );
        assert_eq!(s(&v["status"]), "422");
    }
    // Private repository: anonymous and a token without `repo` see a 404, as for the repo.
    assert_eq!(get(&url("heads/main"), &[]).await.status, 404);
    let no_repo = bearer(GITHUB_NO_SCOPES);
    assert_eq!(
        get(&url("heads/main"), &[("authorization", &no_repo)])
            .await
            .status,
        404
    );
    assert_eq!(
        get(
            &url("heads/main"),
            &[("authorization", "Bearer ghp_unknown")]
        )
        .await
        .status,
        401
    );
    // A public repository answers any caller; an unknown one is a 404.
    let public = format!(
        "{}/repos/octocat/hello-world/commits/heads/main",
        sim.api_url(p)
    );
    assert_eq!(get(&public, &[]).await.status, 200);
    let unknown = format!("{}/repos/octocat/nope/commits/heads/main", sim.api_url(p));
    assert_eq!(get(&unknown, &h).await.status, 404);
}

// ---- GitLab ------------------------------------------------------------------------------

#[tokio::test]
async fn gitlab_branches_and_tags() {
    let sim = start_demo().await;
    let p = Provider::Gitlab;
    let repo = "alice/dotfiles";
    let h = [("private-token", GITLAB_PAT)];
    let url = |kind: &str, name: &str| {
        format!(
            "{}/projects/alice%2Fdotfiles/repository/{kind}/{}",
            sim.api_url(p),
            name.replace('/', "%2F")
        )
    };
    let main = sim
        .head(p, repo, "refs/heads/main")
        .expect("default branch");
    let r = get(&url("branches", "main"), &h).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(s(&v["commit"]["id"]), main);
    assert_eq!(s(&v["commit"]["short_id"]), &main[..8]);
    assert_eq!(
        (v["default"].as_bool(), v["protected"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(v["merged"].as_bool(), Some(false));
    assert!(v["commit"]["title"].is_string() && v["commit"]["author_name"].is_string());

    let after = push_after(&sim, p, repo, BRANCH).await;
    let r = get(&url("branches", BRANCH), &h).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(s(&r.json()["commit"]["id"]), after);
    assert_eq!(s(&r.json()["name"]), BRANCH);
    assert_eq!(r.json()["default"].as_bool(), Some(false));
    // The numeric project id works as well.
    let id = sim
        .world()
        .gitlab
        .repos
        .iter()
        .find(|r| r.full_name() == repo)
        .map(|r| r.id)
        .unwrap();
    let by_id = format!(
        "{}/projects/{id}/repository/branches/feature%2Fbuild-now",
        sim.api_url(p)
    );
    assert_eq!(s(&get(&by_id, &h).await.json()["commit"]["id"]), after);
    // A raw slash is not part of `:branch` (NO_SLASH_URL_PART_REGEX).
    let raw = format!(
        "{}/projects/alice%2Fdotfiles/repository/branches/{BRANCH}",
        sim.api_url(p)
    );
    assert_eq!(get(&raw, &h).await.status, 404);

    sim.set_ref(p, repo, "refs/tags/v1.0.0", Some(TAG_SHA));
    let r = get(&url("tags", "v1.0.0"), &h).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(s(&v["commit"]["id"]), TAG_SHA);
    assert_eq!(s(&v["target"]), TAG_SHA);
    assert_eq!((s(&v["name"]), s(&v["message"])), ("v1.0.0", ""));
    assert!(v["release"].is_null());

    let r = get(&url("branches", "nope"), &h).await;
    assert_eq!(
        (r.status, s(&r.json()["message"])),
        (404, "404 Branch Not Found")
    );
    let r = get(&url("tags", "v9"), &h).await;
    assert_eq!(
        (r.status, s(&r.json()["message"])),
        (404, "404 Tag Not Found")
    );
    // A branch is not a tag.
    assert_eq!(get(&url("tags", "main"), &h).await.status, 404);

    // Private project: anonymous → 404 Project Not Found; read_user only → 403 insufficient_scope.
    let r = get(&url("branches", "main"), &[]).await;
    assert_eq!(
        (r.status, s(&r.json()["message"])),
        (404, "404 Project Not Found")
    );
    let r = get(
        &url("branches", "main"),
        &[("private-token", GITLAB_READ_USER)],
    )
    .await;
    assert_eq!(
        (r.status, s(&r.json()["error"])),
        (403, "insufficient_scope")
    );
    assert_eq!(
        get(&url("branches", "main"), &[("private-token", "glpat-nope")])
            .await
            .status,
        401
    );
    let gone = format!(
        "{}/projects/alice%2Fnope/repository/branches/main",
        sim.api_url(p)
    );
    assert_eq!(get(&gone, &h).await.status, 404);
}

// ---- Bitbucket ---------------------------------------------------------------------------

#[tokio::test]
async fn bitbucket_refs() {
    let world = World::demo().with_token(
        Provider::Bitbucket,
        Token::new("bb-account-only", "bbuser", TokenKind::Oauth).scopes(&["account"]),
    );
    let sim = Simulator::start(world).await;
    let p = Provider::Bitbucket;
    let repo = "acme-ws/backend";
    let auth = basic(BITBUCKET_EMAIL, BITBUCKET_API_TOKEN);
    let h = [("authorization", auth.as_str())];
    let base = format!("{}/repositories/acme-ws/backend/refs", sim.api_url(p));
    // The app's query: q=name="…" with \ and " escaped, URL-encoded.
    let query = |kind: &str, name: &str| {
        let q = format!(
            "name=\"{}\"",
            name.replace('\\', "\\\\").replace('"', "\\\"")
        );
        let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
        format!("{base}/{kind}?q={}", q.replace('+', "%20"))
    };

    let main = sim.head(p, repo, "main").expect("default branch");
    let r = get(&query("branches", "main"), &h).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(
        (
            v["size"].as_u64(),
            v["page"].as_u64(),
            v["pagelen"].as_u64()
        ),
        (Some(1), Some(1), Some(10))
    );
    assert_eq!(s(&v["values"][0]["target"]["hash"]), main);
    assert_eq!(
        (s(&v["values"][0]["type"]), s(&v["values"][0]["name"])),
        ("branch", "main")
    );
    assert_eq!(s(&v["values"][0]["target"]["type"]), "commit");

    let after = push_after(&sim, p, repo, BRANCH).await;
    let v = get(&query("branches", BRANCH), &h).await.json();
    assert_eq!(v["size"].as_u64(), Some(1));
    assert_eq!(s(&v["values"][0]["target"]["hash"]), after);
    let r = get(&format!("{base}/branches/{BRANCH}"), &h).await;
    assert_eq!(
        (r.status, s(&r.json()["target"]["hash"]).to_string()),
        (200, after.clone())
    );

    sim.set_ref(p, repo, "refs/tags/v1.0.0", Some(TAG_SHA));
    let v = get(&query("tags", "v1.0.0"), &h).await.json();
    assert_eq!(
        (
            s(&v["values"][0]["type"]),
            s(&v["values"][0]["target"]["hash"])
        ),
        ("tag", TAG_SHA)
    );
    let r = get(&format!("{base}/tags/v1.0.0"), &h).await;
    assert_eq!((r.status, s(&r.json()["target"]["hash"])), (200, TAG_SHA));
    // All refs, branches first; a `~` filter.
    let v = get(&base, &h).await.json();
    assert_eq!(names(&v["values"]), ["feature/build-now", "main", "v1.0.0"]);
    let v = get(&format!("{base}/branches?q=name%20~%20%22FEATURE%22"), &h)
        .await
        .json();
    assert_eq!(names(&v["values"]), [BRANCH]);

    // No match: an empty page; a single ref: 404; an unparsable q: 400.
    let v = get(&query("branches", "no\"pe"), &h).await.json();
    assert_eq!(
        (v["size"].as_u64(), v["values"].as_array().map(Vec::len)),
        (Some(0), Some(0))
    );
    assert_eq!(
        get(&query("tags", "main"), &h).await.json()["size"].as_u64(),
        Some(0)
    );
    let r = get(&format!("{base}/branches/nope"), &h).await;
    assert_eq!((r.status, s(&r.json()["type"])), (404, "error"));
    assert!(r.json()["error"]["message"].is_string());
    assert_eq!(get(&format!("{base}/tags/v9"), &h).await.status, 404);
    let r = get(&format!("{base}/branches?q=name%3D"), &h).await;
    assert_eq!((r.status, s(&r.json()["type"])), (400, "error"));

    // Private repository without credentials → 404 as for the repository; a token without
    // the repository scope → 403; bad Basic → 401.
    assert_eq!(get(&query("branches", "main"), &[]).await.status, 404);
    let r = get(
        &query("branches", "main"),
        &[("authorization", &bearer("bb-account-only"))],
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(s(&r.json()["error"]["detail"]["required"][0]), "repository");
    let bad = basic(BITBUCKET_EMAIL, "wrong");
    assert_eq!(
        get(&query("branches", "main"), &[("authorization", &bad)])
            .await
            .status,
        401
    );
    let gone = format!(
        "{}/repositories/acme-ws/nope/refs/branches?q=name%3D%22main%22",
        sim.api_url(p)
    );
    assert_eq!(get(&gone, &h).await.status, 404);
    // A public repository answers anonymously.
    let public = format!(
        "{}/repositories/bbuser/personal-site/refs/branches/main",
        sim.api_url(p)
    );
    assert_eq!(get(&public, &[]).await.status, 200);
}

// ---- Gitee -------------------------------------------------------------------------------

#[tokio::test]
async fn gitee_branch_and_tags() {
    let world = World::demo().with_token(
        Provider::Gitee,
        Token::new("gitee-user-info-only", "giteeuser", TokenKind::Personal).scopes(&["user_info"]),
    );
    let sim = Simulator::start(world).await;
    let p = Provider::Gitee;
    let repo = "giteeuser/private-notes";
    let api = format!("{}/repos/giteeuser/private-notes", sim.api_url(p));
    let branch = |name: &str, token: &str| format!("{api}/branches/{name}?access_token={token}");

    let main = sim.head(p, repo, "main").expect("default branch");
    let r = get(&branch("main", GITEE_TOKEN), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(s(&v["commit"]["sha"]), main);
    assert!(v["commit"]["commit"]["message"].is_string() && v["_links"]["self"].is_string());
    assert_eq!(v["protected"].as_bool(), Some(false));

    let after = push_after(&sim, p, repo, BRANCH).await;
    let r = get(&branch(BRANCH, GITEE_TOKEN), &[]).await;
    assert_eq!(
        (r.status, s(&r.json()["commit"]["sha"]).to_string()),
        (200, after)
    );

    // Tags: a list, paginated with total_count / total_page.
    for (i, t) in ["v1.0.0", "v1.1.0", "v2.0.0"].iter().enumerate() {
        let sha = format!("{:0>40}", i + 1);
        assert!(sim.set_ref(p, repo, &format!("refs/tags/{t}"), Some(&sha)));
    }
    sim.set_ref(p, repo, "refs/tags/v1.0.0", Some(TAG_SHA));
    let tags = |q: &str| format!("{api}/tags?access_token={GITEE_TOKEN}&{q}");
    let r = get(&tags("per_page=100&page=1"), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(names(&v), ["v1.0.0", "v1.1.0", "v2.0.0"]);
    let first = v
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "v1.0.0")
        .unwrap();
    assert_eq!(s(&first["commit"]["sha"]), TAG_SHA);
    assert!(first["commit"]["date"].is_string() && first.get("tagger").is_some());
    assert_eq!(
        (r.h("total_count").as_deref(), r.h("total_page").as_deref()),
        (Some("3"), Some("1"))
    );
    let r = get(&tags("per_page=2&page=2"), &[]).await;
    assert_eq!(names(&r.json()), ["v2.0.0"]);
    assert_eq!(r.h("total_page").as_deref(), Some("2"));

    let r = get(&branch("nope", GITEE_TOKEN), &[]).await;
    assert_eq!(r.status, 404);
    assert!(r.json()["message"].is_string());
    // Private repository: no token → 404 as for the repository; no `projects` scope → 401.
    assert_eq!(get(&format!("{api}/branches/main"), &[]).await.status, 404);
    assert_eq!(get(&format!("{api}/tags"), &[]).await.status, 404);
    let r = get(&branch("main", "gitee-user-info-only"), &[]).await;
    assert_eq!(
        (r.status, s(&r.json()["message"])),
        (401, "401 Unauthorized: no 'projects' scope")
    );
    assert_eq!(get(&branch("main", "not-a-token"), &[]).await.status, 401);
    let public = format!(
        "{}/repos/giteeuser/hello-gitee/branches/main",
        sim.api_url(p)
    );
    assert_eq!(get(&public, &[]).await.status, 200);
}

// ---- Codeup ------------------------------------------------------------------------------

#[tokio::test]
async fn codeup_list_commits_by_ref_name() {
    let sim = start_demo().await;
    let p = Provider::Codeup;
    let full = format!("{CODEUP_ORG_ID}/demo-repo");
    let h = [("x-yunxiao-token", CODEUP_TOKEN)];
    let enc = |s: &str| -> String { form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    let url = |repo: &str, r: &str| {
        format!(
            "{}/codeup/organizations/{CODEUP_ORG_ID}/repositories/{}/commits?refName={}&page=1&perPage=1",
            sim.api_url(p),
            enc(repo),
            enc(r)
        )
    };

    let main = sim.head(p, &full, "main").expect("default branch");
    assert_eq!(
        sim.head(p, "acme-codeup/demo-repo", "main"),
        Some(main.clone())
    );
    let r = get(&url(&full, "main"), &h).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(s(&v[0]["id"]), main);
    assert_eq!(s(&v[0]["shortId"]), &main[..8]);
    assert!(v[0]["authorName"].is_string() && v[0]["committedDate"].is_string());
    assert!(v[0]["parentIds"].is_array() && v[0]["webUrl"].is_string());
    assert_eq!(r.h("x-total").as_deref(), Some("1"));
    // The numeric repository id works as well.
    let id = sim
        .world()
        .codeup
        .repos
        .iter()
        .find(|r| r.name == "demo-repo")
        .map(|r| r.id)
        .unwrap();
    assert_eq!(
        s(&get(&url(&id.to_string(), "main"), &h).await.json()[0]["id"]),
        main
    );

    let after = push_after(&sim, p, &full, BRANCH).await;
    assert_eq!(
        s(&get(&url(&full, BRANCH), &h).await.json()[0]["id"]),
        after
    );

    sim.set_ref(p, &full, "refs/tags/v1.0.0", Some(TAG_SHA));
    assert_eq!(
        s(&get(&url(&full, "v1.0.0"), &h).await.json()[0]["id"]),
        TAG_SHA
    );

    let r = get(&url(&full, "nope"), &h).await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert!(r.json()["errorCode"].is_string() && r.json()["errorMessage"].is_string());
    let missing = format!(
        "{}/codeup/organizations/{CODEUP_ORG_ID}/repositories/{}/commits",
        sim.api_url(p),
        enc(&full)
    );
    assert_eq!(get(&missing, &h).await.status, 400);

    // No token → 401; another organization's repository → 403 as for the repository.
    let r = get(&url(&full, "main"), &[]).await;
    assert_eq!((r.status, s(&r.json()["errorCode"])), (401, "Unauthorized"));
    let other = format!(
        "{}/codeup/organizations/5f9a0b1c2d3e4f5a6b7c8d9e/repositories/{}/commits?refName=main",
        sim.api_url(p),
        enc("5f9a0b1c2d3e4f5a6b7c8d9e/not-yours")
    );
    let r = get(&other, &h).await;
    assert_eq!(
        (r.status, s(&r.json()["errorCode"])),
        (403, "Forbidden.InvalidUser.UserNotInCurrentOrganization")
    );
    assert_eq!(
        get(&url(&format!("{CODEUP_ORG_ID}/nope"), "main"), &h)
            .await
            .status,
        404
    );
}

// ---- Gitea -------------------------------------------------------------------------------

#[tokio::test]
async fn gitea_branch_and_tag() {
    let world = World::demo().with_token(
        Provider::Gitea,
        Token::new("gitea-read-user-only", "gitea-user", TokenKind::Personal)
            .scopes(&["read:user"]),
    );
    let sim = Simulator::start(world).await;
    let p = Provider::Gitea;
    let repo = "gitea-user/private-repo";
    let auth = format!("token {GITEA_TOKEN}");
    let h = [("authorization", auth.as_str())];
    let api = format!("{}/repos/gitea-user/private-repo", sim.api_url(p));

    let main = sim.head(p, repo, "main").expect("default branch");
    let r = get(&format!("{api}/branches/main"), &h).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(s(&v["commit"]["id"]), main);
    assert!(v["commit"]["message"].is_string() && v["commit"]["timestamp"].is_string());
    assert_eq!(
        (v["user_can_push"].as_bool(), v["protected"].as_bool()),
        (Some(true), Some(false))
    );

    let after = push_after(&sim, p, repo, BRANCH).await;
    let r = get(&format!("{api}/branches/{BRANCH}"), &h).await;
    assert_eq!(
        (r.status, s(&r.json()["commit"]["id"]).to_string()),
        (200, after)
    );

    sim.set_ref(p, repo, "refs/tags/release/1.0", Some(TAG_SHA));
    let r = get(&format!("{api}/tags/release/1.0"), &h).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(
        (s(&v["commit"]["sha"]), s(&v["id"]), s(&v["name"])),
        (TAG_SHA, TAG_SHA, "release/1.0")
    );
    assert!(v["zipball_url"].is_string() && v["commit"]["created"].is_string());

    let r = get(&format!("{api}/branches/nope"), &h).await;
    assert_eq!(r.status, 404);
    assert_eq!(s(&r.json()["message"]), "The target couldn't be found.");
    assert!(r.json()["url"].is_string());
    let r = get(&format!("{api}/tags/v9"), &h).await;
    assert_eq!((r.status, s(&r.json()["message"])), (404, "v9"));

    // Private repository: anonymous → 404; a token without read:repository → 403.
    assert_eq!(get(&format!("{api}/branches/main"), &[]).await.status, 404);
    let r = get(
        &format!("{api}/branches/main"),
        &[("authorization", "token gitea-read-user-only")],
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(
        get(
            &format!("{api}/tags/release/1.0"),
            &[("authorization", "token nope")]
        )
        .await
        .status,
        401
    );
    let public = format!("{}/repos/gitea-user/dotfiles/branches/main", sim.api_url(p));
    assert_eq!(get(&public, &[]).await.status, 200);
}

// ---- the handle and the world ------------------------------------------------------------

#[tokio::test]
async fn set_ref_head_and_world_json() {
    let world = World::new().with_repo(
        Provider::Gitea,
        Repo::new(0, "u", "r").with_ref("refs/tags/v1", TAG_SHA),
    );
    let sim = Simulator::start(world).await;
    let p = Provider::Gitea;
    assert_eq!(sim.head(p, "u/r", "refs/tags/v1").as_deref(), Some(TAG_SHA));
    let main = sim.head(p, "u/r", "main").expect("default branch");
    assert_eq!(
        sim.head(p, "u/r", "refs/heads/main").as_deref(),
        Some(main.as_str())
    );
    assert_eq!(sim.head(p, "u/r", "refs/heads/other"), None);
    assert_eq!(sim.head(p, "u/nope", "main"), None);
    assert!(!sim.set_ref(p, "u/nope", "main", Some(TAG_SHA)));

    // Moving and deleting; the default branch falls back to its initial SHA.
    assert!(sim.set_ref(p, "u/r", "main", Some(&"A".repeat(40))));
    assert_eq!(sim.head(p, "u/r", "main"), Some("a".repeat(40)));
    assert!(sim.set_ref(p, "u/r", "refs/heads/main", None));
    assert_eq!(sim.head(p, "u/r", "main"), Some(main.clone()));
    assert!(sim.set_ref(p, "u/r", "refs/tags/v1", None));
    assert_eq!(sim.head(p, "u/r", "refs/tags/v1"), None);

    // A push without hooks still moves the ref; a second push chains `before`.
    assert!(sim.push(p, "u/r", "main").await.is_empty());
    let first = sim.head(p, "u/r", "main").unwrap();
    assert_ne!(first, main);
    sim.push(p, "u/r", "refs/tags/v2").await;
    assert!(sim.head(p, "u/r", "refs/tags/v2").is_some());

    // `refs` is part of the world JSON and left out when empty.
    let w = sim.world();
    let json = w.to_json();
    assert!(json.contains("\"refs/heads/main\"") && json.contains("\"refs/tags/v2\""));
    assert_eq!(World::from_json(&json).unwrap(), w);
    assert!(!World::new()
        .with_repo(p, Repo::new(0, "u", "plain"))
        .to_json()
        .contains("\"refs\""));
    let parsed = World::from_json(
        r#"{"gitea":{"repos":[{"owner":"u","name":"x","refs":{"refs/heads/dev":"1234567890abcdef1234567890abcdef12345678"}}]}}"#,
    )
    .unwrap();
    assert_eq!(
        parsed.gitea.repos[0].head("refs/heads/dev").as_deref(),
        Some(TAG_SHA)
    );
}

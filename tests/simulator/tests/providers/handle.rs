use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::{Provider, Repo, Simulator, World};

#[tokio::test]
async fn each_provider_is_its_own_host() {
    let sim = start_demo().await;
    let mut ports: Vec<u16> = Provider::ALL
        .iter()
        .map(|p| sim.addr(*p).unwrap().port())
        .collect();
    ports.dedup();
    assert_eq!(ports.len(), 6);
    for p in Provider::ALL {
        let base = sim.base_url(p);
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        assert_eq!(sim.base_url(p.as_str()), base);
        assert_eq!(sim.api_url(p), format!("{base}{}", p.api_prefix()));
    }
}

#[tokio::test]
async fn requests_are_recorded_with_secrets_redacted() {
    let sim = start_demo().await;
    let _ = get(
        &format!("{}/user", sim.api_url("github")),
        &[("authorization", &bearer(GITHUB_CLASSIC))],
    )
    .await;
    let _ = get(
        &format!("{}/user", sim.api_url("gitlab")),
        &[("private-token", GITLAB_PAT)],
    )
    .await;
    let _ = get(
        &format!("{}/platform/user", sim.api_url("codeup")),
        &[("x-yunxiao-token", CODEUP_TOKEN)],
    )
    .await;
    let _ = get(
        &format!(
            "{}/user/repos?access_token={GITEE_TOKEN}&page=2",
            sim.api_url("gitee")
        ),
        &[],
    )
    .await;
    let reqs = sim.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[0].provider, Provider::Github);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].path, "/api/v3/user");
    assert_eq!(reqs[0].header("authorization"), Some("Bearer ghp_…"));
    assert_eq!(reqs[1].header("private-token"), Some("glpa…"));
    assert_eq!(reqs[2].header("x-yunxiao-token"), Some("pt-d…"));
    assert_eq!(reqs[3].path, "/api/v5/user/repos");
    assert_eq!(
        reqs[3].query_param("access_token").as_deref(),
        Some("0d3e…")
    );
    assert_eq!(reqs[3].query_param("page").as_deref(), Some("2"));
    let everything = format!("{reqs:?}");
    for secret in [GITHUB_CLASSIC, GITLAB_PAT, CODEUP_TOKEN, GITEE_TOKEN] {
        assert!(!everything.contains(secret), "{secret} leaked into the log");
    }
    assert_eq!(sim.requests_for("gitlab").len(), 1);
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn world_changes_apply_while_running() {
    let sim = start_demo().await;
    let url = format!("{}/user/repos", sim.api_url("gitea"));
    let auth = [("authorization", &*format!("token {GITEA_TOKEN}"))];
    let before = get(&url, &auth).await.json().as_array().unwrap().len();
    sim.update_world(|w| {
        w.gitea
            .repos
            .push(Repo::new(0, "gitea-user", "added-later"))
    });
    let after = get(&url, &auth).await;
    assert_eq!(after.json().as_array().unwrap().len(), before + 1);
    assert!(names(&after.json()).contains(&"added-later".to_string()));
    assert!(
        sim.world().gitea.repos.iter().all(|r| r.id > 0),
        "new repos get ids"
    );
    assert!(sim.revoke_token(GITEA_TOKEN));
    assert!(!sim.revoke_token("no-such-token"));
    assert_eq!(get(&url, &auth).await.status, 401);
}

#[tokio::test]
async fn world_json_loads_and_generates() {
    let text = r#"{
      "gitlab": {
        "users": [{"id": 5, "login": "carol", "name": "Carol", "email": "carol@example.com"}],
        "tokens": [{"value": "glpat-carol", "user": "carol", "scopes": ["read_api"], "expires_at": "2031-05-06T00:00:00Z"}],
        "orgs": [{"login": "team", "members": [{"login": "carol", "access_level": 40}]},
                 {"login": "sub", "parent": "team"}],
        "generate": [{"owner": "team/sub", "count": 12, "private_every": 3}]
      }
    }"#;
    let world = World::from_json(text).expect("valid world");
    assert_eq!(world.gitlab.repos.len(), 12);
    assert_eq!(world.gitlab.repos.iter().filter(|r| r.private).count(), 4);
    let sim = Simulator::start(world).await;
    let base = sim.api_url("gitlab");
    let r = get(
        &format!("{base}/projects?membership=true&per_page=5"),
        &[("private-token", "glpat-carol")],
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.h("x-total").as_deref(), Some("12"));
    assert_eq!(r.json()[0]["namespace"]["full_path"], "team/sub");
    let r = get(
        &format!("{base}/personal_access_tokens/self"),
        &[("private-token", "glpat-carol")],
    )
    .await;
    assert_eq!(r.json()["expires_at"], "2031-05-06");
    // The demo world survives a JSON round trip.
    let demo = World::demo();
    assert_eq!(World::from_json(&demo.to_json()).expect("round trip"), demo);
}

#[tokio::test]
async fn shutdown_closes_the_listeners() {
    let sim = start_demo().await;
    let url = format!("{}/api/v1/version", sim.base_url("gitea"));
    assert_eq!(get(&url, &[]).await.status, 200);
    sim.shutdown().await;
    let fresh = reqwest::Client::new();
    assert!(fresh.get(&url).send().await.is_err());
}

#[tokio::test]
async fn bad_requests_never_break_the_server() {
    let sim = start_demo().await;
    let c = client();
    let cases = [
        (
            Provider::Github,
            "/api/v3/repos/%ZZ/%%",
            "Basic !!!notbase64",
        ),
        (Provider::Gitlab, "/api/v4/projects/%E4%BD", "Bearer "),
        (
            Provider::Bitbucket,
            "/2.0/repositories/%00/x?pagelen=-5&page=abc",
            "Basic Og==",
        ),
        (
            Provider::Gitee,
            "/api/v5/user/repos?per_page=99999999999999999999&page=0",
            "token",
        ),
        (
            Provider::Codeup,
            "/oapi/v1/codeup/organizations//repositories?perPage=x",
            "weird",
        ),
        (
            Provider::Gitea,
            "/api/v1/user/repos?limit=&page=-1",
            "token \u{7f}",
        ),
    ];
    for (p, path, auth) in cases {
        let rb = c
            .post(format!("{}{path}", sim.base_url(p)))
            .body(vec![0xff, 0xfe, 0x00]);
        let rb = match reqwest::header::HeaderValue::from_str(auth) {
            Ok(v) => rb.header("authorization", v),
            Err(_) => rb,
        };
        let r = rb.send().await.expect("the server answers");
        assert!(r.status().is_client_error(), "{p} {path}: {}", r.status());
    }
    // Still serving.
    let r = get(&format!("{}/version", sim.api_url("gitea")), &[]).await;
    assert_eq!(r.status, 200);
}

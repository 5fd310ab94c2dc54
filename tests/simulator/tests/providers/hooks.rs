//! Each provider's repository-webhook API and `SimHandle::push` deliveries to a loopback receiver.

use crate::common::*;
use codebind_simulator::demo::*;
use codebind_simulator::hooks::{gitee_sign, hmac_sha256_hex};
use codebind_simulator::{Delivery, Provider, Token, TokenKind, World};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

type Log = Arc<Mutex<Vec<(axum::http::HeaderMap, Vec<u8>)>>>;

/// A loopback HTTP server that records every request body and answers 200.
struct Receiver {
    url: String,
    got: Log,
}

async fn receiver() -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/build/hook", listener.local_addr().unwrap());
    let got: Log = Arc::default();
    let sink = got.clone();
    let app = axum::Router::new().fallback(
        move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push((headers, body.to_vec()));
                "ok"
            }
        },
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Receiver { url, got }
}

impl Receiver {
    fn count(&self) -> usize {
        self.got.lock().unwrap().len()
    }

    fn last(&self) -> (axum::http::HeaderMap, Vec<u8>) {
        self.got
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a delivery")
    }
}

async fn json_req(
    method: reqwest::Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Resp {
    let mut rb = client().request(method, url);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    send(rb, headers).await
}

fn only(d: Vec<Delivery>) -> Delivery {
    assert_eq!(d.len(), 1, "{d:?}");
    let d = d.into_iter().next().unwrap();
    assert_eq!(d.status, Some(200), "{d:?}");
    d
}

#[tokio::test]
async fn github_hooks_crud_scopes_and_signed_push() {
    let sim = start_demo().await;
    let rx = receiver().await;
    let base = format!("{}/repos/acme/api/hooks", sim.api_url("github"));
    let auth = bearer(GITHUB_CLASSIC);
    let h = [("authorization", auth.as_str())];
    let body = json!({"name": "web", "active": true, "events": ["push"],
                      "config": {"url": rx.url, "content_type": "json", "secret": "s3cr3t", "insecure_ssl": "0"}});

    let r = json_req(reqwest::Method::POST, &base, &h, Some(body.clone())).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let hook = r.json();
    let id = hook["id"].as_u64().unwrap();
    assert_eq!(hook["config"]["url"], rx.url.as_str());
    assert_eq!(hook["config"]["secret"], "********", "the secret is masked");
    assert_eq!(hook["events"], json!(["push"]));
    assert_eq!(hook["active"], true);
    assert_eq!(hook["type"], "Repository");
    assert_eq!(r.h("location").unwrap(), format!("{base}/{id}"));
    assert_eq!(
        r.h("x-accepted-oauth-scopes").as_deref(),
        Some("admin:repo_hook, repo, write:repo_hook")
    );

    // Same config again: 422.
    let dup = json_req(reqwest::Method::POST, &base, &h, Some(body)).await;
    assert_eq!(dup.status, 422);
    assert_eq!(
        dup.json()["errors"][0]["message"],
        "Hook already exists on this repository"
    );

    let list = get(&base, &h).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    let one = get(&format!("{base}/{id}"), &h).await;
    assert_eq!(one.json()["id"], id);
    assert_eq!(get(&format!("{base}/999999999"), &h).await.status, 404);

    // Without repo/admin:repo_hook GitHub hides the hooks: 404 with the accepted scopes.
    let no = bearer(GITHUB_NO_SCOPES);
    let public = format!("{}/repos/octocat/hello-world/hooks", sim.api_url("github"));
    let r = get(&public, &[("authorization", &no)]).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.h("x-accepted-oauth-scopes").as_deref(),
        Some("admin:repo_hook, read:repo_hook, repo, write:repo_hook")
    );
    assert_eq!(r.h("x-oauth-scopes").as_deref(), Some(""));

    // A push is delivered, signed with the secret over the raw body.
    let d = only(sim.push("github", "acme/api", "main").await);
    assert_eq!(rx.count(), 1);
    let (headers, raw) = rx.last();
    assert_eq!(raw, d.body);
    assert_eq!(headers["x-github-event"], "push");
    assert_eq!(headers["x-github-hook-id"], id.to_string().as_str());
    assert_eq!(
        headers["x-hub-signature-256"].to_str().unwrap(),
        format!("sha256={}", hmac_sha256_hex(b"s3cr3t", &raw))
    );
    assert!(headers["x-hub-signature"]
        .to_str()
        .unwrap()
        .starts_with("sha1="));
    let p: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(p["ref"], "refs/heads/main");
    assert_eq!(p["repository"]["full_name"], "acme/api");
    assert_eq!(p["after"].as_str().unwrap().len(), 40);
    // A tag push fires the push event too.
    let d = only(sim.push("github", "acme/api", "refs/tags/v1.0").await);
    assert_eq!(d.json().unwrap()["ref"], "refs/tags/v1.0");

    // Drift at the simulator, then an edit through the API.
    assert!(sim.set_hook_active("github", &id.to_string(), false));
    assert!(
        sim.push("github", "acme/api", "main").await.is_empty(),
        "inactive hooks get nothing"
    );
    let r = json_req(
        reqwest::Method::PATCH,
        &format!("{base}/{id}"),
        &h,
        Some(json!({"active": true, "add_events": ["release"]})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["events"], json!(["push", "release"]));
    assert!(sim.set_hook_url("github", &id.to_string(), "https://elsewhere.example.com/x"));
    assert_eq!(
        get(&format!("{base}/{id}"), &h).await.json()["config"]["url"],
        "https://elsewhere.example.com/x"
    );

    let r = json_req(reqwest::Method::DELETE, &format!("{base}/{id}"), &h, None).await;
    assert_eq!(r.status, 204);
    assert!(sim.hooks("github", "acme/api").is_empty());
    assert_eq!(
        json_req(reqwest::Method::DELETE, &format!("{base}/{id}"), &h, None)
            .await
            .status,
        404
    );

    // The secret never reaches the request log.
    let posted = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert!(!posted.body.contains("s3cr3t"), "{}", posted.body);
}

#[tokio::test]
async fn github_hooks_need_admin_and_a_valid_config() {
    let sim = start_demo().await;
    let auth = bearer(GITHUB_CLASSIC);
    let h = [("authorization", auth.as_str())];
    // octocat is a plain member of acme-sso/acme-restricted; SSO answers first there.
    let r = get(
        &format!("{}/repos/acme-sso/vault/hooks", sim.api_url("github")),
        &h,
    )
    .await;
    assert_eq!(r.status, 403);
    assert!(r.h("x-github-sso").unwrap().starts_with("required"));
    let base = format!("{}/repos/octocat/hello-world/hooks", sim.api_url("github"));
    let r = json_req(
        reqwest::Method::POST,
        &base,
        &h,
        Some(json!({"config": {}})),
    )
    .await;
    assert_eq!(r.status, 422);
    let r = json_req(
        reqwest::Method::POST,
        &base,
        &h,
        Some(json!({"name": "email", "config": {"url": "https://x.example.com"}})),
    )
    .await;
    assert_eq!(r.status, 422);
    let r = send(client().post(&base).body("{not json"), &h).await;
    assert_eq!(r.status, 400);
    // Defaults: events ["push"], form content type, active.
    let r = json_req(
        reqwest::Method::POST,
        &base,
        &h,
        Some(json!({"config": {"url": "https://x.example.com/h"}})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["events"], json!(["push"]));
    assert_eq!(r.json()["config"]["content_type"], "form");
    assert!(r.json()["config"].get("secret").is_none());
}

#[tokio::test]
async fn gitlab_project_hooks_by_path_and_id_with_scopes() {
    let sim = start_demo().await;
    let rx = receiver().await;
    let api = sim.api_url("gitlab");
    let encoded = "acme%2Fplatform%2Fbackend%2Fapi-server";
    let base = format!("{api}/projects/{encoded}/hooks");
    let h = [("private-token", GITLAB_PAT)];
    let r = json_req(reqwest::Method::POST, &base, &h, Some(json!({"url": rx.url, "token": "gl-secret", "push_events": true, "tag_push_events": true, "enable_ssl_verification": true}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let hook = r.json();
    assert!(hook.get("token").is_none(), "the token is never returned");
    assert_eq!(hook["push_events"], true);
    assert_eq!(hook["tag_push_events"], true);
    assert_eq!(hook["merge_requests_events"], false);
    assert_eq!(hook["url"], rx.url.as_str());
    assert_eq!(hook["alert_status"], "executable");
    let id = hook["id"].as_u64().unwrap();
    let project_id = hook["project_id"].as_u64().unwrap();

    // The numeric project id addresses the same hooks.
    let r = get(&format!("{api}/projects/{project_id}/hooks"), &h).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()[0]["id"], id);
    assert_eq!(r.h("x-total").as_deref(), Some("1"));

    // read_user cannot even list them; read_api could read but not write.
    let r = get(&base, &[("private-token", GITLAB_READ_USER)]).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "insufficient_scope");
    assert_eq!(r.json()["scope"], "api read_api");
    let r = json_req(
        reqwest::Method::POST,
        &base,
        &[("private-token", GITLAB_READ_USER)],
        Some(json!({"url": "https://x.example.com"})),
    )
    .await;
    assert_eq!(r.json()["scope"], "api");
    assert_eq!(
        json_req(
            reqwest::Method::POST,
            &base,
            &h,
            Some(json!({"push_events": true}))
        )
        .await
        .status,
        400
    );
    assert_eq!(
        get(&format!("{api}/projects/acme%2Fnope/hooks"), &h)
            .await
            .status,
        404
    );

    // Push and tag push both fire; the secret is X-Gitlab-Token.
    let d = only(
        sim.push("gitlab", "acme/platform/backend/api-server", "main")
            .await,
    );
    assert_eq!(d.header("x-gitlab-event"), Some("Push Hook"));
    assert_eq!(d.header("x-gitlab-token"), Some("gl-secret"));
    let p = d.json().unwrap();
    assert_eq!(p["object_kind"], "push");
    assert_eq!(
        p["project"]["path_with_namespace"],
        "acme/platform/backend/api-server"
    );
    let d = only(
        sim.push("gitlab", "acme/platform/backend/api-server", "refs/tags/v2")
            .await,
    );
    assert_eq!(d.header("x-gitlab-event"), Some("Tag Push Hook"));
    assert_eq!(d.json().unwrap()["object_kind"], "tag_push");
    assert_eq!(rx.count(), 2);

    // Changing the URL resets the token (doc/api/project_webhooks.md).
    let r = json_req(
        reqwest::Method::PUT,
        &format!("{base}/{id}"),
        &h,
        Some(json!({"url": rx.url.replace("/build/hook", "/other"), "tag_push_events": false})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["tag_push_events"], false);
    assert_eq!(
        sim.hooks("gitlab", "acme/platform/backend/api-server")[0].secret,
        None
    );
    assert!(sim
        .push("gitlab", "acme/platform/backend/api-server", "refs/tags/v3")
        .await
        .is_empty());

    assert_eq!(
        json_req(reqwest::Method::DELETE, &format!("{base}/{id}"), &h, None)
            .await
            .status,
        204
    );
    assert_eq!(
        json_req(reqwest::Method::DELETE, &format!("{base}/{id}"), &h, None)
            .await
            .status,
        404
    );
    assert!(sim
        .hooks("gitlab", "acme/platform/backend/api-server")
        .is_empty());
}

#[tokio::test]
async fn bitbucket_hooks_with_uuid_scopes_and_sha256_signature() {
    let sim = start_demo().await;
    let rx = receiver().await;
    let base = format!(
        "{}/repositories/acme-ws/backend/hooks",
        sim.api_url("bitbucket")
    );
    let auth = basic(BITBUCKET_EMAIL, BITBUCKET_API_TOKEN);
    let h = [("authorization", auth.as_str())];
    let r = json_req(reqwest::Method::POST, &base, &h, Some(json!({"description": "Codebind", "url": rx.url, "active": true, "secret": "bb-secret", "events": ["repo:push"]}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let hook = r.json();
    let uuid = hook["uuid"].as_str().unwrap().to_string();
    assert!(uuid.starts_with('{') && uuid.ends_with('}'), "{uuid}");
    assert_eq!(hook["events"], json!(["repo:push"]));
    assert_eq!(hook["secret_set"], true);
    assert!(hook.get("secret").is_none());
    assert_eq!(hook["subject"]["full_name"], "acme-ws/backend");
    assert!(r.h("location").unwrap().ends_with(&uuid));

    let list = get(&base, &h).await;
    assert_eq!(list.json()["values"][0]["uuid"], uuid.as_str());
    assert_eq!(list.json()["size"], 1);

    // The OAuth token has account + repository only.
    let r = get(&base, &[("authorization", &bearer(BITBUCKET_OAUTH))]).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"]["detail"]["required"], json!(["webhook"]));
    // Not an admin of partner-ws.
    let r = get(
        &format!(
            "{}/repositories/partner-ws/shared-lib/hooks",
            sim.api_url("bitbucket")
        ),
        &h,
    )
    .await;
    assert_eq!(r.status, 403);
    let r = json_req(
        reqwest::Method::POST,
        &base,
        &h,
        Some(json!({"url": rx.url})),
    )
    .await;
    assert_eq!(r.status, 400, "events are required");

    let d = only(
        sim.push("bitbucket", "acme-ws/backend", "refs/tags/v1")
            .await,
    );
    let (headers, raw) = rx.last();
    assert_eq!(headers["x-event-key"], "repo:push");
    assert_eq!(
        headers["x-hub-signature"].to_str().unwrap(),
        format!("sha256={}", hmac_sha256_hex(b"bb-secret", &raw))
    );
    let p = d.json().unwrap();
    assert_eq!(p["push"]["changes"][0]["new"]["type"], "tag");
    assert_eq!(p["push"]["changes"][0]["new"]["name"], "v1");

    let enc = uuid.replace('{', "%7B").replace('}', "%7D");
    assert_eq!(
        json_req(reqwest::Method::DELETE, &format!("{base}/{enc}"), &h, None)
            .await
            .status,
        204
    );
    assert_eq!(
        json_req(reqwest::Method::DELETE, &format!("{base}/{enc}"), &h, None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn gitee_form_hooks_need_the_hook_scope_and_sign_with_the_timestamp() {
    let world = World::demo().with_token(
        Provider::Gitee,
        Token::new("gitee-no-hook", "giteeuser", TokenKind::Personal)
            .scopes(&["user_info", "projects"]),
    );
    let sim = codebind_simulator::Simulator::start(world).await;
    let rx = receiver().await;
    let base = format!("{}/repos/giteeuser/hello-gitee/hooks", sim.api_url("gitee"));
    let form = [
        ("access_token", GITEE_TOKEN),
        ("url", rx.url.as_str()),
        ("encryption_type", "1"),
        ("password", "gitee-key"),
        ("push_events", "true"),
        ("tag_push_events", "true"),
    ];
    let r = send(client().post(&base).form(&form), &[]).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let hook = r.json();
    assert_eq!(hook["push_events"], true);
    assert_eq!(hook["tag_push_events"], true);
    assert_eq!(hook["url"], rx.url.as_str());
    let id = hook["id"].as_u64().unwrap();
    let r = get(&format!("{base}?access_token={GITEE_TOKEN}"), &[]).await;
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    assert_eq!(r.h("total_count").as_deref(), Some("1"));
    let r = get(&format!("{base}?access_token=gitee-no-hook"), &[]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"], "401 Unauthorized: no 'hook' scope");

    let d = only(sim.push("gitee", "giteeuser/hello-gitee", "main").await);
    let ts: i64 = d.header("x-gitee-timestamp").unwrap().parse().unwrap();
    assert_eq!(
        d.header("x-gitee-token").unwrap(),
        gitee_sign("gitee-key", ts)
    );
    assert_eq!(d.header("x-gitee-event"), Some("Push Hook"));
    assert_eq!(d.json().unwrap()["hook_name"], "push_hooks");
    let recorded = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert!(!recorded.body.contains("gitee-key"), "{}", recorded.body);

    let r = json_req(
        reqwest::Method::DELETE,
        &format!("{base}/{id}?access_token={GITEE_TOKEN}"),
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 204);
    assert!(sim.hooks("gitee", "giteeuser/hello-gitee").is_empty());
}

#[tokio::test]
async fn codeup_webhooks_by_encoded_path_with_the_token_header() {
    let world = World::demo().with_token(Provider::Codeup, {
        let mut t = Token::new("pt-readOnly", "codeupuser", TokenKind::Personal)
            .scopes(&["repository:read"]);
        t.organization_id = Some(CODEUP_ORG_ID.to_string());
        t
    });
    let sim = codebind_simulator::Simulator::start(world).await;
    let rx = receiver().await;
    let repo = format!("{CODEUP_ORG_ID}%2Fdemo-repo");
    let base = format!(
        "{}/codeup/organizations/{CODEUP_ORG_ID}/repositories/{repo}/webhooks",
        sim.api_url("codeup")
    );
    let h = [("x-yunxiao-token", CODEUP_TOKEN)];
    let r = json_req(reqwest::Method::POST, &base, &h, Some(json!({"url": rx.url, "token": "cu-secret", "pushEvents": true, "tagPushEvents": true, "mergeRequestsEvents": false, "noteEvents": false, "enableSslVerification": true, "description": "Codebind"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let hook = r.json();
    assert_eq!(hook["pushEvents"], true);
    assert_eq!(hook["tagPushEvents"], true);
    let id = hook["id"].as_u64().unwrap();
    let r = get(&format!("{base}?page=1&perPage=100"), &h).await;
    assert_eq!(r.json()[0]["id"], id);
    assert_eq!(r.h("x-total").as_deref(), Some("1"));
    let r = get(&base, &[("x-yunxiao-token", "pt-readOnly")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["errorCode"], "Forbidden");

    let d = only(
        sim.push("codeup", &format!("{CODEUP_ORG_ID}/demo-repo"), "main")
            .await,
    );
    assert_eq!(d.header("x-codeup-token"), Some("cu-secret"));
    assert_eq!(d.header("x-codeup-event"), Some("Push Hook"));
    assert_eq!(d.json().unwrap()["object_kind"], "push");
    // The org login works for the handle too.
    assert_eq!(sim.hooks("codeup", "acme-codeup/demo-repo").len(), 1);

    let r = json_req(reqwest::Method::DELETE, &format!("{base}/{id}"), &h, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        json_req(reqwest::Method::DELETE, &format!("{base}/{id}"), &h, None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn gitea_hooks_need_write_repository_and_sign_hex() {
    let world = World::demo().with_token(
        Provider::Gitea,
        Token::new("gitea-readonly", "gitea-user", TokenKind::Personal)
            .scopes(&["read:user", "read:repository"]),
    );
    let sim = codebind_simulator::Simulator::start(world).await;
    let rx = receiver().await;
    let base = format!("{}/repos/acme/platform/hooks", sim.api_url("gitea"));
    let auth = format!("token {GITEA_TOKEN}");
    let h = [("authorization", auth.as_str())];
    let body = json!({"type": "gitea", "active": true, "events": ["push"], "branch_filter": "*",
                      "config": {"url": rx.url, "content_type": "json", "secret": "gt-secret"}});
    let r = json_req(reqwest::Method::POST, &base, &h, Some(body.clone())).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let hook = r.json();
    assert_eq!(hook["type"], "gitea");
    assert_eq!(hook["config"]["url"], rx.url.as_str());
    assert!(hook["config"].get("secret").is_none());
    assert_eq!(hook["events"], json!(["push"]));
    let id = hook["id"].as_u64().unwrap();

    let ro = [("authorization", "token gitea-readonly")];
    assert_eq!(
        get(&base, &ro).await.status,
        200,
        "read:repository may list"
    );
    let r = json_req(reqwest::Method::POST, &base, &ro, Some(body)).await;
    assert_eq!(r.status, 403);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("required=[write:repository]"));
    let r = json_req(
        reqwest::Method::POST,
        &base,
        &h,
        Some(json!({"config": {"url": rx.url, "content_type": "json"}})),
    )
    .await;
    assert_eq!(r.status, 422);
    let r = json_req(
        reqwest::Method::POST,
        &base,
        &h,
        Some(json!({"type": "gitea", "config": {"url": rx.url}})),
    )
    .await;
    assert_eq!(r.status, 422);

    let d = only(sim.push("gitea", "acme/platform", "refs/tags/v1").await);
    let (headers, raw) = rx.last();
    assert_eq!(headers["x-gitea-event"], "push");
    assert_eq!(
        headers["x-gitea-signature"].to_str().unwrap(),
        hmac_sha256_hex(b"gt-secret", &raw)
    );
    assert_eq!(d.json().unwrap()["ref"], "refs/tags/v1");

    assert_eq!(
        json_req(reqwest::Method::DELETE, &format!("{base}/{id}"), &h, None)
            .await
            .status,
        204
    );
    assert!(sim.hooks("gitea", "acme/platform").is_empty());
}

#[tokio::test]
async fn hooks_live_in_the_world_and_survive_json() {
    let sim = start_demo().await;
    let id = sim
        .add_hook(
            "bitbucket",
            "acme-ws/frontend",
            codebind_simulator::Hook {
                url: "https://ci.example.com/h".into(),
                events: vec!["repo:push".into()],
                ..Default::default()
            },
        )
        .unwrap();
    assert!(id.starts_with('{'));
    let w = sim.world();
    let back = World::from_json(&w.to_json()).unwrap();
    assert_eq!(back.bitbucket.hooks, w.bitbucket.hooks);
    assert!(sim.remove_hook("bitbucket", &id));
    assert!(!sim.remove_hook("bitbucket", &id));
    assert!(sim
        .push("bitbucket", "no/such-repo", "main")
        .await
        .is_empty());
}

use crate::common::*;
use codebind_simulator::{Provider, Simulator, Token, TokenKind, User, World};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// The benchmark shape: 100 pages of 100 repos fetched at once with 100 ms latency.
/// Latency is a tokio sleep, so the wall time stays near one latency, not a hundred.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_pages_in_parallel_with_latency() {
    let world = World::new()
        .with_user(Provider::Github, User::new(1, "bulk"))
        .with_token(
            Provider::Github,
            Token::new("ghp_bulk", "bulk", TokenKind::Classic).scopes(&["repo"]),
        )
        .with_repos(Provider::Github, "bulk", 10_000);
    let sim = Simulator::start(world).await;
    sim.set_latency(Duration::from_millis(100));
    let base = sim.api_url(Provider::Github);
    let client = client();
    let started = Instant::now();
    let fetches = (1..=100).map(|page| {
        let client = client.clone();
        let url = format!("{base}/user/repos?per_page=100&page={page}");
        async move {
            let r = client
                .get(&url)
                .header("authorization", "Bearer ghp_bulk")
                .send()
                .await
                .expect("send");
            assert_eq!(r.status().as_u16(), 200);
            let v: serde_json::Value = r.json().await.expect("json");
            names(&v)
        }
    });
    let pages = futures::future::join_all(fetches).await;
    let elapsed = started.elapsed();
    let all: HashSet<String> = pages.into_iter().flatten().collect();
    assert_eq!(all.len(), 10_000);
    assert!(all.contains("repo-00001") && all.contains("repo-10000"));
    assert!(
        elapsed < Duration::from_secs(8),
        "took {elapsed:?}; sequential would be ≥ 10 s"
    );
    assert_eq!(sim.requests().len(), 100);
}

//! Provider benchmarks against the simulator with 100 ms injected latency, reported as ratios to
//! one round trip (RT). Goals (issue 3):
//! - verify 50 bindings: under 2 RT (a sequential loop takes 50);
//! - list 10,000 repos on GitHub and on GitLab: first page within 1.5 RT, all pages within
//!   3 + pages/8 RT;
//! - the drift check of 20 webhooks (one provider call each): within 4 RT (one after another it
//!   took 20).
//!
//! Run: `cargo bench -p codebind-tests --bench providers` (release build). Prints one line per
//! measurement and exits non-zero if a goal is missed.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use codebind_core::model::{BindRequest, ProviderKind, SourceType};
use codebind_core::usecases::NewRule;
use codebind_core::net::HttpOptions;
use codebind_core::vault::MemoryVault;
use codebind_core::Core;
use codebind_simulator::{Provider, Simulator, Token, TokenKind, User, World};

const LATENCY: Duration = Duration::from_millis(100);
const BINDINGS: usize = 50;
const REPOS: usize = 10_000;
const HOOKED_REPOS: usize = 20;

fn world() -> World {
    let mut w = World::new();
    for i in 0..BINDINGS {
        let login = format!("user{i:02}");
        w = w
            .with_user(Provider::Github, User::new(1000 + i as u64, &login))
            .with_token(Provider::Github, Token::new(&format!("ghp_bench{i:02}"), &login, TokenKind::Classic).scopes(&["repo", "read:org", "admin:repo_hook"]));
    }
    w.with_user(Provider::Github, User::new(1, "big"))
        .with_token(Provider::Github, Token::new("ghp_big", "big", TokenKind::Classic).scopes(&["repo", "read:org"]))
        .with_repos(Provider::Github, "big", REPOS)
        .with_user(Provider::Gitlab, User::new(1, "big"))
        .with_token(Provider::Gitlab, Token::new("glpat-big", "big", TokenKind::Personal).scopes(&["api"]))
        .with_repos(Provider::Gitlab, "big", REPOS)
        .with_user(Provider::Github, User::new(2, "hooky"))
        .with_token(Provider::Github, Token::new("ghp_hooky", "hooky", TokenKind::Classic).scopes(&["repo", "admin:repo_hook"]))
        .with_repos(Provider::Github, "hooky", HOOKED_REPOS)
}

fn request(provider: ProviderKind, host: &str, token: &str) -> BindRequest {
    BindRequest { provider, host: Some(host.to_owned()), token: token.to_owned(), username: None, organization: None, ca_bundle: None }
}

struct Report {
    failed: bool,
}

impl Report {
    fn line(&mut self, what: &str, rt: f64, goal: f64) {
        let ok = rt < goal;
        self.failed |= !ok;
        println!("bench: {what:<44} {rt:>6.2} RT  (goal < {goal:.2} RT) {}", if ok { "ok" } else { "MISSED" });
    }
}

#[tokio::main]
async fn main() {
    let sim = Simulator::start(world()).await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open_with(dir.path(), Arc::new(MemoryVault::new()), HttpOptions::default()).unwrap();
    let gh = sim.base_url(Provider::Github);
    let gl = sim.base_url(Provider::Gitlab);
    for i in 0..BINDINGS {
        core.bind_with_token(request(ProviderKind::Github, &gh, &format!("ghp_bench{i:02}"))).await.unwrap();
    }
    let big_gh = core.bind_with_token(request(ProviderKind::Github, &gh, "ghp_big")).await.unwrap().id;
    let big_gl = core.bind_with_token(request(ProviderKind::Gitlab, &gl, "glpat-big")).await.unwrap().id;
    let hooky = core.bind_with_token(request(ProviderKind::Github, &gh, "ghp_hooky")).await.unwrap().id;
    core.set_trigger_url(Some("https://builds.example.com/hook")).unwrap();
    for i in 1..=HOOKED_REPOS {
        let rule = NewRule {
            binding_id: hooky.clone(),
            repo: format!("hooky/repo-{i:05}"),
            source_type: SourceType::Branch,
            source: "main".into(),
            dockerfile: "Dockerfile".into(),
            context: None,
            image: "registry.example.com/team/app".into(),
            trigger_url: None,
            trigger_auth: None,
        };
        assert!(core.add_rule(rule).await.unwrap().hook_created);
    }

    sim.set_latency(LATENCY);
    // One round trip: the median of a few single-request verifications.
    let mut rts: Vec<Duration> = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        core.verify(&big_gh).await.unwrap();
        rts.push(t.elapsed());
    }
    rts.sort();
    let rt = rts[2].as_secs_f64();
    println!("bench: one round trip = {:.1} ms (injected latency {} ms)", rt * 1000.0, LATENCY.as_millis());
    let mut report = Report { failed: false };

    let t = Instant::now();
    let reports = core.verify_all().await.unwrap();
    let took = t.elapsed().as_secs_f64();
    assert_eq!(reports.len(), BINDINGS + 3);
    assert!(reports.iter().all(|r| r.error.is_none()), "every verification succeeds");
    report.line(&format!("verify all ({} bindings)", reports.len()), took / rt, 2.0);

    for (name, id) in [("GitHub", &big_gh), ("GitLab", &big_gl)] {
        let first: Mutex<Option<f64>> = Mutex::new(None);
        let count = Mutex::new(0usize);
        let t = Instant::now();
        core.repos_streaming(id, &|page| {
            first.lock().unwrap().get_or_insert(t.elapsed().as_secs_f64());
            *count.lock().unwrap() += page.len();
        })
        .await
        .unwrap();
        let all = t.elapsed().as_secs_f64();
        let n = *count.lock().unwrap();
        assert_eq!(n, REPOS, "{name}: every repository once");
        let pages = n.div_ceil(100) as f64;
        report.line(&format!("{name}: first page of {REPOS} repos"), first.lock().unwrap().unwrap() / rt, 1.5);
        report.line(&format!("{name}: all {pages} pages"), all / rt, 3.0 + pages / 8.0);
    }

    let t = Instant::now();
    let states = core.hooks(&hooky).await.unwrap();
    let took = t.elapsed().as_secs_f64();
    assert_eq!(states.len(), HOOKED_REPOS);
    assert!(states.iter().all(|s| s.present == Some(true) && s.error.is_none()), "every webhook is found: {states:?}");
    report.line(&format!("drift check of {HOOKED_REPOS} webhooks"), took / rt, 4.0);

    sim.shutdown().await;
    if report.failed {
        std::process::exit(1);
    }
}

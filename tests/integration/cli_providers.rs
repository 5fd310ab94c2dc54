//! The `codebind` command line against the provider simulator, with the real keychain.
//! `#[ignore]`d in plain `cargo test`: the CLI stores tokens in the OS keychain, so these run inside
//! a Secret Service session (gnome-keyring under dbus-run-session), as .ci/test runs the keychain
//! suite. Every test unbinds what it bound, so no keychain entry outlives it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use codebind_simulator::{demo, Provider, SimHandle, Simulator, World};
use codebind_tests::built_binary;
use serde_json::Value;

/// Runs `codebind` with the data dir, optionally writing `stdin` and closing it.
fn codebind(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(built_binary("codebind"))
        .args(args)
        .env("CODEBIND_DATA_DIR", dir)
        .env_remove("CODEBIND_LOG_HTTP")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run codebind");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().expect("wait for codebind")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Succeeds and prints JSON.
fn ok_json(dir: &Path, args: &[&str], stdin: Option<&str>) -> Value {
    let out = codebind(dir, args, stdin);
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", stdout(&out)))
}

/// Fails with exactly one line `codebind: error [<code>]: ...` on stderr and nothing on stdout.
fn fails_with(dir: &Path, args: &[&str], stdin: Option<&str>, code: &str) -> String {
    let out = codebind(dir, args, stdin);
    let err = stderr(&out);
    assert!(!out.status.success(), "{args:?} succeeded: {}", stdout(&out));
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with(&format!("codebind: error [{code}]: ")), "{args:?}: {err}");
    assert!(err.trim_end().len() > format!("codebind: error [{code}]: ").len(), "{args:?}: a message follows");
    err
}

struct Case {
    provider: Provider,
    name: &'static str,
    token: &'static str,
    extra: Vec<&'static str>,
    repos: usize,
    orgs: Vec<&'static str>,
    revocable: bool,
}

fn cases() -> Vec<Case> {
    vec![
        Case { provider: Provider::Github, name: "github", token: demo::GITHUB_CLASSIC, extra: vec![], repos: 6, orgs: vec!["acme", "acme-restricted"], revocable: true },
        Case { provider: Provider::Gitlab, name: "gitlab", token: demo::GITLAB_PAT, extra: vec!["--username", "alice"], repos: 4, orgs: vec!["acme", "acme/platform", "acme/platform/backend"], revocable: true },
        Case { provider: Provider::Bitbucket, name: "bitbucket", token: demo::BITBUCKET_API_TOKEN, extra: vec!["--username", demo::BITBUCKET_EMAIL], repos: 4, orgs: vec!["acme-ws", "bbuser", "partner-ws"], revocable: false },
        Case { provider: Provider::Gitee, name: "gitee", token: demo::GITEE_TOKEN, extra: vec![], repos: 3, orgs: vec!["acme-cn"], revocable: false },
        Case { provider: Provider::Codeup, name: "codeup", token: demo::CODEUP_TOKEN, extra: vec!["--org", demo::CODEUP_ORG_ID], repos: 2, orgs: vec![demo::CODEUP_ORG_ID], revocable: false },
        Case { provider: Provider::Gitea, name: "gitea", token: demo::GITEA_TOKEN, extra: vec![], repos: 3, orgs: vec!["acme"], revocable: false },
    ]
}

fn bind(dir: &Path, sim: &SimHandle, c: &Case) -> Value {
    let host = sim.base_url(c.provider);
    let mut args = vec!["bind", c.name, "--host", host.as_str()];
    args.extend(c.extra.iter().copied());
    args.extend(["--token-stdin", "--json"]);
    // As pasted: with a trailing newline.
    let out = codebind(dir, &args, Some(&format!("{}\n", c.token)));
    assert!(out.status.success(), "bind {}: {}", c.name, stderr(&out));
    assert!(!stdout(&out).contains(c.token) && !stderr(&out).contains(c.token), "the token is never printed");
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service session; run by .ci/test"]
async fn every_provider_through_the_command_line() {
    let sim = Simulator::start(World::demo()).await;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let mut ids = Vec::new();
    for c in cases() {
        let b = bind(dir, &sim, &c);
        assert_eq!(b["provider"], c.name);
        assert_eq!(b["host"], sim.base_url(c.provider));
        assert_eq!(b["status"], "active", "{}: {b}", c.name);
        assert_eq!(b["auth_method"], "token");
        let login = sim.world().provider(c.provider).users[0].login.clone();
        assert_eq!(b["login"], login.as_str());
        ids.push(b["id"].as_str().unwrap().to_owned());
    }

    let status = ok_json(dir, &["status", "--json"], None);
    let listed: Vec<&str> = status.as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(listed.len(), 6);
    assert!(ids.iter().all(|id| listed.contains(&id.as_str())));
    assert!(status.as_array().unwrap().iter().all(|b| b["status"] == "active" && b.get("vault_key").is_some()));

    for (c, id) in cases().iter().zip(&ids) {
        let reports = ok_json(dir, &["verify", id, "--json"], None);
        assert_eq!(reports.as_array().unwrap().len(), 1, "{}", c.name);
        assert_eq!(reports[0]["binding_id"], id.as_str());
        assert_eq!(reports[0]["status"], "active", "{}: {reports}", c.name);
        assert!(reports[0]["error"].is_null());

        let repos = ok_json(dir, &["repos", id, "--json"], None);
        let repos = repos.as_array().unwrap();
        assert_eq!(repos.len(), c.repos, "{}: {repos:?}", c.name);
        for r in repos {
            assert!(r["full_name"].is_string() && r["id"].is_string() && r["web_url"].is_string(), "{}: {r}", c.name);
            assert!(r["private"].is_boolean(), "{}: {r}", c.name);
            assert!(r["default_branch"].is_string() || r["default_branch"].is_null(), "{}: {r}", c.name);
            assert!(r["web_url"].as_str().unwrap().starts_with(&sim.base_url(c.provider)));
        }

        let orgs = ok_json(dir, &["orgs", id, "--json"], None);
        let orgs = orgs.as_array().unwrap();
        for o in orgs {
            assert!(o["login"].is_string() && o["id"].is_string(), "{}: {o}", c.name);
        }
        let logins: Vec<&str> = orgs.iter().map(|o| o["login"].as_str().unwrap()).collect();
        for want in &c.orgs {
            assert!(logins.contains(want), "{}: {want} missing from {logins:?}", c.name);
        }

        let out = codebind(dir, &["disable", id], None);
        assert!(out.status.success(), "{}", stderr(&out));
        fails_with(dir, &["verify", id, "--json"], None, "binding_disabled");
        fails_with(dir, &["repos", id], None, "binding_disabled");
        fails_with(dir, &["disable", id], None, "conflict");
        let out = codebind(dir, &["enable", id], None);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(ok_json(dir, &["verify", id, "--json"], None)[0]["status"], "active");
    }

    for (c, id) in cases().iter().zip(&ids) {
        let report = ok_json(dir, &["unbind", id, "--revoke", "--json"], None);
        assert_eq!(report["binding_id"], id.as_str());
        assert_eq!(report["secret_removed"], true);
        assert_eq!(report["binding_removed"], true);
        if c.revocable {
            assert_eq!(report["revoke"]["kind"], "revoked", "{}: {report}", c.name);
            assert!(sim.world().provider(c.provider).token(c.token).unwrap().revoked, "{}", c.name);
        } else {
            assert_eq!(report["revoke"]["kind"], "manual", "{}: {report}", c.name);
            assert!(report["revoke"]["url"].as_str().unwrap().starts_with("http"), "{report}");
        }
        fails_with(dir, &["verify", id], None, "not_found");
    }
    assert_eq!(ok_json(dir, &["status", "--json"], None), serde_json::json!([]));
    let history = ok_json(dir, &["history", "--json", "--kind", "unbound"], None);
    assert_eq!(history.as_array().unwrap().len(), 6, "history outlives the bindings");
    let revoked = ok_json(dir, &["history", "--json", "--kind", "revoked"], None);
    assert_eq!(revoked.as_array().unwrap().len(), 2, "GitHub and GitLab revoked the token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service session; run by .ci/test"]
async fn command_line_failures_are_one_line_with_a_code_and_change_nothing() {
    let sim = Simulator::start(World::demo()).await;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let gh = sim.base_url(Provider::Github);
    let gl = sim.base_url(Provider::Gitlab);

    let err = fails_with(dir, &["bind", "github", "--host", &gh, "--token-stdin"], Some("ghp_wrongWrongWrong000000000000000000000\n"), "provider_unauthorized");
    assert!(!err.contains("ghp_wrongWrong"), "{err}");
    fails_with(dir, &["bind", "gitlab", "--host", &gl, "--token-stdin", "--json"], Some(demo::GITHUB_CLASSIC), "provider_unauthorized");
    fails_with(dir, &["bind", "gitlab", "--host", &gl, "--username", "mallory", "--token-stdin"], Some(demo::GITLAB_PAT), "invalid_input");
    fails_with(dir, &["bind", "gitlab", "--host", "https://exa mple.com", "--token-stdin"], Some(demo::GITLAB_PAT), "invalid_url");
    fails_with(dir, &["bind", "gitlab", "--host", "http://gitlab.example.com", "--token-stdin"], Some(demo::GITLAB_PAT), "insecure_http");
    fails_with(dir, &["bind", "gitea", "--token-stdin"], Some(demo::GITEA_TOKEN), "invalid_url");
    fails_with(dir, &["bind", "github", "--host", &gh, "--token-stdin"], Some("\n"), "invalid_input");
    // Without --token-stdin the token is not read at all.
    fails_with(dir, &["bind", "github", "--host", &gh], Some(demo::GITHUB_CLASSIC), "invalid_input");
    fails_with(dir, &["bind", "sourceforge", "--token-stdin"], Some("x"), "invalid_input");
    fails_with(dir, &["repos", "no-such-binding"], None, "not_found");
    fails_with(dir, &["unbind", "no-such-binding", "--revoke"], None, "not_found");
    fails_with(dir, &["verify"], None, "invalid_input");

    // Nothing was stored, and the only requests that reached a provider were the bind attempts.
    assert_eq!(ok_json(dir, &["status", "--json"], None), serde_json::json!([]));
    assert_eq!(ok_json(dir, &["history", "--json"], None), serde_json::json!([]));
    assert!(sim.requests_for(Provider::Gitea).is_empty());
    assert_eq!(sim.requests_for(Provider::Github).len(), 1);
}

//! `codebind bind --oauth` / `--device` and `unbind --revoke` against the simulator, with the real
//! keychain. `#[ignore]`d in plain `cargo test` (the CLI stores tokens in the OS keychain): .ci/test
//! runs them inside a Secret Service session (gnome-keyring under dbus-run-session). Every test
//! unbinds what it bound, so no keychain entry outlives it.
//!
//! The test plays the user: it reads the authorization URL from the running CLI's first stdout
//! line, opens it with a client that follows no redirects, and delivers the provider's redirect to
//! the CLI's loopback listener.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use codebind_simulator::{demo, Provider, SimHandle, Simulator, TokenKind, World};
use codebind_tests::built_binary;
use serde_json::Value;

fn command(dir: &Path, config: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(built_binary("codebind"));
    c.args(args)
        .env("CODEBIND_DATA_DIR", dir)
        // No oauth-apps.json of the machine's user, no app from the environment.
        .env("XDG_CONFIG_HOME", config)
        .env_remove("CODEBIND_GITLAB_CLIENT_ID")
        .env_remove("CODEBIND_GITLAB_CLIENT_SECRET")
        .env_remove("CODEBIND_LOG_HTTP")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(dir: &Path, config: &Path, args: &[&str]) -> Output {
    command(dir, config, args).output().expect("run codebind")
}

fn ok_json(dir: &Path, config: &Path, args: &[&str]) -> Value {
    let out = run(dir, config, args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// A running `codebind` whose stdout's first line and stderr lines can be read while it runs.
struct Running {
    child: Child,
    first_line: Receiver<String>,
    rest: Receiver<String>,
    stderr: Receiver<String>,
    stderr_done: std::thread::JoinHandle<()>,
}

fn spawn(dir: &Path, config: &Path, args: &[&str]) -> Running {
    let mut child = command(dir, config, args).spawn().expect("run codebind");
    let (first_tx, first_line) = channel();
    let (rest_tx, rest) = channel();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = out.read_line(&mut line);
        let _ = first_tx.send(line.trim_end().to_owned());
        let mut tail = String::new();
        let _ = out.read_to_string(&mut tail);
        let _ = rest_tx.send(tail);
    });
    let (err_tx, stderr) = channel();
    let err = BufReader::new(child.stderr.take().unwrap());
    let stderr_done = std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            let _ = err_tx.send(line);
        }
    });
    Running { child, first_line, rest, stderr, stderr_done }
}

impl Running {
    fn first_line(&self) -> String {
        self.first_line.recv_timeout(Duration::from_secs(30)).expect("the CLI printed a first line")
    }

    /// The next stderr line that contains `needle`.
    fn stderr_line(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let line = self.stderr.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("stderr line");
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// Waits for the exit (killing the CLI after a minute); returns success, the rest of stdout
    /// and the remaining stderr.
    fn finish(mut self) -> (bool, String, String) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the CLI did not finish within a minute");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let rest = self.rest.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
        let _ = self.stderr_done.join();
        let stderr: Vec<String> = self.stderr.try_iter().collect();
        (status.success(), rest, stderr.join("\n"))
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn location(r: &reqwest::Response) -> String {
    assert!(r.status().is_redirection(), "expected a redirect, got HTTP {}", r.status());
    r.headers().get("location").unwrap().to_str().unwrap().to_owned()
}

fn gitlab_oauth_tokens(sim: &SimHandle) -> Vec<String> {
    sim.world()
        .provider(Provider::Gitlab)
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Oauth && t.app.as_deref() == Some(demo::GITLAB_APP_CLIENT_ID))
        .map(|t| t.value.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service session; run by .ci/test"]
async fn oauth_and_device_sign_in_through_the_command_line_then_unbind_revokes() {
    let sim = Simulator::start(World::demo()).await;
    sim.update_world(|w| {
        w.gitlab.settings.oauth_auto_approve = true;
        w.gitlab.settings.oauth_device_interval_secs = Some(1);
    });
    let (dir, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, config) = (dir.path(), config.path());
    let gl = sim.base_url(Provider::Gitlab);

    // --oauth: the URL on stdout, the browser's redirect to the CLI's loopback listener.
    let cli = spawn(dir, config, &["bind", "gitlab", "--oauth", "--no-browser", "--host", &gl, "--client-id", demo::GITLAB_APP_CLIENT_ID, "--json"]);
    let url = cli.first_line();
    assert!(url.starts_with(&format!("{gl}/oauth/authorize?")), "{url}");
    let query: Vec<(String, String)> = url::Url::parse(&url).unwrap().query_pairs().into_owned().collect();
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(q("code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(q("client_id").as_deref(), Some(demo::GITLAB_APP_CLIENT_ID));
    let redirect_uri = q("redirect_uri").unwrap();
    assert!(redirect_uri.starts_with("http://127.0.0.1:") && redirect_uri.ends_with("/callback"), "{redirect_uri}");
    let b = browser();
    let to_cli = location(&b.get(&url).send().await.unwrap());
    assert!(to_cli.starts_with(&format!("{redirect_uri}?code=")), "{to_cli}");
    let r = b.get(&to_cli).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Back to Codebind"));
    let (ok, out, err) = cli.finish();
    assert!(ok, "bind --oauth failed: {err}");
    let bound: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"));
    assert_eq!(bound["provider"], "gitlab");
    assert_eq!(bound["auth_method"], "oauth");
    assert_eq!(bound["login"], "alice");
    assert_eq!(bound["status"], "active");
    let id = bound["id"].as_str().unwrap().to_owned();
    let issued = gitlab_oauth_tokens(&sim);
    assert_eq!(issued.len(), 1);
    assert!(!out.contains(&issued[0]) && !err.contains(&issued[0]), "the token is never printed");

    let status = ok_json(dir, config, &["status", "--json"]);
    assert_eq!(status.as_array().unwrap().len(), 1);
    assert_eq!(status[0]["id"], id.as_str());
    assert_eq!(status[0]["auth_method"], "oauth");

    // --device: the verification URI on stdout, the code on stderr; approve it at the provider.
    let cli = spawn(dir, config, &["bind", "gitlab", "--device", "--no-browser", "--host", &gl, "--client-id", demo::GITLAB_APP_CLIENT_ID, "--json"]);
    assert_eq!(cli.first_line(), format!("{gl}/oauth/device"));
    let line = cli.stderr_line("Enter the code");
    let user_code = line.split_whitespace().nth(3).expect("the user code").to_owned();
    assert!(sim.approve_device(&user_code), "{line}");
    let (ok, out, err) = cli.finish();
    assert!(ok, "bind --device failed: {err}");
    let again: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"));
    assert_eq!(again["id"], id.as_str(), "the same account re-authorizes the same binding");
    assert_eq!(again["auth_method"], "oauth");
    let reauth = ok_json(dir, config, &["history", "--json", "--kind", "re_authorized"]);
    assert_eq!(reauth.as_array().unwrap().len(), 1);
    let issued = gitlab_oauth_tokens(&sim);
    assert_eq!(issued.len(), 2);
    let current = issued[1].clone();

    // unbind --revoke: RFC 7009 at GitLab (the client id from the sign-in is remembered).
    let report = ok_json(dir, config, &["unbind", &id, "--revoke", "--json"]);
    assert_eq!(report["revoke"]["kind"], "revoked", "{report}");
    assert_eq!(report["secret_removed"], true);
    assert!(sim.world().provider(Provider::Gitlab).token(&current).unwrap().revoked);
    assert!(sim.requests_for(Provider::Gitlab).iter().any(|r| r.method == "POST" && r.path == "/oauth/revoke"));
    assert_eq!(ok_json(dir, config, &["status", "--json"]), serde_json::json!([]));
    let kinds: Vec<String> = ok_json(dir, config, &["history", "--json"]).as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect();
    assert_eq!(kinds, ["unbound", "revoked", "re_authorized", "bound"], "newest first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service session; run by .ci/test"]
async fn a_denied_command_line_sign_in_fails_with_oauth_denied_and_stores_nothing() {
    let sim = Simulator::start(World::demo()).await;
    let (dir, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (dir, config) = (dir.path(), config.path());
    let gl = sim.base_url(Provider::Gitlab);

    let cli = spawn(dir, config, &["bind", "gitlab", "--oauth", "--no-browser", "--host", &gl, "--client-id", demo::GITLAB_APP_CLIENT_ID]);
    let url = cli.first_line();
    // The consent page, and the user presses Cancel.
    let b = browser();
    let html = b.get(&url).send().await.unwrap().text().await.unwrap();
    let rid_at = html.find("name=\"request_id\" value=\"").expect("a consent form") + "name=\"request_id\" value=\"".len();
    let rid = &html[rid_at..rid_at + html[rid_at..].find('"').unwrap()];
    let r = b.post(format!("{gl}/oauth/authorize")).form(&[("request_id", rid), ("decision", "deny")]).send().await.unwrap();
    let to_cli = location(&r);
    assert!(to_cli.contains("error=access_denied"), "{to_cli}");
    assert_eq!(b.get(&to_cli).send().await.unwrap().status(), 200);
    let (ok, out, err) = cli.finish();
    assert!(!ok);
    assert!(out.trim().is_empty(), "{out}");
    let last = err.lines().last().unwrap_or_default();
    assert!(last.starts_with("codebind: error [oauth_denied]: "), "{err}");
    assert_eq!(ok_json(dir, config, &["status", "--json"]), serde_json::json!([]));
    assert_eq!(ok_json(dir, config, &["history", "--json"]), serde_json::json!([]));
    assert!(sim.requests_for(Provider::Gitlab).iter().all(|r| r.path != "/oauth/token"), "no token request after a denial");
}

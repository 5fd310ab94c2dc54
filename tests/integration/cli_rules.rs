//! `codebind rules|hooks|trigger` end to end: the CLI binary against the simulator's GitLab, with
//! the real keychain (token and webhook secret live there) and a loopback receiver as the build
//! service. `#[ignore]`d in plain `cargo test`; .ci/test runs it inside a Secret Service session:
//!
//! ```sh
//! dbus-run-session -- sh -c 'echo -n codebind-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
//!   cargo test -p codebind-tests --test cli_rules -- --ignored --test-threads=1'
//! ```
//!
//! It unbinds what it bound, so no keychain entry outlives it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use codebind_core::model::ProviderKind;
use codebind_simulator::{demo, Provider, Simulator, World};
use codebind_tests::built_binary;
use codebind_tests::receiver::{pushed_ref, verify, Receiver};
use serde_json::Value;

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

fn ok_json(dir: &Path, args: &[&str], stdin: Option<&str>) -> Value {
    let out = codebind(dir, args, stdin);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service session; run by .ci/test"]
async fn rules_hooks_and_build_now_through_the_command_line() {
    let sim = Simulator::start(World::demo()).await;
    let rx = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let repo = "acme/platform/backend/api-server";
    let host = sim.base_url(Provider::Gitlab);
    let trigger = rx.url();

    let b = ok_json(dir, &["bind", "gitlab", "--host", &host, "--username", "alice", "--token-stdin", "--json"], Some(&format!("{}\n", demo::GITLAB_PAT)));
    let id = b["id"].as_str().unwrap().to_owned();

    let image = "registry.example.com/app:{branch}-{sha7}";
    let add = ["rules", "add", &id, repo, "--branch", "main", "--dockerfile", "Dockerfile", "--image", image, "--trigger-url", &trigger, "--json"];
    let added = ok_json(dir, &add, None);
    assert_eq!(added["hook_created"], true, "{added}");
    assert_eq!(added["rule"]["repo"], repo);
    assert_eq!(added["hook"]["url"], trigger.as_str());
    assert!(added["hook"].get("secret").is_none() && !added.to_string().contains("secret\":"), "no secret is printed: {added}");
    let rule = added["rule"]["id"].as_str().unwrap().to_owned();
    let hooks = sim.hooks(Provider::Gitlab, repo);
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].url, trigger);
    assert!(hooks[0].has_event("push_events") && hooks[0].has_event("tag_push_events"));
    assert_eq!(added["hook"]["provider_hook_id"], hooks[0].key().as_str());
    let secret = hooks[0].secret.clone().expect("the hook is signed");

    let rules = ok_json(dir, &["rules", "list", "--json"], None);
    assert_eq!(rules.as_array().unwrap().len(), 1);
    assert_eq!(rules[0]["id"], rule.as_str());
    assert_eq!(rules[0]["tag_template"], "{branch}-{sha7}");
    assert_eq!(ok_json(dir, &["rules", "list", &id, "--json"], None), rules);

    let states = ok_json(dir, &["hooks", "list", &id, "--json"], None);
    assert_eq!(states.as_array().unwrap().len(), 1);
    assert_eq!(states[0]["present"], true, "{states}");
    assert_eq!(states[0]["drift"], serde_json::json!([]));
    sim.set_hook_url(Provider::Gitlab, &hooks[0].key(), "https://elsewhere.example.com/x");
    let states = ok_json(dir, &["hooks", "list", &id, "--json"], None);
    assert!(states[0]["drift"][0].as_str().unwrap().contains("elsewhere"), "{states}");
    sim.set_hook_url(Provider::Gitlab, &hooks[0].key(), &trigger);

    let report = ok_json(dir, &["trigger", &rule, "--json"], None);
    assert_eq!(report["delivered"], true, "{report}");
    assert_eq!(report["status"], 200);
    assert_eq!(report["git_ref"], "main");
    let head = sim.head(Provider::Gitlab, repo, "refs/heads/main").expect("main has a head");
    assert_eq!(report["sha"], head.as_str());
    assert_eq!(report["image_tag"], format!("registry.example.com/app:main-{}", &head[..7]));
    let got = rx.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert!(verify(ProviderKind::Gitlab, &secret, &got[0]), "signed with the keychain's secret");
    assert_eq!(pushed_ref(ProviderKind::Gitlab, &got[0]), Some(("refs/heads/main".to_owned(), false)));
    let history = ok_json(dir, &["history", "--json", "--binding", &id], None);
    assert!(history.as_array().unwrap().iter().any(|e| e["kind"] == "build_triggered"), "{history}");

    // Edit (what is not given stays), disable (the webhook goes), enable (it comes back), repair.
    let edited = ok_json(dir, &["rules", "edit", &rule, "--dockerfile", "build/Dockerfile", "--json"], None);
    assert_eq!(edited["rule"]["dockerfile"], "build/Dockerfile", "{edited}");
    assert_eq!(edited["rule"]["tag_template"], "{branch}-{sha7}");
    assert_eq!(edited["rule"]["trigger_url"], trigger.as_str());
    assert_eq!(edited["hook"]["created"], false);
    let off = ok_json(dir, &["rules", "disable", &rule, "--json"], None);
    assert_eq!((&off["rule"]["enabled"], &off["hook"]["removal"]["removed"]), (&Value::Bool(false), &Value::Bool(true)), "{off}");
    assert!(sim.hooks(Provider::Gitlab, repo).is_empty());
    let on = ok_json(dir, &["rules", "enable", &rule, "--json"], None);
    assert_eq!(on["hook"]["created"], true, "{on}");
    let now = sim.hooks(Provider::Gitlab, repo);
    assert_eq!(now.len(), 1);
    assert!(sim.remove_hook(Provider::Gitlab, &now[0].key()));
    let repaired = ok_json(dir, &["hooks", "repair", &id, repo, "--json"], None);
    assert_eq!(repaired["created"], true, "{repaired}");
    assert_eq!(sim.hooks(Provider::Gitlab, repo).len(), 1);
    let kinds: Vec<String> = ok_json(dir, &["history", "--json", "--binding", &id], None).as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect();
    for k in ["rule_changed", "rule_disabled", "rule_enabled"] {
        assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
    }

    let removed = ok_json(dir, &["rules", "remove", &rule, "--json"], None);
    assert_eq!(removed["hook"]["removed"], true, "{removed}");
    assert!(sim.hooks(Provider::Gitlab, repo).is_empty());
    assert_eq!(ok_json(dir, &["rules", "list", "--json"], None), serde_json::json!([]));

    // Unbind removes the hooks that are left.
    ok_json(dir, &add, None);
    assert_eq!(sim.hooks(Provider::Gitlab, repo).len(), 1);
    let report = ok_json(dir, &["unbind", &id, "--json"], None);
    assert_eq!(report["hooks"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["hooks"][0]["removed"], true, "{report}");
    assert!(sim.hooks(Provider::Gitlab, repo).is_empty());
    assert_eq!(ok_json(dir, &["status", "--json"], None), serde_json::json!([]));
}

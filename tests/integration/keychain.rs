//! The real keychain backend against a real Secret Service (gnome-keyring under dbus-run-session).
//! These tests are `#[ignore]`d in plain `cargo test`, because they need that session; the test
//! command runs them with `--ignored` inside one (see .ci/test).

use std::sync::Arc;

use codebind_core::error::ErrorCode;
use codebind_core::model::{AuthMethod, BindingStatus, ProviderKind};
use codebind_core::vault::{KeychainVault, Secret, Vault};
use codebind_core::{Core, VerifiedAccount};

/// A throwaway service name so a run never touches a real installation's entries.
fn vault() -> KeychainVault {
    KeychainVault::with_service(&format!("dev.codebind.test-{}", uuid::Uuid::new_v4()))
}

fn secret_tool_lookup(service: &str, key: &str) -> Option<String> {
    // keyring's Secret Service attributes are `service` and `username`.
    let out = std::process::Command::new("secret-tool")
        .args(["lookup", "service", service, "username", key])
        .output()
        .ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
#[ignore = "needs a Secret Service session; run by .ci/test"]
fn round_trips_short_and_long_tokens_and_deletes_every_part() {
    let service = format!("dev.codebind.test-{}", uuid::Uuid::new_v4());
    let v = KeychainVault::with_service(&service);
    let status = v.status();
    assert!(status.available, "{status:?}");

    v.put("binding/a/access", &Secret::new("ghp_short")).unwrap();
    assert_eq!(v.get("binding/a/access").unwrap().unwrap().expose(), "ghp_short");
    // Visible to other Secret Service clients under our service name: it really is in the keychain.
    assert_eq!(secret_tool_lookup(&service, "binding/a/access").as_deref(), Some("v1:ghp_short"));

    // Longer than Windows Credential Manager's 2560-byte limit: stored in parts.
    let long: String = (0..5000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    v.put("binding/a/access", &Secret::new(long.clone())).unwrap();
    assert_eq!(v.get("binding/a/access").unwrap().unwrap().expose(), long);
    let envelope = secret_tool_lookup(&service, "binding/a/access").unwrap();
    assert!(envelope.starts_with("v1*") && envelope.ends_with("*5"), "{envelope}");

    // Replacing a long value with a short one leaves no stale parts behind.
    let generation = envelope.split('*').nth(1).unwrap().to_owned();
    v.put("binding/a/access", &Secret::new("short-again")).unwrap();
    assert_eq!(v.get("binding/a/access").unwrap().unwrap().expose(), "short-again");
    assert_eq!(secret_tool_lookup(&service, &format!("binding/a/access#{generation}.0")), None);

    v.delete("binding/a/access").unwrap();
    assert_eq!(v.get("binding/a/access").unwrap(), None);
    assert_eq!(secret_tool_lookup(&service, "binding/a/access"), None);
    v.delete("binding/a/access").unwrap();
}

#[test]
#[ignore = "needs a Secret Service session; run by .ci/test"]
fn two_vaults_with_different_binding_ids_never_collide() {
    let v = vault();
    v.put("binding/one/access", &Secret::new("t1")).unwrap();
    v.put("binding/two/access", &Secret::new("t2")).unwrap();
    assert_eq!(v.get("binding/one/access").unwrap().unwrap().expose(), "t1");
    assert_eq!(v.get("binding/two/access").unwrap().unwrap().expose(), "t2");
    v.delete("binding/one/access").unwrap();
    v.delete("binding/two/access").unwrap();
}

#[test]
#[ignore = "needs a Secret Service session; run by .ci/test"]
fn a_bound_token_is_in_the_keychain_and_nowhere_in_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let v = Arc::new(vault());
    let core = Core::open(dir.path(), v.clone()).unwrap();
    let token = "glpat-CodebindKeychainSecret-0123456789";
    let b = core
        .record_binding(
            VerifiedAccount {
                provider: ProviderKind::Gitlab,
                host: "https://gitlab.com".into(),
                account_id: "77".into(),
                login: "carol".into(),
                display_name: None,
                avatar_url: None,
                auth_method: AuthMethod::Token,
                username: None,
                organization: None,
                scopes: Some(vec!["api".into()]),
                expires_at: None,
                status: BindingStatus::Active,
            },
            &Secret::new(token),
        )
        .unwrap();
    assert_eq!(v.get(&b.vault_key).unwrap().unwrap().expose(), token);
    // The main file, the WAL and the shared-memory file.
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        files += 1;
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "token found in a database file");
    }
    assert!(files >= 2, "expected the database and its WAL, found {files} files");
    v.delete(&b.vault_key).unwrap();
}

/// libdbus keeps one session connection per process, so "no Secret Service" is tried in a child
/// process of this test binary whose session bus address points nowhere.
#[test]
#[ignore = "needs a Secret Service session; run by .ci/test"]
fn without_a_secret_service_it_says_so_and_stores_nothing() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "no_bus_child", "--test-threads=1", "--nocapture"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/codebind-no-bus")
        .env("CODEBIND_NO_BUS_CHILD", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("1 passed"), "the child did not run its test: {text}");
}

#[test]
#[ignore = "run only as the child of without_a_secret_service_it_says_so_and_stores_nothing"]
fn no_bus_child() {
    assert_eq!(std::env::var("CODEBIND_NO_BUS_CHILD").as_deref(), Ok("1"), "run through its parent test");
    let v = Arc::new(vault());
    let status = v.status();
    assert!(!status.available);
    assert!(status.problem.unwrap().contains("keychain"));
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path(), v).unwrap();
    let err = core
        .record_binding(
            VerifiedAccount {
                provider: ProviderKind::Github,
                host: "https://github.com".into(),
                account_id: "1".into(),
                login: "octocat".into(),
                display_name: None,
                avatar_url: None,
                auth_method: AuthMethod::Token,
                username: None,
                organization: None,
                scopes: None,
                expires_at: None,
                status: BindingStatus::Active,
            },
            &Secret::new("ghp_never_stored"),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::KeychainUnavailable);
    assert!(err.message.contains("stored nothing"), "{}", err.message);
    assert!(core.list_bindings().unwrap().is_empty());
    assert_eq!(core.store().count_events().unwrap(), 0);
}

//! The `codebind` command line against real data dirs.

use std::process::{Command, Output};

use codebind_tests::built_binary;
use codebind_tests::seed::{seed, SeedPlan};

fn codebind(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(built_binary("codebind"))
        .args(args)
        .env("CODEBIND_DATA_DIR", data_dir)
        .output()
        .expect("run codebind")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn status_json_is_an_empty_array_for_a_new_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = codebind(dir.path(), &["status", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v, serde_json::json!([]));
    // The store was created in the data dir, not elsewhere.
    assert!(dir.path().join("codebind.sqlite3").exists());
}

#[test]
fn status_json_lists_seeded_bindings_with_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let ids = seed(dir.path(), &SeedPlan { bindings: 7, events_per_binding: 1 }).unwrap();
    let out = codebind(dir.path(), &["status", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.len(), 7);
    let mut got: Vec<String> = v.iter().map(|b| b["id"].as_str().unwrap().to_owned()).collect();
    let mut want = ids.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    for b in &v {
        for field in ["id", "provider", "host", "login", "account_id", "auth_method", "status", "created_at", "updated_at"] {
            assert!(b[field].is_string(), "{field} missing in {b}");
        }
        assert!(b["scopes"].as_array().unwrap().iter().all(|s| s.is_string()));
        match &b["expires_at"] {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => {
                chrono::DateTime::parse_from_rfc3339(s).unwrap();
            }
            other => panic!("expires_at is {other}"),
        }
    }
    let providers: std::collections::BTreeSet<&str> = v.iter().map(|b| b["provider"].as_str().unwrap()).collect();
    assert_eq!(providers.len(), 6, "every provider is represented: {providers:?}");
}

#[test]
fn status_table_shows_logins() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), &SeedPlan { bindings: 2, events_per_binding: 0 }).unwrap();
    let out = codebind(dir.path(), &["status"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("ID"), "{text}");
    assert!(text.contains("octocat") && text.contains("alice"), "{text}");
}

#[test]
fn history_json_pages_newest_first_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let ids = seed(dir.path(), &SeedPlan { bindings: 3, events_per_binding: 4 }).unwrap();
    let out = codebind(dir.path(), &["history", "--json", "--limit", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let events: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(events.len(), 5);
    let event_ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(event_ids.windows(2).all(|w| w[0] > w[1]));

    let out = codebind(dir.path(), &["history", "--json", "--binding", &ids[1], "--kind", "bound"]);
    let events: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["binding_id"], ids[1].as_str());
    assert_eq!(events[0]["kind"], "bound");
}

#[test]
fn bad_input_fails_with_one_line_and_a_code() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["history", "--kind", "exploded"],
        vec!["history", "--limit", "0"],
        vec!["frobnicate"],
        vec!["status", "--jsn"],
    ] {
        let out = codebind(dir.path(), &args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("codebind: error [invalid_input]: "), "{args:?}: {err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn an_unusable_data_dir_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let out = codebind(&file, &["status", "--json"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.starts_with("codebind: error [storage]: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);
}

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

/// Splits RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) into records.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted, mut chars) = (vec![], vec![], String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn history_export_writes_every_matching_event_as_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let ids = seed(dir.path(), &SeedPlan { bindings: 3, events_per_binding: 1200 }).unwrap();
    // A detail with everything CSV must quote, and Chinese.
    let store = codebind_core::store::Store::open_in(dir.path()).unwrap();
    let tricky = serde_json::json!({ "message": "a, \"quoted\"\nline — 李伟" });
    store.append_event(codebind_core::store::NewEvent::new(&ids[0], codebind_core::model::EventKind::VerificationFailed, tricky.clone())).unwrap();
    let total = store.count_events().unwrap() as usize;
    drop(store);

    let csv = dir.path().join("out.csv");
    let out = codebind(dir.path(), &["history", "--export", "csv", "--output", csv.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["events"].as_u64(), Some(total as u64), "every event, not one page");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'), "a byte order mark for spreadsheets");
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], ["id", "at", "kind", "binding_id", "provider", "host", "login", "detail"]);
    assert_eq!(rows.len(), total + 1);
    assert!(rows[1..].iter().all(|r| r.len() == 8), "every record has 8 fields");
    let newest = &rows[1];
    assert_eq!((newest[2].as_str(), newest[3].as_str()), ("verification_failed", ids[0].as_str()));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&newest[7]).unwrap(), tricky, "the detail survives quoting");
    let event_ids: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(event_ids.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");

    let json_path = dir.path().join("out.json");
    let out = codebind(dir.path(), &["history", "--export", "json", "--output", json_path.to_str().unwrap(), "--binding", &ids[1], "--kind", "bound"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Exported 1 events"), "{}", stdout(&out));
    let events: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0]["binding_id"].as_str(), events[0]["kind"].as_str()), (Some(ids[1].as_str()), Some("bound")));
    assert!(events[0]["login"].is_string() && events[0]["provider"].is_string());

    // A time range: nothing is after the future, everything is after the past.
    let out = codebind(dir.path(), &["history", "--export", "json", "--output", json_path.to_str().unwrap(), "--from", "2999-01-01T00:00:00Z"]);
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&json_path).unwrap(), "[]\n");
    let out = codebind(dir.path(), &["history", "--export", "csv", "--output", csv.to_str().unwrap(), "--from", "2000-01-01T00:00:00Z", "--to", "2999-01-01T00:00:00Z"]);
    assert!(out.status.success());
    assert_eq!(parse_csv(std::fs::read_to_string(&csv).unwrap().trim_start_matches('\u{feff}')).len(), total + 1);

    // Bad input: a clear error, and no file left behind.
    let missing = dir.path().join("no-such-dir").join("out.csv");
    for args in [
        vec!["history", "--export", "xml", "--output", csv.to_str().unwrap()],
        vec!["history", "--export", "csv", "--output", missing.to_str().unwrap()],
        vec!["history", "--export", "csv", "--output", missing.to_str().unwrap(), "--from", "yesterday"],
    ] {
        let out = codebind(dir.path(), &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains("invalid_input"), "{args:?}: {}", stderr(&out));
    }
    assert!(!missing.exists() && !dir.path().join("no-such-dir").exists());
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".part")), "no temporary file left");
}

#[test]
fn hosts_set_and_list_a_proxy_and_ca_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = codebind(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let host = "https://gitlab.acme.dev";
    let set = json(&["hosts", "set", host, "--proxy", "http://proxy.acme.dev:3128", "--json"]);
    assert_eq!((set["host"].as_str(), set["proxy"].as_str(), set["bindings"].as_u64()), (Some(host), Some("http://proxy.acme.dev:3128"), Some(0)));
    // What is not given stays; --direct and --system-proxy switch the proxy.
    let pem_less = dir.path().join("not-a-ca.pem");
    std::fs::write(&pem_less, "hello").unwrap();
    let out = codebind(dir.path(), &["hosts", "set", host, "--ca-bundle", pem_less.to_str().unwrap()]);
    assert!(!out.status.success() && stderr(&out).contains("invalid_input"), "{}", stderr(&out));
    assert_eq!(json(&["hosts", "list", "--json"])[0]["proxy"], "http://proxy.acme.dev:3128", "a refused change changes nothing");
    assert_eq!(json(&["hosts", "set", host, "--direct", "--json"])["proxy"], "direct");
    let out = codebind(dir.path(), &["hosts", "set", host, "--proxy", "socks5://proxy:1080"]);
    assert!(!out.status.success() && stderr(&out).contains("invalid_url"), "{}", stderr(&out));
    assert_eq!(json(&["hosts", "set", host, "--system-proxy", "--json"])["proxy"], serde_json::Value::Null);
    assert_eq!(json(&["hosts", "list", "--json"]), serde_json::json!([]), "a host with no settings and no bindings is not listed");
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

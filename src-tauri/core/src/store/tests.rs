use super::*;
use crate::error::ErrorCode;
use crate::model::*;
use crate::time::now;

fn binding(id: &str, provider: ProviderKind, account: &str, login: &str) -> Binding {
    let t = now();
    Binding {
        id: id.into(),
        provider,
        host: "https://github.com".into(),
        account_id: account.into(),
        login: login.into(),
        display_name: Some(format!("{login} display")),
        avatar_url: None,
        auth_method: AuthMethod::Token,
        username: None,
        organization: None,
        scopes: vec!["repo".into(), "admin:repo_hook".into()],
        scopes_reported: true,
        expires_at: Some("2027-01-01T00:00:00.000Z".into()),
        status: BindingStatus::Active,
        disabled: false,
        created_at: t.clone(),
        updated_at: t,
        last_verified_at: None,
        vault_key: crate::vault::access_token_key(id),
    }
}

fn bound(id: &str) -> NewEvent {
    NewEvent::new(id, EventKind::Bound, serde_json::json!({"provider": "github"}))
}

#[test]
fn bindings_round_trip() {
    let s = Store::open_in_memory().unwrap();
    let b = binding("b1", ProviderKind::Github, "42", "octocat");
    s.insert_binding(&b, bound("b1")).unwrap();
    assert_eq!(s.get_binding("b1").unwrap().unwrap(), b);
    assert_eq!(s.find_binding(ProviderKind::Github, "https://github.com", "42").unwrap().unwrap(), b);
    assert_eq!(s.list_bindings().unwrap(), vec![b]);
}

#[test]
fn several_accounts_of_one_provider_coexist_but_not_twice() {
    let s = Store::open_in_memory().unwrap();
    s.insert_binding(&binding("b1", ProviderKind::Github, "1", "alice"), bound("b1")).unwrap();
    s.insert_binding(&binding("b2", ProviderKind::Github, "2", "bob"), bound("b2")).unwrap();
    let dup = s.insert_binding(&binding("b3", ProviderKind::Github, "1", "alice"), bound("b3")).unwrap_err();
    assert_eq!(dup.code, ErrorCode::Conflict);
    assert_eq!(s.list_bindings().unwrap().len(), 2);
    // The failed insert's event was rolled back with it.
    assert_eq!(s.count_events().unwrap(), 2);
}

#[test]
fn update_changes_the_row_and_logs() {
    let s = Store::open_in_memory().unwrap();
    let mut b = binding("b1", ProviderKind::Gitlab, "7", "carol");
    s.insert_binding(&b, bound("b1")).unwrap();
    b.disabled = true;
    b.status = BindingStatus::Expired;
    s.update_binding(&b, Some(NewEvent::new("b1", EventKind::Disabled, serde_json::json!({})))).unwrap();
    let got = s.get_binding("b1").unwrap().unwrap();
    assert!(got.disabled);
    assert_eq!(got.status, BindingStatus::Expired);
    let missing = binding("nope", ProviderKind::Gitlab, "8", "x");
    assert_eq!(s.update_binding(&missing, None).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn history_survives_unbinding_and_pages_newest_first() {
    let s = Store::open_in_memory().unwrap();
    s.insert_binding(&binding("b1", ProviderKind::Github, "1", "a"), bound("b1")).unwrap();
    s.append_events((0..250).map(|i| {
        NewEvent::new("b1", EventKind::Verified, serde_json::json!({"n": i}))
    }))
    .unwrap();
    s.delete_binding("b1", NewEvent::new("b1", EventKind::Unbound, serde_json::json!({}))).unwrap();
    assert!(s.get_binding("b1").unwrap().is_none());

    let first = s.history(&HistoryQuery { limit: Some(100), ..Default::default() }).unwrap();
    assert_eq!(first.events.len(), 100);
    assert_eq!(first.events[0].kind, EventKind::Unbound);
    assert!(first.events.windows(2).all(|w| w[0].id > w[1].id));
    let mut seen = first.events.len();
    let mut cursor = first.next_before;
    while let Some(before) = cursor {
        let page = s.history(&HistoryQuery { before: Some(before), limit: Some(100), ..Default::default() }).unwrap();
        seen += page.events.len();
        cursor = page.next_before;
    }
    assert_eq!(seen, 252);

    let bound_only = s
        .history(&HistoryQuery { kind: Some(EventKind::Bound), binding_id: Some("b1".into()), ..Default::default() })
        .unwrap();
    assert_eq!(bound_only.events.len(), 1);
    assert_eq!(bound_only.next_before, None);
}

#[test]
fn history_is_append_only() {
    let s = Store::open_in_memory().unwrap();
    s.append_event(bound("b1")).unwrap();
    let conn = s.conn();
    assert!(conn.execute("UPDATE events SET kind = 'revoked'", []).is_err());
    assert!(conn.execute("DELETE FROM events", []).is_err());
}

#[test]
fn history_rejects_silly_limits() {
    let s = Store::open_in_memory().unwrap();
    for limit in [0, 1001] {
        let e = s.history(&HistoryQuery { limit: Some(limit), ..Default::default() }).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
    }
}

#[test]
fn file_store_uses_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open_in(dir.path()).unwrap();
    let conn = s.conn();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 1);
    drop(conn);
    // Reopening an up-to-date store migrates nothing and keeps the data.
    s.insert_binding(&binding("b1", ProviderKind::Gitea, "9", "dora"), bound("b1")).unwrap();
    drop(s);
    let again = Store::open_in(dir.path()).unwrap();
    assert_eq!(again.list_bindings().unwrap().len(), 1);
}

#[test]
fn a_row_written_by_a_newer_app_is_an_error_not_a_panic() {
    let s = Store::open_in_memory().unwrap();
    s.insert_binding(&binding("b1", ProviderKind::Github, "1", "a"), bound("b1")).unwrap();
    s.conn().execute("UPDATE bindings SET status = 'quantum'", []).unwrap();
    assert_eq!(s.list_bindings().unwrap_err().code, ErrorCode::Storage);
}

use super::*;
use crate::error::ErrorCode;

#[test]
fn secret_never_shows_itself() {
    let s = Secret::new("ghp_supersecret");
    assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
    assert_eq!(format!("{s}"), "<redacted>");
    assert!(!format!("{:?}", Some(&s)).contains("supersecret"));
    assert_eq!(s.expose(), "ghp_supersecret");
}

#[test]
fn memory_vault_round_trips_and_deletes() {
    let v = MemoryVault::new();
    let key = access_token_key("b1");
    assert_eq!(v.get(&key).unwrap(), None);
    v.put(&key, &Secret::new("t1")).unwrap();
    v.put(&key, &Secret::new("t2")).unwrap();
    assert_eq!(v.get(&key).unwrap().unwrap().expose(), "t2");
    v.delete(&key).unwrap();
    v.delete(&key).unwrap();
    assert_eq!(v.get(&key).unwrap(), None);
    assert!(v.status().available);
}

#[test]
fn unavailable_vault_refuses_and_stores_nothing() {
    let v = MemoryVault::unavailable("no Secret Service on the session bus");
    let err = v.put("k", &Secret::new("t")).unwrap_err();
    assert_eq!(err.code, ErrorCode::KeychainUnavailable);
    assert!(v.is_empty());
    let st = v.status();
    assert!(!st.available);
    assert_eq!(st.problem.as_deref(), Some("no Secret Service on the session bus"));
}

#[test]
fn keys_embed_the_binding_id() {
    assert_eq!(access_token_key("1234"), "binding/1234/access");
}

//! Adversarial OAuth callbacks: at least 200 malformed or hostile `codebind://` URLs, each rejected
//! with nothing stored (no binding, no history event, no keychain entry).

use std::sync::Arc;
use std::time::Duration;

use codebind_core::auth::callback::{parse_bytes, Expect};
use codebind_core::model::{HistoryQuery, ProviderKind};
use codebind_core::vault::MemoryVault;
use codebind_core::Core;

fn hostile_urls(valid_state: &str, used_state: &str, expired_state: &str) -> Vec<Vec<u8>> {
    let mut v: Vec<String> = Vec::new();
    let base = "codebind://oauth/callback";
    // Wrong, replayed, expired or made-up states with an otherwise perfect shape.
    for s in [used_state, expired_state, "", "x", "AAAA", &"s".repeat(2000), &valid_state.to_uppercase(), &format!("{valid_state}x"), &valid_state[1..]] {
        v.push(format!("{base}?code=c0de&state={s}"));
    }
    // Missing or doubled parameters.
    for q in [
        "", "?", "?code=c", "?state=s", "?code=&state=s", "?code=c&state=", "?code=c&code=d&state=s", "?code=c&state=s&state=t",
        "?code=c&state=s&code=c", "?error=access_denied", "?error=access_denied&code=c&state=s", "?code=c;state=s", "?code=c&&state=",
        "?CODE=c&STATE=s", "?code[]=c&state=s", "?code=c&state=s&redirect_uri=https://evil.example", "?code=c&state=s&access_token=t",
    ] {
        v.push(format!("{base}{q}"));
    }
    // Wrong schemes, hosts, paths, ports, userinfo, fragments.
    for u in [
        "javascript:alert(1)", "javascript://oauth/callback?code=c&state=s", "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd", "http://oauth/callback?code=c&state=s", "https://oauth/callback?code=c&state=s",
        "codebind:oauth/callback?code=c&state=s", "codebind:/oauth/callback?code=c&state=s", "codebind:///oauth/callback?code=c&state=s",
        "codebind://OAUTH/callback?code=c&state=s", "codebind://oauth/Callback?code=c&state=s", "codebind://oauth/callback/?code=c&state=s",
        "codebind://oauth/callback/../callback?code=c&state=s", "codebind://oauth/callback%2F?code=c&state=s", "codebind://oauth//callback?code=c&state=s",
        "codebind://oauth:1/callback?code=c&state=s", "codebind://user@oauth/callback?code=c&state=s", "codebind://u:p@oauth/callback?code=c&state=s",
        "codebind://oauth/callback?code=c&state=s#x", "codebind://evil.example/callback?code=c&state=s", "codebind://oauth.evil/callback?code=c&state=s",
        "codebind://127.0.0.1/callback?code=c&state=s", "codebind://oauth/other?code=c&state=s", "codebind://oauth?code=c&state=s",
        "codebind://?code=c&state=s", "codebind://", "codebind:", "", " ", "codebind://oauth/callback ?code=c&state=s",
        "CODEBIND://oauth/callback?code=c&state=s\n", "\tcodebind://oauth/callback?code=c&state=s", "codebind://oauth/callback?code=c&state=s\r\n",
    ] {
        v.push(u.to_owned());
    }
    // Bad characters in values: control, non-ASCII, quotes and markup, encoded newlines.
    for val in ["%00", "%0a", "%0d%0a", "%7f", "%C3%A9", "%E2%80%AE", "%F0%9F%92%A9", "<script>", "%3Cscript%3E", "\"", "'", "%22%3E", "a%20b", "a+b%09"] {
        v.push(format!("{base}?code={val}&state=s"));
        v.push(format!("{base}?code=c&state={val}"));
    }
    // Oversized: parameters and a 1 MB URL.
    v.push(format!("{base}?code={}&state=s", "a".repeat(5000)));
    v.push(format!("{base}?code=c&state=s&{}", "x=1&".repeat(1000)));
    v.push(format!("{base}?code={}&state=s", "A".repeat(1024 * 1024)));
    // Extra unknown parameters of many shapes.
    for i in 0..60 {
        v.push(format!("{base}?code=c{i}&state={used_state}&p{i}=v"));
    }
    // Valid shape, unknown state: many random-looking ones.
    for i in 0..60 {
        v.push(format!("{base}?code=code{i}&state=state-{i:08x}"));
    }
    let mut bytes: Vec<Vec<u8>> = v.into_iter().map(String::into_bytes).collect();
    // Invalid UTF-8.
    bytes.push(b"codebind://oauth/callback?code=\xff\xfe&state=s".to_vec());
    bytes.push(b"codebind://oauth/callback?code=c&state=\xc3\x28".to_vec());
    bytes.push(b"\xf0\x28\x8c\x28codebind://oauth/callback".to_vec());
    bytes
}

#[tokio::test]
async fn hostile_callbacks_are_rejected_and_store_nothing() {
    std::env::set_var("CODEBIND_GITLAB_CLIENT_ID", "test-client-id");
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::new());
    let core = Core::open(dir.path(), vault.clone()).unwrap().with_attempt_lifetime(Duration::from_millis(200));

    // An attempt that will expire, one that is used once, and one that stays pending.
    let expired = core.start_oauth(ProviderKind::Gitlab, Some("https://gitlab.example.com"), None, None).unwrap();
    let expired_state = param(&expired.authorize_url, "state");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let used = core.start_oauth(ProviderKind::Gitlab, Some("https://gitlab.example.com"), None, None).unwrap();
    let used_state = param(&used.authorize_url, "state");
    let denied = format!("codebind://oauth/callback?error=access_denied&state={used_state}");
    let err = core.finish_oauth(parse_bytes(denied.as_bytes(), Expect::DeepLink).unwrap()).await.unwrap_err();
    assert_eq!(err.code.as_str(), "oauth_denied", "access_denied becomes a clear message: {}", err.message);
    let valid = core.start_oauth(ProviderKind::Gitlab, Some("https://gitlab.example.com"), None, None).unwrap();
    let valid_state = param(&valid.authorize_url, "state");

    let urls = hostile_urls(&valid_state, &used_state, &expired_state);
    assert!(urls.len() >= 200, "only {} hostile URLs", urls.len());
    let mut rejected_by_parser = 0;
    for raw in &urls {
        match parse_bytes(raw, Expect::DeepLink) {
            Err(e) => {
                rejected_by_parser += 1;
                assert_eq!(e.code.as_str(), "invalid_input");
            }
            Ok(cb) => {
                let e = core.finish_oauth(cb).await.expect_err("a hostile callback was accepted");
                assert!(
                    ["oauth_state_mismatch", "oauth_expired", "oauth_denied"].contains(&e.code.as_str()),
                    "{}: {}",
                    String::from_utf8_lossy(&raw[..raw.len().min(80)]),
                    e.message
                );
            }
        }
    }
    // Both defences are exercised: the strict parser, and the single-use, expiring state.
    assert!(rejected_by_parser >= 100 && urls.len() - rejected_by_parser >= 60, "{rejected_by_parser} of {}", urls.len());
    assert!(core.list_bindings().unwrap().is_empty());
    assert!(core.history(&HistoryQuery::default()).unwrap().events.is_empty());
    assert!(vault.is_empty());
}

fn param(url: &str, name: &str) -> String {
    url::Url::parse(url).unwrap().query_pairs().find(|(k, _)| k == name).unwrap().1.into_owned()
}

//! OAuth endpoints of the simulator, driven like a browser plus an app would: reqwest with
//! redirects NOT followed, the consent form submitted by hand, tokens used on the API.

#[path = "../providers/common.rs"]
#[allow(dead_code)]
mod common;

mod bitbucket;
mod gitea;
mod gitee;
mod github;
mod gitlab;

use codebind_simulator::{Provider, SimHandle, Simulator, World};
use common::Resp;
use reqwest::redirect::Policy;
use std::collections::HashMap;
use std::time::Duration;

/// A client that never follows redirects (so `Location` can be inspected).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(20))
        .user_agent("codebind-simulator-tests")
        .build()
        .expect("client")
}

pub async fn send(rb: reqwest::RequestBuilder) -> Resp {
    common::send(rb, &[]).await
}

pub async fn get(url: &str) -> Resp {
    send(client().get(url)).await
}

/// `POST` an `application/x-www-form-urlencoded` body, with extra headers.
pub async fn post_form(url: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Resp {
    let mut rb = client().post(url).form(fields);
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    send(rb).await
}

/// Starts the demo world after applying `f`.
pub async fn start(f: impl FnOnce(&mut World)) -> SimHandle {
    let mut w = World::demo();
    f(&mut w);
    Simulator::start(w).await
}

/// A PKCE pair (verifier, S256 challenge).
pub fn pkce() -> (String, String) {
    let v = format!("verifier-{}-{}", uuid_like(), uuid_like());
    let c = codebind_simulator::oauth::s256(&v);
    (v, c)
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{t:x}{n:04x}abcdefghijklmnop")
}

/// `url?k=v&…` with proper encoding.
pub fn url(base: &str, path: &str, q: &[(&str, &str)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in q {
        ser.append_pair(k, v);
    }
    format!("{base}{path}?{}", ser.finish())
}

pub fn location(r: &Resp) -> String {
    r.h("location")
        .unwrap_or_else(|| panic!("no Location (status {}): {}", r.status, r.text))
}

/// The query parameters of a URL.
pub fn query(u: &str) -> HashMap<String, String> {
    let q = u.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Finds `name="X" value="Y"` or the form `action` in the HTML.
pub fn html_attr(html: &str, needle: &str) -> String {
    let start = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in page: {html}"))
        + needle.len();
    html[start..].split('"').next().unwrap_or("").to_string()
}

/// Loads the consent page, checks its buttons, submits `decision`; returns the redirect.
pub async fn consent(base: &str, authorize_url: &str, decision: &str) -> Resp {
    let page = get(authorize_url).await;
    assert_eq!(page.status, 200, "consent page: {}", page.text);
    assert!(page
        .h("content-type")
        .is_some_and(|c| c.starts_with("text/html")));
    assert!(page.text.contains("id=\"authorize\""), "{}", page.text);
    assert!(page.text.contains("id=\"deny\""), "{}", page.text);
    let action = html_attr(&page.text, "action=\"");
    let rid = html_attr(&page.text, "name=\"request_id\" value=\"");
    post_form(
        &format!("{base}{action}"),
        &[("request_id", &rid), ("decision", decision)],
        &[],
    )
    .await
}

/// Authorize + approve; returns the `code` (asserting the redirect target and `state`).
pub async fn approve_code(base: &str, authorize_url: &str, redirect: &str, state: &str) -> String {
    let r = consent(base, authorize_url, "approve").await;
    assert!(matches!(r.status, 302 | 303), "{} {}", r.status, r.text);
    let loc = location(&r);
    assert!(loc.starts_with(redirect), "{loc} does not go to {redirect}");
    let q = query(&loc);
    assert_eq!(q.get("state").map(String::as_str), Some(state));
    q.get("code").cloned().expect("code in redirect")
}

pub fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

pub fn basic(u: &str, p: &str) -> String {
    common::basic(u, p)
}

pub fn provider_base(sim: &SimHandle, p: Provider) -> String {
    sim.base_url(p)
}

//! Small helpers shared by the test modules.

use codebind_simulator::{SimHandle, Simulator, World};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

pub async fn start_demo() -> SimHandle {
    Simulator::start(World::demo()).await
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .user_agent("codebind-simulator-tests")
        .build()
        .expect("client")
}

/// A finished response: status, headers, raw body.
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn h(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// The URL of a `rel` in the `Link` header.
    pub fn link(&self, rel: &str) -> Option<String> {
        let link = self.h("link")?;
        link.split(',').find_map(|part| {
            let (url, params) = part.split_once(';')?;
            params.contains(&format!("rel=\"{rel}\"")).then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
        })
    }
}

/// GET with extra headers.
pub async fn get(url: &str, headers: &[(&str, &str)]) -> Resp {
    send(client().get(url), headers).await
}

pub async fn send(mut rb: reqwest::RequestBuilder, headers: &[(&str, &str)]) -> Resp {
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let r = rb.send().await.expect("request");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.expect("body");
    Resp {
        status,
        headers,
        text,
    }
}

pub fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

pub fn basic(user: &str, pass: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// The names (`name` field) of a JSON array.
pub fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("name").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

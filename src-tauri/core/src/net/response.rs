//! A read HTTP response and the header conventions providers share.

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use crate::error::{Error, ErrorCode, Result};

/// At most this much of a body is read (a 10,000-repo page is far below it).
const MAX_BODY: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// Where the response came from (after redirects); never carries a query secret in messages.
    pub url: Url,
}

impl ApiResponse {
    pub(super) async fn read(resp: reqwest::Response, url: &Url) -> Result<ApiResponse> {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let host = url.host_str().unwrap_or("the host").to_owned();
        let body = resp
            .bytes()
            .await
            .map_err(|e| Error::new(ErrorCode::Network, format!("{host}: the answer was cut off ({})", if e.is_timeout() { "timed out" } else { "connection lost" })))?;
        if body.len() > MAX_BODY {
            return Err(Error::new(ErrorCode::ProviderError, format!("{host}: the answer is too large")));
        }
        Ok(ApiResponse { status, headers, body: body.to_vec(), url: url.clone() })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn header_u64(&self, name: &str) -> Option<u64> {
        self.header(name).and_then(|v| v.trim().parse().ok())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether the body is JSON by content type, the way every provider API answers (and a captive
    /// portal's HTML page does not).
    pub fn is_json(&self) -> bool {
        self.header("content-type").is_some_and(|c| c.to_ascii_lowercase().contains("json"))
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let host = self.url.host_str().unwrap_or("the host");
            let what = if self.is_json() { format!("malformed JSON ({e})") } else { "a page that is not JSON (a login page or a proxy?)".to_owned() };
            Error::new(ErrorCode::ProviderError, format!("{host} answered {} with {what}", self.status))
        })
    }

    /// The JSON body as a loose value, when it is one.
    pub fn json_value(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// `Retry-After` in seconds (the HTTP-date form is rare on APIs and is treated as absent).
    pub fn retry_after(&self) -> Option<Duration> {
        self.header_u64("retry-after").map(Duration::from_secs)
    }

    /// The `rel="<rel>"` target of a `Link` header.
    pub fn link(&self, rel: &str) -> Option<String> {
        parse_link_header(self.header("link")?).into_iter().find(|(_, r)| r == rel).map(|(u, _)| u)
    }
}

/// Parses `<url>; rel="next", <url>; rel="last"` into (url, rel) pairs.
pub fn parse_link_header(value: &str) -> Vec<(String, String)> {
    value
        .split(',')
        .filter_map(|part| {
            let part = part.trim();
            let (url_part, params) = part.split_once(';')?;
            let url = url_part.trim().strip_prefix('<')?.strip_suffix('>')?.to_owned();
            let rel = params.split(';').find_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                (k.trim() == "rel").then(|| v.trim().trim_matches('"').to_owned())
            })?;
            Some((url, rel))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_link_header;

    #[test]
    fn parses_link_headers() {
        let v = parse_link_header(
            r#"<https://api.github.com/user/repos?page=2&per_page=100>; rel="next", <https://api.github.com/user/repos?page=100&per_page=100>; rel="last""#,
        );
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].1, "last");
        assert!(v[1].0.ends_with("page=100&per_page=100"));
        assert!(parse_link_header("garbage").is_empty());
    }
}

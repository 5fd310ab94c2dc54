//! The simulator's own request/response types: a parsed view of an incoming request
//! that provider handlers read, and a plain response they build. Nothing here panics on
//! bad input: undecodable bytes are kept lossily, invalid header values are dropped.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde_json::Value;

/// One incoming request, already split into the pieces handlers need.
#[derive(Debug, Clone)]
pub struct SimRequest {
    pub method: Method,
    /// The raw path as sent (percent-encoding kept), e.g. `/api/v4/projects/a%2Fb`.
    pub path: String,
    /// The API prefix that matched (`/api/v4`, ...), or `""` (GitHub.com style root).
    pub prefix: String,
    /// The path after the prefix, split on `/` and percent-decoded per segment.
    pub segs: Vec<String>,
    /// The raw query string, if any.
    pub raw_query: Option<String>,
    /// Query pairs in order, decoded.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// `http://host:port` as the client addressed us (from `Host`), used for links.
    pub origin: String,
}

impl SimRequest {
    /// Builds the request view. `prefixes` are tried in order; the first that matches a
    /// whole leading path component is stripped.
    pub fn new(
        method: Method,
        path: &str,
        raw_query: Option<&str>,
        headers: HeaderMap,
        body: Vec<u8>,
        fallback_origin: &str,
        prefixes: &[&str],
    ) -> SimRequest {
        let mut prefix = String::new();
        let mut rest = path;
        for p in prefixes {
            if p.is_empty() {
                continue;
            }
            if path == *p {
                prefix = (*p).to_string();
                rest = "";
                break;
            }
            if let Some(r) = path.strip_prefix(p) {
                if r.starts_with('/') {
                    prefix = (*p).to_string();
                    rest = r;
                    break;
                }
            }
        }
        let segs = rest
            .split('/')
            .filter(|s| !s.is_empty())
            .map(percent_decode)
            .collect();
        let query = raw_query
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let origin = headers
            .get("host")
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
            .map(|h| format!("http://{h}"))
            .unwrap_or_else(|| fallback_origin.to_string());
        SimRequest {
            method,
            path: path.to_string(),
            prefix,
            segs,
            raw_query: raw_query.map(str::to_string),
            query,
            headers,
            body,
            origin,
        }
    }

    /// First value of a query parameter.
    pub fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A query parameter parsed as a boolean the way Rails/Grape/Go do (`true`/`1`).
    pub fn q_bool(&self, key: &str) -> Option<bool> {
        self.q(key)
            .map(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on"))
    }

    /// A header value as text (None when absent or not visible ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The host name without scheme or port, for `git@host:path.git` URLs.
    pub fn ssh_host(&self) -> String {
        let h = self
            .origin
            .trim_start_matches("http://")
            .trim_start_matches("https://");
        if let Some(rest) = h.strip_prefix('[') {
            return match rest.split_once(']') {
                Some((ip, _)) => format!("[{ip}]"),
                None => h.to_string(),
            };
        }
        match h.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                host.to_string()
            }
            _ => h.to_string(),
        }
    }

    /// The API base the client used: origin plus matched prefix.
    pub fn api_base(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    /// The path segments as `&str`, for `match` patterns.
    pub fn seg_strs(&self) -> Vec<&str> {
        self.segs.iter().map(String::as_str).collect()
    }

    /// Form fields of an `application/x-www-form-urlencoded` body.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Rebuilds this request's URL (origin + raw path) with `key` set to `value`
    /// (replacing it in place or appending it), other parameters kept in order.
    pub fn url_with(&self, key: &str, value: &str) -> String {
        self.url_with_all(&[(key, value)], &[])
    }

    /// Like [`url_with`](Self::url_with) for several keys; `remove` drops keys.
    pub fn url_with_all(&self, set: &[(&str, &str)], remove: &[&str]) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut done = vec![false; set.len()];
        for (k, v) in &self.query {
            if remove.contains(&k.as_str()) {
                continue;
            }
            if let Some(i) = set.iter().position(|(sk, _)| sk == k) {
                if !done[i] {
                    pairs.push((k.clone(), set[i].1.to_string()));
                    done[i] = true;
                }
                continue;
            }
            pairs.push((k.clone(), v.clone()));
        }
        for (i, (k, v)) in set.iter().enumerate() {
            if !done[i] {
                pairs.push((k.to_string(), v.to_string()));
            }
        }
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            ser.append_pair(k, v);
        }
        let q = ser.finish();
        if q.is_empty() {
            format!("{}{}", self.origin, self.path)
        } else {
            format!("{}{}?{}", self.origin, self.path, q)
        }
    }
}

/// Percent-decodes one path segment (`+` stays `+`); invalid escapes are kept as-is.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A response a handler returns; converted to an axum response at the edge.
#[derive(Debug, Clone)]
pub struct SimResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub const JSON_UTF8: &str = "application/json; charset=utf-8";

impl SimResponse {
    pub fn new(status: u16) -> SimResponse {
        SimResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A JSON body with `application/json; charset=utf-8`.
    pub fn json(status: u16, body: &Value) -> SimResponse {
        SimResponse::new(status)
            .header("content-type", JSON_UTF8)
            .body(serde_json::to_vec(body).unwrap_or_default())
    }

    pub fn text(status: u16, content_type: &str, body: &str) -> SimResponse {
        SimResponse::new(status)
            .header("content-type", content_type)
            .body(body.as_bytes().to_vec())
    }

    /// Adds a header (kept even if a header of that name exists).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> SimResponse {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets a header, replacing any existing one of that name.
    pub fn set_header(mut self, name: &str, value: impl Into<String>) -> SimResponse {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(k, _)| *k != name);
        self.headers.push((name, value.into()));
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> SimResponse {
        self.body = body;
        self
    }

    pub fn get_header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn into_axum(self) -> Response {
        let mut resp = Response::new(Body::from(self.body));
        *resp.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = resp.headers_mut();
        for (k, v) in self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(&v),
            ) {
                headers.append(name, value);
            }
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_segments_and_strips_prefix() {
        let r = SimRequest::new(
            Method::GET,
            "/api/v4/projects/a%2Fb%2Fc",
            Some("per_page=2&page=3"),
            HeaderMap::new(),
            Vec::new(),
            "http://127.0.0.1:1",
            &["/api/v4"],
        );
        assert_eq!(r.prefix, "/api/v4");
        assert_eq!(r.segs, vec!["projects", "a/b/c"]);
        assert_eq!(r.q("page"), Some("3"));
        assert_eq!(
            r.url_with("page", "4"),
            "http://127.0.0.1:1/api/v4/projects/a%2Fb%2Fc?per_page=2&page=4"
        );
    }

    #[test]
    fn prefix_must_end_at_a_component() {
        let r = SimRequest::new(
            Method::GET,
            "/api/v30/x",
            None,
            HeaderMap::new(),
            Vec::new(),
            "http://h",
            &["/api/v3"],
        );
        assert_eq!(r.prefix, "");
        assert_eq!(r.segs, vec!["api", "v30", "x"]);
    }

    #[test]
    fn bad_percent_escapes_survive() {
        assert_eq!(percent_decode("a%zz%2"), "a%zz%2");
        assert_eq!(percent_decode("%E4%BD%A0"), "你");
    }
}

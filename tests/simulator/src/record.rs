//! The request log: every request the simulator receives, with secrets redacted.

use crate::http::SimRequest;
use crate::provider::Provider;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One request as received. Secret-bearing values are cut to their first 4 characters
/// plus `…` (see [`redact`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedRequest {
    pub provider: Provider,
    pub method: String,
    /// The full path as sent, including the API prefix.
    pub path: String,
    /// The query string with `access_token`, `private_token` and `token` values redacted.
    pub query: Option<String>,
    /// Header names in lowercase; `authorization`, `private-token`, `x-yunxiao-token`,
    /// `cookie` values redacted.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy UTF-8), token form fields redacted.
    pub body: String,
    pub received_at: DateTime<Utc>,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// First value of a query parameter (already redacted where secret).
    pub fn query_param(&self, key: &str) -> Option<String> {
        let q = self.query.as_deref()?;
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }
}

const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "private-token",
    "x-yunxiao-token",
    "cookie",
];
/// Also webhook secrets: GitHub/Gitea `config.secret`, Bitbucket `secret`, Gitee `password`.
const SECRET_PARAMS: [&str; 6] = [
    "access_token",
    "private_token",
    "token",
    "client_secret",
    "secret",
    "password",
];

/// Keeps the first 4 characters and appends `…`. For `Scheme credential` values
/// (`Bearer x`, `token x`, `Basic x`) the scheme is kept and the credential cut.
pub fn redact(value: &str) -> String {
    if let Some((scheme, rest)) = value.split_once(' ') {
        let s = scheme.to_ascii_lowercase();
        if matches!(s.as_str(), "bearer" | "token" | "basic") {
            return format!("{scheme} {}", cut(rest.trim()));
        }
    }
    cut(value)
}

fn cut(s: &str) -> String {
    let head: String = s.chars().take(4).collect();
    format!("{head}…")
}

fn redact_pairs(text: &str) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(text.as_bytes()) {
        if SECRET_PARAMS.contains(&k.as_ref()) {
            ser.append_pair(&k, &cut(&v));
        } else {
            ser.append_pair(&k, &v);
        }
    }
    ser.finish()
}

pub fn record(provider: Provider, req: &SimRequest) -> RecordedRequest {
    let headers = req
        .headers
        .iter()
        .map(|(k, v)| {
            let name = k.as_str().to_ascii_lowercase();
            let text = String::from_utf8_lossy(v.as_bytes()).into_owned();
            let value = if SECRET_HEADERS.contains(&name.as_str()) {
                redact(&text)
            } else {
                text
            };
            (name, value)
        })
        .collect();
    let query = req.raw_query.as_deref().map(|q| {
        if SECRET_PARAMS.iter().any(|p| q.contains(p)) {
            redact_pairs(q)
        } else {
            q.to_string()
        }
    });
    let body_text = String::from_utf8_lossy(&req.body).into_owned();
    let is_form = req
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let body = if is_form && SECRET_PARAMS.iter().any(|p| body_text.contains(p)) {
        redact_pairs(&body_text)
    } else if !is_form
        && (body_text.contains("credentials")
            || SECRET_PARAMS.iter().any(|p| body_text.contains(p)))
    {
        redact_json(&body_text)
    } else {
        body_text
    };
    RecordedRequest {
        provider,
        method: req.method.as_str().to_string(),
        path: req.path.clone(),
        query,
        headers,
        body,
        received_at: Utc::now(),
    }
}

/// Redacts secret string fields (and `credentials` arrays) in a JSON body.
fn redact_json(text: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.to_string();
    };
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, val) in map.iter_mut() {
                    let secret = SECRET_PARAMS.contains(&k.as_str()) || k == "credentials";
                    match val {
                        serde_json::Value::String(s) if secret => *s = cut(s),
                        serde_json::Value::Array(items) if secret => {
                            for it in items.iter_mut() {
                                if let serde_json::Value::String(s) = it {
                                    *s = cut(s);
                                }
                            }
                        }
                        other => walk(other),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    serde_json::to_string(&v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_scheme_and_four_chars() {
        assert_eq!(redact("Bearer ghp_abcdef"), "Bearer ghp_…");
        assert_eq!(redact("glpat-123456"), "glpa…");
        assert_eq!(redact("Basic dXNlcjpwYXNz"), "Basic dXNl…");
        assert_eq!(redact("ab"), "ab…");
    }

    #[test]
    fn query_and_json_secrets_are_cut() {
        assert_eq!(
            redact_pairs("access_token=abcdef&page=2"),
            "access_token=abcd%E2%80%A6&page=2"
        );
        let j = redact_json(r#"{"credentials":["ghp_123456"],"x":1}"#);
        assert!(j.contains("ghp_…") && !j.contains("123456"));
    }
}

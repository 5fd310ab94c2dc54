//! Turning a provider's non-success answer into the one error type, with the evidence each
//! provider documents. A 401 means "the token is bad" only when the answer demonstrably came from
//! the provider (its JSON error shape, or Bitbucket's Basic challenge), never from a proxy's page.

use chrono::{TimeZone, Utc};

use crate::error::{Error, ErrorCode, Result};
use crate::model::ProviderKind;
use crate::net::ApiResponse;

/// Ok for 2xx; otherwise the classified error.
pub fn check(kind: ProviderKind, r: &ApiResponse) -> Result<()> {
    if r.is_success() {
        Ok(())
    } else {
        Err(classify(kind, r))
    }
}

/// Ok for 2xx, and decodes the body.
pub fn json<T: serde::de::DeserializeOwned>(kind: ProviderKind, r: &ApiResponse) -> Result<T> {
    check(kind, r)?;
    r.json()
}

/// The provider's own message from its error body, shortened.
fn message(r: &ApiResponse) -> Option<String> {
    let v = r.json_value()?;
    let m = v
        .get("message")
        .and_then(|m| m.as_str())
        .or_else(|| v.get("error_description").and_then(|m| m.as_str()))
        .or_else(|| v.pointer("/error/message").and_then(|m| m.as_str()))
        .or_else(|| v.get("errorMessage").and_then(|m| m.as_str()))
        .or_else(|| v.get("error").and_then(|m| m.as_str()))?;
    Some(m.chars().take(300).collect())
}

/// Whether a 401/403 answer is the provider speaking.
pub fn from_provider(kind: ProviderKind, r: &ApiResponse) -> bool {
    let json_object = r.is_json() && r.json_value().is_some_and(|v| v.is_object());
    match kind {
        ProviderKind::Bitbucket => {
            json_object || (r.body.is_empty() && r.header("www-authenticate").is_some_and(|w| w.contains("Bitbucket")))
        }
        _ => json_object,
    }
}

pub fn classify(kind: ProviderKind, r: &ApiResponse) -> Error {
    let name = kind.display_name();
    let msg = message(r);
    let said = msg.as_deref().map(|m| format!(" ({m})")).unwrap_or_default();
    let lower = msg.as_deref().unwrap_or("").to_ascii_lowercase();
    match r.status {
        401 if !from_provider(kind, r) => Error::new(
            ErrorCode::ProviderError,
            format!("{} answered 401 with a page that is not from {name}; a proxy or captive portal may be in the way", host(r)),
        ),
        // Gitee answers a missing scope with 401 "no 'projects' scope".
        401 if kind == ProviderKind::Gitee && lower.contains("scope") => {
            Error::new(ErrorCode::InsufficientScope, format!("the {name} token lacks a scope{said}"))
        }
        401 => Error::new(
            ErrorCode::ProviderUnauthorized,
            format!("{name} rejected the token{said}: it is wrong, expired or revoked"),
        ),
        403 | 429 if is_rate_limited(r, &lower) => {
            let when = reset_time(r).map(|t| format!("; try again after {t}")).unwrap_or_default();
            Error::new(ErrorCode::RateLimited, format!("{name} rate limit reached{when}"))
        }
        403 if r.header("x-github-sso").is_some_and(|h| h.starts_with("required")) => {
            let url = r.header("x-github-sso").and_then(|h| h.split_once("url=")).map(|(_, u)| u.trim().to_owned());
            Error::new(
                ErrorCode::SsoRequired,
                format!("the organization uses SAML single sign-on; authorize the token for it{}", url.map(|u| format!(" at {u}")).unwrap_or_default()),
            )
        }
        403 if lower.contains("oauth app access restrictions") => {
            Error::new(ErrorCode::OrgRestricted, format!("the organization restricts third-party access{said}"))
        }
        403 if kind == ProviderKind::Github && github_lacks_scope(r, &lower) => {
            let needed = r.header("x-accepted-github-permissions").or(r.header("x-accepted-oauth-scopes")).filter(|v| !v.trim().is_empty());
            let needed = needed.map(|n| format!("; it needs {n}")).unwrap_or_default();
            Error::new(ErrorCode::InsufficientScope, format!("the {name} token lacks a scope or permission{said}{needed}"))
        }
        403 if lower.contains("insufficient_scope")
            || lower.contains("higher privileges")
            || lower.contains("privilege scopes")
            || lower.contains("required scope")
            || r.json_value().is_some_and(|v| v.get("error").and_then(|e| e.as_str()) == Some("insufficient_scope")) =>
        {
            Error::new(ErrorCode::InsufficientScope, format!("the {name} token lacks a scope{said}"))
        }
        403 => Error::new(ErrorCode::ProviderForbidden, format!("{name} refused the request{said}")),
        404 => Error::new(ErrorCode::NotFound, format!("{name} has no such resource, or the token cannot see it{said}")),
        429 => Error::new(ErrorCode::RateLimited, format!("{name} rate limit reached")),
        s if s >= 500 => Error::new(ErrorCode::ProviderUnavailable, format!("{name} is having trouble (HTTP {s}); try again later")),
        s => Error::new(ErrorCode::ProviderError, format!("{name} answered HTTP {s}{said}")),
    }
}

/// GitHub's ways of saying a token may not do this (docs.github.com "Troubleshooting the REST API",
/// "Scopes for OAuth apps"): fine-grained and app tokens get "Resource not accessible by ..." with
/// `X-Accepted-GitHub-Permissions`; classic and OAuth tokens get a 403 whose
/// `X-Accepted-OAuth-Scopes` (what the endpoint accepts) shares nothing with `X-OAuth-Scopes`
/// (what the token has), e.g. /user/orgs without read:org.
fn github_lacks_scope(r: &ApiResponse, lower: &str) -> bool {
    if r.header("x-accepted-github-permissions").is_some() || lower.starts_with("resource not accessible by") {
        return true;
    }
    let list = |name: &str| {
        r.header(name).map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>())
    };
    match (list("x-accepted-oauth-scopes"), list("x-oauth-scopes")) {
        (Some(accepted), Some(granted)) if !accepted.is_empty() => !accepted.iter().any(|a| granted.contains(a)),
        _ => false,
    }
}

fn host(r: &ApiResponse) -> String {
    r.url.host_str().unwrap_or("the host").to_owned()
}

fn is_rate_limited(r: &ApiResponse, lower: &str) -> bool {
    r.status == 429
        || r.header("x-ratelimit-remaining").is_some_and(|v| v.trim() == "0")
        || r.header("ratelimit-remaining").is_some_and(|v| v.trim() == "0")
        || lower.contains("rate limit")
}

/// When the limit resets, as RFC 3339: Retry-After, else X-RateLimit-Reset / RateLimit-Reset (epoch).
pub fn reset_time(r: &ApiResponse) -> Option<String> {
    if let Some(d) = r.retry_after() {
        return Some(crate::time::format(Utc::now() + chrono::Duration::from_std(d).ok()?));
    }
    let epoch = r.header_u64("x-ratelimit-reset").or_else(|| r.header_u64("ratelimit-reset"))?;
    Utc.timestamp_opt(epoch as i64, 0).single().map(crate::time::format)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> ApiResponse {
        let mut h = reqwest::header::HeaderMap::new();
        for (k, v) in headers {
            h.insert(reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        ApiResponse { status, headers: h, body: body.as_bytes().to_vec(), url: url::Url::parse("https://api.example.com/user").unwrap() }
    }
    const JSON: (&str, &str) = ("content-type", "application/json; charset=utf-8");

    #[test]
    fn a_401_counts_only_when_the_provider_said_it() {
        let real = resp(401, &[JSON], r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#);
        assert_eq!(classify(ProviderKind::Github, &real).code, ErrorCode::ProviderUnauthorized);
        let portal = resp(401, &[("content-type", "text/html")], "<html><form>Sign in to the Wi-Fi</form></html>");
        assert_eq!(classify(ProviderKind::Github, &portal).code, ErrorCode::ProviderError);
        let bb = resp(401, &[("www-authenticate", "Basic realm=\"Bitbucket.org HTTP\"")], "");
        assert_eq!(classify(ProviderKind::Bitbucket, &bb).code, ErrorCode::ProviderUnauthorized);
        let bare = resp(401, &[], "");
        assert_eq!(classify(ProviderKind::Gitlab, &bare).code, ErrorCode::ProviderError);
    }

    #[test]
    fn github_scope_and_permission_refusals() {
        let no_org = resp(
            403,
            &[JSON, ("x-oauth-scopes", ""), ("x-accepted-oauth-scopes", "admin:org, read:org, repo, user, write:org")],
            r#"{"message":"You need at least read:org scope or user scope to list your organizations."}"#,
        );
        let e = classify(ProviderKind::Github, &no_org);
        assert_eq!(e.code, ErrorCode::InsufficientScope);
        assert!(e.message.contains("read:org"), "{}", e.message);
        let fine = resp(403, &[JSON, ("x-accepted-github-permissions", "contents=read")], r#"{"message":"Resource not accessible by personal access token"}"#);
        assert_eq!(classify(ProviderKind::Github, &fine).code, ErrorCode::InsufficientScope);
        // The token has an accepted scope: the refusal is about something else.
        let admin = resp(403, &[JSON, ("x-oauth-scopes", "repo"), ("x-accepted-oauth-scopes", "repo")], r#"{"message":"Must have admin rights to Repository."}"#);
        assert_eq!(classify(ProviderKind::Github, &admin).code, ErrorCode::ProviderForbidden);
    }

    #[test]
    fn scope_sso_restriction_and_rate_limits() {
        let gl = resp(403, &[JSON], r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}"#);
        assert_eq!(classify(ProviderKind::Gitlab, &gl).code, ErrorCode::InsufficientScope);
        let gitee = resp(401, &[JSON], r#"{"message":"401 Unauthorized: no 'projects' scope"}"#);
        assert_eq!(classify(ProviderKind::Gitee, &gitee).code, ErrorCode::InsufficientScope);
        let sso = resp(403, &[JSON, ("x-github-sso", "required; url=https://github.com/orgs/acme/sso?authorization_request=abc")], r#"{"message":"Resource protected by organization SAML enforcement."}"#);
        let e = classify(ProviderKind::Github, &sso);
        assert_eq!(e.code, ErrorCode::SsoRequired);
        assert!(e.message.contains("https://github.com/orgs/acme/sso"));
        let restricted = resp(403, &[JSON], r#"{"message":"Although you appear to have the correct authorization credentials, the `acme` organization has enabled OAuth App access restrictions, meaning that data access to third-parties is limited."}"#);
        assert_eq!(classify(ProviderKind::Github, &restricted).code, ErrorCode::OrgRestricted);
        let limited = resp(403, &[JSON, ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1900000000")], r#"{"message":"API rate limit exceeded for user ID 1."}"#);
        let e = classify(ProviderKind::Github, &limited);
        assert_eq!(e.code, ErrorCode::RateLimited);
        assert!(e.message.contains("2030-03-17"), "{}", e.message);
        assert_eq!(classify(ProviderKind::Gitea, &resp(503, &[], "")).code, ErrorCode::ProviderUnavailable);
        assert_eq!(classify(ProviderKind::Gitea, &resp(429, &[("retry-after", "30")], "")).code, ErrorCode::RateLimited);
    }
}

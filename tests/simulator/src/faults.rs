//! Injected failures. A [`FaultRule`] matches a provider (and optionally a path prefix)
//! and replaces the normal answer with a [`Fault`], for a number of requests or forever.

use crate::http::SimRequest;
use crate::provider::Provider;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A failure to answer with instead of the real response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Fault {
    /// The provider's own 401 for a bad, revoked or expired token.
    Unauthorized,
    /// The provider's 403 (Gitee: 401) for a token lacking a scope.
    MissingScope,
    /// GitHub: 403 with `X-GitHub-SSO: required; url=...`. Elsewhere: `MissingScope`.
    SsoRequired,
    /// GitHub: 403 "... has enabled OAuth App access restrictions ...". Elsewhere: `MissingScope`.
    OrgRestricted,
    /// 429 in the provider's shape, with `Retry-After` when given.
    RateLimited { retry_after: Option<u64> },
    /// GitHub primary limit: 403, `x-ratelimit-remaining: 0`, `x-ratelimit-reset`.
    /// Elsewhere: `RateLimited`.
    PrimaryRateLimit,
    /// GitHub secondary limit: 403 with `retry-after`. Elsewhere: `RateLimited`.
    SecondaryRateLimit { retry_after: u64 },
    /// 500 (provider-shaped JSON) or 502/503/504 (a load balancer's HTML page).
    ServerError { status: u16 },
    /// Holds the request for `millis`, then answers 504 with no body. Set it longer
    /// than the client's timeout.
    Timeout { millis: u64 },
    /// 200 with `application/json` and a truncated body.
    MalformedJson,
    /// A captive portal or proxy: an HTML login page with this status (200 or 401)
    /// and none of the provider's headers.
    HtmlLogin { status: u16 },
}

impl Fault {
    pub fn timeout(d: Duration) -> Fault {
        Fault::Timeout {
            millis: d.as_millis().min(u128::from(u64::MAX)) as u64,
        }
    }

    pub fn server_error(status: u16) -> Fault {
        Fault::ServerError { status }
    }
}

/// When a fault applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    pub provider: Provider,
    /// Matches the raw path (`/api/v4/projects`) or the path after the API prefix
    /// (`/projects`). None = every path.
    #[serde(default)]
    pub path_prefix: Option<String>,
    pub fault: Fault,
    /// How many requests it applies to; None = until cleared.
    #[serde(default)]
    pub times: Option<u32>,
}

impl FaultRule {
    pub fn new(provider: Provider, fault: Fault) -> FaultRule {
        FaultRule {
            provider,
            path_prefix: None,
            fault,
            times: None,
        }
    }

    pub fn on_path(mut self, prefix: &str) -> FaultRule {
        self.path_prefix = Some(prefix.to_string());
        self
    }

    pub fn times(mut self, n: u32) -> FaultRule {
        self.times = Some(n);
        self
    }

    fn matches(&self, p: Provider, req: &SimRequest) -> bool {
        if self.provider != p {
            return false;
        }
        match &self.path_prefix {
            None => true,
            Some(prefix) => {
                let rel = format!("/{}", req.segs.join("/"));
                req.path.starts_with(prefix.as_str()) || rel.starts_with(prefix.as_str())
            }
        }
    }
}

/// Picks the first matching rule, counting down its `times` (and dropping it at zero).
pub fn take(rules: &mut Vec<FaultRule>, p: Provider, req: &SimRequest) -> Option<Fault> {
    let i = rules.iter().position(|r| r.matches(p, req))?;
    let fault = rules[i].fault.clone();
    if let Some(n) = rules[i].times.as_mut() {
        *n = n.saturating_sub(1);
        if *n == 0 {
            rules.remove(i);
        }
    }
    Some(fault)
}

/// The HTML sign-in page a captive portal or an authenticating proxy returns.
pub fn html_login(status: u16) -> crate::http::SimResponse {
    let body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Sign in to continue</title></head>\
<body><h1>Network login required</h1><form method=\"post\" action=\"/portal/login\">\
<input name=\"username\"><input name=\"password\" type=\"password\"><button>Sign in</button></form></body></html>\n";
    crate::http::SimResponse::text(status, "text/html; charset=utf-8", body)
        .header("cache-control", "no-store")
}

/// A load balancer's error page for 502/503/504.
pub fn gateway_page(status: u16) -> crate::http::SimResponse {
    let reason = match status {
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
    let body = format!("<html><head><title>{status} {reason}</title></head><body><center><h1>{status} {reason}</h1></center></body></html>\n");
    crate::http::SimResponse::text(status, "text/html", &body)
}

/// A JSON body cut off mid-string.
pub fn malformed_json() -> crate::http::SimResponse {
    crate::http::SimResponse::text(
        200,
        crate::http::JSON_UTF8,
        "[{\"id\": 1, \"name\": \"repo-000",
    )
}

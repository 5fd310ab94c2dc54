//! Host URLs: validation, normalisation, and the API base each provider uses on a host.

use std::net::IpAddr;

use url::Url;

use crate::error::{Error, ErrorCode, Result};
use crate::model::ProviderKind;

/// A validated host base URL such as `https://gitlab.example.com` or `https://example.com/gitlab`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    url: Url,
}

impl Host {
    /// Validates what a user typed. No scheme means https. Plain http is refused except for loopback
    /// hosts (127.0.0.0/8, ::1, localhost). Credentials, queries and fragments are refused.
    pub fn parse(input: &str) -> Result<Host> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Error::new(ErrorCode::InvalidUrl, "the host URL is empty"));
        }
        let with_scheme = if trimmed.contains("://") { trimmed.to_owned() } else { format!("https://{trimmed}") };
        let bad = |why: &str| Error::new(ErrorCode::InvalidUrl, format!("{trimmed:?} is not a usable host URL: {why}"));
        let mut url = Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(Error::new(
                    ErrorCode::InsecureHttp,
                    format!("{trimmed} uses plain http; use https (http is allowed only for loopback hosts)"),
                ))
            }
            other => return Err(bad(&format!("the scheme must be https, not {other}"))),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it has no host name"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("it must not contain a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it must not contain a query or fragment"));
        }
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        Ok(Host { url })
    }

    /// The provider's default host (github.com, gitlab.com, ...), when it has one.
    pub fn default_for(kind: ProviderKind) -> Option<Host> {
        crate::providers::info(kind).default_host.and_then(|h| Host::parse(&h).ok())
    }

    /// The host as stored: scheme, host, non-default port, path prefix; no trailing slash.
    pub fn as_str(&self) -> &str {
        self.url.as_str().trim_end_matches('/')
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    pub fn hostname(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.url)
    }

    /// `self` + a path such as `/api/v4`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.as_str(), path)
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The REST API base of `kind` on `host`: the cloud API hosts for the public services, and the
/// documented self-hosted prefixes everywhere else.
pub fn api_base(kind: ProviderKind, host: &Host) -> String {
    match (kind, host.hostname()) {
        (ProviderKind::Github, "github.com") => "https://api.github.com".to_owned(),
        (ProviderKind::Github, _) => host.join("/api/v3"),
        (ProviderKind::Gitlab, _) => host.join("/api/v4"),
        (ProviderKind::Bitbucket, "bitbucket.org") => "https://api.bitbucket.org/2.0".to_owned(),
        (ProviderKind::Bitbucket, _) => host.join("/2.0"),
        (ProviderKind::Gitee, _) => host.join("/api/v5"),
        (ProviderKind::Codeup, _) => host.join("/oapi/v1"),
        (ProviderKind::Gitea, _) => host.join("/api/v1"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_what_users_type() {
        assert_eq!(Host::parse("gitlab.example.com").unwrap().as_str(), "https://gitlab.example.com");
        assert_eq!(Host::parse(" HTTPS://GitLab.Example.com/ ").unwrap().as_str(), "https://gitlab.example.com");
        assert_eq!(Host::parse("https://example.com:443/gitlab/").unwrap().as_str(), "https://example.com/gitlab");
        assert_eq!(Host::parse("https://example.com:8443").unwrap().as_str(), "https://example.com:8443");
        assert_eq!(Host::parse("http://127.0.0.1:8080").unwrap().as_str(), "http://127.0.0.1:8080");
        assert_eq!(Host::parse("http://localhost:3000").unwrap().as_str(), "http://localhost:3000");
        assert_eq!(Host::parse("http://[::1]:3000").unwrap().as_str(), "http://[::1]:3000");
        assert_eq!(Host::parse("http://127.8.9.10").unwrap().as_str(), "http://127.8.9.10");
    }

    #[test]
    fn refuses_bad_and_insecure_urls() {
        let code = |s: &str| Host::parse(s).unwrap_err().code;
        assert_eq!(code("http://gitlab.example.com"), ErrorCode::InsecureHttp);
        assert_eq!(code("http://10.0.0.5"), ErrorCode::InsecureHttp);
        assert_eq!(code("http://localhost.evil.com"), ErrorCode::InsecureHttp);
        for bad in ["", "   ", "ftp://x.org", "javascript:alert(1)", "https://user:pw@x.org", "https://x.org/?a=1", "https://x.org/#f", "https://", "https://exa mple.com"] {
            assert_eq!(code(bad), ErrorCode::InvalidUrl, "{bad:?}");
        }
    }

    #[test]
    fn api_bases_follow_the_docs() {
        let h = |s: &str| Host::parse(s).unwrap();
        assert_eq!(api_base(ProviderKind::Github, &h("github.com")), "https://api.github.com");
        assert_eq!(api_base(ProviderKind::Github, &h("ghe.corp.com")), "https://ghe.corp.com/api/v3");
        assert_eq!(api_base(ProviderKind::Gitlab, &h("example.com/gitlab")), "https://example.com/gitlab/api/v4");
        assert_eq!(api_base(ProviderKind::Bitbucket, &h("bitbucket.org")), "https://api.bitbucket.org/2.0");
        assert_eq!(api_base(ProviderKind::Gitee, &h("gitee.com")), "https://gitee.com/api/v5");
        assert_eq!(api_base(ProviderKind::Codeup, &h("openapi-rdc.aliyuncs.com")), "https://openapi-rdc.aliyuncs.com/oapi/v1");
        assert_eq!(api_base(ProviderKind::Gitea, &h("codeberg.org")), "https://codeberg.org/api/v1");
    }
}

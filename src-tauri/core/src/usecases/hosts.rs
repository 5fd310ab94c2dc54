//! Connection settings per host (Settings → Hosts, `codebind hosts`): a CA bundle to trust (a
//! self-managed GitLab or Gitea behind a private CA) and how to reach the host: the system's proxy
//! settings, directly, or through a proxy. Checked before they are saved.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Core;
use crate::error::{Error, ErrorCode, Result};
use crate::net::{check_ca_bundle, ProxyChoice};
use crate::providers::Host;

/// A host Codebind talks to, with its settings and how many bindings use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HostEntry {
    pub host: String,
    pub ca_bundle: Option<String>,
    /// `null`: the system's proxy settings; `"direct"`: none; else the proxy URL.
    pub proxy: Option<String>,
    pub bindings: u32,
}

/// New settings for a host (empty strings clear).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HostUpdate {
    pub host: String,
    pub ca_bundle: Option<String>,
    pub proxy: Option<String>,
}

/// The stored proxy value as the HTTP layer's choice.
pub(crate) fn proxy_choice(stored: Option<&str>) -> ProxyChoice {
    match stored {
        None => ProxyChoice::System,
        Some("direct") => ProxyChoice::Direct,
        Some(url) => ProxyChoice::Via(url.to_owned()),
    }
}

/// `""`/none → the system's settings; `direct`; or an http(s) proxy URL without credentials.
fn check_proxy(value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    if v.eq_ignore_ascii_case("direct") {
        return Ok(Some("direct".to_owned()));
    }
    // Never echo a value that may hold a password (user:secret@host).
    let shown = if v.contains('@') { "the value".to_owned() } else { format!("{v:?}") };
    let u = url::Url::parse(v).map_err(|_| Error::new(ErrorCode::InvalidUrl, format!("{shown} is not a proxy URL (e.g. http://proxy.example.com:3128)")))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(Error::new(ErrorCode::InvalidUrl, format!("{shown}: the proxy must be an http:// or https:// URL with a host")));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(Error::invalid_input("a proxy URL with a user name or password would be stored in plain text; use a proxy without credentials or set HTTPS_PROXY"));
    }
    if u.path() != "/" || u.query().is_some() || u.fragment().is_some() {
        return Err(Error::new(ErrorCode::InvalidUrl, format!("{shown}: a proxy URL is a scheme, host and port only")));
    }
    Ok(Some(u.as_str().trim_end_matches('/').to_owned()))
}

fn check_ca(value: Option<&str>) -> Result<Option<String>> {
    let Some(p) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    if !Path::new(p).is_absolute() {
        return Err(Error::invalid_input(format!("{p:?}: give the CA bundle's full path")));
    }
    check_ca_bundle(Path::new(p))?;
    Ok(Some(p.to_owned()))
}

impl Core {
    /// Every host with bindings or settings, sorted.
    pub fn hosts(&self) -> Result<Vec<HostEntry>> {
        let mut out: std::collections::BTreeMap<String, HostEntry> = std::collections::BTreeMap::new();
        for b in self.store.list_bindings()? {
            out.entry(b.host.clone()).or_insert_with(|| HostEntry { host: b.host.clone(), ca_bundle: None, proxy: None, bindings: 0 }).bindings += 1;
        }
        for s in self.store.all_host_settings()? {
            let e = out.entry(s.host.clone()).or_insert_with(|| HostEntry { host: s.host.clone(), ca_bundle: None, proxy: None, bindings: 0 });
            e.ca_bundle = s.ca_bundle;
            e.proxy = s.proxy;
        }
        Ok(out.into_values().collect())
    }

    /// Checks and saves a host's CA bundle and proxy; bad input changes nothing.
    pub fn save_host(&self, update: &HostUpdate) -> Result<HostEntry> {
        let host = Host::parse(update.host.trim())?;
        let ca = check_ca(update.ca_bundle.as_deref())?;
        let proxy = check_proxy(update.proxy.as_deref())?;
        self.store.save_host_settings(host.as_str(), ca.as_deref(), proxy.as_deref())?;
        let bindings = self.store.list_bindings()?.iter().filter(|b| b.host == host.as_str()).count() as u32;
        Ok(HostEntry { host: host.as_str().to_owned(), ca_bundle: ca, proxy, bindings })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies() {
        assert_eq!(check_proxy(None).unwrap(), None);
        assert_eq!(check_proxy(Some("  ")).unwrap(), None);
        assert_eq!(check_proxy(Some("DIRECT")).unwrap().as_deref(), Some("direct"));
        assert_eq!(check_proxy(Some("http://proxy.example.com:3128/")).unwrap().as_deref(), Some("http://proxy.example.com:3128"));
        for bad in ["proxy:3128", "socks5://p:1080", "http://user:pw@p:3128", "http://p:3128/path", "ftp://p"] {
            assert!(check_proxy(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(proxy_choice(Some("direct")), ProxyChoice::Direct);
        assert_eq!(proxy_choice(None), ProxyChoice::System);
    }

    #[test]
    fn ca_bundles_must_be_real_pem_files() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "not a certificate").unwrap();
        assert!(check_ca(Some("relative.pem")).is_err());
        assert!(check_ca(Some(junk.to_str().unwrap())).is_err());
        assert!(check_ca(Some(dir.path().join("missing.pem").to_str().unwrap())).is_err());
        assert_eq!(check_ca(Some("")).unwrap(), None);
    }
}

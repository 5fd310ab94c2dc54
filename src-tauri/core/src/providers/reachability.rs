//! What a cloud builder can reach, after the seeds' constraints for self-managed GitLab: HTTP on
//! ports 80, 21, 443, 70, 210, 280, 488, 591, 777 and 1025-65535; HTTPS only on 443; reachable from
//! the internet; no self-signed certificate. These are warnings: this app can still reach the host.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::host::Host;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReachabilityWarning {
    /// HTTPS on a port other than 443.
    HttpsPortNotSupported,
    /// HTTP on a port outside the supported list.
    HttpPortNotSupported,
    /// A private, loopback or link-local address, or a name that only resolves inside a network.
    NotReachableFromInternet,
    /// The host needs a custom CA bundle: a self-signed or private certificate.
    CustomCertificate,
}

const HTTP_PORTS: [u16; 9] = [80, 21, 443, 70, 210, 280, 488, 591, 777];

pub fn warnings(host: &Host, custom_ca: bool) -> Vec<ReachabilityWarning> {
    let url = host.url();
    let mut out = Vec::new();
    let port = url.port_or_known_default().unwrap_or(0);
    match url.scheme() {
        "https" if port != 443 => out.push(ReachabilityWarning::HttpsPortNotSupported),
        "http" if !(HTTP_PORTS.contains(&port) || port >= 1025) => {
            out.push(ReachabilityWarning::HttpPortNotSupported)
        }
        _ => {}
    }
    let internal = match url.host() {
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            let d = d.to_ascii_lowercase();
            d == "localhost" || !d.contains('.') || [".local", ".lan", ".internal", ".corp", ".home.arpa", ".localhost"].iter().any(|s| d.ends_with(s))
        }
        None => true,
    };
    if internal {
        out.push(ReachabilityWarning::NotReachableFromInternet);
    }
    if custom_ca {
        out.push(ReachabilityWarning::CustomCertificate);
    }
    out
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !(v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified() || v4.is_broadcast() || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])),
        IpAddr::V6(v6) => !(v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80),
    }
}

#[cfg(test)]
mod tests {
    use super::ReachabilityWarning::*;
    use super::*;

    fn w(s: &str) -> Vec<ReachabilityWarning> {
        warnings(&Host::parse(s).unwrap(), false)
    }

    #[test]
    fn seeds_port_rules() {
        assert_eq!(w("https://gitlab.example.com"), vec![]);
        assert_eq!(w("https://gitlab.example.com:8443"), vec![HttpsPortNotSupported]);
        assert_eq!(w("http://127.0.0.1:80"), vec![NotReachableFromInternet]);
        assert_eq!(w("http://127.0.0.1:1024"), vec![HttpPortNotSupported, NotReachableFromInternet]);
        assert_eq!(w("http://127.0.0.1:777"), vec![NotReachableFromInternet]);
        assert_eq!(w("http://127.0.0.1:1025"), vec![NotReachableFromInternet]);
    }

    #[test]
    fn internal_hosts_and_custom_cas_are_flagged() {
        assert_eq!(w("https://10.1.2.3"), vec![NotReachableFromInternet]);
        assert_eq!(w("https://gitlab.corp"), vec![NotReachableFromInternet]);
        assert_eq!(w("https://gitlab"), vec![NotReachableFromInternet]);
        assert_eq!(w("https://8.8.8.8"), vec![]);
        assert_eq!(warnings(&Host::parse("https://gitlab.example.com").unwrap(), true), vec![CustomCertificate]);
    }
}

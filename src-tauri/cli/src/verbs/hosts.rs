//! `codebind hosts list|set`

use codebind_core::usecases::HostUpdate;
use codebind_core::{Core, Error};

use crate::args::HostsVerb;
use crate::output;

fn proxy_text(p: Option<&str>) -> String {
    match p {
        None => "system".to_owned(),
        Some(p) => p.to_owned(),
    }
}

pub fn run(core: &Core, verb: HostsVerb) -> Result<(), Error> {
    match verb {
        HostsVerb::List(a) => {
            let hosts = core.hosts()?;
            if a.json {
                return output::json(&hosts);
            }
            let rows: Vec<Vec<String>> = hosts
                .iter()
                .map(|h| vec![h.host.clone(), h.bindings.to_string(), h.ca_bundle.clone().unwrap_or_else(|| "-".to_owned()), proxy_text(h.proxy.as_deref())])
                .collect();
            output::table(&["HOST", "BINDINGS", "CA BUNDLE", "PROXY"], &rows);
            Ok(())
        }
        HostsVerb::Set(a) => {
            // Compare as the store keys hosts (normalised origin), so "what is not given stays".
            let host = codebind_core::providers::Host::parse(a.host.trim())?;
            let current = core.hosts()?.into_iter().find(|h| h.host == host.as_str());
            let ca_bundle = match (a.ca_bundle, a.no_ca_bundle) {
                (Some(p), _) => Some(p),
                (None, true) => None,
                (None, false) => current.as_ref().and_then(|h| h.ca_bundle.clone()),
            };
            let proxy = match (a.proxy, a.direct, a.system_proxy) {
                (Some(p), _, _) => Some(p),
                (None, true, _) => Some("direct".to_owned()),
                (None, false, true) => None,
                (None, false, false) => current.as_ref().and_then(|h| h.proxy.clone()),
            };
            let saved = core.save_host(&HostUpdate { host: a.host, ca_bundle, proxy })?;
            if a.json {
                return output::json(&saved);
            }
            println!("{}: CA bundle {}, proxy {}.", saved.host, saved.ca_bundle.as_deref().unwrap_or("none"), proxy_text(saved.proxy.as_deref()));
            Ok(())
        }
    }
}

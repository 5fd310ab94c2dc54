//! Connection settings per host (Settings → Hosts, `codebind hosts`), at the library level against
//! the simulator: a proxy set for a host carries every request to it (seen by a forward proxy), a
//! dead proxy makes the host unreachable, `direct` bypasses it, and clearing brings the system's
//! settings back. Bad proxies, CA bundles and hosts are refused and change nothing.

use std::sync::Arc;
use std::time::Duration;

use codebind_core::model::{BindRequest, BindingStatus, ProviderKind};
use codebind_core::net::HttpOptions;
use codebind_core::usecases::HostUpdate;
use codebind_core::vault::MemoryVault;
use codebind_core::{Core, ErrorCode};
use codebind_simulator::{demo, Provider, Simulator, World};
use codebind_tests::proxy::Proxy;

fn update(host: &str, ca: Option<&str>, proxy: Option<&str>) -> HostUpdate {
    HostUpdate { host: host.to_owned(), ca_bundle: ca.map(str::to_owned), proxy: proxy.map(str::to_owned) }
}

#[tokio::test]
async fn a_hosts_proxy_carries_its_requests_and_bad_settings_change_nothing() {
    let sim = Simulator::start(World::demo()).await;
    let dir = tempfile::tempdir().unwrap();
    let options = HttpOptions { backoff: Duration::from_millis(10), timeout: Duration::from_secs(3), connect_timeout: Duration::from_secs(2), ..Default::default() };
    let core = Core::open_with(dir.path(), Arc::new(MemoryVault::new()), options).unwrap();
    let host = sim.base_url(Provider::Gitlab);
    let b = core
        .bind_with_token(BindRequest { provider: ProviderKind::Gitlab, host: Some(host.clone()), token: demo::GITLAB_PAT.to_owned(), username: None, organization: None, ca_bundle: None })
        .await
        .unwrap();
    let listed = core.hosts().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].host.as_str(), listed[0].bindings, listed[0].proxy.as_deref()), (host.as_str(), 1, None));

    // Through a proxy: every request to the host goes through it.
    let proxy = Proxy::start().await;
    let saved = core.save_host(&update(&host, None, Some(&format!("{}/", proxy.url())))).unwrap();
    assert_eq!(saved.proxy.as_deref(), Some(proxy.url().as_str()), "normalised without the slash");
    let report = core.verify(&b.id).await.unwrap();
    assert_eq!(report.status, BindingStatus::Active, "{:?}", report.error);
    let seen = proxy.seen();
    assert!(!seen.is_empty(), "the proxy carried the verification");
    assert!(seen.iter().all(|u| u.starts_with(&host)), "{seen:?}");
    assert!(seen.iter().any(|u| u.contains("/api/v4/user")), "{seen:?}");

    // A proxy that is not there: the host is unreachable (and nothing falls back to direct).
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    core.save_host(&update(&host, None, Some(&dead_url))).unwrap();
    let report = core.verify(&b.id).await.unwrap();
    assert_eq!(report.status, BindingStatus::Unreachable);
    assert_eq!(report.error.as_ref().map(|e| e.code), Some(ErrorCode::Network), "{:?}", report.error);

    // Direct: no proxy at all.
    let before = proxy.seen().len();
    core.save_host(&update(&host, None, Some("direct"))).unwrap();
    assert_eq!(core.verify(&b.id).await.unwrap().status, BindingStatus::Active);
    assert_eq!(proxy.seen().len(), before, "the proxy saw nothing more");
    assert_eq!(core.hosts().unwrap()[0].proxy.as_deref(), Some("direct"));

    // Bad input is refused and changes nothing.
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n").unwrap();
    let cases = [
        (update(&host, None, Some("socks5://127.0.0.1:1080")), ErrorCode::InvalidUrl),
        (update(&host, None, Some("http://user:secret@proxy.example.com:3128")), ErrorCode::InvalidInput),
        (update(&host, None, Some("proxy.example.com")), ErrorCode::InvalidUrl),
        (update(&host, Some(junk.to_str().unwrap()), None), ErrorCode::InvalidInput),
        (update(&host, Some("relative/ca.pem"), None), ErrorCode::InvalidInput),
        (update("ftp://gitlab.example.com", None, None), ErrorCode::InvalidUrl),
    ];
    let before = core.hosts().unwrap();
    for (bad, code) in cases {
        let e = core.save_host(&bad).unwrap_err();
        assert!(e.code == code || (code == ErrorCode::InvalidUrl && e.code == ErrorCode::InsecureHttp), "{bad:?}: [{}] {}", e.code.as_str(), e.message);
        assert!(!e.message.contains("secret"), "the password is not echoed: {}", e.message);
    }
    assert_eq!(core.hosts().unwrap(), before, "nothing changed");

    // Clearing both: the system's settings again, and the host stays listed for its binding.
    core.save_host(&update(&host, Some(""), Some(""))).unwrap();
    let listed = core.hosts().unwrap();
    assert_eq!((listed[0].ca_bundle.as_deref(), listed[0].proxy.as_deref(), listed[0].bindings), (None, None, 1));
    assert_eq!(core.verify(&b.id).await.unwrap().status, BindingStatus::Active);
}

//! Organizations and repositories of a binding, and what its detail screen shows.

use super::Core;
use crate::error::Result;
use crate::model::{BindingDetail, Org, Repo};
use crate::providers::{self, reachability, scopes, Host};

impl Core {
    pub async fn orgs(&self, id: &str) -> Result<Vec<Org>> {
        let p = self.prepare(id)?;
        p.provider.orgs(&p.session()).await
    }

    /// Streams repositories into `sink` page by page as they arrive.
    pub async fn repos_streaming(&self, id: &str, sink: &(dyn Fn(Vec<Repo>) + Send + Sync)) -> Result<()> {
        let p = self.prepare(id)?;
        p.provider.repos(&p.session(), sink).await
    }

    /// Every repository, sorted by full name.
    pub async fn repos(&self, id: &str) -> Result<Vec<Repo>> {
        let all = std::sync::Mutex::new(Vec::new());
        self.repos_streaming(id, &|page| all.lock().unwrap_or_else(|p| p.into_inner()).extend(page)).await?;
        let mut all = all.into_inner().unwrap_or_else(|p| p.into_inner());
        all.sort_by_cached_key(|a| a.full_name.to_lowercase());
        Ok(all)
    }

    pub fn binding_detail(&self, id: &str) -> Result<BindingDetail> {
        let binding = self.binding(id)?;
        let host = Host::parse(&binding.host)?;
        let ca_bundle = self.store.ca_bundle(host.as_str())?;
        Ok(BindingDetail {
            scope_health: scopes::health(&binding),
            warnings: if host.is_loopback() { vec![] } else { reachability::warnings(&host, ca_bundle.is_some()) },
            revoke_page: providers::provider(binding.provider).revoke_page(&host),
            revocable: match binding.provider {
                crate::model::ProviderKind::Gitlab => true,
                // credentials/revoke is github.com's; with an OAuth app's secret GHES works too.
                crate::model::ProviderKind::Github => host.hostname() == "github.com" || host.is_loopback() || binding.auth_method == crate::model::AuthMethod::Oauth,
                _ => false,
            },
            ca_bundle,
            binding,
        })
    }
}

//! Token health: the scopes each feature needs per provider, compared with what the token has.
//! Where a provider supports prefilled token pages, the fix link asks for exactly what is missing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::host::Host;
use crate::model::{Binding, ProviderKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Read the account, its organizations and its repositories.
    Repositories,
    /// Create and remove build-trigger webhooks.
    Webhooks,
    /// Pull images from the host's container registry.
    RegistryPull,
    /// Push images to the host's container registry.
    RegistryPush,
}

/// One feature's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FeatureHealth {
    pub feature: Feature,
    /// The scopes to grant, in the provider's words (the least-privilege choice).
    pub needed: Vec<String>,
    /// Of `needed`, what the token lacks. Empty when satisfied or unknown.
    pub missing: Vec<String>,
    /// `None` when the provider does not report scopes for this token: it cannot be checked here.
    pub satisfied: Option<bool>,
}

/// The token's scopes against every feature, and where to fix them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScopeHealth {
    pub reported: bool,
    pub granted: Vec<String>,
    pub features: Vec<FeatureHealth>,
    /// A page that creates a token with exactly the missing scopes, where the provider supports
    /// prefilled links; otherwise the provider's token page.
    pub fix_url: Option<String>,
    /// Permissions to tick by hand where the provider cannot tell us (Codeup's least-privilege list).
    pub checklist: Vec<String>,
}

/// A requirement: any one of the alternatives, each of which needs all its scopes.
struct Need {
    feature: Feature,
    alternatives: &'static [&'static [&'static str]],
}

fn needs(kind: ProviderKind) -> &'static [Need] {
    use Feature::*;
    match kind {
        ProviderKind::Github => &[
            Need { feature: Repositories, alternatives: &[&["repo", "read:org"], &["repo", "user"], &["repo", "admin:org"]] },
            Need { feature: Webhooks, alternatives: &[&["admin:repo_hook"], &["write:repo_hook"], &["repo"]] },
            Need { feature: RegistryPull, alternatives: &[&["read:packages"], &["write:packages"]] },
            Need { feature: RegistryPush, alternatives: &[&["write:packages"]] },
        ],
        ProviderKind::Gitlab => &[
            Need { feature: Repositories, alternatives: &[&["read_api"], &["api"]] },
            Need { feature: Webhooks, alternatives: &[&["api"]] },
            Need { feature: RegistryPull, alternatives: &[&["read_registry"]] },
            Need { feature: RegistryPush, alternatives: &[&["read_registry", "write_registry"]] },
        ],
        ProviderKind::Bitbucket => &[
            Need {
                feature: Repositories,
                alternatives: &[
                    &["read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket"],
                    &["account", "repository"],
                ],
            },
            Need {
                feature: Webhooks,
                alternatives: &[
                    &["read:webhook:bitbucket", "write:webhook:bitbucket", "delete:webhook:bitbucket"],
                    &["webhook"],
                ],
            },
        ],
        ProviderKind::Gitee => &[
            Need { feature: Repositories, alternatives: &[&["user_info", "projects", "groups"]] },
            Need { feature: Webhooks, alternatives: &[&["hook"]] },
        ],
        ProviderKind::Codeup => &[],
        ProviderKind::Gitea => &[
            Need { feature: Repositories, alternatives: &[&["read:user", "read:organization", "read:repository"]] },
            Need { feature: Webhooks, alternatives: &[&["write:repository"]] },
            Need { feature: RegistryPull, alternatives: &[&["read:package"]] },
            Need { feature: RegistryPush, alternatives: &[&["write:package"]] },
        ],
    }
}

/// The seeds' least-privilege list for a Codeup personal access token (it cannot be read back).
pub const CODEUP_CHECKLIST: [&str; 6] = [
    "Organization Management / Organization members: read-only",
    "Organization Management / Organization departments: read-only",
    "Code Management / Code repositories: read-only",
    "Code Management / Branches: read-only",
    "Code Management / Tags: read-only",
    "Code Management / Webhook: read/write",
];

/// Scopes that include others, so a broad grant satisfies a narrow need.
fn implied(kind: ProviderKind, scope: &str) -> &'static [&'static str] {
    match (kind, scope) {
        (ProviderKind::Github, "repo") => &["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
        (ProviderKind::Github, "admin:repo_hook") => &["write:repo_hook", "read:repo_hook"],
        (ProviderKind::Github, "write:repo_hook") => &["read:repo_hook"],
        (ProviderKind::Github, "admin:org") => &["write:org", "read:org"],
        (ProviderKind::Github, "write:org") => &["read:org"],
        (ProviderKind::Github, "user") => &["read:user", "user:email", "user:follow"],
        (ProviderKind::Github, "write:packages") => &["read:packages"],
        (ProviderKind::Gitlab, "api") => &["read_api", "read_user", "read_repository"],
        (ProviderKind::Gitlab, "write_registry") => &[],
        (ProviderKind::Bitbucket, "repository:admin") => &["repository:write", "repository"],
        (ProviderKind::Bitbucket, "repository:write") => &["repository"],
        (ProviderKind::Gitea, "write:repository") => &["read:repository"],
        (ProviderKind::Gitea, "write:organization") => &["read:organization"],
        (ProviderKind::Gitea, "write:user") => &["read:user"],
        (ProviderKind::Gitea, "write:package") => &["read:package"],
        _ => &[],
    }
}

fn has(kind: ProviderKind, granted: &[String], scope: &str) -> bool {
    granted.iter().any(|g| g == scope || implied(kind, g).contains(&scope))
}

/// Health of a binding's token, from what is stored (no network).
pub fn health(binding: &Binding) -> ScopeHealth {
    let kind = binding.provider;
    let granted = &binding.scopes;
    let reported = binding.scopes_reported;
    let features: Vec<FeatureHealth> = needs(kind)
        .iter()
        .map(|need| {
            let preferred: Vec<String> = need.alternatives[0].iter().map(|s| s.to_string()).collect();
            if !reported {
                return FeatureHealth { feature: need.feature, needed: preferred, missing: vec![], satisfied: None };
            }
            let ok = need.alternatives.iter().any(|alt| alt.iter().all(|s| has(kind, granted, s)));
            let missing = if ok { vec![] } else { preferred.iter().filter(|s| !has(kind, granted, s)).cloned().collect() };
            FeatureHealth { feature: need.feature, needed: preferred, missing, satisfied: Some(ok) }
        })
        .collect();
    let mut wanted: Vec<String> = granted.clone();
    for f in &features {
        for m in &f.missing {
            if !wanted.contains(m) {
                wanted.push(m.clone());
            }
        }
    }
    let any_missing = features.iter().any(|f| f.satisfied == Some(false));
    let host = Host::parse(&binding.host).ok();
    let fix_url = host.map(|h| token_page(kind, &h, any_missing.then_some(wanted.as_slice())));
    let checklist = if kind == ProviderKind::Codeup { CODEUP_CHECKLIST.iter().map(|s| s.to_string()).collect() } else { vec![] };
    ScopeHealth { reported, granted: granted.clone(), features, fix_url, checklist }
}

/// Whether the scopes allow what a binding is for at all (reading repositories).
pub fn covers_repositories(kind: ProviderKind, scopes: &[String]) -> bool {
    needs(kind)
        .iter()
        .filter(|n| n.feature == Feature::Repositories)
        .all(|n| n.alternatives.iter().any(|alt| alt.iter().all(|s| has(kind, scopes, s))))
}

/// The provider's page for creating a token; prefilled with `scopes` where supported.
pub fn token_page(kind: ProviderKind, host: &Host, scopes: Option<&[String]>) -> String {
    let list = scopes.map(|s| s.join(",")).unwrap_or_default();
    match kind {
        // github.com and GHES: /settings/tokens/new?scopes=a,b&description=...
        ProviderKind::Github => {
            let mut u = host.join("/settings/tokens/new?description=Codebind");
            if !list.is_empty() {
                u.push_str(&format!("&scopes={list}"));
            }
            u
        }
        // GitLab 15.5+: /-/user_settings/personal_access_tokens?name=...&scopes=a,b
        ProviderKind::Gitlab => {
            let mut u = host.join("/-/user_settings/personal_access_tokens?name=Codebind");
            if !list.is_empty() {
                u.push_str(&format!("&scopes={list}"));
            }
            u
        }
        ProviderKind::Bitbucket => "https://id.atlassian.com/manage-profile/security/api-tokens".to_owned(),
        ProviderKind::Gitee => host.join("/profile/personal_access_tokens"),
        ProviderKind::Codeup => "https://account-devops.aliyun.com/settings/personalAccessToken".to_owned(),
        ProviderKind::Gitea => host.join("/user/settings/applications"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(kind: ProviderKind, host: &str, scopes: &[&str], reported: bool) -> Binding {
        let mut b = crate::usecases::test_support::binding(kind, host);
        b.scopes = scopes.iter().map(|s| s.to_string()).collect();
        b.scopes_reported = reported;
        b
    }

    #[test]
    fn github_classic_scopes_are_compared_with_implications() {
        let h = health(&binding(ProviderKind::Github, "https://github.com", &["repo", "admin:org"], true));
        let f = |feat: Feature| h.features.iter().find(|x| x.feature == feat).unwrap().clone();
        assert_eq!(f(Feature::Repositories).satisfied, Some(true));
        assert_eq!(f(Feature::Webhooks).satisfied, Some(true), "repo covers hooks");
        assert_eq!(f(Feature::RegistryPush).missing, vec!["write:packages"]);
        let fix = h.fix_url.unwrap();
        assert!(fix.starts_with("https://github.com/settings/tokens/new?"), "{fix}");
        assert!(fix.contains("scopes=repo,admin:org,read:packages,write:packages"), "{fix}");
    }

    #[test]
    fn fine_grained_tokens_are_unknown_not_empty() {
        let h = health(&binding(ProviderKind::Github, "https://github.com", &[], false));
        assert!(!h.reported);
        assert!(h.features.iter().all(|f| f.satisfied.is_none() && f.missing.is_empty()));
    }

    #[test]
    fn gitlab_registry_push_needs_both_scopes() {
        let h = health(&binding(ProviderKind::Gitlab, "https://gitlab.example.com", &["api", "write_registry"], true));
        let push = h.features.iter().find(|f| f.feature == Feature::RegistryPush).unwrap();
        assert_eq!(push.satisfied, Some(false));
        assert_eq!(push.missing, vec!["read_registry"]);
        assert_eq!(
            h.fix_url.as_deref(),
            Some("https://gitlab.example.com/-/user_settings/personal_access_tokens?name=Codebind&scopes=api,write_registry,read_registry")
        );
        assert!(covers_repositories(ProviderKind::Gitlab, &["api".into()]));
        assert!(!covers_repositories(ProviderKind::Gitlab, &["read_registry".into()]));
    }

    #[test]
    fn codeup_gets_the_seed_checklist() {
        let h = health(&binding(ProviderKind::Codeup, "https://openapi-rdc.aliyuncs.com", &[], false));
        assert_eq!(h.checklist.len(), 6);
        assert!(h.checklist.iter().any(|c| c.contains("Webhook: read/write")));
    }
}

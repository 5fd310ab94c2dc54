//! Deterministic demo data: bindings across every provider and status, with history.

use std::path::Path;

use chrono::{Duration, Utc};
use codebind_core::model::{AuthMethod, Binding, BindingStatus, EventKind, ProviderKind};
use codebind_core::store::{NewEvent, Store};
use codebind_core::time::format;
use codebind_core::vault::access_token_key;
use codebind_core::Result;

pub struct SeedPlan {
    pub bindings: usize,
    pub events_per_binding: usize,
}

impl Default for SeedPlan {
    fn default() -> Self {
        SeedPlan { bindings: 3, events_per_binding: 2 }
    }
}

const LOGINS: [&str; 8] = ["octocat", "alice", "bob-builds", "carol", "dev-ops", "mei", "zhang-wei", "ops-bot"];

/// The n-th demo binding (deterministic).
pub fn demo_binding(n: usize) -> Binding {
    let provider = ProviderKind::ALL[n % ProviderKind::ALL.len()];
    let host = match provider {
        ProviderKind::Github => "https://github.com",
        ProviderKind::Gitlab if n % 4 == 1 => "https://gitlab.example.com",
        ProviderKind::Gitlab => "https://gitlab.com",
        ProviderKind::Bitbucket => "https://bitbucket.org",
        ProviderKind::Gitee => "https://gitee.com",
        ProviderKind::Codeup => "https://openapi-rdc.aliyuncs.com",
        ProviderKind::Gitea => "https://codeberg.org",
    };
    let status = [
        BindingStatus::Active,
        BindingStatus::Active,
        BindingStatus::Expired,
        BindingStatus::Active,
        BindingStatus::InsufficientScopes,
        BindingStatus::Invalid,
        BindingStatus::Unreachable,
    ][n % 7];
    let scopes: Vec<String> = match provider {
        ProviderKind::Github => vec!["repo", "admin:repo_hook", "read:org"],
        ProviderKind::Gitlab => vec!["api", "read_registry"],
        ProviderKind::Bitbucket => vec!["repository", "webhook", "account"],
        ProviderKind::Gitee => vec!["user_info", "projects", "hook"],
        ProviderKind::Codeup => vec![],
        ProviderKind::Gitea => vec!["read:user", "read:repository", "write:repository"],
    }
    .into_iter()
    .map(String::from)
    .collect();
    let base = Utc::now() - Duration::days(30);
    let login = if n < LOGINS.len() { LOGINS[n].to_owned() } else { format!("{}-{n}", LOGINS[n % LOGINS.len()]) };
    let id = format!("00000000-0000-4000-8000-{n:012}");
    Binding {
        vault_key: access_token_key(&id),
        id,
        provider,
        host: host.to_owned(),
        account_id: (1000 + n).to_string(),
        display_name: Some(format!("{} (demo)", login)),
        login: login.clone(),
        avatar_url: None,
        auth_method: if matches!(provider, ProviderKind::Gitlab | ProviderKind::Codeup) { AuthMethod::Token } else { AuthMethod::Oauth },
        username: match provider {
            ProviderKind::Bitbucket => Some(format!("{login}@example.com")),
            ProviderKind::Codeup | ProviderKind::Gitlab => Some(login.clone()),
            _ => None,
        },
        organization: (provider == ProviderKind::Codeup).then(|| "60de7a6852743a5162b5f957".to_owned()),
        scopes_reported: !scopes.is_empty(),
        scopes,
        expires_at: match n % 3 {
            0 => None,
            1 => Some(format(Utc::now() + Duration::days(12 + n as i64))),
            _ => Some(format(Utc::now() - Duration::days(2))),
        },
        status,
        disabled: n % 5 == 3,
        created_at: format(base + Duration::minutes(n as i64)),
        updated_at: format(base + Duration::days(1) + Duration::minutes(n as i64)),
        last_verified_at: Some(format(Utc::now() - Duration::hours(n as i64 % 48))),
    }
}

/// Writes the plan into `<dir>/codebind.sqlite3`; returns the binding ids.
pub fn seed(dir: &Path, plan: &SeedPlan) -> Result<Vec<String>> {
    let store = Store::open_in(dir)?;
    let mut ids = Vec::with_capacity(plan.bindings);
    for n in 0..plan.bindings {
        let b = demo_binding(n);
        let detail = serde_json::json!({"provider": b.provider.as_str(), "host": b.host, "login": b.login});
        store.insert_binding(&b, NewEvent::new(&b.id, EventKind::Bound, detail.clone()))?;
        let kinds = [EventKind::Verified, EventKind::VerificationFailed, EventKind::TokenRefreshed, EventKind::Disabled, EventKind::Enabled];
        store.append_events(
            (0..plan.events_per_binding).map(|i| NewEvent::new(&b.id, kinds[i % kinds.len()], detail.clone())),
        )?;
        ids.push(b.id);
    }
    Ok(ids)
}

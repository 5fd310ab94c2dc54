//! Which OAuth app (client id, and the client secret where a provider demands one) signs a user in
//! on a host. No secret is ever committed: apps come from, in order,
//! 1. what the user entered in Settings (client id in the store, secret in the keychain);
//! 2. environment variables `CODEBIND_<PROVIDER>_CLIENT_ID` / `CODEBIND_<PROVIDER>_CLIENT_SECRET`;
//! 3. the settings file `<config dir>/dev.codebind.app/oauth-apps.json`:
//!    `[{"provider": "gitlab", "host": "https://gitlab.example.com", "client_id": "...", "client_secret": "..."}]`
//!    (`host` optional: the provider's public service);
//! 4. build-time configuration: the same variable names set when compiling.

use serde::Deserialize;

use crate::model::ProviderKind;
use crate::paths::APP_ID;
use crate::providers::Host;
use crate::vault::Secret;

#[derive(Debug, Clone)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: Option<Secret>,
    /// Where it came from, for Settings ("settings", "environment", "settings file", "build").
    pub source: &'static str,
}

#[derive(Deserialize)]
struct FileEntry {
    provider: String,
    host: Option<String>,
    client_id: String,
    client_secret: Option<String>,
}

fn env_name(kind: ProviderKind, what: &str) -> String {
    format!("CODEBIND_{}_{what}", kind.as_str().to_ascii_uppercase())
}

fn build_time(kind: ProviderKind) -> Option<(&'static str, Option<&'static str>)> {
    let id = match kind {
        ProviderKind::Github => option_env!("CODEBIND_GITHUB_CLIENT_ID"),
        ProviderKind::Gitlab => option_env!("CODEBIND_GITLAB_CLIENT_ID"),
        ProviderKind::Bitbucket => option_env!("CODEBIND_BITBUCKET_CLIENT_ID"),
        ProviderKind::Gitee => option_env!("CODEBIND_GITEE_CLIENT_ID"),
        ProviderKind::Gitea => option_env!("CODEBIND_GITEA_CLIENT_ID"),
        ProviderKind::Codeup => None,
    }?;
    let secret = match kind {
        ProviderKind::Github => option_env!("CODEBIND_GITHUB_CLIENT_SECRET"),
        ProviderKind::Bitbucket => option_env!("CODEBIND_BITBUCKET_CLIENT_SECRET"),
        ProviderKind::Gitee => option_env!("CODEBIND_GITEE_CLIENT_SECRET"),
        _ => None,
    };
    Some((id, secret))
}

/// The settings file's path.
pub fn settings_file() -> Option<std::path::PathBuf> {
    dirs::config_dir().map(|d| d.join(APP_ID).join("oauth-apps.json"))
}

/// Apps from the environment, the settings file and the build (not the store: see `Core`).
pub fn configured(kind: ProviderKind, host: &Host) -> Option<OAuthApp> {
    let is_default = Host::default_for(kind).is_some_and(|d| &d == host);
    if let Ok(id) = std::env::var(env_name(kind, "CLIENT_ID")) {
        if !id.trim().is_empty() {
            let secret = std::env::var(env_name(kind, "CLIENT_SECRET")).ok().filter(|s| !s.is_empty()).map(Secret::new);
            return Some(OAuthApp { client_id: id.trim().to_owned(), client_secret: secret, source: "environment" });
        }
    }
    if let Some(entries) = settings_file().and_then(|p| std::fs::read(p).ok()).and_then(|b| serde_json::from_slice::<Vec<FileEntry>>(&b).ok()) {
        let found = entries.into_iter().find(|e| {
            e.provider == kind.as_str()
                && match &e.host {
                    Some(h) => Host::parse(h).is_ok_and(|h| &h == host),
                    None => is_default,
                }
        });
        if let Some(e) = found {
            return Some(OAuthApp { client_id: e.client_id, client_secret: e.client_secret.map(Secret::new), source: "settings file" });
        }
    }
    if is_default {
        if let Some((id, secret)) = build_time(kind) {
            return Some(OAuthApp { client_id: id.to_owned(), client_secret: secret.map(Secret::new), source: "build" });
        }
    }
    None
}

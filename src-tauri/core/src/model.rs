//! Plain data shared by every layer: providers, bindings, history events.
//! These types cross IPC (generated TypeScript in `ui/src/lib/api/bindings.ts`) and the CLI's `--json`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A kind of code host. Hosts (github.com, a GitLab instance, ...) are separate: one provider, many hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    Github,
    Gitlab,
    Bitbucket,
    Gitee,
    Codeup,
    Gitea,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 6] = [
        ProviderKind::Github,
        ProviderKind::Gitlab,
        ProviderKind::Bitbucket,
        ProviderKind::Gitee,
        ProviderKind::Codeup,
        ProviderKind::Gitea,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Github => "github",
            ProviderKind::Gitlab => "gitlab",
            ProviderKind::Bitbucket => "bitbucket",
            ProviderKind::Gitee => "gitee",
            ProviderKind::Codeup => "codeup",
            ProviderKind::Gitea => "gitea",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn display_name(self) -> &'static str {
        match self {
            ProviderKind::Github => "GitHub",
            ProviderKind::Gitlab => "GitLab",
            ProviderKind::Bitbucket => "Bitbucket",
            ProviderKind::Gitee => "Gitee",
            ProviderKind::Codeup => "Codeup",
            ProviderKind::Gitea => "Gitea / Forgejo",
        }
    }
}

/// How a binding was authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    Oauth,
    Token,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Oauth => "oauth",
            AuthMethod::Token => "token",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "oauth" => Some(AuthMethod::Oauth),
            "token" => Some(AuthMethod::Token),
            _ => None,
        }
    }
}

/// The health of a binding's credential, as last verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BindingStatus {
    Active,
    Invalid,
    Expired,
    InsufficientScopes,
    Unreachable,
    NeedsReauth,
}

impl BindingStatus {
    pub const ALL: [BindingStatus; 6] = [
        BindingStatus::Active,
        BindingStatus::Invalid,
        BindingStatus::Expired,
        BindingStatus::InsufficientScopes,
        BindingStatus::Unreachable,
        BindingStatus::NeedsReauth,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            BindingStatus::Active => "active",
            BindingStatus::Invalid => "invalid",
            BindingStatus::Expired => "expired",
            BindingStatus::InsufficientScopes => "insufficient_scopes",
            BindingStatus::Unreachable => "unreachable",
            BindingStatus::NeedsReauth => "needs_reauth",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One bound account. Never holds a secret: the token lives in the vault under `vault_key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Binding {
    pub id: String,
    pub provider: ProviderKind,
    /// Normalised base URL of the host, e.g. `https://github.com` or `https://gitlab.example.com`.
    pub host: String,
    pub account_id: String,
    pub login: String,
    pub display_name: Option<String>,
    pub avatar_url: Option<String>,
    pub auth_method: AuthMethod,
    pub scopes: Vec<String>,
    /// RFC 3339, or null when the token does not expire (or the provider does not say).
    pub expires_at: Option<String>,
    pub status: BindingStatus,
    pub disabled: bool,
    pub created_at: String,
    pub updated_at: String,
    pub last_verified_at: Option<String>,
    /// Where the secret lives in the keychain (a reference, not the secret).
    pub vault_key: String,
}

/// The kinds of entries in a binding's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Bound,
    Verified,
    VerificationFailed,
    Disabled,
    Enabled,
    ReAuthorized,
    TokenRefreshed,
    Unbound,
    Revoked,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::Bound,
        EventKind::Verified,
        EventKind::VerificationFailed,
        EventKind::Disabled,
        EventKind::Enabled,
        EventKind::ReAuthorized,
        EventKind::TokenRefreshed,
        EventKind::Unbound,
        EventKind::Revoked,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Bound => "bound",
            EventKind::Verified => "verified",
            EventKind::VerificationFailed => "verification_failed",
            EventKind::Disabled => "disabled",
            EventKind::Enabled => "enabled",
            EventKind::ReAuthorized => "re_authorized",
            EventKind::TokenRefreshed => "token_refreshed",
            EventKind::Unbound => "unbound",
            EventKind::Revoked => "revoked",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of the append-only history. `binding_id` survives unbinding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HistoryEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub binding_id: String,
    pub at: String,
    pub kind: EventKind,
    /// Free-form JSON detail (provider, host, login, reason...). Never a secret.
    #[ts(type = "unknown")]
    pub detail: serde_json::Value,
}

/// A page of history, newest first. Pass `next_before` back as `before` for the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HistoryPage {
    pub events: Vec<HistoryEvent>,
    #[ts(type = "number | null")]
    pub next_before: Option<i64>,
}

/// Which history to read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct HistoryQuery {
    pub binding_id: Option<String>,
    pub kind: Option<EventKind>,
    /// Only events with an id below this one (paging cursor).
    #[ts(type = "number | null")]
    pub before: Option<i64>,
    /// At most this many events (1..=1000, default 100).
    pub limit: Option<u32>,
}

/// What the Code Sources page shows for one provider, after the seeds' tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProviderInfo {
    pub kind: ProviderKind,
    pub name: String,
    pub default_host: Option<String>,
    pub supported_version: String,
    pub binding_methods: Vec<AuthMethod>,
    pub self_hosted: bool,
}

/// Where secrets are kept and whether that place works right now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VaultStatus {
    /// e.g. "Secret Service (Linux)", "macOS Keychain", "Windows Credential Manager", "in-memory (tests)".
    pub backend: String,
    pub available: bool,
    /// Why it is unavailable, in one line, when it is.
    pub problem: Option<String>,
}

/// Facts about this installation for the Settings and empty-state screens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub database_path: String,
    pub vault: VaultStatus,
    pub providers: Vec<ProviderInfo>,
}

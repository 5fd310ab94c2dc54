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
    /// The user name entered with the token, where the provider needs one: the Bitbucket account
    /// email (Basic auth with an API token), Codeup's HTTPS clone user name, GitLab's user name.
    pub username: Option<String>,
    /// The organization the binding works in (Codeup's organization id).
    pub organization: Option<String>,
    /// Granted scopes as the provider reported them. Empty with `scopes_reported: false` means unknown.
    pub scopes: Vec<String>,
    /// Whether the provider reports scopes for this token at all (fine-grained GitHub tokens, Gitee,
    /// Codeup and Gitea do not).
    pub scopes_reported: bool,
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
    RuleAdded,
    RuleChanged,
    RuleEnabled,
    RuleDisabled,
    RuleRemoved,
    HookCreated,
    HookRemoved,
    BuildTriggered,
}

impl EventKind {
    pub const ALL: [EventKind; 17] = [
        EventKind::Bound,
        EventKind::Verified,
        EventKind::VerificationFailed,
        EventKind::Disabled,
        EventKind::Enabled,
        EventKind::ReAuthorized,
        EventKind::TokenRefreshed,
        EventKind::Unbound,
        EventKind::Revoked,
        EventKind::RuleAdded,
        EventKind::RuleChanged,
        EventKind::RuleEnabled,
        EventKind::RuleDisabled,
        EventKind::RuleRemoved,
        EventKind::HookCreated,
        EventKind::HookRemoved,
        EventKind::BuildTriggered,
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
            EventKind::RuleAdded => "rule_added",
            EventKind::RuleChanged => "rule_changed",
            EventKind::RuleEnabled => "rule_enabled",
            EventKind::RuleDisabled => "rule_disabled",
            EventKind::RuleRemoved => "rule_removed",
            EventKind::HookCreated => "hook_created",
            EventKind::HookRemoved => "hook_removed",
            EventKind::BuildTriggered => "build_triggered",
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

/// A host's connection settings as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HostSettings {
    /// The origin, e.g. `https://gitlab.acme.dev`.
    pub host: String,
    /// A PEM bundle of extra root certificates to trust for this host.
    pub ca_bundle: Option<String>,
    /// `null`: the system's proxy settings; `"direct"`: none; else the proxy URL.
    pub proxy: Option<String>,
    pub updated_at: String,
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

/// Whether the account's token can reach an organization's resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrgAccess {
    Granted,
    /// The organization restricts third-party (OAuth App) access and has not approved this app.
    Restricted,
    /// The organization uses SAML single sign-on and the token is not authorized for it.
    SsoRequired,
}

/// An organization, group or workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Org {
    pub id: String,
    pub login: String,
    pub name: Option<String>,
    /// "organization", "group" or "workspace", in the provider's words.
    pub kind: String,
    pub web_url: Option<String>,
    /// The parent group's full path, for GitLab subgroups.
    pub parent: Option<String>,
    pub access: OrgAccess,
    /// Where the user grants access or authorizes SSO, when access is not granted.
    pub grant_url: Option<String>,
}

/// A repository the account can reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Repo {
    pub id: String,
    /// `owner/name`, or the whole namespace path on GitLab (`group/sub/project`).
    pub full_name: String,
    pub name: String,
    pub private: bool,
    pub default_branch: Option<String>,
    pub web_url: String,
    pub clone_url: Option<String>,
    /// A GitLab project inside a subgroup: cloud builds can only be triggered manually (the seeds).
    pub in_subgroup: bool,
}

/// What happened to the token at the provider on unbind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RevokeOutcome {
    /// The provider confirmed the token is revoked.
    Revoked,
    /// No API revokes this token: the user must do it on this page.
    Manual { url: String },
    /// The provider refused or could not be reached; the user should revoke it on this page.
    Failed { message: String, url: String },
    /// Revocation was not asked for.
    NotRequested,
}

/// What the user submits to bind an account with a token. The token goes to Rust once and is
/// never sent back to the UI.
#[derive(Clone, PartialEq, Deserialize, TS)]
pub struct BindRequest {
    pub provider: ProviderKind,
    /// The host URL; the provider's public service when absent (required for Gitea/Forgejo).
    pub host: Option<String>,
    pub token: String,
    /// Bitbucket: the Atlassian account email (API tokens use Basic auth); Codeup: the HTTPS clone
    /// user name; GitLab: the user name (checked against the token's owner).
    pub username: Option<String>,
    /// Codeup: the organization id.
    pub organization: Option<String>,
    /// A PEM file of extra root certificates for a self-managed host with a private CA.
    pub ca_bundle: Option<String>,
}

impl std::fmt::Debug for BindRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BindRequest")
            .field("provider", &self.provider)
            .field("host", &self.host)
            .field("token", &"<redacted>")
            .field("username", &self.username)
            .field("organization", &self.organization)
            .finish()
    }
}

/// The result of verifying one binding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VerifyReport {
    pub binding_id: String,
    pub status: BindingStatus,
    /// Why verification did not succeed, when it did not.
    pub error: Option<crate::error::Error>,
}

/// One binding of a "verify all" finished: `done` of `total`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VerifyProgress {
    pub done: u32,
    pub total: u32,
    pub report: VerifyReport,
}

/// What unbinding did, step by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UnbindReport {
    pub binding_id: String,
    pub revoke: RevokeOutcome,
    /// The token was removed from the keychain.
    pub secret_removed: bool,
    /// The binding was removed from the store (its history stays).
    pub binding_removed: bool,
    /// Each webhook Codebind had created for the binding, and whether it was removed.
    pub hooks: Vec<HookRemoval>,
}

/// Everything the binding detail screen shows that needs no network call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BindingDetail {
    pub binding: Binding,
    pub scope_health: crate::providers::scopes::ScopeHealth,
    pub warnings: Vec<crate::providers::reachability::ReachabilityWarning>,
    pub ca_bundle: Option<String>,
    /// Where to revoke the token by hand.
    pub revoke_page: String,
    /// Whether unbinding can revoke the token through the provider's API.
    pub revocable: bool,
}

/// What a build rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    Branch,
    Tag,
}

/// A build rule: which branch or tag of a repository builds which Dockerfile into which image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BuildRule {
    pub id: String,
    pub binding_id: String,
    /// The repository's full name (`owner/name`, or the GitLab namespace path).
    pub repo: String,
    pub source_type: SourceType,
    /// A branch or tag name, or a regular expression when `is_regex`.
    pub source: String,
    pub is_regex: bool,
    pub dockerfile: String,
    pub context: String,
    /// The image repository, e.g. `registry.example.com/team/app`.
    pub image: String,
    /// The tag template: `{branch}`, `{tag}`, `{sha}`, `{sha7}` are filled in, e.g. `{branch}-{sha7}`.
    pub tag_template: String,
    /// The build service's trigger URL for this rule; the global one from Settings when null.
    pub trigger_url: Option<String>,
    pub enabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A webhook Codebind created on a repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Webhook {
    pub id: String,
    pub binding_id: String,
    pub repo: String,
    /// The provider's id for the hook.
    pub provider_hook_id: String,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: String,
    /// Where the secret that signs its deliveries lives in the keychain.
    pub secret_key: String,
}

/// A recorded webhook compared with what the provider has now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WebhookState {
    pub hook: Webhook,
    /// Still present at the provider.
    pub present: Option<bool>,
    /// What differs from what Codebind created (URL, events, inactive).
    pub drift: Vec<String>,
    /// Why the provider could not be asked, when it could not.
    pub error: Option<crate::error::Error>,
}

/// What removing one webhook did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HookRemoval {
    pub repo: String,
    pub provider_hook_id: String,
    pub removed: bool,
    /// Where to remove it by hand when it could not be removed.
    pub manual_url: Option<String>,
    pub error: Option<crate::error::Error>,
}

/// What a manual build trigger sent and how the build service answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TriggerReport {
    pub rule_id: String,
    pub git_ref: String,
    /// The commit the ref pointed at, as the provider said.
    pub sha: String,
    pub image_tag: String,
    pub url: String,
    pub status: Option<u16>,
    pub delivered: bool,
    pub message: Option<String>,
}

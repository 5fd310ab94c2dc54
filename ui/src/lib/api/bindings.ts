// Generated from the Rust types in src-tauri/core by ts-rs. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p codebind-core bindings` after changing them.

export type ProviderKind = "github" | "gitlab" | "bitbucket" | "gitee" | "codeup" | "gitea";
export type AuthMethod = "oauth" | "token";
export type BindingStatus = "active" | "invalid" | "expired" | "insufficient_scopes" | "unreachable" | "needs_reauth";
export type EventKind = "bound" | "verified" | "verification_failed" | "disabled" | "enabled" | "re_authorized" | "token_refreshed" | "unbound" | "revoked" | "rule_added" | "rule_changed" | "rule_enabled" | "rule_disabled" | "rule_removed" | "hook_created" | "hook_removed" | "build_triggered";
export type Binding = { id: string, provider: ProviderKind, 
/**
 * Normalised base URL of the host, e.g. `https://github.com` or `https://gitlab.example.com`.
 */
host: string, account_id: string, login: string, display_name: string | null, avatar_url: string | null, auth_method: AuthMethod, 
/**
 * The user name entered with the token, where the provider needs one: the Bitbucket account
 * email (Basic auth with an API token), Codeup's HTTPS clone user name, GitLab's user name.
 */
username: string | null, 
/**
 * The organization the binding works in (Codeup's organization id).
 */
organization: string | null, 
/**
 * Granted scopes as the provider reported them. Empty with `scopes_reported: false` means unknown.
 */
scopes: Array<string>, 
/**
 * Whether the provider reports scopes for this token at all (fine-grained GitHub tokens, Gitee,
 * Codeup and Gitea do not).
 */
scopes_reported: boolean, 
/**
 * RFC 3339, or null when the token does not expire (or the provider does not say).
 */
expires_at: string | null, status: BindingStatus, disabled: boolean, created_at: string, updated_at: string, last_verified_at: string | null, 
/**
 * Where the secret lives in the keychain (a reference, not the secret).
 */
vault_key: string, };
export type HistoryEvent = { id: number, binding_id: string, at: string, kind: EventKind, 
/**
 * Free-form JSON detail (provider, host, login, reason...). Never a secret.
 */
detail: unknown, };
export type HistoryPage = { events: Array<HistoryEvent>, next_before: number | null, };
export type HistoryQuery = { binding_id: string | null, kind: EventKind | null, 
/**
 * Only events with an id below this one (paging cursor).
 */
before: number | null, 
/**
 * At most this many events (1..=1000, default 100).
 */
limit: number | null, };
export type ProviderInfo = { kind: ProviderKind, name: string, default_host: string | null, supported_version: string, binding_methods: Array<AuthMethod>, self_hosted: boolean, };
export type VaultStatus = { 
/**
 * e.g. "Secret Service (Linux)", "macOS Keychain", "Windows Credential Manager", "in-memory (tests)".
 */
backend: string, available: boolean, 
/**
 * Why it is unavailable, in one line, when it is.
 */
problem: string | null, };
export type AppInfo = { version: string, data_dir: string, database_path: string, vault: VaultStatus, providers: Array<ProviderInfo>, };
export type ErrorCode = "invalid_input" | "invalid_url" | "insecure_http" | "keychain_unavailable" | "provider_unauthorized" | "provider_forbidden" | "insufficient_scope" | "org_restricted" | "sso_required" | "rate_limited" | "network" | "provider_error" | "provider_unavailable" | "binding_disabled" | "oauth_state_mismatch" | "oauth_denied" | "oauth_expired" | "oauth_cancelled" | "not_found" | "conflict" | "storage" | "internal";
export type Error = { code: ErrorCode, message: string, };
export type OrgAccess = "granted" | "restricted" | "sso_required";
export type Org = { id: string, login: string, name: string | null, 
/**
 * "organization", "group" or "workspace", in the provider's words.
 */
kind: string, web_url: string | null, 
/**
 * The parent group's full path, for GitLab subgroups.
 */
parent: string | null, access: OrgAccess, 
/**
 * Where the user grants access or authorizes SSO, when access is not granted.
 */
grant_url: string | null, };
export type Repo = { id: string, 
/**
 * `owner/name`, or the whole namespace path on GitLab (`group/sub/project`).
 */
full_name: string, name: string, private: boolean, default_branch: string | null, web_url: string, clone_url: string | null, 
/**
 * A GitLab project inside a subgroup: cloud builds can only be triggered manually (the seeds).
 */
in_subgroup: boolean, };
export type RevokeOutcome = { "kind": "revoked" } | { "kind": "manual", url: string, } | { "kind": "failed", message: string, url: string, } | { "kind": "not_requested" };
export type BindRequest = { provider: ProviderKind, 
/**
 * The host URL; the provider's public service when absent (required for Gitea/Forgejo).
 */
host: string | null, token: string, 
/**
 * Bitbucket: the Atlassian account email (API tokens use Basic auth); Codeup: the HTTPS clone
 * user name; GitLab: the user name (checked against the token's owner).
 */
username: string | null, 
/**
 * Codeup: the organization id.
 */
organization: string | null, 
/**
 * A PEM file of extra root certificates for a self-managed host with a private CA.
 */
ca_bundle: string | null, };
export type VerifyReport = { binding_id: string, status: BindingStatus, 
/**
 * Why verification did not succeed, when it did not.
 */
error: Error | null, };
export type VerifyProgress = { done: number, total: number, report: VerifyReport, };
export type UnbindReport = { binding_id: string, revoke: RevokeOutcome, 
/**
 * The token was removed from the keychain.
 */
secret_removed: boolean, 
/**
 * The binding was removed from the store (its history stays).
 */
binding_removed: boolean, 
/**
 * Each webhook Codebind had created for the binding, and whether it was removed.
 */
hooks: Array<HookRemoval>, };
export type Feature = "repositories" | "webhooks" | "registry_pull" | "registry_push";
export type FeatureHealth = { feature: Feature, 
/**
 * The scopes to grant, in the provider's words (the least-privilege choice).
 */
needed: Array<string>, 
/**
 * Of `needed`, what the token lacks. Empty when satisfied or unknown.
 */
missing: Array<string>, 
/**
 * `None` when the provider does not report scopes for this token: it cannot be checked here.
 */
satisfied: boolean | null, };
export type ScopeHealth = { reported: boolean, granted: Array<string>, features: Array<FeatureHealth>, 
/**
 * A page that creates a token with exactly the missing scopes, where the provider supports
 * prefilled links; otherwise the provider's token page.
 */
fix_url: string | null, 
/**
 * Permissions to tick by hand where the provider cannot tell us (Codeup's least-privilege list).
 */
checklist: Array<string>, };
export type ReachabilityWarning = "https_port_not_supported" | "http_port_not_supported" | "not_reachable_from_internet" | "custom_certificate";
export type BindingDetail = { binding: Binding, scope_health: ScopeHealth, warnings: Array<ReachabilityWarning>, ca_bundle: string | null, 
/**
 * Where to revoke the token by hand.
 */
revoke_page: string, 
/**
 * Whether unbinding can revoke the token through the provider's API.
 */
revocable: boolean, };
export type Redirect = "deep_link" | "loopback";
export type OAuthStarted = { authorize_url: string, redirect_uri: string, 
/**
 * Names this sign-in for `cancel_sign_in`.
 */
attempt_id: string, };
export type OAuthAppView = { provider: ProviderKind, host: string, client_id: string | null, has_secret: boolean, source: string | null, 
/**
 * What to register on the provider as the callback / redirect URI.
 */
redirect_uri: string, scopes: Array<string>, secret_required: boolean, device_flow: boolean, };
export type OAuthFinished = { binding: Binding | null, error: Error | null, };
export type DeviceCode = { user_code: string, verification_uri: string, verification_uri_complete: string | null, expires_in: number, interval: number, 
/**
 * Names this sign-in for `cancel_sign_in`.
 */
attempt_id: string, };
export type SourceType = "branch" | "tag";
export type BuildRule = { id: string, binding_id: string, 
/**
 * The repository's full name (`owner/name`, or the GitLab namespace path).
 */
repo: string, source_type: SourceType, 
/**
 * A branch or tag name, or a regular expression when `is_regex`.
 */
source: string, is_regex: boolean, dockerfile: string, context: string, 
/**
 * The image repository, e.g. `registry.example.com/team/app`.
 */
image: string, 
/**
 * The tag template: `{branch}`, `{tag}`, `{sha}`, `{sha7}` are filled in, e.g. `{branch}-{sha7}`.
 */
tag_template: string, 
/**
 * The build service's trigger URL for this rule; the global one from Settings when null.
 */
trigger_url: string | null, enabled: boolean, created_at: string, updated_at: string, };
export type Webhook = { id: string, binding_id: string, repo: string, 
/**
 * The provider's id for the hook.
 */
provider_hook_id: string, url: string, events: Array<string>, created_at: string, 
/**
 * Where the secret that signs its deliveries lives in the keychain.
 */
secret_key: string, };
export type WebhookState = { hook: Webhook, 
/**
 * Still present at the provider.
 */
present: boolean | null, 
/**
 * What differs from what Codebind created (URL, events, inactive).
 */
drift: Array<string>, 
/**
 * Why the provider could not be asked, when it could not.
 */
error: Error | null, };
export type HookRemoval = { repo: string, provider_hook_id: string, removed: boolean, 
/**
 * Where to remove it by hand when it could not be removed.
 */
manual_url: string | null, error: Error | null, };
export type TriggerReport = { rule_id: string, git_ref: string, 
/**
 * The commit the ref pointed at, as the provider said.
 */
sha: string, image_tag: string, url: string, status: number | null, delivered: boolean, message: string | null, };
export type NewRule = { binding_id: string, repo: string, source_type: SourceType, source: string, dockerfile: string, context: string | null, 
/**
 * `REPO[:TAG-TEMPLATE]`
 */
image: string, trigger_url: string | null, 
/**
 * The value of an `Authorization` header for this rule's trigger URL (kept in the keychain).
 */
trigger_auth?: string | null, };
export type RuleAdded = { rule: BuildRule, hook: Webhook, 
/**
 * Whether this rule created the webhook (false: the repository already had Codebind's hook).
 */
hook_created: boolean, };
export type RuleRemoved = { rule_id: string, 
/**
 * Set when the rule was the last one on its repository and its webhook was removed (or not).
 */
hook: HookRemoval | null, };
export type RuleEdit = { rule_id: string, source_type: SourceType, source: string, dockerfile: string, context: string | null, 
/**
 * `REPO[:TAG-TEMPLATE]`
 */
image: string, 
/**
 * None: the global trigger URL from Settings.
 */
trigger_url: string | null, 
/**
 * A new `Authorization` header for this rule; none keeps the current one.
 */
trigger_auth?: string | null, 
/**
 * Drops this rule's own `Authorization` header (the global one applies again).
 */
clear_trigger_auth: boolean, };
export type HookSync = { 
/**
 * The repository's webhook afterwards (none when no enabled rule needs one).
 */
hook: Webhook | null, 
/**
 * A new webhook was created at the provider.
 */
created: boolean, 
/**
 * The webhook that was removed (or could not be, with a link to do it by hand).
 */
removal: HookRemoval | null, };
export type RuleSaved = { rule: BuildRule, hook: HookSync, };
export type ExportFormat = "csv" | "json";
export type ExportFilter = { binding_id: string | null, kind: EventKind | null, from: string | null, to: string | null, };
export type ExportReport = { path: string, events: number, bytes: number, };
export type HostSettings = { 
/**
 * The origin, e.g. `https://gitlab.acme.dev`.
 */
host: string, 
/**
 * A PEM bundle of extra root certificates to trust for this host.
 */
ca_bundle: string | null, 
/**
 * `null`: the system's proxy settings; `"direct"`: none; else the proxy URL.
 */
proxy: string | null, updated_at: string, };
export type HostEntry = { host: string, ca_bundle: string | null, 
/**
 * `null`: the system's proxy settings; `"direct"`: none; else the proxy URL.
 */
proxy: string | null, bindings: number, };
export type HostUpdate = { host: string, ca_bundle: string | null, proxy: string | null, };

// Generated from the Rust types in src-tauri/core by ts-rs. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p codebind-core bindings` after changing them.

export type ProviderKind = "github" | "gitlab" | "bitbucket" | "gitee" | "codeup" | "gitea";
export type AuthMethod = "oauth" | "token";
export type BindingStatus = "active" | "invalid" | "expired" | "insufficient_scopes" | "unreachable" | "needs_reauth";
export type EventKind = "bound" | "verified" | "verification_failed" | "disabled" | "enabled" | "re_authorized" | "token_refreshed" | "unbound" | "revoked";
export type Binding = { id: string, provider: ProviderKind, 
/**
 * Normalised base URL of the host, e.g. `https://github.com` or `https://gitlab.example.com`.
 */
host: string, account_id: string, login: string, display_name: string | null, avatar_url: string | null, auth_method: AuthMethod, scopes: Array<string>, 
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
export type ErrorCode = "invalid_input" | "invalid_url" | "insecure_http" | "keychain_unavailable" | "provider_unauthorized" | "provider_forbidden" | "insufficient_scope" | "org_restricted" | "sso_required" | "rate_limited" | "network" | "provider_error" | "oauth_state_mismatch" | "oauth_denied" | "oauth_expired" | "not_found" | "conflict" | "storage" | "internal";
export type Error = { code: ErrorCode, message: string, };

// Thin typed client over Tauri's IPC. The UI never sees tokens: every command
// here returns metadata only. Rejections are normalised to `ApiError`, and the
// UI branches on `code`, never on `message`.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  AppInfo,
  Binding,
  BindingDetail,
  BindRequest,
  BuildRule,
  DeviceCode,
  ErrorCode,
  Error as ApiError,
  ExportFilter,
  ExportFormat,
  ExportReport,
  HistoryPage,
  HistoryQuery,
  HookSync,
  HostEntry,
  HostUpdate,
  NewRule,
  OAuthAppView,
  OAuthFinished,
  OAuthStarted,
  Org,
  ProviderKind,
  Redirect,
  Repo,
  RuleAdded,
  RuleEdit,
  RuleRemoved,
  RuleSaved,
  TriggerReport,
  UnbindReport,
  VerifyReport,
  WebhookState,
  VerifyProgress,
} from './bindings';

export type { ApiError };

/** Event the backend emits (no payload) whenever bindings change. */
export const BINDINGS_CHANGED = 'bindings-changed';
/** Event the backend emits when a browser or device sign-in ends (payload: OAuthFinished). */
export const OAUTH_FINISHED = 'oauth-finished';

// A Record keyed by the generated union: adding a code in Rust makes this file
// fail `npm run check` until the code (and its catalog key) is handled.
const KNOWN_CODES: Record<ErrorCode, true> = {
  invalid_input: true,
  invalid_url: true,
  insecure_http: true,
  keychain_unavailable: true,
  provider_unauthorized: true,
  provider_forbidden: true,
  insufficient_scope: true,
  org_restricted: true,
  sso_required: true,
  rate_limited: true,
  network: true,
  provider_error: true,
  provider_unavailable: true,
  binding_disabled: true,
  oauth_state_mismatch: true,
  oauth_denied: true,
  oauth_expired: true,
  oauth_cancelled: true,
  not_found: true,
  conflict: true,
  storage: true,
  internal: true,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(KNOWN_CODES, value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof globalThis.Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Turns any rejection into `{ code, message }`; unknown shapes become `internal`. */
export function toApiError(reason: unknown): ApiError {
  if (reason !== null && typeof reason === 'object' && 'code' in reason) {
    const { code, message } = reason as { code: unknown; message?: unknown };
    if (isErrorCode(code)) {
      return { code, message: typeof message === 'string' ? message : describe(message ?? '') };
    }
  }
  return { code: 'internal', message: describe(reason) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (reason) {
    throw toApiError(reason);
  }
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

export function listBindings(): Promise<Binding[]> {
  return call<Binding[]>('list_bindings');
}

export function listHistory(query: HistoryQuery): Promise<HistoryPage> {
  return call<HistoryPage>('list_history', { query });
}

export function bindingDetail(id: string): Promise<BindingDetail> {
  return call<BindingDetail>('binding_detail', { id });
}

/** The token travels to Rust once; callers clear their copy right after. */
export function bindWithToken(request: BindRequest): Promise<Binding> {
  return call<Binding>('bind_with_token', { request });
}

export function verifyBinding(id: string): Promise<VerifyReport> {
  return call<VerifyReport>('verify_binding', { id });
}

/** Verifies every enabled binding; `onProgress` hears each one as it finishes. */
export function verifyAll(onProgress: (p: VerifyProgress) => void = () => {}): Promise<VerifyReport[]> {
  const progress = new Channel<VerifyProgress>();
  progress.onmessage = onProgress;
  return call<VerifyReport[]>('verify_all', { progress });
}

export function setDisabled(id: string, disabled: boolean): Promise<Binding> {
  return call<Binding>('set_disabled', { id, disabled });
}

/** `removeHooks`: remove the webhooks Codebind created first (they need the token). */
export function unbind(id: string, revoke: boolean, removeHooks: boolean): Promise<UnbindReport> {
  return call<UnbindReport>('unbind', { id, revoke, removeHooks });
}

export function listOrgs(id: string): Promise<Org[]> {
  return call<Org[]>('list_orgs', { id });
}

/** Streams repositories page by page to `onPage`; resolves with the total once all have arrived. */
export function listRepos(id: string, onPage: (page: Repo[]) => void): Promise<number> {
  const pages = new Channel<Repo[]>();
  pages.onmessage = onPage;
  return call<number>('list_repos', { id, pages });
}

export function startOAuth(provider: ProviderKind, host: string | null, redirect: Redirect): Promise<OAuthStarted> {
  return call<OAuthStarted>('start_oauth', { provider, host, redirect });
}

/** Cancels a sign-in started with startOAuth/startDevice (by its attempt_id). */
export function cancelSignInAttempt(attemptId: string): Promise<boolean> {
  return call<boolean>('cancel_sign_in', { attemptId });
}

export function startDevice(provider: ProviderKind, host: string | null): Promise<DeviceCode> {
  return call<DeviceCode>('start_device', { provider, host });
}

export function oauthApp(provider: ProviderKind, host: string | null): Promise<OAuthAppView> {
  return call<OAuthAppView>('oauth_app', { provider, host });
}

export function saveOAuthApp(
  provider: ProviderKind,
  host: string | null,
  clientId: string,
  clientSecret: string | null,
): Promise<OAuthAppView> {
  return call<OAuthAppView>('save_oauth_app', { provider, host, clientId, clientSecret });
}

/** Build rules, of one binding or of all. */
export function listRules(bindingId: string | null): Promise<BuildRule[]> {
  return call<BuildRule[]>('list_rules', bindingId === null ? {} : { bindingId });
}

/** Adds a rule; Rust creates the repository's webhook unless Codebind already has one there. */
export function addRule(rule: NewRule): Promise<RuleAdded> {
  return call<RuleAdded>('add_rule', { rule });
}

/** Removes a rule; its webhook goes too when it was the repository's last rule. */
export function removeRule(id: string): Promise<RuleRemoved> {
  return call<RuleRemoved>('remove_rule', { id });
}

/**
 * Changes a rule (not its repository); the repository's webhook moves with its trigger URL.
 * `trigger_auth` null keeps the rule's Authorization header; `clear_trigger_auth` drops it.
 */
export function updateRule(edit: RuleEdit): Promise<RuleSaved> {
  return call<RuleSaved>('update_rule', { edit });
}

/** Switches a rule on or off; the webhook goes with the repository's last enabled rule and comes back with the first. */
export function setRuleEnabled(id: string, enabled: boolean): Promise<RuleSaved> {
  return call<RuleSaved>('set_rule_enabled', { id, enabled });
}

/** Re-creates a missing or changed webhook, or removes one no enabled rule needs. */
export function repairHook(bindingId: string, repo: string): Promise<HookSync> {
  return call<HookSync>('repair_hook', { bindingId, repo });
}

/** The webhooks Codebind created for a binding, checked at the provider (present, drift). */
export function listHooks(bindingId: string): Promise<WebhookState[]> {
  return call<WebhookState[]>('list_hooks', { bindingId });
}

/** "Build now": sends a signed push event for `gitRef` (required when the rule is a pattern). */
export function triggerBuild(ruleId: string, gitRef: string | null): Promise<TriggerReport> {
  return call<TriggerReport>('trigger_build', { ruleId, gitRef });
}

/** The build service's trigger URL from Settings, or null. */
export function triggerUrl(): Promise<string | null> {
  return call<string | null>('trigger_url');
}

/** Saves (or, with null, clears) the global trigger URL; resolves with what was stored. */
export function setTriggerUrl(url: string | null): Promise<string | null> {
  return call<string | null>('set_trigger_url', { url });
}

/**
 * Writes every event matching `filter` (not only the loaded pages) to a file in the Downloads
 * folder; resolves with its path and how many events it holds.
 */
export function exportHistory(filter: ExportFilter, format: ExportFormat): Promise<ExportReport> {
  return call<ExportReport>('export_history', { filter, format });
}

/** Shows an exported file in the file manager (only files exported in this run). */
export function revealExport(path: string): Promise<void> {
  return call<void>('reveal_export', { path });
}

/** Every host with bindings or settings: its CA bundle, proxy and how many bindings use it. */
export function listHosts(): Promise<HostEntry[]> {
  return call<HostEntry[]>('list_hosts');
}

/** Checks and saves a host's CA bundle and proxy (empty or null clears); bad input saves nothing. */
export function saveHost(update: HostUpdate): Promise<HostEntry> {
  return call<HostEntry>('save_host', { update });
}

/** Opens an https link in the system browser (Rust checks the scheme). */
export function openExternal(url: string): Promise<void> {
  return call<void>('open_external', { url });
}

function subscribe<T>(event: string, handler: (payload: T) => void, onListening?: () => void): () => void {
  let disposed = false;
  let unlisten: (() => void) | undefined;
  listen<T>(event, (e) => handler(e.payload))
    .then((fn) => {
      if (disposed) fn();
      else {
        unlisten = fn;
        onListening?.();
      }
    })
    .catch(() => {
      // Outside Tauri (plain browser) there is no event bus; nothing to do.
    });
  return () => {
    disposed = true;
    unlisten?.();
  };
}

/**
 * Calls `handler` whenever the backend reports a change, and `onListening` once the subscription
 * is established (a change reported before then is not delivered: data read earlier may need a
 * second look). Returns a synchronous disposer that is safe to call before the subscription has
 * been established.
 */
export function onBindingsChanged(handler: () => void, onListening?: () => void): () => void {
  return subscribe<unknown>(BINDINGS_CHANGED, () => handler(), onListening);
}

/** Calls `handler` with each sign-in outcome. */
export function onOAuthFinished(handler: (outcome: OAuthFinished) => void): () => void {
  return subscribe<OAuthFinished>(OAUTH_FINISHED, handler);
}

// Thin typed client over Tauri's IPC. The UI never sees tokens: every command
// here returns metadata only. Rejections are normalised to `ApiError`, and the
// UI branches on `code`, never on `message`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  AppInfo,
  Binding,
  ErrorCode,
  Error as ApiError,
  HistoryPage,
  HistoryQuery,
} from './bindings';

export type { ApiError };

/** Event the backend emits (no payload) whenever bindings change. */
export const BINDINGS_CHANGED = 'bindings-changed';

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

/**
 * Calls `handler` whenever the backend reports a change. Returns a synchronous
 * disposer that is safe to call before the subscription has been established.
 */
export function onBindingsChanged(handler: () => void): () => void {
  let disposed = false;
  let unlisten: (() => void) | undefined;
  listen(BINDINGS_CHANGED, () => handler())
    .then((fn) => {
      if (disposed) fn();
      else unlisten = fn;
    })
    .catch(() => {
      // Outside Tauri (plain browser) there is no event bus; nothing to do.
    });
  return () => {
    disposed = true;
    unlisten?.();
  };
}

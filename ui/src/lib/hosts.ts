// Per-host connection settings (Settings → Hosts), mirroring src-tauri/core/src/usecases/hosts.rs:
// the stored proxy is null (the system's settings: HTTPS_PROXY / NO_PROXY), "direct", or a URL.
import type { ApiError } from './api/client';

export type ProxyMode = 'system' | 'direct' | 'url';

export const PROXY_MODES: readonly ProxyMode[] = ['system', 'direct', 'url'];

export function proxyMode(proxy: string | null): ProxyMode {
  if (proxy === null || proxy.trim() === '') return 'system';
  return proxy.trim().toLowerCase() === 'direct' ? 'direct' : 'url';
}

/** What save_host takes for the proxy: null (system), "direct", or the URL. */
export function proxyValue(mode: ProxyMode, url: string): string | null {
  if (mode === 'direct') return 'direct';
  if (mode === 'url') return url.trim() || null;
  return null;
}

export type HostField = 'host' | 'ca_bundle' | 'proxy';

/** A URL with a user name or password in it (Rust refuses to store proxy credentials). */
function hasCredentials(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url.trim());
}

/** Whether `host` would parse as an https (or loopback http) origin, roughly as Rust's Host::parse. */
function plausibleHost(host: string): boolean {
  const trimmed = host.trim();
  try {
    const url = new URL(trimmed.includes('://') ? trimmed : `https://${trimmed}`);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Which field a save_host error belongs under. Rust checks the host (invalid_url, insecure_http),
 * then the CA bundle (invalid_input), then the proxy (invalid_url; invalid_input for credentials),
 * so the code plus what was entered tells them apart. Null: not a field's (shown on the form).
 */
export function hostFieldFor(
  error: ApiError,
  input: { adding: boolean; host: string; caBundle: string; mode: ProxyMode; proxyUrl: string },
): HostField | null {
  const proxyUrl = input.mode === 'url';
  switch (error.code) {
    case 'insecure_http':
      return input.adding ? 'host' : null;
    case 'invalid_url':
      if (input.adding && (!proxyUrl || !plausibleHost(input.host))) return 'host';
      return proxyUrl ? 'proxy' : null;
    case 'invalid_input':
      if (input.caBundle.trim() && !(proxyUrl && hasCredentials(input.proxyUrl))) return 'ca_bundle';
      return proxyUrl ? 'proxy' : null;
    default:
      return null;
  }
}

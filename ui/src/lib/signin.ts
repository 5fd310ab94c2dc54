// The one browser or device sign-in in progress. Rust opens the browser (or polls the device
// grant) and reports the outcome as `oauth-finished`; App installs the listener once, so the
// outcome is handled even if the dialog that started it was closed.
import { get, writable } from 'svelte/store';
import type { DeviceCode, ErrorCode, OAuthFinished, ProviderKind } from './api/bindings';
import { cancelSignInAttempt, onOAuthFinished, type ApiError } from './api/client';
import { locale, translate } from './i18n';
import { providerName } from './providers';
import { bindingHref, navigate } from './route';
import { toastError, toastSuccess } from './toast';

export type SignIn =
  | { state: 'idle' }
  | { state: 'waiting'; provider: ProviderKind; device: DeviceCode | null; attempt: string | null }
  | { state: 'failed'; provider: ProviderKind; error: ApiError };

export const signin = writable<SignIn>({ state: 'idle' });

export function beginSignIn(provider: ProviderKind, device: DeviceCode | null = null, attempt: string | null = device?.attempt_id ?? null): void {
  signin.set({ state: 'waiting', provider, device, attempt });
}

/** Stops waiting and tells Rust: a browser sign-in's late callback is refused, and a loopback or
 * device-code sign-in stops waiting (its oauth_cancelled outcome is not shown as a failure). */
export function cancelSignIn(): void {
  const current = get(signin);
  if (current.state === 'waiting' && current.attempt) cancelSignInAttempt(current.attempt).catch(() => {});
  signin.set({ state: 'idle' });
}

export function failSignIn(provider: ProviderKind, error: ApiError): void {
  signin.set({ state: 'failed', provider, error });
}

function errorText(code: ErrorCode): string {
  return translate(get(locale), `error.${code}`);
}

export function handleOAuthFinished(outcome: OAuthFinished): void {
  const current = get(signin);
  const waiting = current.state === 'waiting';
  const lang = get(locale);
  if (outcome.binding) {
    const b = outcome.binding;
    toastSuccess(translate(lang, 'bind.success', { provider: providerName(b.provider) }));
    if (waiting) {
      signin.set({ state: 'idle' });
      navigate(bindingHref(b.id));
    }
    return;
  }
  const error = outcome.error ?? { code: 'internal', message: '' };
  if (error.code === 'oauth_cancelled' && !waiting) return;
  toastError(`${translate(lang, 'bind.signin_failed')} ${errorText(error.code)}`, error.code);
  if (waiting) failSignIn(current.provider, error);
}

export function installSignInListener(): () => void {
  return onOAuthFinished(handleOAuthFinished);
}

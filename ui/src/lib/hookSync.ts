// Tells the user what a rule change (save, enable, disable) or a repair did to the repository's
// webhook, as one toast: created, moved, removed, unchanged, or a removal that failed (with the
// page to remove it by hand and the error's code).
import { get } from 'svelte/store';
import type { HookSync } from './api/bindings';
import { locale, translate, type MessageKey } from './i18n';
import { toastError, toastSuccess } from './toast';

export type HookOutcome = 'created' | 'moved' | 'removed' | 'removal_failed' | 'kept' | 'none';

export function hookOutcome(sync: HookSync): HookOutcome {
  if (sync.removal && !sync.removal.removed) return 'removal_failed';
  if (sync.created) return sync.removal ? 'moved' : 'created';
  if (sync.removal) return 'removed';
  return sync.hook ? 'kept' : 'none';
}

/** One sentence about the webhook on `repo`. */
export function hookSentence(sync: HookSync, repo: string): string {
  const lang = get(locale);
  const outcome = hookOutcome(sync);
  const key: MessageKey = `hook_sync.${outcome}`;
  return translate(lang, key, { repo: sync.removal?.repo ?? repo, url: sync.hook?.url ?? '' });
}

/**
 * Toasts what happened to the webhook, inside `lead` when given (e.g. "Rule disabled. {outcome}";
 * a repair says the outcome alone). A removal that failed is an error toast with its code and a
 * link to remove the webhook by hand.
 */
export function toastHookSync(sync: HookSync, repo: string, lead: ((outcome: string) => string) | null): void {
  const lang = get(locale);
  const sentence = hookSentence(sync, repo);
  const text = lead ? lead(sentence) : sentence;
  const removal = sync.removal;
  if (removal && !removal.removed) {
    const link = removal.manual_url ? { label: translate(lang, 'hook_sync.remove_by_hand'), href: removal.manual_url } : null;
    const detail = removal.error?.message ? ` ${removal.error.message}` : '';
    toastError(text + detail, removal.error?.code ?? 'provider_error', link);
  } else {
    toastSuccess(text);
  }
}

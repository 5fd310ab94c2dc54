// Filtering and sorting of the bindings list (pure, so the table stays simple).
import type { Binding, BindingStatus, ProviderKind } from './api/bindings';
import { collator } from './intl';

export type SortKey = 'login' | 'provider' | 'status' | 'expiry' | 'verified';
export type StatusFilter = '' | BindingStatus | 'disabled' | 'attention';

export type BindingsFilter = {
  text: string;
  provider: ProviderKind | '';
  status: StatusFilter;
};

export const SORT_KEYS: SortKey[] = ['login', 'provider', 'status', 'expiry', 'verified'];

// Worst first when sorting by status ascending.
const STATUS_ORDER: Record<BindingStatus, number> = {
  invalid: 0,
  expired: 1,
  needs_reauth: 2,
  insufficient_scopes: 3,
  unreachable: 4,
  active: 5,
};

export function matches(b: Binding, f: BindingsFilter): boolean {
  if (f.provider && b.provider !== f.provider) return false;
  if (f.status === 'disabled' && !b.disabled) return false;
  if (f.status === 'attention' && (b.disabled || b.status === 'active')) return false;
  if (f.status && f.status !== 'disabled' && f.status !== 'attention' && b.status !== f.status) return false;
  const text = f.text.trim().toLowerCase();
  if (!text) return true;
  return [b.login, b.display_name ?? '', b.host, b.provider, b.username ?? '', b.organization ?? '']
    .some((v) => v.toLowerCase().includes(text));
}

function time(iso: string | null, missing: number): number {
  if (iso === null) return missing;
  const v = Date.parse(iso);
  return Number.isNaN(v) ? missing : v;
}

function order(x: number, y: number): number {
  return x === y ? 0 : x < y ? -1 : 1;
}

type Compare = (a: Binding, b: Binding) => number;

/** The comparison for `key`, with its collator looked up once per sort, not once per pair. */
function comparison(key: SortKey): Compare {
  switch (key) {
    case 'login': {
      const base = collator('base').compare;
      return (a, b) => base(a.login, b.login);
    }
    case 'provider': {
      const c = collator().compare;
      return (a, b) => c(a.provider, b.provider) || c(a.host, b.host);
    }
    case 'status':
      return (a, b) => (a.disabled ? 6 : STATUS_ORDER[a.status]) - (b.disabled ? 6 : STATUS_ORDER[b.status]);
    case 'expiry':
      // Soonest expiry first; tokens without expiry last.
      return (a, b) => order(time(a.expires_at, Infinity), time(b.expires_at, Infinity));
    case 'verified':
      // Most recently verified first; never verified last.
      return (a, b) => order(time(b.last_verified_at, -Infinity), time(a.last_verified_at, -Infinity));
  }
}

export function view(bindings: Binding[], f: BindingsFilter, key: SortKey, descending: boolean): Binding[] {
  const out = bindings.filter((b) => matches(b, f));
  const compare = comparison(key);
  // Ties (equal keys, or logins equal but for case and accents) in full collation order; that
  // collator is only built when a tie needs it.
  let tie: Intl.Collator['compare'] | null = null;
  out.sort((a, b) => {
    const c = compare(a, b) || (tie ??= collator().compare)(a.login, b.login);
    return descending ? -c : c;
  });
  return out;
}

import type { Binding, BindingStatus } from './api/bindings';

export type Tone = 'ok' | 'warn' | 'bad';

// Record over the generated union: a new status fails `npm run check` until toned.
const TONES: Record<BindingStatus, Tone> = {
  active: 'ok',
  expired: 'warn',
  needs_reauth: 'warn',
  insufficient_scopes: 'warn',
  unreachable: 'warn',
  invalid: 'bad',
};

export function statusTone(status: BindingStatus): Tone {
  return TONES[status] ?? 'bad';
}

export function needsAttention(binding: Binding): boolean {
  return !binding.disabled && binding.status !== 'active';
}

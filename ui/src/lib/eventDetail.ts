// How a history event reads in the History table and a binding's timeline: its tone, and its free-
// form detail in one line. A rule change's `changes: {field: [old, new]}` reads `field: old → new`.
import type { EventKind } from './api/bindings';

export type EventTone = 'ok' | 'bad' | 'muted';

const BAD: EventKind[] = ['verification_failed', 'revoked', 'unbound'];
const MUTED: EventKind[] = ['disabled', 'rule_disabled'];

export function eventTone(kind: EventKind): EventTone {
  return BAD.includes(kind) ? 'bad' : MUTED.includes(kind) ? 'muted' : 'ok';
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isChanges(value: unknown): value is Record<string, [unknown, unknown]> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => Array.isArray(v) && v.length === 2)
  );
}

export function summarizeDetail(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail !== 'object') return String(detail);
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => {
      if (k === 'changes' && isChanges(v)) {
        return Object.entries(v)
          .map(([field, [from, to]]) => `${field}: ${text(from)} → ${text(to)}`)
          .join(' · ');
      }
      return `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`;
    })
    .join(' · ');
}

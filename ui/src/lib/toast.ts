// Transient notices (top-right, aria-live). Errors carry their code, which the toast shows. A toast
// may carry one action: a button (e.g. "Show in folder") or a link to a page on the code host.
import { writable } from 'svelte/store';
import type { ErrorCode } from './api/bindings';

export type ToastAction = { label: string; run: () => void } | { label: string; href: string };

export type Toast = {
  id: number;
  tone: 'success' | 'error' | 'info';
  text: string;
  code: ErrorCode | null;
  action: ToastAction | null;
};

export const toasts = writable<Toast[]>([]);

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

/** A toast with an action stays long enough to reach it with the keyboard. */
const ACTION_MS = 20000;

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  toasts.update((list) => list.filter((t) => t.id !== id));
}

function push(tone: Toast['tone'], text: string, code: ErrorCode | null, ms: number, action: ToastAction | null): number {
  const id = nextId++;
  toasts.update((list) => [...list.slice(-3), { id, tone, text, code, action }]);
  timers.set(
    id,
    setTimeout(() => dismissToast(id), action ? Math.max(ms, ACTION_MS) : ms),
  );
  return id;
}

export function toastSuccess(text: string, action: ToastAction | null = null): number {
  return push('success', text, null, 6000, action);
}

export function toastInfo(text: string, action: ToastAction | null = null): number {
  return push('info', text, null, 6000, action);
}

export function toastError(text: string, code: ErrorCode, action: ToastAction | null = null): number {
  return push('error', text, code, 12000, action);
}

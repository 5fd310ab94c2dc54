// Transient notices (top-right, aria-live). Errors carry their code, which the toast shows.
import { writable } from 'svelte/store';
import type { ErrorCode } from './api/bindings';

export type Toast = {
  id: number;
  tone: 'success' | 'error' | 'info';
  text: string;
  code: ErrorCode | null;
};

export const toasts = writable<Toast[]>([]);

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  toasts.update((list) => list.filter((t) => t.id !== id));
}

function push(tone: Toast['tone'], text: string, code: ErrorCode | null, ms: number): number {
  const id = nextId++;
  toasts.update((list) => [...list.slice(-3), { id, tone, text, code }]);
  timers.set(
    id,
    setTimeout(() => dismissToast(id), ms),
  );
  return id;
}

export function toastSuccess(text: string): number {
  return push('success', text, null, 6000);
}

export function toastInfo(text: string): number {
  return push('info', text, null, 6000);
}

export function toastError(text: string, code: ErrorCode): number {
  return push('error', text, code, 12000);
}

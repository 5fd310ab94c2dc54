// Light / dark / follow the system, persisted; applied as <html data-theme> so app.css can pick
// the palette (no data-theme attribute = follow prefers-color-scheme).
import { writable } from 'svelte/store';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = 'codebind.theme';

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

function initial(): Theme {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isTheme(saved)) return saved;
  } catch {
    // Storage unavailable: follow the system.
  }
  return 'system';
}

export const theme = writable<Theme>(initial());

theme.subscribe((value) => {
  if (typeof document === 'undefined') return;
  if (value === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = value;
});

export function setTheme(value: Theme): void {
  theme.set(value);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, value);
  } catch {
    // Not persisted; applies to this session.
  }
}

// Screens and dialogs that are not part of the dashboard's first paint load as separate chunks
// (dynamic import), and are fetched in the background once the first screen has been painted, so
// that opening them later is still immediate.
import { afterPaint } from './paint';

/** A memoised dynamic import: loads once (again after a failure, e.g. to retry). */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = null;
      throw error;
    }));
}

export const loadBindingDetail = lazy(() => import('../screens/BindingDetail.svelte'));
export const loadHistory = lazy(() => import('../screens/History.svelte'));
export const loadSettings = lazy(() => import('../screens/Settings.svelte'));
export const loadSources = lazy(() => import('../screens/Sources.svelte'));
export const loadUnbindDialog = lazy(() => import('../components/UnbindDialog.svelte'));

const ALL = [loadBindingDetail, loadHistory, loadSources, loadSettings, loadUnbindDialog];

/**
 * Loads every lazy chunk once the first screen has been painted and the browser is idle (at most
 * `timeoutMs` later), one per idle period. A failure is left for the screen that needs the chunk.
 */
export function prefetchAll(timeoutMs = 2000): () => void {
  let cancelled = false;
  let queue = [...ALL];
  const idle = (fn: () => void) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: timeoutMs }) : setTimeout(fn, 50);
  const next = () => {
    if (cancelled) return;
    const load = queue.shift();
    if (!load) return;
    load().then(
      () => idle(next),
      () => idle(next),
    );
  };
  const cancelPaint = afterPaint(() => idle(next));
  return () => {
    cancelled = true;
    queue = [];
    cancelPaint();
  };
}

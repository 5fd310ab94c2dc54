// Progress indicators appear only when an action takes longer than SLOW_MS, so quick actions do
// not flash a spinner.
export const SLOW_MS = 200;

/** Awaits `work`; calls `onSlow(true)` if it is still running after `ms`, and `onSlow(false)` when done. */
export async function whenSlow<T>(work: Promise<T>, onSlow: (slow: boolean) => void, ms = SLOW_MS): Promise<T> {
  const timer = setTimeout(() => onSlow(true), ms);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    onSlow(false);
  }
}

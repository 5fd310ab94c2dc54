// A clock that ticks once a minute so relative times ("3 minutes ago") stay fresh.
import { readable } from 'svelte/store';

export const now = readable(Date.now(), (set) => {
  const timer = setInterval(() => set(Date.now()), 60_000);
  return () => clearInterval(timer);
});

// Hash routing (#/ and #/history): survives reloads under Tauri's custom protocol.
import { readable } from 'svelte/store';

export type Route = 'dashboard' | 'history';

export const ROUTES: Record<Route, string> = {
  dashboard: '#/',
  history: '#/history',
};

function parse(hash: string): Route {
  return hash.replace(/^#\/?/, '').split(/[/?]/)[0] === 'history' ? 'history' : 'dashboard';
}

export const route = readable<Route>(parse(location.hash), (set) => {
  const update = () => set(parse(location.hash));
  window.addEventListener('hashchange', update);
  return () => window.removeEventListener('hashchange', update);
});

// Hash routing (#/, #/sources, #/history, #/binding/<id>, #/settings): survives reloads under
// Tauri's custom protocol. A query after `?` carries screen options (e.g. #/?provider=gitlab).
import { readable } from 'svelte/store';

export type RouteName = 'dashboard' | 'sources' | 'history' | 'binding' | 'settings';

export type Route = {
  name: RouteName;
  /** The path segment after the screen name: the binding id on #/binding/<id>. */
  param: string | null;
  query: Record<string, string>;
};

export const ROUTES: Record<Exclude<RouteName, 'binding'>, string> = {
  dashboard: '#/',
  sources: '#/sources',
  history: '#/history',
  settings: '#/settings',
};

export function bindingHref(id: string): string {
  return `#/binding/${encodeURIComponent(id)}`;
}

export function parse(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?', 2);
  const [head, ...rest] = path.split('/');
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) query[k] = v;
  const param = rest.length > 0 && rest[0] !== '' ? decodeURIComponent(rest.join('/')) : null;
  switch (head) {
    case 'sources':
    case 'history':
    case 'settings':
      return { name: head, param, query };
    case 'binding':
      return param ? { name: 'binding', param, query } : { name: 'dashboard', param: null, query };
    default:
      return { name: 'dashboard', param: null, query };
  }
}

export const route = readable<Route>(parse(location.hash), (set) => {
  const update = () => set(parse(location.hash));
  window.addEventListener('hashchange', update);
  return () => window.removeEventListener('hashchange', update);
});

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}

/** Rewrites the hash without a new history entry and without re-rendering the screen's state. */
export function replaceQuietly(hash: string): void {
  history.replaceState(history.state, '', hash);
}

// The outcome of the last unbind, shown as a report panel on the screen the user lands on (the
// bindings list after a successful unbind) until dismissed or the user moves elsewhere.
import { writable } from 'svelte/store';
import type { Binding, UnbindReport } from './api/bindings';
import type { ApiError } from './api/client';
import type { Route } from './route';

export type UnbindResult = { binding: Binding; providerName: string; report: UnbindReport | null; error: ApiError | null };

export type UnbindOutcome = {
  results: UnbindResult[];
  hooksRequested: boolean;
  /** The screen the report belongs to (routeKey); navigating elsewhere clears it. */
  screen: string;
};

export function routeKey(route: Pick<Route, 'name' | 'param'>): string {
  return `${route.name}:${route.param ?? ''}`;
}

export const unbindOutcome = writable<UnbindOutcome | null>(null);

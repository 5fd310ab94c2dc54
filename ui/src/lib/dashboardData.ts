// The dashboard's data (app info and the bindings), asked for before the app is mounted:
// public/early-data.js starts the request while the modules load, main.ts adopts it and waits for
// it briefly, so that the first render already holds the binding
// rows. The webview then styles, lays out and paints the page once, with its rows, instead of a
// loading state first and the rows a frame later (on WebKitGTK each cold frame costs 100+ ms).
import type { AppInfo, Binding } from './api/bindings';
import { appInfo, listBindings, toApiError } from './api/client';

export type DashboardData = { info: AppInfo; bindings: Binding[] };

export function fetchDashboardData(): Promise<DashboardData> {
  return Promise.all([appInfo(), listBindings()]).then(([info, bindings]) => ({ info, bindings }));
}

/**
 * The request public/early-data.js started, if any; once. The next call (or a page without the
 * script, as in tests that load the modules alone) gets null and asks itself.
 */
function adoptEarlyRequest(): Promise<DashboardData> | null {
  const request = window.__codebindEarlyData;
  if (!request) return null;
  delete window.__codebindEarlyData;
  return request.then(
    ([info, bindings]) => ({ info: info as AppInfo, bindings: bindings as Binding[] }),
    (reason) => {
      throw toApiError(reason);
    },
  );
}

/** Drops the early request (another screen is opening: the dashboard will ask afresh when shown). */
export function dropEarlyRequest(): void {
  delete window.__codebindEarlyData;
}

let early: { data: DashboardData | null; request: Promise<DashboardData> } | null = null;

/** Starts the request; resolves once it has settled, or after `waitMs`, whichever comes first. */
export function prefetchDashboardData(waitMs: number): Promise<void> {
  const request = adoptEarlyRequest() ?? fetchDashboardData();
  const entry: { data: DashboardData | null; request: Promise<DashboardData> } = { data: null, request };
  early = entry;
  const settled = entry.request.then(
    (data) => {
      entry.data = data;
    },
    () => {},
  );
  return Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, waitMs))]);
}

/**
 * The prefetched data if it has arrived, else the request still under way; once (a later load asks
 * again), and null when nothing was prefetched.
 */
export function takePrefetched(): { data: DashboardData | null; request: Promise<DashboardData> } | null {
  const entry = early;
  early = null;
  return entry;
}

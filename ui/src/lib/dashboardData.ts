// The dashboard's data (app info and the bindings), asked for before the app is mounted: main.ts
// starts the request and waits for it briefly, so that the first render already holds the binding
// rows. The webview then styles, lays out and paints the page once, with its rows, instead of a
// loading state first and the rows a frame later (on WebKitGTK each cold frame costs 100+ ms).
import type { AppInfo, Binding } from './api/bindings';
import { appInfo, listBindings } from './api/client';

export type DashboardData = { info: AppInfo; bindings: Binding[] };

export function fetchDashboardData(): Promise<DashboardData> {
  return Promise.all([appInfo(), listBindings()]).then(([info, bindings]) => ({ info, bindings }));
}

let early: { data: DashboardData | null; request: Promise<DashboardData> } | null = null;

/** Starts the request; resolves once it has settled, or after `waitMs`, whichever comes first. */
export function prefetchDashboardData(waitMs: number): Promise<void> {
  const entry: { data: DashboardData | null; request: Promise<DashboardData> } = { data: null, request: fetchDashboardData() };
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

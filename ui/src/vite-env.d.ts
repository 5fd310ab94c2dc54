/// <reference types="svelte" />
/// <reference types="vite/client" />

interface Window {
  /** The dashboard's data, requested by public/early-data.js before the app's modules load. */
  __codebindEarlyData?: Promise<[unknown, unknown]>;
}

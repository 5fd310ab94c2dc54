import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri embeds ui/dist; a relative base keeps asset URLs valid under its custom protocol.
export default defineConfig({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  // The message catalogs (33 KB each) as JSON.parse('…') rather than object literals: JavaScript
  // engines parse JSON text faster, and both catalogs are in the first chunk.
  json: { stringify: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: false,
    sourcemap: false,
    // Screens other than the dashboard are separate chunks (src/lib/lazy.ts). No modulepreload
    // polyfill: it would fetch() the chunks, which the CSP (connect-src ipc: only) refuses, and the
    // webviews Tauri uses support modulepreload.
    modulePreload: { polyfill: false },
  },
});

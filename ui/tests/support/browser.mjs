// Launches Debian's Chromium through playwright-core (no bundled browsers) and
// opens the built UI with the Tauri IPC mocked before the app boots.
import { chromium } from 'playwright-core';
import { installTauriMock } from './mock-ipc.js';
import { NOW } from './fixtures.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens the app with the given IPC responses, e.g.
 * `{ responses: { app_info: { ok: … }, list_bindings: { error: {code, message} } } }`.
 * Returns the page plus `problems`: console errors, page errors and CSP violations.
 */
export async function openApp(browser, baseUrl, mock, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1180, height: 780 },
    locale: options.locale ?? 'en-US',
    timezoneId: 'UTC',
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  await page.clock.setFixedTime(NOW);
  await page.addInitScript(installTauriMock, mock);
  await page.goto(baseUrl + (options.hash ?? ''));
  return { context, page, problems };
}

/** IPC calls the app made, in order, excluding the event plugin's. */
export function appCalls(page) {
  return page.evaluate(() => window.__MOCK__.calls.filter((c) => !c.cmd.startsWith('plugin:')));
}

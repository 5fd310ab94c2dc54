// Accessibility: axe-core on every screen (dashboard populated and empty, code sources with the
// bind dialog open, binding detail with the add-rule, edit-rule and disable-rule dialogs and a disabled rule,
// history, settings with a host's edit form), light and dark.
// Fails on any violation of impact "serious" or "critical". axe loads from the test server's own
// origin, so the app's CSP stays exactly as shipped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer } from './support/server.mjs';
import { launch, openApp } from './support/browser.mjs';
import { RULES, appInfo } from './support/fixtures.mjs';
import { populatedMock } from './support/harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_PATH = '/__test__/axe.min.js';

let server;
let browser;

before(async () => {
  server = await startServer({ [AXE_PATH]: AXE });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const empty = () => ({ responses: { app_info: { ok: appInfo() }, list_bindings: { ok: [] } } });

const SCREENS = [
  ['dashboard (populated)', populatedMock, '#/', (page) => page.getByTestId('bindings').waitFor()],
  ['dashboard (empty)', empty, '#/', (page) => page.getByTestId('empty-state').waitFor()],
  [
    'code sources with the bind dialog',
    populatedMock,
    '#/sources',
    async (page) => {
      await page.getByTestId('bind-gitlab').click();
      await page.getByTestId('bind-dialog').waitFor();
    },
  ],
  [
    'binding detail',
    populatedMock,
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.locator('[data-testid="repo-count"][data-done="true"]').waitFor();
      await page.getByTestId('org-row').first().waitFor();
      await page.getByTestId('hook-row').first().waitFor();
      await page.getByTestId('rule-row').first().waitFor();
      await page.getByTestId('timeline').getByTestId('history-row').first().waitFor();
    },
  ],
  [
    'binding detail with the add-rule dialog',
    populatedMock,
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.getByTestId('rule-row').first().waitFor();
      await page.getByTestId('rule-add').click();
      await page.getByTestId('rule-repo').fill('sub-0/repo-000');
      await page.getByTestId('repo-options').getByRole('option').first().waitFor();
      await page.keyboard.press('ArrowDown');
    },
  ],
  [
    'binding detail with a Build now report and the unbind dialog',
    () =>
      populatedMock({
        trigger_build: {
          ok: { rule_id: 'r-api-main', git_ref: 'main', sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', image_tag: 'registry.acme.dev/platform/api:main-0000000', url: 'https://builds.acme.dev/hooks/codebind', status: 502, delivered: false, message: 'the build service answered HTTP 502' },
        },
      }),
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.getByTestId('rule-trigger').first().click();
      await page.getByTestId('trigger-report').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-hooks-count').waitFor();
    },
  ],
  [
    'binding detail with a disabled rule and the edit-rule dialog',
    () => populatedMock({ list_rules: { ok: [RULES[0], RULES[1], { ...RULES[2], enabled: false }] } }),
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.getByTestId('rule-off-note').waitFor();
      await page.getByTestId('rule-edit').first().click();
      await page.getByTestId('rule-dialog').waitFor();
    },
  ],
  [
    'binding detail with the disable-rule confirmation',
    populatedMock,
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.locator('[data-testid="rule-row"][data-rule-id="r-web-develop"]').getByTestId('rule-toggle').click();
      await page.getByTestId('rule-disable-dialog').waitFor();
    },
  ],
  ['history', populatedMock, '#/history', (page) => page.getByTestId('history').waitFor()],
  [
    'settings',
    populatedMock,
    '#/settings',
    async (page) => {
      await page.getByTestId('oauth-apps').waitFor();
      await page.getByTestId('settings-trigger-current').waitFor();
      await page.getByTestId('host-row').first().waitFor();
    },
  ],
  [
    'settings with a host edit form and the add-host form',
    populatedMock,
    '#/settings',
    async (page) => {
      await page.locator('[data-testid="host-row"][data-host="https://gitlab.acme.dev"]').getByTestId('host-edit').click();
      await page.getByTestId('host-form').waitFor();
      await page.getByTestId('host-add').click();
      await page.getByTestId('host-add-form').waitFor();
    },
  ],
];

/** Runs axe in the page; returns the serious and critical violations, one line per node. */
async function audit(page) {
  await page.addScriptTag({ url: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `[${v.impact}] ${v.id}: ${v.help} — ${n}`));
}

describe('accessibility (axe-core)', () => {
  for (const scheme of ['light', 'dark']) {
    for (const [name, mock, hash, ready] of SCREENS) {
      it(`${name}, ${scheme}`, async () => {
        const { context, page, problems } = await openApp(browser, server.url, mock(), { hash, colorScheme: scheme });
        try {
          await ready(page);
          await page.evaluate(() => document.fonts.ready);
          assert.deepEqual(await audit(page), []);
          assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
        } finally {
          await context.close();
        }
      });
    }
  }
});

// Screenshots of every screen in en and zh-CN, light and dark (tests/screenshots/), and, with
// UPDATE_DOCS_SCREENSHOTS=1, the README's three (ui/docs-screenshots/, each under 200 KB).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, stat } from 'node:fs/promises';
import { DEVICE_CODE } from './support/fixtures.mjs';
import { DOCS, SHOTS, harness, populatedMock } from './support/harness.mjs';

const { withApp } = harness();

const mock = () =>
  populatedMock({
    list_repos: { generate: { count: 2400, pageSize: 400 } },
    start_device: { ok: DEVICE_CODE },
    unbind: {
      ok: {
        binding_id: 'b-gitlab-jdoe',
        revoke: { kind: 'revoked' },
        secret_removed: true,
        binding_removed: true,
        hooks: [
          { repo: 'platform/api', provider_hook_id: '11', removed: true, manual_url: null, error: null },
          {
            repo: 'platform/web',
            provider_hook_id: '12',
            removed: false,
            manual_url: 'https://gitlab.acme.dev:8443/platform/web/-/hooks',
            error: { code: 'provider_forbidden', message: '403 Forbidden' },
          },
        ],
      },
    },
  });

const SCREENS = [
  ['code-sources', '#/sources', async (page) => page.getByTestId('sources').waitFor()],
  [
    'bind-dialog',
    '#/sources',
    async (page) => {
      await page.getByTestId('bind-gitlab').click();
      await page.getByTestId('bind-dialog').waitFor();
      await page.getByTestId('field-username').fill('jdoe');
      await page.getByTestId('field-token').fill('glpat-example');
      await page.getByTestId('bind-dialog').evaluate((d) => d.scrollTo(0, 0));
    },
  ],
  [
    'device-code',
    '#/sources',
    async (page) => {
      await page.getByTestId('bind-github').click();
      await page.getByTestId('device-start').click();
      await page.getByTestId('device-code').waitFor();
    },
  ],
  ['bindings', '#/', async (page) => page.getByTestId('bindings').waitFor()],
  [
    'binding-detail',
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.locator('[data-testid="repo-count"][data-done="true"]').waitFor();
      await page.getByTestId('org-row').first().waitFor();
      await page.getByTestId('timeline').getByTestId('history-row').first().waitFor();
    },
    { fullPage: true },
  ],
  [
    'unbind',
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-dialog').waitFor();
    },
  ],
  [
    'unbind-report',
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-confirm').click();
      await page.getByTestId('unbind-report').waitFor();
      await page.getByTestId('bindings').waitFor();
    },
  ],
  [
    'rule-dialog',
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.getByTestId('rule-row').first().waitFor();
      await page.getByTestId('rule-add').click();
      await page.getByTestId('rule-repo').fill('sub-0/repo-000');
      await page.getByTestId('repo-options').getByRole('option').first().waitFor();
    },
  ],
  [
    'rule-edit',
    '#/binding/b-gitlab-jdoe',
    async (page) => {
      await page.getByTestId('rule-edit').nth(1).click();
      await page.getByTestId('rule-dialog').waitFor();
    },
  ],
  [
    'settings',
    '#/settings',
    async (page) => {
      await page.getByTestId('oauth-apps').waitFor();
      await page.getByTestId('host-row').first().waitFor();
    },
    { fullPage: true },
  ],
  [
    'settings-hosts',
    '#/settings',
    async (page) => {
      await page.locator('[data-testid="host-row"][data-host="https://gitlab.acme.dev"]').getByTestId('host-edit').click();
      await page.getByTestId('host-form').waitFor();
      await page.getByTestId('hosts').evaluate((el) => el.closest('section')?.scrollIntoView({ block: 'start' }));
    },
  ],
  [
    'history',
    '#/history',
    async (page) => {
      await page.getByTestId('history').getByTestId('history-row').first().waitFor();
      // The first page of events has arrived; shoot from the top whatever focus or paging did.
      await page.evaluate(() => window.scrollTo(0, 0));
    },
  ],
];

const DOC_SHOTS = {
  'code-sources': 'code-sources.png',
  'binding-detail': 'binding-detail.png',
  'bind-dialog': 'bind-dialog.png',
  bindings: 'dashboard-en-light.png',
};

describe('screenshots', () => {
  for (const lang of ['en', 'zh-CN']) {
    for (const scheme of ['light', 'dark']) {
      it(`every screen, ${lang} ${scheme}`, async () => {
        for (const [name, hash, ready, opts = {}] of SCREENS) {
          await withApp(mock(), { hash, locale: lang === 'en' ? 'en-US' : 'zh-CN', colorScheme: scheme }, async (page) => {
            await ready(page);
            await page.evaluate(() => document.fonts.ready);
            const path = `${SHOTS}${name}-${lang}-${scheme}.png`;
            await page.screenshot({ path, fullPage: opts.fullPage ?? false });
            if (process.env.UPDATE_DOCS_SCREENSHOTS && lang === 'en' && scheme === 'light' && DOC_SHOTS[name]) {
              const doc = `${DOCS}${DOC_SHOTS[name]}`;
              if (opts.fullPage) await page.screenshot({ path: doc });
              else await copyFile(path, doc);
              assert.ok((await stat(doc)).size < 200 * 1024, `${doc} is under 200 KB`);
            }
          });
        }
      });
    }
  }
});

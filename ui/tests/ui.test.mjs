// End-to-end tests: the built ui/dist in headless Chromium, Tauri IPC mocked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startServer } from './support/server.mjs';
import { appCalls, launch, openApp } from './support/browser.mjs';
import { BINDINGS, PROVIDERS, appInfo, history } from './support/fixtures.mjs';

const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

const empty = (vaultAvailable = true) => ({
  responses: { app_info: { ok: appInfo({ vaultAvailable }) }, list_bindings: { ok: [] } },
});
const populated = (vaultAvailable = true) => ({
  responses: { app_info: { ok: appInfo({ vaultAvailable }) }, list_bindings: { ok: BINDINGS } },
  history: history(8),
});

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the app, runs `body`, and fails on console errors or CSP violations. */
async function withApp(mock, options, body) {
  const { context, page, problems } = await openApp(browser, server.url, mock, options);
  try {
    await body(page);
    assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
  } finally {
    await context.close();
  }
}

describe('dashboard', () => {
  it('empty state explains binding and lists all 6 providers', async () => {
    await withApp(empty(), {}, async (page) => {
      const state = page.getByTestId('empty-state');
      await state.waitFor();
      assert.match(await state.innerText(), /container images/i);
      assert.match(await state.innerText(), /keychain/i);
      for (const provider of PROVIDERS) {
        const card = page.getByTestId(`provider-${provider.kind}`);
        assert.equal(await card.getByTestId('provider-name').innerText(), provider.name);
        assert.equal(await card.getByTestId('provider-version').innerText(), provider.supported_version);
        const methods = await card.getByTestId('provider-methods').innerText();
        if (provider.binding_methods.includes('oauth')) assert.match(methods, /OAuth/);
        if (provider.binding_methods.includes('token')) assert.match(methods, /Access token/);
      }
      assert.equal(await page.locator('article[data-testid^="provider-"]').count(), 6);
      assert.equal(await page.getByTestId('bindings').count(), 0);
      assert.equal(await page.getByTestId('vault-warning').count(), 0);
      const calls = [...new Set((await appCalls(page)).map((c) => c.cmd))].sort();
      assert.deepEqual(calls, ['app_info', 'list_bindings']);
    });
  });

  it('renders one row per binding with login, status badge, scopes and expiry', async () => {
    await withApp(populated(), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      const rows = page.getByTestId('binding-row');
      assert.equal(await rows.count(), 3);
      const expected = {
        'b-github-octocat': { login: '@octocat', badge: 'Active', expiry: 'No expiry' },
        'b-gitlab-jdoe': { login: '@jdoe', badge: 'Missing scopes', expiry: 'Expires in 12 days' },
        'b-gitee-liwei': { login: '@li-wei', badge: 'Expired', expiry: 'Expired' },
      };
      for (const [id, want] of Object.entries(expected)) {
        const row = page.locator(`[data-testid="binding-row"][data-binding-id="${id}"]`);
        assert.equal(await row.getByTestId('binding-login').innerText(), want.login);
        assert.equal((await row.getByTestId('status-badge').innerText()).trim(), want.badge);
        assert.equal((await row.getByTestId('binding-expiry').innerText()).trim(), want.expiry);
      }
      const octo = page.locator('[data-binding-id="b-github-octocat"]');
      assert.equal(await octo.getByTestId('binding-name').innerText(), 'The Octocat');
      assert.equal(await octo.getByTestId('binding-host').innerText(), 'github.com');
      assert.equal((await octo.getByTestId('binding-verified').innerText()).trim(), '2 hours ago');
      assert.match(await octo.getByTestId('scopes').innerText(), /read:org/);
      const gitee = page.locator('[data-binding-id="b-gitee-liwei"]');
      assert.equal(await gitee.getByTestId('scopes-unreported').innerText(), 'Not reported');
      assert.match(await page.getByTestId('summary').innerText(), /3 bindings/);
      assert.match(await page.getByTestId('summary').innerText(), /2 need attention/);
      assert.equal(await page.getByTestId('empty-state').count(), 0);
    });
  });

  it('shows the error code and message when loading fails', async () => {
    const mock = {
      responses: {
        app_info: { ok: appInfo() },
        list_bindings: { error: { code: 'storage', message: 'database is locked' } },
      },
    };
    await withApp(mock, {}, async (page) => {
      const error = page.getByTestId('load-error');
      await error.waitFor();
      assert.equal(await error.getAttribute('data-error-code'), 'storage');
      assert.equal(await error.getByTestId('error-code').innerText(), 'storage');
      assert.equal(await error.getByTestId('error-message').innerText(), 'database is locked');
      assert.match(await error.innerText(), /local database/);
      // Retry after the backend recovers.
      await page.evaluate(() => {
        window.__MOCK__.responses.list_bindings = { ok: [] };
      });
      await error.getByRole('button', { name: 'Try again' }).click();
      await page.getByTestId('empty-state').waitFor();
    });
  });

  it('normalises a non-object rejection to the internal code', async () => {
    const mock = {
      responses: { app_info: { ok: appInfo() }, list_bindings: { error: 'something exploded' } },
    };
    await withApp(mock, {}, async (page) => {
      const error = page.getByTestId('load-error');
      await error.waitFor();
      assert.equal(await error.getByTestId('error-code').innerText(), 'internal');
      assert.equal(await error.getByTestId('error-message').innerText(), 'something exploded');
    });
  });

  it('warns when the vault is unavailable, with the reason', async () => {
    await withApp(populated(false), {}, async (page) => {
      const warning = page.getByTestId('vault-warning');
      await warning.waitFor();
      const text = await warning.innerText();
      assert.match(text, /Secret Service/);
      assert.match(text, /no Secret Service provider is running/);
      assert.match(text, /plaintext/);
      await page.screenshot({ path: `${SHOTS}dashboard-vault-warning-en-light.png` });
    });
  });

  it('asks for its data before the app modules have run (public/early-data.js), once until it listens for changes', async () => {
    await withApp(populated(), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      await page.waitForFunction(() => window.__MOCK__.calls.filter((c) => c.cmd === 'list_bindings').length === 2);
      const calls = await page.evaluate(() => window.__MOCK__.calls);
      const listening = calls.findIndex((c) => c.cmd === 'plugin:event|listen' && c.args.event === 'bindings-changed');
      assert.ok(listening > 0, 'the dashboard listens for bindings-changed');
      const before = calls.slice(0, listening).filter((c) => c.cmd === 'list_bindings' || c.cmd === 'app_info');
      // Module scripts run once the HTML is parsed; early-data.js runs while it still is.
      assert.deepEqual(before.map((c) => [c.cmd, c.readyState]), [['app_info', 'loading'], ['list_bindings', 'loading']]);
      // Once listening, it looks once more (a change reported before then was not delivered).
      assert.equal(calls.slice(listening).filter((c) => c.cmd === 'list_bindings').length, 1);
      assert.equal(await page.getByTestId('binding-row').count(), 3);
    });
  });

  it('shows a change made before it listened for changes (it looks again once listening)', async () => {
    const mock = populated();
    mock.responses.list_bindings = { sequence: [{ ok: BINDINGS }, { ok: BINDINGS.slice(0, 1) }] };
    await withApp(mock, {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="binding-row"]').length === 1);
      assert.equal(await page.getByTestId('binding-row').count(), 1);
    });
  });

  it('opened on another screen, the dashboard later shows fresh data, not the startup answer', async () => {
    await withApp(populated(), { hash: '#/history' }, async (page) => {
      await page.getByTestId('history').waitFor();
      // The bindings change while History is open; the dashboard must show them, not the answer
      // early-data.js got at startup.
      await page.evaluate((bindings) => {
        window.__MOCK__.responses.list_bindings = { ok: bindings.slice(0, 1) };
      }, BINDINGS);
      await page.getByRole('link', { name: 'Bindings' }).first().click();
      await page.getByTestId('bindings').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="binding-row"]').length === 1);
      assert.equal(await page.getByTestId('binding-row').count(), 1);
    });
  });

  it('uses the generic font families on Linux (system-ui is slow to resolve in WebKitGTK)', async () => {
    await withApp(populated(), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      // The page tests run on Linux: Chromium's user agent says so, as WebKitGTK's does.
      assert.equal(await page.evaluate(() => document.documentElement.dataset.platform), 'linux');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontFamily), 'sans-serif');
      const sub = page.getByTestId('binding-login').first();
      assert.equal(await sub.evaluate((el) => getComputedStyle(el).fontFamily), 'sans-serif');
    });
  });

  it('reloads when the backend emits bindings-changed', async () => {
    await withApp(empty(), {}, async (page) => {
      await page.getByTestId('empty-state').waitFor();
      await page.evaluate((bindings) => {
        window.__MOCK__.responses.list_bindings = { ok: bindings };
        window.__emitTauriEvent__('bindings-changed', null);
      }, BINDINGS);
      await page.getByTestId('bindings').waitFor();
      assert.equal(await page.getByTestId('binding-row').count(), 3);
    });
  });
});

describe('i18n', () => {
  it('switching to 中文 changes visible text and persists', async () => {
    await withApp(populated(), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      assert.equal(await page.locator('h1').innerText(), 'Bindings');
      await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文' });
      await page.locator('h1', { hasText: '已绑定账号' }).waitFor();
      const badge = page.locator('[data-binding-id="b-github-octocat"]').getByTestId('status-badge');
      assert.equal((await badge.innerText()).trim(), '正常');
      assert.equal(await page.getByRole('link', { name: '历史记录' }).count(), 1);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      await page.reload();
      await page.locator('h1', { hasText: '已绑定账号' }).waitFor();
      assert.equal(await page.getByRole('combobox', { name: '语言' }).inputValue(), 'zh-CN');
    });
  });

  it('follows navigator.language (zh-*) by default', async () => {
    await withApp(empty(), { locale: 'zh-TW' }, async (page) => {
      await page.getByTestId('empty-state').waitFor();
      assert.equal(await page.locator('h1').innerText(), '已绑定账号');
      assert.match(await page.getByTestId('empty-state').innerText(), /密钥链/);
    });
  });
});

describe('keyboard', () => {
  it('reaches the skip link, nav and language switch with Tab', async () => {
    await withApp(populated(), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
      const focused = [];
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        focused.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName));
      }
      assert.deepEqual(focused, ['A', 'nav-dashboard', 'nav-sources', 'nav-history', 'nav-settings', 'language-switch']);
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await page.getByTestId('history').waitFor();
    });
  });
});

describe('history', () => {
  it('pages with Load more using next_before', async () => {
    const mock = { ...populated(), history: history(75) };
    await withApp(mock, { hash: '#/history' }, async (page) => {
      await page.getByTestId('history').waitFor();
      const rows = page.getByTestId('history-row');
      assert.equal(await rows.count(), 50);
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.getByTestId('history-end').waitFor();
      assert.equal(await rows.count(), 75);
      await page.screenshot({ path: `${SHOTS}history-en-light.png` });
      const queries = (await appCalls(page)).filter((c) => c.cmd === 'list_history').map((c) => c.args);
      assert.deepEqual(queries, [
        { query: { binding_id: null, kind: null, before: null, limit: 50 } },
        { query: { binding_id: null, kind: null, before: 26, limit: 50 } },
      ]);
      assert.equal(await page.getByRole('link', { name: 'History' }).getAttribute('aria-current'), 'page');
    });
  });
});

describe('screenshots', () => {
  for (const lang of ['en', 'zh-CN']) {
    for (const scheme of ['light', 'dark']) {
      it(`dashboard ${lang} ${scheme}`, async () => {
        for (const [name, mock, ready] of [
          ['empty', empty(), 'empty-state'],
          ['populated', populated(), 'bindings'],
        ]) {
          await withApp(mock, { locale: lang === 'en' ? 'en-US' : 'zh-CN', colorScheme: scheme }, async (page) => {
            await page.getByTestId(ready).waitFor();
            await page.screenshot({ path: `${SHOTS}dashboard-${name}-${lang}-${scheme}.png` });
          });
        }
      });
    }
  }
});

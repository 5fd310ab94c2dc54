// Settings: OAuth apps per provider and host, storage, language and theme.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { oauthAppView } from './support/fixtures.mjs';
import { calls, fieldErrorCode, harness, populatedMock } from './support/harness.mjs';

const { withApp } = harness();

function mock(extra = {}) {
  const m = populatedMock(extra);
  m.responses.oauth_app.byProvider.github = { ok: oauthAppView('github', { client_id: null, source: null }) };
  m.responses.oauth_app.byProvider.gitlab = {
    ok: oauthAppView('gitlab', {
      has_secret: true,
      redirect_uri: 'codebind://oauth/callback  (or http://127.0.0.1/callback for the loopback fallback)',
      scopes: ['read_user', 'read_api', 'read_repository'],
    }),
  };
  return m;
}

describe('settings', () => {
  it('shows where secrets live and the storage backend', async () => {
    await withApp(mock(), { hash: '#/settings' }, async (page) => {
      const storage = page.getByTestId('storage');
      await storage.waitFor();
      assert.equal(await page.getByTestId('nav-settings').getAttribute('aria-current'), 'page');
      assert.equal(await storage.getByTestId('storage-backend').innerText(), 'Secret Service (Linux)');
      assert.equal(await storage.getByTestId('storage-database').innerText(), '/home/user/.local/share/codebind/codebind.db');
      assert.equal(await storage.getByTestId('storage-data-dir').innerText(), '/home/user/.local/share/codebind');
      assert.match(await storage.innerText(), /kept only in Secret Service \(Linux\), never in files/);
    });
  });

  it('theme: dark / light / system, persisted across reloads', async () => {
    await withApp(mock(), { hash: '#/settings', colorScheme: 'light' }, async (page) => {
      await page.getByTestId('theme-switch').waitFor();
      assert.ok(await page.getByTestId('theme-system').isChecked());
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const light = await bg();
      await page.getByText('Dark', { exact: true }).click();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.notEqual(await bg(), light);
      await page.reload();
      await page.getByTestId('theme-switch').waitFor();
      assert.ok(await page.getByTestId('theme-dark').isChecked());
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      await page.getByTestId('theme-system').focus();
      await page.keyboard.press('Space');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme ?? null), null);
      assert.equal(await bg(), light);
    });
  });

  it('language can be changed here too', async () => {
    await withApp(mock(), { hash: '#/settings' }, async (page) => {
      await page.getByTestId('theme-switch').waitFor();
      await page.getByTestId('settings').getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
      await page.locator('h1', { hasText: '设置' }).waitFor();
    });
  });

  it('OAuth apps: redirect URI and scopes to register, save with and without a secret', async () => {
    const saved = oauthAppView('github', { client_id: 'Iv1.new' });
    await withApp(mock({ save_oauth_app: { byProvider: { github: { ok: saved }, gitlab: { ok: oauthAppView('gitlab', { has_secret: true }) } } } }), { hash: '#/settings' }, async (page, context) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const github = page.locator('[data-testid="oauth-app-github"][data-host="https://github.com"]');
      await github.getByTestId('oauth-app-state').waitFor();
      assert.equal(await github.getByTestId('oauth-app-state').innerText(), 'Not configured');
      await github.locator('summary').click();
      assert.equal(await github.getByTestId('oauth-redirect-uri').innerText(), 'codebind://oauth/callback');
      assert.match(await github.getByTestId('oauth-scopes').innerText(), /repo[\s\S]*read:org[\s\S]*admin:repo_hook/);
      assert.equal(await github.getByTestId('oauth-client-secret').count(), 0);
      await github.getByTestId('oauth-save').click();
      assert.equal(await fieldErrorCode(github, 'oauth-client-id'), 'invalid_input');
      await github.getByTestId('oauth-client-id').fill('Iv1.new');
      await github.getByTestId('oauth-save').click();
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.match(await toast.innerText(), /OAuth app saved for GitHub on github\.com/);
      assert.equal(await github.getByTestId('oauth-app-state').innerText(), 'Configured');

      const gitlab = page.locator('[data-testid="oauth-app-gitlab"][data-host="https://gitlab.com"]').first();
      await gitlab.locator('summary').click();
      assert.equal(await gitlab.getByTestId('oauth-redirect-uri').innerText(), 'codebind://oauth/callback');
      assert.match(await gitlab.innerText(), /loopback fallback/);
      await gitlab.getByTestId('copy-redirect').click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'codebind://oauth/callback');
      const secret = gitlab.getByTestId('oauth-client-secret');
      assert.equal(await secret.getAttribute('type'), 'password');
      assert.match(await secret.getAttribute('placeholder'), /Saved in the keychain/);
      await secret.fill('shh-secret');
      await gitlab.getByTestId('oauth-save').click();
      await page.waitForFunction(() => window.__MOCK__.calls.filter((c) => c.cmd === 'save_oauth_app').length === 2);
      assert.equal(await secret.inputValue(), '');
      assert.deepEqual(await calls(page, 'save_oauth_app'), [
        { provider: 'github', host: null, clientId: 'Iv1.new', clientSecret: null },
        { provider: 'gitlab', host: null, clientId: 'Iv1.abc123', clientSecret: 'shh-secret' },
      ]);
    });
  });

  it('shows a save error with its code, lists self-managed hosts and adds one', async () => {
    await withApp(mock({ save_oauth_app: { error: { code: 'invalid_input', message: 'the client id is empty or malformed' } } }), { hash: '#/settings' }, async (page) => {
      await page.getByTestId('oauth-apps').waitFor();
      // The self-managed GitLab binding's host has its own entry.
      await page.locator('[data-testid="oauth-app-gitlab"][data-host="https://gitlab.com"]').first().waitFor();
      const hosts = (await calls(page, 'oauth_app')).map((a) => `${a.provider} ${a.host}`);
      assert.ok(hosts.includes('gitlab https://gitlab.acme.dev'), hosts.join(', '));
      assert.ok(!hosts.some((h) => h.startsWith('codeup')));
      const github = page.getByTestId('oauth-app-github').first();
      await github.locator('summary').click();
      await github.getByTestId('oauth-client-id').fill('bad id');
      await github.getByTestId('oauth-save').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="field-error"][data-code="invalid_input"]'));
      assert.match(await github.innerText(), /the client id is empty or malformed/);

      await page.getByTestId('oauth-add-provider').selectOption('gitea');
      await page.getByTestId('oauth-add-url').fill('https://gitea.example.com');
      await page.getByTestId('oauth-add-submit').click();
      await page.getByTestId('oauth-app-gitea').waitFor();
      assert.deepEqual((await calls(page, 'oauth_app')).at(-1), { provider: 'gitea', host: 'https://gitea.example.com' });
    });
  });
});

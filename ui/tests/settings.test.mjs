// Settings: OAuth apps per provider and host, hosts (CA bundle, proxy), storage, language and theme.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTS, oauthAppView } from './support/fixtures.mjs';
import { calls, fieldErrorCode, harness, populatedMock, setResponse } from './support/harness.mjs';

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

describe('settings: hosts', () => {
  const SETTINGS = { hash: '#/settings' };
  const hostRow = (page, host) => page.locator(`[data-testid="host-row"][data-host="${host}"]`);
  const focused = (page) => page.evaluate(() => document.activeElement?.dataset.testid ?? null);
  const ACME = 'https://gitlab.acme.dev';

  it('lists each host with its bindings, CA bundle and proxy (System / Direct / URL)', async () => {
    await withApp(mock(), SETTINGS, async (page) => {
      await page.getByTestId('host-row').first().waitFor();
      assert.equal((await calls(page, 'list_hosts')).length, 1);
      const rows = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="host-row"]')].map((r) => [
          r.querySelector('th')?.textContent?.trim(),
          r.querySelector('[data-testid="host-bindings"]')?.textContent?.trim(),
          r.querySelector('[data-testid="host-ca-label"]')?.textContent?.trim(),
          r.querySelector('[data-testid="host-proxy-label"]')?.textContent?.trim(),
        ]),
      );
      assert.deepEqual(rows, [
        ['gitee.com', '1', 'System certificates', 'System'],
        ['github.com', '1', 'System certificates', 'Direct'],
        ['gitlab.acme.dev', '1', '/etc/ssl/acme-root.pem', 'http://proxy.acme.dev:3128'],
      ]);
      assert.match(await page.getByTestId('hosts-proxy-note').innerText(), /Proxy credentials are not stored[\s\S]*HTTPS_PROXY/);
      assert.equal(await hostRow(page, ACME).getByTestId('host-edit').getAttribute('aria-label'), 'Edit the settings for gitlab.acme.dev');
    });
  });

  it('Edit: prefilled; a refused CA bundle or proxy shows under its field and saves nothing; then it saves', async () => {
    const refusedCa = { error: { code: 'invalid_input', message: 'cannot read the CA bundle /etc/ssl/nope.pem: No such file or directory (os error 2)' } };
    await withApp(mock({ save_host: refusedCa }), SETTINGS, async (page) => {
      const row = hostRow(page, ACME);
      await row.waitFor();
      await row.getByTestId('host-edit').click();
      const form = page.getByRole('form', { name: 'Settings for gitlab.acme.dev' });
      await form.waitFor();
      assert.equal(await row.getByTestId('host-edit').getAttribute('aria-expanded'), 'true');
      assert.equal(await focused(page), 'host-ca');
      assert.equal(await page.getByTestId('host-ca').inputValue(), '/etc/ssl/acme-root.pem');
      assert.ok(await page.getByTestId('host-proxy-url').isVisible());
      assert.ok(await form.getByRole('radio', { name: 'Proxy URL' }).isChecked());
      assert.equal(await page.getByTestId('host-proxy-url').inputValue(), 'http://proxy.acme.dev:3128');
      assert.equal(await page.getByTestId('host-url').count(), 0, 'the host itself is fixed');

      await page.getByTestId('host-ca').fill('/etc/ssl/nope.pem');
      await page.getByTestId('host-save').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="host-ca"]')?.getAttribute('aria-invalid') === 'true');
      assert.equal(await fieldErrorCode(page, 'host-ca'), 'invalid_input');
      assert.match(await form.innerText(), /cannot read the CA bundle \/etc\/ssl\/nope\.pem/);
      assert.equal(await focused(page), 'host-ca');
      assert.equal((await row.getByTestId('host-ca-label').innerText()).trim(), '/etc/ssl/acme-root.pem', 'nothing saved');

      await setResponse(page, 'save_host', {
        error: { code: 'invalid_input', message: 'a proxy URL with a user name or password would be stored in plain text; use a proxy without credentials or set HTTPS_PROXY' },
      });
      await page.getByTestId('host-ca').fill('/etc/ssl/acme-root.pem');
      await page.getByTestId('host-proxy-url').fill('http://bob:pw@proxy.acme.dev:3128');
      await page.getByTestId('host-save').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="host-proxy-url"]')?.getAttribute('aria-invalid') === 'true');
      assert.equal(await fieldErrorCode(page, 'host-proxy-url'), 'invalid_input');
      assert.equal(await fieldErrorCode(page, 'host-ca'), null, 'the CA bundle error is cleared');

      await setResponse(page, 'save_host', { error: { code: 'invalid_url', message: '"proxy:3128" is not a proxy URL (e.g. http://proxy.example.com:3128)' } });
      await page.getByTestId('host-proxy-url').fill('proxy:3128');
      await page.getByTestId('host-save').click();
      await page.waitForFunction(() => document.querySelector('[data-code="invalid_url"]'));
      assert.equal(await fieldErrorCode(page, 'host-proxy-url'), 'invalid_url');

      await setResponse(page, 'save_host', { ok: { host: ACME, ca_bundle: '/etc/ssl/acme-root-2.pem', proxy: 'direct', bindings: 1 } });
      await page.getByTestId('host-ca').fill('/etc/ssl/acme-root-2.pem');
      await form.getByRole('radio', { name: 'Direct (no proxy)' }).check();
      assert.equal(await page.getByTestId('host-proxy-url').count(), 0);
      await page.getByTestId('host-save').click();
      await form.waitFor({ state: 'detached' });
      await page.getByTestId('toast').filter({ hasText: 'Saved the settings for gitlab.acme.dev' }).waitFor();
      assert.equal((await row.getByTestId('host-ca-label').innerText()).trim(), '/etc/ssl/acme-root-2.pem');
      assert.equal((await row.getByTestId('host-proxy-label').innerText()).trim(), 'Direct');
      assert.equal(await focused(page), 'host-edit', 'focus returns to Edit');
      assert.equal(await row.getByTestId('host-edit').getAttribute('aria-expanded'), 'false');
      assert.deepEqual((await calls(page, 'save_host')).map((c) => c.update), [
        { host: ACME, ca_bundle: '/etc/ssl/nope.pem', proxy: 'http://proxy.acme.dev:3128' },
        { host: ACME, ca_bundle: '/etc/ssl/acme-root.pem', proxy: 'http://bob:pw@proxy.acme.dev:3128' },
        { host: ACME, ca_bundle: '/etc/ssl/acme-root.pem', proxy: 'proxy:3128' },
        { host: ACME, ca_bundle: '/etc/ssl/acme-root-2.pem', proxy: 'direct' },
      ]);

      // Cancel leaves everything as it was; System settings clears the proxy (null).
      const github = hostRow(page, 'https://github.com');
      await github.getByTestId('host-edit').click();
      assert.ok(await page.getByTestId('host-form').getByRole('radio', { name: 'Direct (no proxy)' }).isChecked());
      await page.getByTestId('host-form').getByRole('radio', { name: /System settings/ }).check();
      await page.getByTestId('host-cancel').click();
      await page.getByTestId('host-form').waitFor({ state: 'detached' });
      assert.equal(await focused(page), 'host-edit');
      assert.equal((await calls(page, 'save_host')).length, 4);
      await setResponse(page, 'save_host', { ok: { host: 'https://github.com', ca_bundle: null, proxy: null, bindings: 1 } });
      await github.getByTestId('host-edit').click();
      await page.getByTestId('host-form').getByRole('radio', { name: /System settings/ }).check();
      await page.keyboard.press('Enter');
      await page.getByTestId('host-form').waitFor({ state: 'detached' });
      assert.deepEqual((await calls(page, 'save_host')).at(-1).update, { host: 'https://github.com', ca_bundle: null, proxy: null });
      assert.equal((await github.getByTestId('host-proxy-label').innerText()).trim(), 'System');
    });
  });

  it('Add host: one without bindings; plain http is refused under the host field; then it is listed', async () => {
    const m = mock({ save_host: { error: { code: 'insecure_http', message: 'http://gitlab.corp.example uses plain http; use https (http is allowed only for loopback hosts)' } } });
    await withApp(m, SETTINGS, async (page) => {
      await page.getByTestId('host-row').first().waitFor();
      await page.getByTestId('host-add').click();
      const form = page.getByTestId('host-add-form');
      await form.waitFor();
      assert.equal(await form.getAttribute('aria-label'), 'Add a host without bindings');
      assert.equal(await focused(page), 'host-url');
      await page.getByTestId('host-save').click();
      assert.equal(await fieldErrorCode(page, 'host-url'), 'invalid_input');
      assert.equal((await calls(page, 'save_host')).length, 0, 'checked before asking Rust');

      await page.getByTestId('host-url').fill('http://gitlab.corp.example');
      await page.getByTestId('host-save').click();
      await page.waitForFunction(() => document.querySelector('[data-code="insecure_http"]'));
      assert.equal(await fieldErrorCode(page, 'host-url'), 'insecure_http');
      assert.equal(await page.getByTestId('host-row').count(), 3, 'nothing added');

      await form.getByRole('radio', { name: 'Proxy URL' }).check();
      await page.getByTestId('host-url').fill('https://gitlab.corp.example');
      await page.getByTestId('host-save').click();
      assert.equal(await fieldErrorCode(page, 'host-proxy-url'), 'invalid_input', 'a proxy URL is needed');
      assert.equal(await fieldErrorCode(page, 'host-url'), null, 'the host error is cleared');
      assert.equal((await calls(page, 'save_host')).length, 1);

      const added = { host: 'https://gitlab.corp.example', ca_bundle: '/etc/ssl/corp.pem', proxy: 'http://proxy.corp.example:3128', bindings: 0 };
      await setResponse(page, 'save_host', { ok: added });
      await page.getByTestId('host-ca').fill('/etc/ssl/corp.pem');
      await page.getByTestId('host-proxy-url').fill('http://proxy.corp.example:3128/');
      await page.getByTestId('host-save').click();
      await form.waitFor({ state: 'detached' });
      await page.getByTestId('toast').filter({ hasText: 'Saved the settings for gitlab.corp.example' }).waitFor();
      const hosts = await page.evaluate(() => [...document.querySelectorAll('[data-testid="host-row"]')].map((r) => r.dataset.host));
      assert.deepEqual(hosts, [...HOSTS.map((h) => h.host), added.host]);
      const row = hostRow(page, added.host);
      assert.equal((await row.getByTestId('host-bindings').innerText()).trim(), '0');
      assert.equal((await row.getByTestId('host-proxy-label').innerText()).trim(), 'http://proxy.corp.example:3128');
      assert.equal(await focused(page), 'host-add');
      assert.deepEqual((await calls(page, 'save_host')).map((c) => c.update), [
        { host: 'http://gitlab.corp.example', ca_bundle: null, proxy: null },
        { host: 'https://gitlab.corp.example', ca_bundle: '/etc/ssl/corp.pem', proxy: 'http://proxy.corp.example:3128/' },
      ]);
    });
  });

  it('a hosts load error shows its code and can be retried', async () => {
    await withApp(mock({ list_hosts: { error: { code: 'storage', message: 'database is locked' } } }), SETTINGS, async (page) => {
      const error = page.getByTestId('hosts').getByTestId('load-error');
      await error.waitFor();
      assert.equal(await error.getAttribute('data-error-code'), 'storage');
      await setResponse(page, 'list_hosts', { ok: HOSTS });
      await error.getByRole('button', { name: 'Try again' }).click();
      await page.getByTestId('host-row').first().waitFor();
      assert.equal(await page.getByTestId('host-row').count(), 3);
    });
  });
});

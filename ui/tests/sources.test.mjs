// Code sources screen, the bind dialogs (token and OAuth / device code) and their errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEVICE_CODE, PROVIDERS, appInfo, newBinding, oauthAppView } from './support/fixtures.mjs';
import { calls, emit, fieldErrorCode, harness, hash, populatedMock, setResponse } from './support/harness.mjs';

const { withApp } = harness();

const GITLAB_BOUND = newBinding('gitlab', { id: 'b-new-gitlab', host: 'https://gitlab.com' });
const GITHUB_BOUND = newBinding('github', { id: 'b-new-github', auth_method: 'oauth' });

function detailOf(binding) {
  return {
    binding,
    scope_health: { reported: true, granted: binding.scopes, features: [], fix_url: null, checklist: [] },
    warnings: [],
    ca_bundle: null,
    revoke_page: `${binding.host}/settings`,
  };
}

function mock(extra = {}) {
  const m = populatedMock(extra);
  m.responses.binding_detail.byId['b-new-gitlab'] = { ok: detailOf(GITLAB_BOUND) };
  m.responses.binding_detail.byId['b-new-github'] = { ok: detailOf(GITHUB_BOUND) };
  return m;
}

async function openDialog(page, kind) {
  await page.getByTestId(`bind-${kind}`).click();
  const dialog = page.getByTestId('bind-dialog');
  await dialog.waitFor();
  return dialog;
}

describe('code sources', () => {
  it('lists every platform with version, methods, bound count and actions', async () => {
    await withApp(mock(), { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      assert.equal(await page.getByTestId('nav-sources').getAttribute('aria-current'), 'page');
      for (const p of PROVIDERS) {
        const row = page.getByTestId(`source-row-${p.kind}`);
        const text = await row.innerText();
        assert.match(text, new RegExp(p.name.replace('/', '\\/')));
        assert.match(text, new RegExp(p.supported_version.replace(/[()+]/g, '.')));
        if (p.binding_methods.includes('oauth')) assert.match(text, /OAuth/);
        assert.match(text, /Access token/);
        assert.equal(await row.getByTestId(`bind-${p.kind}`).innerText(), 'Bind account');
      }
      assert.equal((await page.getByTestId('source-row-github').getByTestId('source-status').innerText()).trim(), 'Bound · 1 account');
      assert.equal((await page.getByTestId('source-row-bitbucket').getByTestId('source-status').innerText()).trim(), 'Not bound');
      assert.equal(await page.getByTestId('source-bindings-bitbucket').count(), 0);
      await page.getByTestId('source-bindings-gitlab').click();
      await page.getByTestId('bindings').waitFor();
      assert.equal(await hash(page), '#/?provider=gitlab');
      assert.equal(await page.getByTestId('binding-row').count(), 1);
      assert.equal(await page.getByTestId('filter-provider').inputValue(), 'gitlab');
    });
  });

  it("the empty state's providers open the bind dialog on the code sources screen", async () => {
    const m = { responses: { app_info: { ok: appInfo() }, list_bindings: { ok: [] }, oauth_app: { ok: oauthAppView('gitlab') } } };
    await withApp(m, {}, async (page) => {
      await page.getByTestId('empty-state').waitFor();
      await page.getByTestId('provider-bind-codeup').click();
      const dialog = page.getByTestId('bind-dialog');
      await dialog.waitFor();
      assert.match(await dialog.getByRole('heading', { level: 2 }).innerText(), /Codeup/);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await hash(page), '#/sources');
      assert.equal(await page.getByTestId('source-row-gitlab').getByTestId('source-status').innerText(), 'Not bound');
    });
  });

  it('the dialog is an accessible modal: labelled, focus trapped, Esc closes, focus returns', async () => {
    await withApp(mock(), { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      await page.getByTestId('bind-gitlab').focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Bind a GitLab account' });
      await dialog.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'field-host');
      assert.equal(await page.getByTestId('field-host').inputValue(), 'https://gitlab.com');
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
        const inside = await page.evaluate(() => !!document.activeElement?.closest('[data-testid="bind-dialog"]'));
        assert.ok(inside, `focus left the dialog after ${i + 1} presses`);
      }
      // Labels: every input in the dialog has an accessible name.
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll('dialog input, dialog select')].filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).length,
      );
      assert.equal(unnamed, 0);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'bind-gitlab');
    });
  });

  it('each provider dialog has the seed fields', async () => {
    await withApp(mock(), { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      const has = async (id) => (await page.getByTestId(id).count()) === 1;

      await openDialog(page, 'github');
      assert.ok(await has('field-host'));
      assert.equal(await page.getByTestId('field-host').getAttribute('aria-required'), 'false');
      assert.ok(!(await has('field-username')));
      assert.equal(await page.getByTestId('field-token').getAttribute('type'), 'password');
      const order = await page.evaluate(() => {
        const a = document.querySelector('[data-testid="oauth-start"]');
        const b = document.querySelector('[data-testid="field-token"]');
        return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? 'oauth-first' : 'token-first';
      });
      assert.equal(order, 'oauth-first');
      assert.ok(await has('device-start'));
      assert.ok(await has('bind-advanced'));
      await page.getByTestId('dialog-close').click();

      await openDialog(page, 'gitlab');
      assert.equal(await page.getByTestId('field-host').inputValue(), 'https://gitlab.com');
      assert.ok(await has('field-username'));
      assert.match(await page.getByTestId('port-constraints').innerText(), /Requirements/);
      await page.getByTestId('port-constraints').locator('summary').click();
      assert.match(await page.getByTestId('port-constraints').innerText(), /443 only/);
      assert.match(await page.getByTestId('port-constraints').innerText(), /1025–65535/);
      await page.getByTestId('field-host').fill('https://gitlab.acme.dev:8443');
      assert.match(await page.getByTestId('field-warning').innerText(), /port 443 only/);
      await page.getByTestId('dialog-close').click();

      await openDialog(page, 'bitbucket');
      assert.equal(await page.getByTestId('field-username').getAttribute('type'), 'email');
      assert.match(await page.getByTestId('bind-note').innerText(), /app passwords are deprecated/);
      assert.equal(await page.locator('label', { hasText: 'Atlassian account email' }).count(), 1);
      assert.ok(!(await has('field-host')));
      await page.getByTestId('dialog-close').click();

      await openDialog(page, 'gitee');
      assert.ok(!(await has('field-host')) && !(await has('field-username')));
      await page.getByTestId('dialog-close').click();

      await openDialog(page, 'codeup');
      assert.ok(await has('field-username') && (await has('field-organization')));
      assert.equal(await page.locator('label', { hasText: 'HTTPS clone username' }).count(), 1);
      assert.equal(await page.getByTestId('oauth-panel').count(), 0);
      const checklist = page.getByTestId('codeup-checklist');
      assert.equal(await checklist.locator('li').count(), 6);
      assert.match(await checklist.innerText(), /Webhook: read\/write/);
      assert.match(await checklist.innerText(), /Organization members: read-only/);
      await page.getByTestId('dialog-close').click();

      await openDialog(page, 'gitea');
      assert.equal(await page.getByTestId('field-host').inputValue(), '');
      assert.equal(await page.getByTestId('field-host').getAttribute('aria-required'), 'true');
      assert.ok(await has('oauth-needs-host'));
      assert.ok(await page.getByTestId('oauth-start').isDisabled());
      await page.getByTestId('field-host').fill('https://gitea.example.com');
      await page.getByTestId('oauth-needs-host').waitFor({ state: 'detached' });
      await page.waitForFunction(() => !document.querySelector('[data-testid="oauth-start"]')?.disabled);
    });
  });

  it('binds with a token: request, cleared token, success toast, then the detail', async () => {
    await withApp(mock({ bind_with_token: { ok: GITLAB_BOUND, delayMs: 900 } }), { hash: '#/sources' }, async (page) => {
      const logs = [];
      page.on('console', (msg) => logs.push(msg.text()));
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'gitlab');
      await page.getByTestId('field-username').fill('alice');
      const token = page.getByTestId('field-token');
      await token.fill('glpat-s3cr3t');
      assert.equal(await token.getAttribute('type'), 'password');
      await page.getByTestId('field-token-toggle').click();
      assert.equal(await token.getAttribute('type'), 'text');
      assert.equal(await page.getByTestId('field-token-toggle').getAttribute('aria-pressed'), 'true');
      await page.getByTestId('field-token-toggle').click();
      assert.equal(await token.getAttribute('type'), 'password');
      await page.getByTestId('bind-submit').click();
      assert.equal(await token.inputValue(), '', 'the token is cleared as soon as it is submitted');
      await page.getByRole('status').filter({ hasText: 'Checking the token' }).waitFor();
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.match(await toast.innerText(), /^You have successfully bound the GitLab account/);
      await page.getByTestId('binding-detail').waitFor();
      assert.equal(await hash(page), '#/binding/b-new-gitlab');
      assert.deepEqual(await calls(page, 'bind_with_token'), [
        {
          request: {
            provider: 'gitlab',
            host: 'https://gitlab.com',
            token: 'glpat-s3cr3t',
            username: 'alice',
            organization: null,
            ca_bundle: null,
          },
        },
      ]);
      assert.ok(!logs.some((l) => l.includes('glpat-s3cr3t')), 'the token is never logged');
    });
  });

  it('shows each error code inline under its field, and the token is cleared every time', async () => {
    const cases = [
      ['invalid_url', 'field-host'],
      ['insecure_http', 'field-host'],
      ['provider_unauthorized', 'field-token'],
      ['provider_forbidden', 'field-token'],
      ['insufficient_scope', 'field-token'],
      ['invalid_input', null],
      ['network', null],
      ['provider_unavailable', null],
      ['rate_limited', null],
      ['conflict', null],
      ['keychain_unavailable', null],
      ['storage', null],
    ];
    await withApp(mock(), { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'gitlab');
      await page.getByTestId('field-username').fill('alice');
      for (const [code, field] of cases) {
        await setResponse(page, 'bind_with_token', { error: { code, message: `detail for ${code}` } });
        await page.getByTestId('field-token').fill('glpat-x');
        await page.getByTestId('bind-submit').click();
        if (field) {
          await page.waitForFunction(
            ([f, c]) => {
              const ids = document.querySelector(`[data-testid="${f}"]`)?.getAttribute('aria-describedby') ?? '';
              return ids.split(' ').some((id) => document.getElementById(id)?.dataset.code === c);
            },
            [field, code],
          );
          assert.equal(await fieldErrorCode(page, field), code);
          assert.equal(await page.getByTestId(field).getAttribute('aria-invalid'), 'true');
          assert.equal(await page.getByTestId('bind-error').count(), 0);
        } else {
          const err = page.locator(`[data-testid="bind-error"][data-code="${code}"]`);
          await err.waitFor();
          assert.match(await err.innerText(), new RegExp(code));
          assert.match(await err.innerText(), new RegExp(`detail for ${code}`));
        }
        assert.match(await page.getByTestId('bind-dialog').innerText(), new RegExp(code));
        assert.equal(await page.getByTestId('field-token').inputValue(), '');
      }
      assert.equal((await calls(page, 'bind_with_token')).length, cases.length);
      assert.equal(await page.getByTestId('toast').count(), 0);
    });
  });

  it('Codeup: required fields are checked before calling, org errors land under the organization', async () => {
    await withApp(mock(), { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'codeup');
      await page.getByTestId('bind-submit').click();
      for (const f of ['field-username', 'field-organization', 'field-token']) {
        assert.equal(await fieldErrorCode(page, f), 'invalid_input', f);
      }
      assert.match(await page.getByTestId('bind-dialog').innerText(), /This field is required/);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'field-username');
      assert.equal((await calls(page, 'bind_with_token')).length, 0);

      await setResponse(page, 'bind_with_token', { error: { code: 'org_restricted', message: 'no access to that organization' } });
      await page.getByTestId('field-username').fill('wang-clone');
      await page.getByTestId('field-organization').fill('60d54f3daccf2bbd6659f3ad');
      await page.getByTestId('field-token').fill('pt-abc');
      await page.getByTestId('bind-submit').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="field-organization"]')?.getAttribute('aria-invalid') === 'true' && !document.querySelector('[data-testid="field-username"]')?.getAttribute('aria-invalid'));
      assert.equal(await fieldErrorCode(page, 'field-organization'), 'org_restricted');
      const [req] = await calls(page, 'bind_with_token');
      assert.deepEqual(req.request, {
        provider: 'codeup',
        host: null,
        token: 'pt-abc',
        username: 'wang-clone',
        organization: '60d54f3daccf2bbd6659f3ad',
        ca_bundle: null,
      });
    });
  });

  it('sends the CA bundle from the Advanced section', async () => {
    await withApp(mock({ bind_with_token: { ok: GITLAB_BOUND } }), { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'gitea');
      await page.getByTestId('field-host').fill('https://git.corp.example');
      await page.getByTestId('field-token').fill('tok');
      await page.getByTestId('bind-advanced').locator('summary').click();
      await page.getByTestId('field-ca-bundle').fill('/etc/ssl/corp.pem');
      await page.getByTestId('bind-submit').click();
      await page.getByTestId('binding-detail').waitFor();
      const [req] = await calls(page, 'bind_with_token');
      assert.equal(req.request.host, 'https://git.corp.example');
      assert.equal(req.request.ca_bundle, '/etc/ssl/corp.pem');
      assert.equal(req.request.username, null);
    });
  });
});

describe('sign in with the browser', () => {
  const started = { authorize_url: 'https://github.com/login/oauth/authorize?client_id=Iv1.abc123&state=xyz', redirect_uri: 'codebind://oauth/callback', attempt_id: 'xyz' };

  it('start_oauth → waiting → oauth-finished → success toast and the detail', async () => {
    await withApp(mock({ start_oauth: { ok: started } }), { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'github');
      assert.equal(await page.getByTestId('oauth-start').innerText(), 'Sign in with GitHub');
      assert.ok(await page.getByTestId('oauth-redirect-deep-link').isChecked());
      await page.getByTestId('oauth-start').click();
      const waiting = page.getByTestId('oauth-waiting');
      await waiting.waitFor();
      assert.match(await waiting.innerText(), /Waiting for you to finish signing in in your browser…/);
      assert.equal(await waiting.getByTestId('oauth-authorize-url').getAttribute('href'), started.authorize_url);
      assert.equal(await page.getByTestId('field-token').count(), 0);
      assert.deepEqual(await calls(page, 'start_oauth'), [{ provider: 'github', host: null, redirect: 'deep_link' }]);
      await emit(page, 'oauth-finished', { binding: GITHUB_BOUND, error: null });
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.match(await toast.innerText(), /^You have successfully bound the GitHub account/);
      assert.equal(await toast.getAttribute('data-tone'), 'success');
      await page.getByTestId('binding-detail').waitFor();
      assert.equal(await hash(page), '#/binding/b-new-github');
    });
  });

  it('loopback return path, Cancel, and a failed sign-in with its code', async () => {
    await withApp(mock({ start_oauth: { ok: started } }), { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'gitlab');
      await page.getByTestId('oauth-redirect-loopback').check();
      await page.getByTestId('oauth-start').click();
      await page.getByTestId('oauth-waiting').waitFor();
      await page.getByTestId('oauth-cancel').click();
      await page.getByTestId('oauth-waiting').waitFor({ state: 'detached' });
      await page.getByTestId('field-token').waitFor();
      // Rust is told which sign-in to cancel, so it stops waiting (and refuses a late callback).
      assert.deepEqual(await calls(page, 'cancel_sign_in'), [{ attemptId: started.attempt_id }]);
      await page.getByTestId('oauth-start').click();
      await page.getByTestId('oauth-waiting').waitFor();
      assert.deepEqual((await calls(page, 'start_oauth'))[1], { provider: 'gitlab', host: 'https://gitlab.com', redirect: 'loopback' });
      await emit(page, 'oauth-finished', { binding: null, error: { code: 'oauth_denied', message: 'the user denied access' } });
      const toast = page.locator('[data-testid="toast"][data-code="oauth_denied"]');
      await toast.waitFor();
      assert.match(await toast.innerText(), /Authorization was denied/);
      const inline = page.getByTestId('oauth-error');
      await inline.waitFor();
      assert.equal(await inline.getAttribute('data-code'), 'oauth_denied');
      assert.equal(await hash(page), '#/sources');
    });
  });

  it('says when no OAuth app is configured for the host', async () => {
    const m = mock();
    m.responses.oauth_app.byProvider.github = { ok: oauthAppView('github', { client_id: null, source: null }) };
    await withApp(m, { hash: '#/sources' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'github');
      await page.getByTestId('oauth-unconfigured').waitFor();
      assert.ok(await page.getByTestId('oauth-start').isDisabled());
      assert.equal(await page.getByTestId('oauth-unconfigured').getByRole('link').getAttribute('href'), '#/settings');
    });
  });

  it('device code: shows the user code and verification URL with Copy, then binds', async () => {
    await withApp(mock({ start_device: { ok: DEVICE_CODE } }), { hash: '#/sources' }, async (page, context) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'github');
      await page.getByTestId('device-start').click();
      const box = page.getByTestId('device-code');
      await box.waitFor();
      assert.equal(await box.getByTestId('device-user-code').innerText(), 'WDJB-MJHT');
      assert.equal(await box.getByTestId('device-url').getAttribute('href'), 'https://github.com/login/device');
      assert.equal(await box.getByTestId('device-url').getAttribute('target'), '_blank');
      assert.match(await page.getByTestId('oauth-waiting').innerText(), /expires in 15 min/);
      await box.getByTestId('device-copy').click();
      await page.locator('[data-testid="device-copy"][data-state="copied"]').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'WDJB-MJHT');
      assert.deepEqual(await calls(page, 'start_device'), [{ provider: 'github', host: null }]);
      await emit(page, 'oauth-finished', { binding: GITHUB_BOUND, error: null });
      await page.getByTestId('binding-detail').waitFor();
    });
  });

  it('uses the seed wording in Chinese', async () => {
    await withApp(mock({ start_oauth: { ok: started } }), { hash: '#/sources', locale: 'zh-CN' }, async (page) => {
      await page.getByTestId('sources').waitFor();
      await openDialog(page, 'github');
      assert.equal(await page.getByTestId('oauth-start').innerText(), '使用 GitHub 登录');
      await page.getByTestId('oauth-start').click();
      await page.getByTestId('oauth-waiting').waitFor();
      await emit(page, 'oauth-finished', { binding: GITHUB_BOUND, error: null });
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.match(await toast.innerText(), /^已成功绑定 GitHub 账号/);
    });
  });
});

// Binding detail: identity, token health, reachability warnings, organizations, streamed and
// virtualised repositories, the binding's history, actions and the unbind confirmation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CODEUP_BINDING, CODEUP_DETAIL, GITLAB_DETAIL, history } from './support/fixtures.mjs';
import { calls, harness, hash, populatedMock, setResponse } from './support/harness.mjs';

const { withApp } = harness();

describe('binding detail', () => {
  it('shows identity, token health with the fix link, warnings, organizations and history', async () => {
    await withApp(populatedMock(), { hash: '#/binding/b-gitlab-jdoe' }, async (page) => {
      const detail = page.getByTestId('binding-detail');
      await page.getByTestId('identity').waitFor();
      assert.equal(await page.getByTestId('detail-name').innerText(), 'Jane Doe');
      assert.equal(await page.getByTestId('detail-login').innerText(), '@jdoe');
      assert.equal(await page.getByTestId('detail-host').innerText(), 'gitlab.acme.dev:8443');
      assert.equal((await detail.getByTestId('status-badge').innerText()).trim(), 'Missing scopes');
      assert.equal((await page.getByTestId('detail-expiry').innerText()).trim(), 'Expires in 12 days');
      assert.match(await page.getByTestId('identity').innerText(), /Access token/);

      const states = await page.evaluate(() =>
        Object.fromEntries([...document.querySelectorAll('[data-testid="feature"]')].map((f) => [f.dataset.feature, f.dataset.state])),
      );
      assert.deepEqual(states, { repositories: 'granted', webhooks: 'missing', registry_pull: 'missing', registry_push: 'missing' });
      assert.match(await page.locator('[data-feature="registry_push"]').innerText(), /Missing[\s\S]*read_registry[\s\S]*write_registry/);
      const fix = page.getByTestId('fix-link');
      assert.equal(await fix.getAttribute('href'), GITLAB_DETAIL.scope_health.fix_url);
      assert.equal(await fix.getAttribute('target'), '_blank');
      assert.match(await fix.getAttribute('rel'), /noopener/);
      assert.match(await fix.innerText(), /Create a token with the missing scopes/);
      await fix.click();
      assert.deepEqual(await calls(page, 'open_external'), [{ url: GITLAB_DETAIL.scope_health.fix_url }]);

      const warnings = page.getByTestId('reachability-warning');
      assert.equal(await warnings.count(), 2);
      assert.match(await warnings.nth(0).innerText(), /HTTPS is supported on port 443 only\. To use a different port, switch to HTTP\./);
      assert.match(await warnings.nth(1).innerText(), /self-signed/);
      assert.match(await page.getByTestId('ca-bundle').innerText(), /\/etc\/ssl\/acme-root\.pem/);

      const orgs = page.getByTestId('org-row');
      await orgs.first().waitFor();
      assert.equal(await orgs.count(), 3);
      const access = await page.evaluate(() => [...document.querySelectorAll('[data-testid="org-row"]')].map((o) => o.dataset.access));
      assert.deepEqual(access, ['granted', 'restricted', 'sso_required']);
      assert.equal(await orgs.nth(0).getByTestId('org-grant').count(), 0);
      assert.equal((await orgs.nth(1).getByTestId('org-grant').innerText()).trim(), 'Grant access');
      assert.equal((await orgs.nth(2).getByTestId('org-grant').innerText()).trim(), 'Authorize SSO');
      assert.equal(await orgs.nth(2).getByTestId('org-grant').getAttribute('href'), 'https://github.com/orgs/acme-corp/sso');
      assert.match(await orgs.nth(1).innerText(), /platform\/infra/);

      const history = page.getByTestId('timeline').getByTestId('history-row');
      await history.first().waitFor();
      assert.equal(await history.count(), 10);
      assert.deepEqual(await calls(page, 'list_history'), [{ query: { binding_id: 'b-gitlab-jdoe', kind: null, before: null, limit: 20 } }]);
      assert.deepEqual(await calls(page, 'list_orgs'), [{ id: 'b-gitlab-jdoe' }]);
    });
  });

  it('streams 10,000 repositories into a virtualised list with search', async () => {
    const m = populatedMock({ list_repos: { generate: { count: 10000, pageSize: 100, delayMs: 15 } } });
    await withApp(m, { hash: '#/binding/b-gitlab-jdoe' }, async (page) => {
      const count = page.getByTestId('repo-count');
      await count.waitFor();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="repo-count"]')?.dataset.loaded) >= 1200);
      assert.match(await count.innerText(), /[\d,]+ of … loaded/);
      await page.locator('[data-testid="repo-count"][data-done="true"]').waitFor({ timeout: 20000 });
      assert.match(await count.innerText(), /10,000 repositories/);
      assert.match(await count.innerText(), /3,334 private/);
      const rows = page.getByTestId('repo-row');
      const inDom = await rows.count();
      assert.ok(inDom > 5 && inDom < 200, `rows in the DOM: ${inDom}`);
      const [call] = await calls(page, 'list_repos');
      assert.equal(call.id, 'b-gitlab-jdoe');
      assert.match(call.pages, /^__CHANNEL__:\d+$/);

      const first = rows.first();
      assert.equal(await first.getAttribute('data-repo'), 'group-0/sub-0/repo-00000');
      assert.equal((await first.getByTestId('repo-visibility').innerText()).trim(), 'Private');
      assert.equal((await first.getByTestId('repo-subgroup').innerText()).trim(), 'Subgroup – manual builds only');
      assert.equal((await rows.nth(1).getByTestId('repo-visibility').innerText()).trim(), 'Public');
      assert.equal(await rows.nth(1).getByTestId('repo-subgroup').count(), 0);

      // Scrolling to the end renders the last rows, still few in the DOM.
      const started = Date.now();
      await page.getByTestId('repo-list').evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await page.locator('[data-repo="group-3/repo-09999"]').waitFor();
      assert.ok(Date.now() - started < 2000);
      assert.ok((await rows.count()) < 200);
      assert.equal(await page.locator('[data-repo="group-3/repo-09999"]').getAttribute('aria-posinset'), '10000');

      await page.getByTestId('repo-search').fill('repo-0999');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="repo-row"]').length === 10);
      assert.match(await count.innerText(), /10 of 10,000 match/);
      await page.getByTestId('repo-search').fill('sub-2/');
      await page.waitForFunction(() => /of 10,000 match/.test(document.querySelector('[data-testid="repo-count"]')?.textContent ?? ''));
      assert.match(await count.innerText(), /667 of 10,000 match/);
      assert.ok((await rows.count()) < 200);
      await page.getByTestId('repo-search').fill('no-such-repo');
      await page.getByTestId('repos-empty').waitFor();
    });
  });

  it('Codeup: scopes cannot be checked, the least-privilege checklist is shown', async () => {
    const m = populatedMock({
      binding_detail: { byId: { 'b-codeup-wang': { ok: CODEUP_DETAIL } } },
      list_bindings: { ok: [CODEUP_BINDING] },
      list_orgs: { ok: [] },
      list_repos: { pages: [] },
    });
    await withApp(m, { hash: '#/binding/b-codeup-wang', locale: 'zh-CN' }, async (page) => {
      await page.getByTestId('token-health').waitFor();
      assert.match(await page.getByTestId('health-unreported').innerText(), /Codeup/);
      const states = await page.evaluate(() => [...document.querySelectorAll('[data-testid="feature"]')].map((f) => f.dataset.state));
      assert.deepEqual(states, ['unknown', 'unknown']);
      assert.match(await page.getByTestId('feature-state').first().innerText(), /无法检查/);
      const checklist = page.getByTestId('codeup-checklist');
      assert.equal(await checklist.locator('li').count(), 6);
      assert.match(await checklist.innerText(), /代码管理 \/ Webhook：读写/);
      await page.getByTestId('orgs-empty').waitFor();
      await page.getByTestId('repos-empty').waitFor();
    });
  });

  it("pages through the binding's history", async () => {
    const m = populatedMock();
    m.history = history(90);
    await withApp(m, { hash: '#/binding/b-gitlab-jdoe' }, async (page) => {
      const rows = page.getByTestId('timeline').getByTestId('history-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 20);
      await page.getByTestId('timeline-more').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] [data-testid="history-row"]').length === 30);
      assert.equal(await page.getByTestId('timeline-more').count(), 0);
      const queries = await calls(page, 'list_history');
      assert.equal(queries.length, 2);
      assert.equal(queries[1].query.binding_id, 'b-gitlab-jdoe');
      assert.ok(queries[1].query.before > 0);
    });
  });

  it('shows the error code when the binding is gone', async () => {
    const m = populatedMock({ binding_detail: { error: { code: 'not_found', message: 'no binding b-x' } } });
    await withApp(m, { hash: '#/binding/b-x' }, async (page) => {
      const error = page.getByTestId('load-error');
      await error.waitFor();
      assert.equal(await error.getAttribute('data-error-code'), 'not_found');
      assert.match(await error.innerText(), /not_found/);
    });
  });

  it('Verify and Disable from the detail', async () => {
    const m = populatedMock({
      verify_binding: { ok: { binding_id: 'b-gitlab-jdoe', status: 'insufficient_scopes', error: null }, delayMs: 900 },
      set_disabled: { ok: { ...GITLAB_DETAIL.binding, disabled: true } },
    });
    await withApp(m, { hash: '#/binding/b-gitlab-jdoe' }, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-verify').click();
      await page.getByRole('status').filter({ hasText: 'Verifying…' }).waitFor();
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.match(await toast.innerText(), /@jdoe verified: Missing scopes/);
      await setResponse(page, 'binding_detail', { ok: { ...GITLAB_DETAIL, binding: { ...GITLAB_DETAIL.binding, disabled: true } } });
      assert.equal(await page.getByTestId('detail-toggle').innerText(), 'Disable');
      await page.getByTestId('detail-toggle').click();
      await page.getByTestId('disabled-note').waitFor();
      assert.equal(await page.getByTestId('detail-toggle').innerText(), 'Enable');
      assert.equal(await page.getByTestId('repos').count(), 0);
      assert.deepEqual(await calls(page, 'set_disabled'), [{ id: 'b-gitlab-jdoe', disabled: true }]);
      assert.deepEqual(await calls(page, 'verify_binding'), [{ id: 'b-gitlab-jdoe' }]);
    });
  });
});

describe('unbind', () => {
  const done = (revoke, hooks = []) => ({ ok: { binding_id: 'x', revoke, secret_removed: true, binding_removed: true, hooks } });

  it('says what will happen, revokes by default where possible, then reports each step', async () => {
    await withApp(populatedMock({ unbind: done({ kind: 'revoked' }) }), { hash: '#/binding/b-gitlab-jdoe' }, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      const dialog = page.getByRole('dialog', { name: 'Unbind @jdoe from GitLab?' });
      await dialog.waitFor();
      const text = await dialog.innerText();
      assert.match(text, /The token is removed from your operating system's keychain\./);
      assert.match(text, /The binding is removed from this computer\./);
      assert.match(text, /Its history is kept/);
      assert.match(text, /Also revoke the token at GitLab/);
      assert.match(text, /Also remove the webhooks Codebind created/);
      assert.ok(await page.getByTestId('unbind-hooks').isChecked());
      assert.ok(await page.getByTestId('unbind-revoke').isChecked());
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'unbind-cancel');
      await page.getByTestId('unbind-confirm').click();
      await page.getByTestId('unbind-dialog').waitFor({ state: 'detached' });
      const rep = page.getByTestId('unbind-report');
      await rep.waitFor();
      assert.equal(await rep.getByTestId('step-revoke').getAttribute('data-outcome'), 'revoked');
      assert.match(await rep.getByTestId('step-revoke').innerText(), /Token revoked at GitLab/);
      assert.match(await rep.getByTestId('step-secret').innerText(), /removed from the keychain/);
      assert.match(await rep.getByTestId('step-binding').innerText(), /removed from this computer/);
      assert.match(await rep.getByTestId('step-history').innerText(), /History kept/);
      assert.match(await rep.getByTestId('step-hook-none').innerText(), /No webhooks to remove/);
      assert.deepEqual(await calls(page, 'unbind'), [{ id: 'b-gitlab-jdoe', revoke: true, removeHooks: true }]);
      // The binding is gone: the report is shown on the bindings list, until the user moves on.
      assert.equal(await hash(page), '#/');
      await page.getByTestId('bindings').waitFor();
      await page.getByTestId('nav-history').click();
      await page.getByTestId('history').waitFor();
      assert.equal(await page.getByTestId('unbind-report').count(), 0);
    });
  });

  it('where revocation is not possible the box starts unchecked; the manual link is reported', async () => {
    const url = 'https://gitee.com/profile/personal_access_tokens';
    await withApp(populatedMock({ unbind: done({ kind: 'manual', url }) }), { hash: '#/binding/b-gitee-liwei' }, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-dialog').waitFor();
      assert.equal(await page.getByTestId('unbind-revoke').isChecked(), false);
      assert.match(await page.getByTestId('unbind-dialog').innerText(), /Gitee does not let apps revoke this token/);
      await page.getByTestId('unbind-revoke').check();
      await page.getByTestId('unbind-confirm').click();
      const step = page.getByTestId('step-revoke');
      await step.waitFor();
      assert.equal(await step.getAttribute('data-outcome'), 'manual');
      assert.equal(await step.getByTestId('revoke-url').getAttribute('href'), url);
      assert.match(await step.innerText(), /revoke it by hand at/);
      assert.deepEqual(await calls(page, 'unbind'), [{ id: 'b-gitee-liwei', revoke: true, removeHooks: true }]);
    });
  });

  it('a failed revocation shows the message and the page to do it by hand; Esc cancels', async () => {
    const url = 'https://github.com/settings/applications';
    const m = populatedMock({ unbind: done({ kind: 'failed', message: 'GitHub answered HTTP 422', url }) });
    await withApp(m, { hash: '#/binding/b-github-octocat' }, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-dialog').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('unbind-dialog').waitFor({ state: 'detached' });
      assert.equal((await calls(page, 'unbind')).length, 0);
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-revoke').uncheck();
      await page.getByTestId('unbind-revoke').check();
      await page.getByTestId('unbind-confirm').click();
      const step = page.getByTestId('step-revoke');
      await step.waitFor();
      assert.equal(await step.getAttribute('data-outcome'), 'failed');
      assert.equal(await step.getByTestId('revoke-message').innerText(), 'GitHub answered HTTP 422');
      assert.equal(await step.getByTestId('revoke-url').getAttribute('href'), url);
    });
  });

  it('reports each webhook removal, or keeps them when unticked', async () => {
    const hooks = [
      { repo: 'platform/api', provider_hook_id: '11', removed: true, manual_url: null, error: null },
      {
        repo: 'platform/web',
        provider_hook_id: '12',
        removed: false,
        manual_url: 'https://gitlab.acme.dev:8443/platform/web/-/hooks',
        error: { code: 'provider_forbidden', message: '403 Forbidden' },
      },
    ];
    await withApp(populatedMock({ unbind: done({ kind: 'revoked' }, hooks) }), { hash: '#/binding/b-gitlab-jdoe' }, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-confirm').click();
      const steps = page.getByTestId('step-hook');
      await steps.first().waitFor();
      assert.equal(await steps.count(), 2);
      assert.match(await steps.nth(0).innerText(), /Webhook removed from platform\/api/);
      assert.equal(await steps.nth(1).getAttribute('data-outcome'), 'false');
      assert.match(await steps.nth(1).innerText(), /403 Forbidden[\s\S]*provider_forbidden/);
      assert.equal(await steps.nth(1).getByTestId('hook-url').getAttribute('href'), hooks[1].manual_url);
    });
    await withApp(populatedMock({ unbind: done({ kind: 'not_requested' }) }), { hash: '#/binding/b-gitlab-jdoe' }, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-hooks').uncheck();
      assert.match(await page.getByTestId('unbind-dialog').innerText(), /remove them by hand later/);
      await page.getByTestId('unbind-revoke').uncheck();
      await page.getByTestId('unbind-confirm').click();
      await page.getByTestId('unbind-report').waitFor();
      assert.equal(await page.getByTestId('step-revoke').getAttribute('data-outcome'), 'not_requested');
      assert.equal(await page.getByTestId('step-hook-none').count(), 0);
      assert.deepEqual(await calls(page, 'unbind'), [{ id: 'b-gitlab-jdoe', revoke: false, removeHooks: false }]);
    });
  });

  it('an unbind call that fails shows its code', async () => {
    const m = populatedMock({ unbind: { error: { code: 'keychain_unavailable', message: 'locked' } } });
    await withApp(m, { hash: '#/binding/b-github-octocat' }, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-confirm').click();
      const failed = page.getByTestId('unbind-failed');
      await failed.waitFor();
      assert.equal(await failed.getAttribute('data-code'), 'keychain_unavailable');
      assert.equal(await page.getByTestId('unbind-dialog').count(), 0);
      assert.equal(await hash(page), '#/binding/b-github-octocat');
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('unbind-report-dismiss').click();
      await page.getByTestId('unbind-report').waitFor({ state: 'detached' });
    });
  });
});

// The bindings list: filter, sort, row actions menu, multi-select with bulk Verify / Unbind,
// Verify all with its progress indicator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BINDINGS } from './support/fixtures.mjs';
import { calls, harness, hash, populatedMock, setResponse } from './support/harness.mjs';

const { withApp } = harness();

const ids = (page) =>
  page.evaluate(() => [...document.querySelectorAll('[data-testid="binding-row"]')].map((r) => r.dataset.bindingId));

const report = (id, status = 'active', error = null) => ({ binding_id: id, status, error });

describe('bindings list', () => {
  it('filters by text, platform and status', async () => {
    await withApp(populatedMock(), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      const rows = page.getByTestId('binding-row');
      await page.getByTestId('filter-text').fill('JDOE');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="binding-row"]').length === 1);
      assert.deepEqual(await ids(page), ['b-gitlab-jdoe']);
      await page.getByTestId('filter-text').fill('gitee.com');
      assert.deepEqual(await ids(page), ['b-gitee-liwei']);
      await page.getByTestId('filter-text').fill('');
      await page.getByTestId('filter-provider').selectOption('github');
      assert.deepEqual(await ids(page), ['b-github-octocat']);
      await page.getByTestId('filter-provider').selectOption('');
      await page.getByTestId('filter-status').selectOption('attention');
      assert.equal(await rows.count(), 2);
      await page.getByTestId('filter-status').selectOption('expired');
      assert.deepEqual(await ids(page), ['b-gitee-liwei']);
      await page.getByTestId('filter-text').fill('nobody');
      await page.getByTestId('no-match').waitFor();
      assert.match(await page.getByTestId('shown-count').innerText(), /Showing 0 of 3/);
      await page.getByTestId('no-match').getByRole('button').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="binding-row"]').length === 3);
      assert.equal(await page.getByTestId('filter-status').inputValue(), '');
    });
  });

  it('sorts by login, platform, status, expiry and last verified, both directions', async () => {
    await withApp(populatedMock(), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      assert.deepEqual(await ids(page), ['b-gitlab-jdoe', 'b-gitee-liwei', 'b-github-octocat']);
      const account = page.getByTestId('sort-login');
      assert.equal(await page.locator('th', { has: account }).getAttribute('aria-sort'), 'ascending');
      await account.click();
      assert.deepEqual(await ids(page), ['b-github-octocat', 'b-gitee-liwei', 'b-gitlab-jdoe']);
      assert.equal(await page.locator('th', { has: account }).getAttribute('aria-sort'), 'descending');
      await page.getByTestId('sort-key').selectOption('provider');
      assert.deepEqual(await ids(page), ['b-gitee-liwei', 'b-github-octocat', 'b-gitlab-jdoe'].reverse());
      await page.getByTestId('sort-direction').click();
      assert.deepEqual(await ids(page), ['b-gitee-liwei', 'b-github-octocat', 'b-gitlab-jdoe']);
      await page.getByTestId('sort-status').click();
      assert.deepEqual(await ids(page), ['b-gitee-liwei', 'b-gitlab-jdoe', 'b-github-octocat']);
      await page.getByTestId('sort-expiry').click();
      assert.deepEqual(await ids(page), ['b-gitee-liwei', 'b-gitlab-jdoe', 'b-github-octocat']);
      await page.getByTestId('sort-verified').click();
      assert.deepEqual(await ids(page), ['b-gitlab-jdoe', 'b-github-octocat', 'b-gitee-liwei']);
      await page.getByTestId('sort-verified').click();
      assert.deepEqual(await ids(page), ['b-gitee-liwei', 'b-github-octocat', 'b-gitlab-jdoe']);
    });
  });

  it('rows link to the detail', async () => {
    await withApp(populatedMock(), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      await page.locator('[data-binding-id="b-github-octocat"]').getByTestId('binding-name').click();
      await page.getByTestId('binding-detail').waitFor();
      assert.equal(await hash(page), '#/binding/b-github-octocat');
      assert.equal(await page.getByTestId('nav-dashboard').getAttribute('aria-current'), 'page');
    });
  });

  it('the row actions menu works with the keyboard; quick actions run Verify / Disable', async () => {
    const m = populatedMock({
      verify_binding: {
        byId: {
          'b-github-octocat': { ok: report('b-github-octocat') },
          'b-gitee-liwei': { ok: report('b-gitee-liwei', 'invalid', { code: 'provider_unauthorized', message: '401' }) },
        },
      },
      set_disabled: { ok: null },
    });
    await withApp(m, {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      const row = page.locator('[data-binding-id="b-github-octocat"]');
      const trigger = row.getByTestId('row-actions');
      assert.equal(await trigger.getAttribute('aria-label'), 'Actions for @octocat');
      await trigger.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('menu').waitFor();
      assert.equal(await trigger.getAttribute('aria-expanded'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-verify');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-toggle');
      await page.keyboard.press('End');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-details');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-verify');
      await page.keyboard.press('Escape');
      await page.getByRole('menu').waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'row-actions');

      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      const ok = page.locator('[data-testid="toast"][data-tone="success"]');
      await ok.waitFor();
      assert.match(await ok.innerText(), /@octocat verified: Active/);

      const gitee = page.locator('[data-binding-id="b-gitee-liwei"]');
      assert.equal(await gitee.getByTestId('row-verify').getAttribute('aria-label'), 'Verify @li-wei');
      await gitee.getByTestId('row-verify').click();
      const bad = page.locator('[data-testid="toast"][data-code="provider_unauthorized"]');
      await bad.waitFor();
      assert.match(await bad.innerText(), /Verifying @li-wei failed/);

      await setResponse(page, 'set_disabled', { ok: { ...(await page.evaluate(() => window.__MOCK__.responses.list_bindings.ok[0])), disabled: true } });
      await row.getByTestId('row-actions').click();
      assert.equal(await page.getByTestId('menu-toggle').innerText(), 'Disable');
      await page.getByTestId('menu-toggle').click();
      await row.getByTestId('disabled-tag').waitFor();
      assert.equal(await row.getByTestId('row-toggle').getAttribute('aria-label'), 'Enable @octocat');
      assert.deepEqual(await calls(page, 'verify_binding'), [{ id: 'b-github-octocat' }, { id: 'b-gitee-liwei' }]);
      assert.deepEqual(await calls(page, 'set_disabled'), [{ id: 'b-github-octocat', disabled: true }]);
    });
  });

  it('bulk Verify shows progress for slow checks and summarises', async () => {
    const m = populatedMock({
      verify_binding: {
        byId: {
          'b-gitlab-jdoe': { ok: report('b-gitlab-jdoe'), delayMs: 600 },
          'b-gitee-liwei': { ok: report('b-gitee-liwei'), delayMs: 600 },
          'b-github-octocat': { ok: report('b-github-octocat'), delayMs: 600 },
        },
      },
    });
    await withApp(m, {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      await page.locator('[data-binding-id="b-gitlab-jdoe"]').getByTestId('row-select').check();
      await page.locator('[data-binding-id="b-gitee-liwei"]').getByTestId('row-select').check();
      assert.equal(await page.getByTestId('bulk-count').innerText(), '2 selected');
      assert.equal(await page.getByTestId('select-all').evaluate((el) => el.indeterminate), true);
      await page.getByTestId('bulk-verify').click();
      const progress = page.getByTestId('bulk-progress');
      await progress.waitFor();
      assert.match(await progress.innerText(), /Verifying \d of 2/);
      assert.equal(await progress.getByRole('progressbar').getAttribute('aria-valuemax'), '2');
      await progress.waitFor({ state: 'detached' });
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.match(await toast.innerText(), /2 bindings verified/);
      assert.deepEqual(await calls(page, 'verify_binding'), [{ id: 'b-gitlab-jdoe' }, { id: 'b-gitee-liwei' }]);
      await page.getByTestId('select-all').check();
      assert.equal(await page.getByTestId('bulk-count').innerText(), '3 selected');
      await page.getByTestId('bulk-clear').click();
      assert.equal(await page.getByTestId('bulk-bar').count(), 0);
    });
  });

  it('Verify all shows a progress indicator only when it takes more than 200 ms', async () => {
    const reports = [report('b-github-octocat'), report('b-gitlab-jdoe', 'insufficient_scopes'), report('b-gitee-liwei', 'expired', { code: 'provider_unauthorized', message: 'expired' })];
    await withApp(populatedMock({ verify_all: { ok: reports } }), {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      await page.evaluate(() => {
        window.__sawProgress = false;
        new MutationObserver(() => {
          if (document.querySelector('[data-testid="bulk-progress"]')) window.__sawProgress = true;
        }).observe(document.body, { childList: true, subtree: true });
      });
      await page.getByTestId('verify-all').click();
      const toast = page.locator('[data-testid="toast"][data-code="provider_unauthorized"]');
      await toast.waitFor();
      assert.match(await toast.innerText(), /2 verified, 1 failed/);
      assert.equal(await page.evaluate(() => window.__sawProgress), false);

      await setResponse(page, 'verify_all', { ok: reports.slice(0, 1), delayMs: 1000 });
      await page.getByTestId('verify-all').click();
      const progress = page.getByTestId('bulk-progress');
      await progress.waitFor();
      assert.match(await progress.innerText(), /Verifying every binding/);
      assert.ok(await page.getByTestId('verify-all').isDisabled());
      await progress.waitFor({ state: 'detached' });
      assert.equal((await calls(page, 'verify_all')).length, 2);
    });
  });

  it('bulk Unbind confirms, then reports each binding', async () => {
    const m = populatedMock({
      unbind: {
        byId: {
          'b-gitlab-jdoe': { ok: { binding_id: 'b-gitlab-jdoe', revoke: { kind: 'revoked' }, secret_removed: true, binding_removed: true, hooks: [] } },
          'b-gitee-liwei': {
            ok: {
              binding_id: 'b-gitee-liwei',
              revoke: { kind: 'manual', url: 'https://gitee.com/profile/personal_access_tokens' },
              secret_removed: true,
              binding_removed: true,
              hooks: [],
            },
          },
        },
      },
    });
    await withApp(m, {}, async (page) => {
      await page.getByTestId('bindings').waitFor();
      await page.locator('[data-binding-id="b-gitlab-jdoe"]').getByTestId('row-select').check();
      await page.locator('[data-binding-id="b-gitee-liwei"]').getByTestId('row-select').check();
      await page.getByTestId('bulk-unbind').click();
      const dialog = page.getByRole('dialog', { name: 'Unbind 2 bindings?' });
      await dialog.waitFor();
      assert.match(await page.getByTestId('unbind-targets').innerText(), /@jdoe[\s\S]*@li-wei/);
      assert.ok(await page.getByTestId('unbind-revoke').isChecked());
      await page.getByTestId('unbind-confirm').click();
      await dialog.waitFor({ state: 'detached' });
      const rep = page.getByTestId('unbind-report');
      await rep.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'unbind-report');
      const items = rep.getByTestId('unbind-report-item');
      assert.equal(await items.count(), 2);
      assert.equal(await rep.locator('[data-binding-id="b-gitlab-jdoe"] [data-testid="step-revoke"]').getAttribute('data-outcome'), 'revoked');
      assert.equal(await rep.locator('[data-binding-id="b-gitee-liwei"] [data-testid="step-revoke"]').getAttribute('data-outcome'), 'manual');
      assert.deepEqual(await calls(page, 'unbind'), [
        { id: 'b-gitlab-jdoe', revoke: true, removeHooks: true },
        { id: 'b-gitee-liwei', revoke: true, removeHooks: true },
      ]);
      assert.equal(await page.getByTestId('bulk-bar').count(), 0);
      await page.getByTestId('unbind-report-dismiss').click();
      await rep.waitFor({ state: 'detached' });
    });
  });

  it('a long list renders a screenful first, then every row; re-loads, sorts and filters never drop rows', async () => {
    // 200 bindings in a shuffled order; sorted by login they are user-000 … user-199.
    const many = Array.from({ length: 200 }, (_, i) => {
      const n = (i * 37) % 200;
      return { ...BINDINGS[n % BINDINGS.length], id: `b-${n}`, login: `user-${String(n).padStart(3, '0')}`, display_name: null };
    });
    const idRange = (from, to, step = 1) => Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => `b-${from + i * step}`);
    await withApp(populatedMock({ list_bindings: { ok: many } }), {}, async (page) => {
      // Record the row count of every DOM change from the first one, on a fresh load.
      await page.addInitScript(() => {
        window.__rowCounts = [];
        new MutationObserver(() => {
          const table = document.querySelector('[data-testid="bindings"]');
          const all = document.querySelectorAll('[data-testid="binding-row"]');
          const rows = all.length;
          const bottom = rows ? all[rows - 1].getBoundingClientRect().bottom : 0;
          if (table) window.__rowCounts.push([rows, table.dataset.complete, bottom, window.innerHeight]);
        }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-complete'] });
      });
      await page.reload();
      const complete = page.locator('[data-testid="bindings"][data-complete="true"]');
      await complete.waitFor();
      const counts = await page.evaluate(() => window.__rowCounts);
      const [first] = counts.filter(([rows]) => rows > 0);
      assert.ok(first[0] < 200, `a screenful first, not all (${first[0]} rows)`);
      assert.ok(first[2] >= first[3], `the first rows fill the window (${first[0]} rows reach ${first[2]} px of ${first[3]})`);
      assert.equal(first[1], 'false');
      assert.equal(await page.getByTestId('bindings').getAttribute('aria-busy'), null);
      assert.deepEqual(await ids(page), idRange(0, 199));
      assert.ok(counts.every(([rows], i) => i === 0 || rows >= counts[i - 1][0]), 'the row count only grows');
      // The first screenful is drawn as is; the rows after it may skip rendering while out of view.
      const visibility = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="binding-row"]')].map((row) => getComputedStyle(row).contentVisibility),
      );
      assert.deepEqual(visibility.slice(0, first[0]), Array(first[0]).fill('visible'));
      assert.deepEqual(visibility.slice(first[0]), Array(200 - first[0]).fill('auto'));

      // A re-load of the same list (Refresh; Verify all reloads the same way) renders every row at once.
      await page.evaluate(() => (window.__rowCounts = []));
      const before = (await calls(page, 'list_bindings')).length;
      await page.getByTestId('refresh').click();
      await page.waitForFunction((n) => window.__MOCK__.calls.filter((c) => c.cmd === 'list_bindings').length > n, before);
      await page.locator('[data-testid="refresh"]:not([disabled])').waitFor();
      assert.ok((await page.evaluate(() => window.__rowCounts)).every(([rows, done]) => rows === 200 && done === 'true'));

      // Sorting and filtering the full list re-render it whole, in order.
      await page.getByTestId('sort-login').click();
      assert.equal(await complete.count(), 1);
      assert.deepEqual(await ids(page), idRange(199, 0, -1));
      await page.getByTestId('filter-text').fill('user-19');
      assert.deepEqual(await ids(page), idRange(199, 190, -1));
      await page.getByTestId('filter-text').fill('');
      assert.equal(await complete.count(), 1);
      assert.deepEqual(await ids(page), idRange(199, 0, -1));

      // Select all selects every binding shown, rendered or not.
      await page.getByTestId('select-all').check();
      assert.equal(await page.locator('[data-testid="row-select"]:checked').count(), 200);
    });
  });
});

describe('the WebDriver journey, by test id only', () => {
  it('bind → verify → disable/enable → unbind → history, clicking only the end-to-end test ids', async () => {
    const bound = {
      id: 'b-j',
      provider: 'gitlab',
      host: 'http://127.0.0.1:9000',
      account_id: '1',
      login: 'alice',
      display_name: 'Alice',
      avatar_url: null,
      auth_method: 'token',
      username: 'alice',
      organization: null,
      scopes_reported: true,
      scopes: ['api'],
      expires_at: null,
      status: 'active',
      disabled: false,
      created_at: '2025-06-01T09:00:00Z',
      updated_at: '2025-06-01T09:00:00Z',
      last_verified_at: null,
      vault_key: 'codebind/gitlab/x/1',
    };
    const m = populatedMock({
      list_bindings: { ok: [] },
      bind_with_token: { ok: bound },
      binding_detail: { ok: { binding: bound, scope_health: { reported: true, granted: ['api'], features: [], fix_url: null, checklist: [] }, warnings: [], ca_bundle: null, revoke_page: 'x' } },
      verify_binding: { ok: report('b-j') },
      unbind: { ok: { binding_id: 'b-j', revoke: { kind: 'revoked' }, secret_removed: true, binding_removed: true, hooks: [] } },
    });
    await withApp(m, {}, async (page) => {
      const click = (id) => page.locator(`[data-testid="${id}"]`).first().click();
      await page.getByTestId('empty-state').waitFor();
      await click('nav-sources');
      await click('bind-gitlab');
      await page.getByTestId('bind-dialog').waitFor();
      await page.locator('[data-testid="bind-dialog"] [data-testid="field-host"]').fill('http://127.0.0.1:9000');
      await page.locator('[data-testid="bind-dialog"] [data-testid="field-username"]').fill('alice');
      await page.locator('[data-testid="bind-dialog"] [data-testid="field-token"]').fill('glpat-journey');
      await setResponse(page, 'list_bindings', { ok: [bound] });
      await click('bind-submit');
      await page.getByTestId('toast').waitFor();
      await click('nav-dashboard');
      await page.getByTestId('binding-row').waitFor();
      await click('row-verify');
      await page.locator('[data-testid="toast"]', { hasText: 'verified' }).waitFor();
      await setResponse(page, 'set_disabled', { ok: { ...bound, disabled: true } });
      await setResponse(page, 'list_bindings', { ok: [{ ...bound, disabled: true }] });
      await click('row-toggle');
      await page.getByTestId('binding-row').filter({ hasText: 'Disabled' }).waitFor();
      await setResponse(page, 'set_disabled', { ok: bound });
      await setResponse(page, 'list_bindings', { ok: [bound] });
      await click('row-toggle');
      await page.getByTestId('binding-row').filter({ hasText: 'Disabled' }).waitFor({ state: 'detached' });
      await click('row-unbind');
      await setResponse(page, 'list_bindings', { ok: [] });
      await click('unbind-confirm');
      await page.getByTestId('unbind-report').waitFor();
      await click('nav-dashboard');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="binding-row"]').length === 0);
      await click('nav-history');
      await page.getByTestId('history').waitFor();
    });
  });
});

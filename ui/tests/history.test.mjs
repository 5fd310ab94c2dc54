// History screen: binding, event type and day-range filters, and CSV / JSON export through Rust
// (export_history with the same filters, then Show in folder).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NOW, history } from './support/fixtures.mjs';
import { calls, harness, populatedMock, setResponse } from './support/harness.mjs';

const { withApp } = harness();
const HISTORY = { hash: '#/history' };

const rowIds = (page) =>
  page.evaluate(() => [...document.querySelectorAll('[data-testid="history-row"]')].map((r) => Number(r.dataset.eventId)));

describe('history filters', () => {
  it('filters by binding (asked of Rust), including removed bindings, and opens from the detail', async () => {
    const m = populatedMock();
    m.history = [...history(12), { id: 13, binding_id: 'b-removed', at: NOW.toISOString(), kind: 'unbound', detail: null }];
    await withApp(m, HISTORY, async (page) => {
      await page.getByTestId('history').waitFor();
      const options = await page.getByTestId('history-binding').locator('option').allInnerTexts();
      assert.deepEqual(options, [
        'All bindings',
        '@octocat · github.com',
        '@jdoe · gitlab.acme.dev',
        '@li-wei · gitee.com',
        'Removed binding (b-removed)',
      ]);
      await page.getByTestId('history-binding').selectOption('b-gitee-liwei');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 4);
      assert.deepEqual(await rowIds(page), [12, 9, 6, 3]);
      await page.getByTestId('history-filter').selectOption('token_refreshed');
      await page.getByTestId('history-empty').waitFor();
      await page.getByTestId('history-filter').selectOption('verified');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 4);
      assert.deepEqual((await calls(page, 'list_history')).map((c) => c.query), [
        { binding_id: null, kind: null, before: null, limit: 50 },
        { binding_id: 'b-gitee-liwei', kind: null, before: null, limit: 50 },
        { binding_id: 'b-gitee-liwei', kind: 'token_refreshed', before: null, limit: 50 },
        { binding_id: 'b-gitee-liwei', kind: 'verified', before: null, limit: 50 },
      ]);
      await page.getByTestId('history-binding').selectOption('b-removed');
      await page.getByTestId('history-empty').waitFor();
      await page.getByTestId('history-filter').selectOption('');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 1);
      assert.match(await page.getByTestId('history-row').innerText(), /Removed binding\s*b-removed/);
    });
    await withApp(populatedMock(), { hash: '#/binding/b-gitlab-jdoe' }, async (page) => {
      await page.getByTestId('timeline-all').click();
      await page.getByTestId('history').waitFor();
      assert.equal(await page.getByTestId('history-binding').inputValue(), 'b-gitlab-jdoe');
      assert.equal((await calls(page, 'list_history')).at(-1).query.binding_id, 'b-gitlab-jdoe');
    });
  });

  it('a day range filters the loaded pages and loads on until the range start is passed', async () => {
    const m = populatedMock();
    m.history = history(300); // hourly, newest (id 300) an hour before NOW
    await withApp(m, HISTORY, async (page) => {
      await page.getByTestId('history').waitFor();
      assert.equal(await page.getByTestId('history-row').count(), 50);
      // Only an end: nothing loaded is old enough, so pages load until 50 match (97 do).
      await page.getByTestId('history-to').fill('2025-05-26');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 97);
      assert.equal(await page.getByTestId('load-more').count(), 1);
      // A start already passed by the loaded pages: no more loading, the end is said.
      await page.getByTestId('history-from').fill('2025-05-25');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 48);
      const times = await page.evaluate(() => [...document.querySelectorAll('[data-testid="history-row"] time')].map((t) => t.getAttribute('datetime')));
      assert.equal(times[0], '2025-05-26T23:30:00.000Z');
      assert.equal(times.at(-1), '2025-05-25T00:30:00.000Z');
      assert.match(await page.getByTestId('history-range-status').innerText(), /48 of 250 loaded events/);
      assert.match(await page.getByTestId('history-end').innerText(), /everything in these dates/);
      assert.equal(await page.getByTestId('load-more').count(), 0);
      assert.deepEqual((await calls(page, 'list_history')).map((c) => [c.query.before, c.query.limit]), [
        [null, 50],
        [251, 200],
      ]);

      // A range further back walks on from where the loaded pages end.
      await page.getByTestId('history-range-clear').click();
      assert.equal(await page.getByTestId('history-row').count(), 250);
      await page.getByTestId('history-to').fill('2025-05-21');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 27);
      assert.deepEqual((await calls(page, 'list_history')).at(-1).query, { binding_id: null, kind: null, before: 51, limit: 200 });
      await page.getByTestId('history-from').fill('2025-05-22');
      await page.getByTestId('history-range-inverted').waitFor();
      await page.getByTestId('history-empty').waitFor();
    });
  });
});

describe('history export', () => {
  const PATH = '/home/user/Downloads/codebind-history-2025-06-02.csv';
  const exported = (overrides = {}) => ({ ok: { path: PATH, events: 1234, bytes: 98765, ...overrides } });

  it('sends the screen’s filters (binding, kind, days as instants) to export_history and offers Show in folder', async () => {
    const m = populatedMock({ export_history: { ...exported(), delayMs: 400 }, reveal_export: { ok: null } });
    await withApp(m, HISTORY, async (page) => {
      await page.getByTestId('history').waitFor();
      const group = page.getByRole('group', { name: 'Export all matching events:' });
      assert.equal(await group.count(), 1, 'the label says every matching event is exported');

      // No filters: everything in the store.
      await page.getByTestId('history-export-json').click();
      await page.getByTestId('toast').filter({ hasText: `Exported 1,234 events to ${PATH}` }).waitFor();
      await page.getByTestId('toast').locator('button[aria-label="Dismiss"]').click();

      await page.getByTestId('history-binding').selectOption('b-gitlab-jdoe');
      await page.getByTestId('history-filter').selectOption('verified');
      await page.getByTestId('history-from').fill('2025-05-30');
      await page.getByTestId('history-to').fill('2025-06-01');
      await page.getByTestId('history-export-csv').click();
      const progress = page.getByTestId('history-export-progress');
      await progress.waitFor();
      assert.match(await progress.innerText(), /Exporting…/);
      assert.equal(await page.getByTestId('history-export').getAttribute('aria-busy'), 'true');
      assert.equal(await page.getByTestId('history-export-json').getAttribute('aria-disabled'), 'true');
      await page.getByTestId('history-export-json').dispatchEvent('click'); // ignored while one runs
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      await progress.waitFor({ state: 'detached' });
      assert.equal(await toast.getAttribute('data-tone'), 'success');
      assert.match(await toast.innerText(), new RegExp(`Exported 1,234 events to ${PATH.replace(/[./]/g, '\\$&')}`));
      assert.deepEqual(await calls(page, 'export_history'), [
        { filter: { binding_id: null, kind: null, from: null, to: null }, format: 'json' },
        {
          filter: { binding_id: 'b-gitlab-jdoe', kind: 'verified', from: '2025-05-30T00:00:00.000Z', to: '2025-06-02T00:00:00.000Z' },
          format: 'csv',
        },
      ]);

      await toast.getByTestId('toast-action').click();
      await page.waitForFunction(() => window.__MOCK__.calls.some((c) => c.cmd === 'reveal_export'));
      assert.deepEqual(await calls(page, 'reveal_export'), [{ path: PATH }]);
    });
  });

  it('an export or Show in folder that fails shows the code; nothing to export disables it', async () => {
    const m = populatedMock({
      export_history: { error: { code: 'storage', message: 'cannot create /home/user/Downloads: permission denied' } },
      reveal_export: { error: { code: 'internal', message: 'cannot open the file manager: no handler' } },
    });
    await withApp(m, HISTORY, async (page) => {
      await page.getByTestId('history').waitFor();
      await page.getByTestId('history-export-csv').click();
      const failed = page.locator('[data-testid="toast"][data-tone="error"]');
      await failed.waitFor();
      assert.equal(await failed.getAttribute('data-code'), 'storage');
      assert.match(await failed.innerText(), /Export failed:[\s\S]*permission denied/);
      await failed.locator('button[aria-label="Dismiss"]').click();

      await setResponse(page, 'export_history', exported({ events: 1 }));
      await page.getByTestId('history-export-csv').click();
      const ok = page.locator('[data-testid="toast"][data-tone="success"]');
      await ok.waitFor();
      assert.match(await ok.innerText(), /Exported 1 event to /);
      await ok.getByTestId('toast-action').click();
      const revealFailed = page.locator('[data-testid="toast"][data-tone="error"]');
      await revealFailed.waitFor();
      assert.equal(await revealFailed.getAttribute('data-code'), 'internal');
      assert.match(await revealFailed.innerText(), /Could not show the file:[\s\S]*no handler/);

      await page.getByTestId('history-filter').selectOption('enabled');
      await page.getByTestId('history-empty').waitFor();
      assert.ok(await page.getByTestId('history-export-json').isDisabled());
      assert.ok(await page.getByTestId('history-export-csv').isDisabled());
    });
  });
});

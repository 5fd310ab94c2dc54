// History screen: binding, event type and day-range filters, and CSV / JSON export of what is
// shown (the download is intercepted and its content checked).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BINDINGS, NOW, history } from './support/fixtures.mjs';
import { calls, harness, populatedMock } from './support/harness.mjs';

const { withApp } = harness();
const HISTORY = { hash: '#/history' };

/** A small RFC 4180 parser: quoted fields may hold commas, doubled quotes, CR and LF. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field + row.join(''), '', 'the file ends with CRLF');
  return rows;
}

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

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
  const tricky = () => {
    const m = populatedMock();
    m.history = [
      { id: 1, binding_id: 'b-gitee-liwei', at: '2025-05-30T08:00:00.000Z', kind: 'bound', detail: { provider: 'gitee', login: 'li-wei' } },
      {
        id: 2,
        binding_id: 'b-gitlab-jdoe',
        at: '2025-05-31T08:00:00.000Z',
        kind: 'verification_failed',
        detail: { code: 'provider_unauthorized', message: 'GitLab said "401 Unauthorized",\r\nretry later' },
      },
      { id: 3, binding_id: 'b-gone', at: '2025-06-01T08:00:00.000Z', kind: 'build_triggered', detail: null },
      { id: 4, binding_id: 'b-github-octocat', at: '2025-06-02T08:00:00.000Z', kind: 'verified', detail: 'plain, with comma\nand a "quote"' },
    ];
    return m;
  };

  it('CSV: a header row, RFC 4180 quoting, CRLF, only the events shown', async () => {
    await withApp(tricky(), HISTORY, async (page) => {
      await page.getByTestId('history').waitFor();
      await page.getByTestId('history-from').fill('2025-05-30');
      await page.getByTestId('history-to').fill('2025-06-01');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 3);
      const { name, text } = await download(page, 'history-export-csv');
      assert.equal(name, 'codebind-history-2025-06-02.csv');
      assert.ok(text.startsWith('\uFEFFid,at,kind,binding_id,provider,host,login,detail\r\n'), 'BOM and header row');
      assert.match(text, /"\{""code"":""provider_unauthorized"",""message"":""GitLab said \\""401 Unauthorized\\"",\\r\\nretry later""\}"/);
      const rows = parseCsv(text.slice(1));
      assert.deepEqual(rows, [
        ['id', 'at', 'kind', 'binding_id', 'provider', 'host', 'login', 'detail'],
        ['3', '2025-06-01T08:00:00.000Z', 'build_triggered', 'b-gone', '', '', '', ''],
        [
          '2',
          '2025-05-31T08:00:00.000Z',
          'verification_failed',
          'b-gitlab-jdoe',
          'gitlab',
          'https://gitlab.acme.dev',
          'jdoe',
          JSON.stringify({ code: 'provider_unauthorized', message: 'GitLab said "401 Unauthorized",\r\nretry later' }),
        ],
        ['1', '2025-05-30T08:00:00.000Z', 'bound', 'b-gitee-liwei', 'gitee', 'https://gitee.com', 'li-wei', '{"provider":"gitee","login":"li-wei"}'],
      ]);
      // A field with a comma but no quote is quoted too; a line break inside a field stays in it.
      await page.getByTestId('history-range-clear').click();
      const whole = (await download(page, 'history-export-csv')).text;
      assert.ok(whole.includes('"plain, with comma\nand a ""quote"""\r\n'), 'quoted, quotes doubled, LF kept');
      const all = parseCsv(whole.slice(1));
      assert.equal(all.length, 5);
      assert.equal(all[1][7], 'plain, with comma\nand a "quote"');
      assert.equal(all[1][6], BINDINGS[0].login);
    });
  });

  it('JSON: the filtered events with their binding', async () => {
    await withApp(tricky(), HISTORY, async (page) => {
      await page.getByTestId('history').waitFor();
      await page.getByTestId('history-filter').selectOption('verification_failed');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 1);
      const { name, text } = await download(page, 'history-export-json');
      assert.equal(name, 'codebind-history-2025-06-02.json');
      assert.deepEqual(JSON.parse(text), [
        {
          id: 2,
          at: '2025-05-31T08:00:00.000Z',
          kind: 'verification_failed',
          binding_id: 'b-gitlab-jdoe',
          provider: 'gitlab',
          host: 'https://gitlab.acme.dev',
          login: 'jdoe',
          detail: { code: 'provider_unauthorized', message: 'GitLab said "401 Unauthorized",\r\nretry later' },
        },
      ]);
      await page.getByTestId('history-filter').selectOption('enabled');
      await page.getByTestId('history-empty').waitFor();
      assert.ok(await page.getByTestId('history-export-json').isDisabled());
      assert.ok(await page.getByTestId('history-export-csv').isDisabled());
    });
  });
});

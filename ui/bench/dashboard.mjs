// Performance benchmark (not a test): serves ui/dist with the IPC mock, opens Debian's Chromium
// (viewport 1280×900) and measures
//   (a) the dashboard's first screen with 200 bindings: from navigation start until the binding
//       rows in the DOM reach the bottom of the 900 px viewport (or every row is there, when they
//       are fewer) and the frame holding them has been painted — what the user sees first; median
//       of 5 runs (after one warm-up run); goal < 300 ms. The same with 3 bindings is printed for
//       reference: what loading the app itself costs on this machine;
//   (b) the whole table with 200 bindings, from the same runs: from navigation start until all
//       200 `binding-row` are in the DOM (the table renders them progressively, a screenful first)
//       and the frame holding the last of them has been painted; median of 5; goal < 1000 ms;
//   (c) the repository list with 10,000 repos: from a keystroke in the search box until the next
//       frame is painted; median and p95 over 30 keystrokes; goal < 16 ms.
// "Painted" is observed as a task posted from a requestAnimationFrame callback: it runs once the
// frame that rAF belongs to has been rendered. The table adds its later rows from within animation
// frames, so for (b) the rAF requested on seeing the last rows belongs to the frame after the one
// that painted them: (b) is at worst one (empty) frame late. (a) reads the last row's position
// (a layout the frame would do anyway). Frames are not capped at the display rate
// (--disable-frame-rate-limit), so (c) measures the work a keystroke costs, not the wait for the
// next vsync. Prints one line per figure with its goal; exits non-zero on a miss.
// Usage: npm run build && npm run bench
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../tests/support/browser.mjs';
import { installTauriMock } from '../tests/support/mock-ipc.js';
import { BINDINGS, GITLAB_DETAIL, ORGS, appInfo, history } from '../tests/support/fixtures.mjs';
import { startServer } from '../tests/support/server.mjs';

const RUNS = 5;
const KEYSTROKES = 30;
const GOAL_FIRST_SCREEN = 300;
const GOAL_ALL_ROWS = 1000;
const GOAL_KEYSTROKE = 16;

const STATUSES = ['active', 'active', 'active', 'expired', 'insufficient_scopes', 'invalid', 'unreachable', 'needs_reauth'];
const PROVIDER_HOSTS = {
  github: 'https://github.com',
  gitlab: 'https://gitlab.acme.dev',
  bitbucket: 'https://bitbucket.org',
  gitee: 'https://gitee.com',
  codeup: 'https://openapi-rdc.aliyuncs.com',
  gitea: 'https://git.example.com',
};

/** 200 bindings across every provider, status and expiry shape. */
function bindings(count) {
  const kinds = Object.keys(PROVIDER_HOSTS);
  return Array.from({ length: count }, (_, i) => {
    const base = BINDINGS[i % BINDINGS.length];
    const provider = kinds[i % kinds.length];
    return {
      ...base,
      id: `b-${i}`,
      provider,
      host: PROVIDER_HOSTS[provider],
      account_id: String(1000 + i),
      login: `user-${String(i).padStart(3, '0')}`,
      display_name: i % 4 === 0 ? null : `User ${i}`,
      avatar_url: i % 5 === 0 ? base.avatar_url : null,
      status: STATUSES[i % STATUSES.length],
      disabled: i % 17 === 0,
      expires_at: i % 3 === 0 ? null : new Date(Date.UTC(2025, 5, 2) + ((i % 40) - 10) * 86400000).toISOString(),
      vault_key: `codebind/${provider}/${i}`,
    };
  });
}

function mock(extra = {}, count = 200) {
  return {
    responses: {
      app_info: { ok: appInfo() },
      list_bindings: { ok: bindings(count) },
      binding_detail: { byId: { 'b-gitlab-jdoe': { ok: { ...GITLAB_DETAIL, revocable: true } } } },
      list_orgs: { ok: ORGS },
      list_rules: { ok: [] },
      list_hooks: { ok: [] },
      trigger_url: { ok: null },
      ...extra,
    },
    // list_history answers in pages (limit / next_before) from this log.
    history: history(5000),
  };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/**
 * Runs in the page before the app: records when the binding rows first fill the viewport (or all
 * `count` are there) and when all `count` are in the DOM, each once the frame holding them has
 * been painted.
 */
function watchRows(count) {
  window.__bench = {};
  const painted = (name) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        window.__bench[name] = performance.now();
      };
      channel.port2.postMessage(null);
    });
  };
  let screenful = false;
  const observer = new MutationObserver(() => {
    const rows = document.querySelectorAll('[data-testid="binding-row"]');
    if (rows.length === 0) return;
    if (!screenful && (rows.length >= count || rows[rows.length - 1].getBoundingClientRect().bottom >= window.innerHeight)) {
      screenful = true;
      painted('firstScreen');
    }
    if (rows.length >= count) {
      observer.disconnect();
      painted('allRows');
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { context, page, errors };
}

async function firstPaint(browser, url, count = 200) {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.addInitScript(installTauriMock, mock({}, count));
    await page.addInitScript(watchRows, count);
    await page.goto(url);
    await page.waitForFunction(() => window.__bench?.allRows && window.__bench.firstScreen, null, { timeout: 30000 });
    const result = await page.evaluate(() => window.__bench);
    // The table says so too, once every row is in.
    await page.locator('[data-testid="bindings"][data-complete="true"]').waitFor({ timeout: 5000 });
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return result;
  } finally {
    await context.close();
  }
}

async function keystrokes(browser, url) {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.addInitScript(installTauriMock, mock({ list_repos: { generate: { count: 10000, pageSize: 1000 } } }));
    await page.goto(`${url}#/binding/b-gitlab-jdoe`);
    await page.locator('[data-testid="repo-count"][data-done="true"]').waitFor({ timeout: 60000 });
    await page.evaluate(() => {
      window.__latencies = [];
      window.__stages = [];
      const input = document.querySelector('[data-testid="repo-search"]');
      let current = null;
      input.addEventListener(
        'keydown',
        (event) => {
          const start = event.timeStamp;
          const stage = { start, delivered: performance.now() - start, input: null, frame: null };
          current = stage;
          requestAnimationFrame(() => {
            stage.frame = performance.now() - start;
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              const total = performance.now() - start;
              window.__latencies.push(total);
              window.__stages.push({ delivered: stage.delivered, input: stage.input, frame: stage.frame, total });
            };
            channel.port2.postMessage(null);
          });
        },
        { capture: true },
      );
      // After the app's own input handling (Svelte delegates input events to the root) and its
      // DOM update (a microtask).
      window.addEventListener('input', () => {
        const stage = current;
        if (stage) queueMicrotask(() => (stage.input = performance.now() - stage.start));
      });
    });
    const search = page.getByTestId('repo-search');
    await search.focus();
    // Narrowing, widening and clearing: 11 + 11 + 7 + 1 = 30 keystrokes.
    const keys = [...'group-3/sub', ...Array(11).fill('Backspace'), ...'repo-09', 'Backspace'];
    if (keys.length !== KEYSTROKES) throw new Error(`expected ${KEYSTROKES} keystrokes, have ${keys.length}`);
    for (let i = 0; i < keys.length; i++) {
      await page.keyboard.press(keys[i]);
      await page.waitForFunction((n) => window.__latencies.length >= n, i + 1);
    }
    const rows = await page.getByTestId('repo-row').count();
    if (rows === 0) throw new Error('the search left no rows: the list did not filter as expected');
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return await page.evaluate(() => ({ latencies: window.__latencies, stages: window.__stages }));
  } finally {
    await context.close();
  }
}

const server = await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-frame-rate-limit', '--disable-gpu-vsync'],
});

let failed = false;
function report(label, value, goal, extra = '') {
  const ok = value < goal;
  if (!ok) failed = true;
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}: ${value.toFixed(1)} ms (goal < ${goal} ms)${extra}`);
}

try {
  await firstPaint(browser, server.url); // warm-up, not counted
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await firstPaint(browser, server.url));
  const first = runs.map((r) => r.firstScreen);
  const whole = runs.map((r) => r.allRows);
  // For reference (no goal): the same with 3 bindings, i.e. what loading the app itself costs here.
  const floor = [];
  for (let i = 0; i < RUNS; i++) floor.push((await firstPaint(browser, server.url, 3)).allRows);
  const list = (values) => values.map((v) => v.toFixed(0)).join(', ');
  report(
    `dashboard, 200 bindings, navigation start → first screenful of rows painted (median of ${RUNS})`,
    median(first),
    GOAL_FIRST_SCREEN,
    `  [runs: ${list(first)}; with 3 bindings: ${median(floor).toFixed(0)} ms (runs: ${list(floor)})]`,
  );
  report(
    `dashboard, 200 bindings, navigation start → all 200 rows in the DOM and painted (median of ${RUNS})`,
    median(whole),
    GOAL_ALL_ROWS,
    `  [runs: ${list(whole)}]`,
  );

  const { latencies, stages } = await keystrokes(browser, server.url);
  if (process.env.BENCH_VERBOSE) {
    console.log(`keystroke latencies: ${latencies.map((v) => v.toFixed(1)).join(' ')}`);
    // Per keystroke, in ms from the key event: delivered to the page / app's input handling and DOM
    // update done / frame started (rAF) / frame rendered.
    console.log(`stages (delivered/input done/frame start/painted): ${stages.map((s) => [s.delivered, s.input, s.frame, s.total].map((v) => (v === null ? '-' : v.toFixed(1))).join('/')).join('  ')}`);
  }
  report(`repo search, 10,000 repos, keystroke → next frame painted (median of ${latencies.length})`, median(latencies), GOAL_KEYSTROKE);
  report(`repo search, 10,000 repos, keystroke → next frame painted (p95 of ${latencies.length})`, percentile(latencies, 95), GOAL_KEYSTROKE, `  [max ${Math.max(...latencies).toFixed(1)} ms]`);
} catch (error) {
  console.error(`bench failed: ${error.stack ?? error}`);
  failed = true;
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);

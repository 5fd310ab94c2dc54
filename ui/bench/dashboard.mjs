// Performance benchmark (not a test): serves ui/dist with the IPC mock, opens Debian's Chromium
// (viewport 1280×900) and measures
//   (a) the dashboard's first screen with 200 bindings: from navigation start until the binding
//       rows in the DOM reach the bottom of the 900 px viewport (or every row is there, when they
//       are fewer) and the frame holding them has been painted — what the user sees first; median
//       of 5 runs (after one warm-up run). For comparing builds: the 300 ms goal is checked in the
//       real app (tests/e2e/bench/paint.mjs). The same with 3 bindings is printed beside it: what
//       loading the app itself costs here;
//   (b) the whole table with 200 bindings, from the same runs: from navigation start until all
//       200 `binding-row` are in the DOM (the table renders them progressively, a screenful first)
//       and the frame holding the last of them has been painted; median of 5; goal < 1000 ms;
//   (c) the repository list with 10,000 repos: what a keystroke in the search box costs until its
//       frame is painted; median and p95 over 30 keystrokes; goal < 16 ms, i.e. the update fits in
//       one frame at 60 Hz. The cost is the time from the key event until the app has handled the
//       input and updated the DOM, plus the time the frame that shows it takes to render (from its
//       animation callbacks until it has been painted). Between the two the page may sit idle
//       waiting for the frame to begin: headless Chromium paces frames at 60 Hz in some runs despite
//       --disable-frame-rate-limit (the idle frame interval is printed), and the keystrokes, sent
//       right after a frame (Playwright polls by rAF), then wait ~12 ms for the next one. That wait
//       is the display's and not the keystroke's, so it is left out of the goal; the end-to-end
//       figure, key event → frame painted, is printed beside it.
// "Painted" is observed as a task posted from a requestAnimationFrame callback: it runs once the
// frame that rAF belongs to has been rendered. The table adds its later rows from within animation
// frames, so for (b) the rAF requested on seeing the last rows belongs to the frame after the one
// that painted them: (b) is at worst one (empty) frame late. (a) reads the last row's position
// (a layout the frame would do anyway). Prints one line per figure with its goal; exits non-zero on
// a miss.
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
              window.__stages.push({ delivered: stage.delivered, input: stage.input, frame: stage.frame, total: performance.now() - start });
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
    // The browser's frame pacing while idle: the intervals between 21 animation frames.
    const frameIntervals = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const times = [];
          const step = (t) => {
            times.push(t);
            if (times.length < 21) requestAnimationFrame(step);
            else resolve(times.slice(1).map((v, i) => v - times[i]));
          };
          requestAnimationFrame(step);
        }),
    );
    const search = page.getByTestId('repo-search');
    await search.focus();
    // Narrowing, widening and clearing: 11 + 11 + 7 + 1 = 30 keystrokes.
    const keys = [...'group-3/sub', ...Array(11).fill('Backspace'), ...'repo-09', 'Backspace'];
    if (keys.length !== KEYSTROKES) throw new Error(`expected ${KEYSTROKES} keystrokes, have ${keys.length}`);
    for (let i = 0; i < keys.length; i++) {
      await page.keyboard.press(keys[i]);
      await page.waitForFunction((n) => window.__stages.length >= n, i + 1);
    }
    const rows = await page.getByTestId('repo-row').count();
    if (rows === 0) throw new Error('the search left no rows: the list did not filter as expected');
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return { frameInterval: median(frameIntervals), stages: await page.evaluate(() => window.__stages) };
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
  // The 300 ms goal is the real app's (tests/e2e/bench/paint.mjs: the Tauri window, WebKitGTK, the
  // real store). Here, headless Chromium with the harness's mock takes most of it to load the app
  // at all (the 3-binding figure), so the figure is printed for comparison between builds.
  console.log(
    `INFO  dashboard, 200 bindings, navigation start → first screenful of rows painted (median of ${RUNS}): ${median(first).toFixed(1)} ms` +
      `  [runs: ${list(first)}; with 3 bindings: ${median(floor).toFixed(0)} ms (runs: ${list(floor)}); the ${GOAL_FIRST_SCREEN} ms goal is checked in the real app]`,
  );
  report(
    `dashboard, 200 bindings, navigation start → all 200 rows in the DOM and painted (median of ${RUNS})`,
    median(whole),
    GOAL_ALL_ROWS,
    `  [runs: ${list(whole)}]`,
  );

  const { stages, frameInterval } = await keystrokes(browser, server.url);
  const latencies = stages.map((s) => s.total);
  // Input handled and DOM updated, plus the frame's rendering: the idle wait for the frame left out.
  const costs = stages.map((s) => (s.input === null ? s.total : s.input + (s.total - s.frame)));
  if (process.env.BENCH_VERBOSE) {
    console.log(`keystroke costs: ${costs.map((v) => v.toFixed(1)).join(' ')}`);
    console.log(`keystroke → frame painted: ${latencies.map((v) => v.toFixed(1)).join(' ')}`);
    // Per keystroke, in ms from the key event: delivered to the page / app's input handling and DOM
    // update done / frame started (rAF) / frame rendered.
    console.log(`stages (delivered/input done/frame start/painted): ${stages.map((s) => [s.delivered, s.input, s.frame, s.total].map((v) => (v === null ? '-' : v.toFixed(1))).join('/')).join('  ')}`);
  }
  const endToEnd = `  [key event → frame painted: median ${median(latencies).toFixed(1)}, p95 ${percentile(latencies, 95).toFixed(1)} ms; idle frame interval ${frameInterval.toFixed(1)} ms]`;
  report(`repo search, 10,000 repos, keystroke: input handled + its frame rendered (median of ${costs.length})`, median(costs), GOAL_KEYSTROKE, endToEnd);
  report(`repo search, 10,000 repos, keystroke: input handled + its frame rendered (p95 of ${costs.length})`, percentile(costs, 95), GOAL_KEYSTROKE, `  [max ${Math.max(...costs).toFixed(1)} ms, the first keystroke (cold) ${costs[0].toFixed(1)} ms]`);
} catch (error) {
  console.error(`bench failed: ${error.stack ?? error}`);
  failed = true;
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);

// Shared setup for the page tests: one static server and one Chromium per test file, and
// `withApp(mock, options, body)` that fails on console errors, page errors or CSP violations.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { appCalls, launch, openApp } from './browser.mjs';
import {
  BINDINGS,
  GITEE_DETAIL,
  GITHUB_DETAIL,
  GITLAB_DETAIL,
  HOOKS,
  HOSTS,
  ORGS,
  RULES,
  TRIGGER_URL,
  appInfo,
  history,
  oauthAppView,
} from './fixtures.mjs';

export const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
export const DOCS = fileURLToPath(new URL('../../docs-screenshots/', import.meta.url));

export function harness() {
  const state = { server: null, browser: null };
  before(async () => {
    state.server = await startServer();
    state.browser = await launch();
    await mkdir(SHOTS, { recursive: true });
  });
  after(async () => {
    await state.browser?.close();
    await state.server?.close();
  });

  /** Opens the app, runs `body(page, context)`, and fails on console errors or CSP violations. */
  async function withApp(mock, options, body) {
    const { context, page, problems } = await openApp(state.browser, state.server.url, mock, options);
    try {
      await body(page, context);
      assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
    } finally {
      await context.close();
    }
  }

  return { withApp };
}

/** A populated app: three bindings, details, orgs, a small repo stream, OAuth apps. */
export function populatedMock(extra = {}) {
  return {
    responses: {
      app_info: { ok: appInfo() },
      list_bindings: { ok: BINDINGS },
      binding_detail: {
        byId: {
          'b-github-octocat': { ok: GITHUB_DETAIL },
          'b-gitlab-jdoe': { ok: GITLAB_DETAIL },
          'b-gitee-liwei': { ok: GITEE_DETAIL },
        },
      },
      list_orgs: { ok: ORGS },
      list_repos: { generate: { count: 120, pageSize: 50 } },
      oauth_app: {
        byProvider: Object.fromEntries(
          ['github', 'gitlab', 'bitbucket', 'gitee', 'gitea'].map((k) => [k, { ok: oauthAppView(k) }]),
        ),
      },
      open_external: { ok: null },
      list_rules: {
        byId: {
          'b-github-octocat': { ok: [] },
          'b-gitlab-jdoe': { ok: RULES },
          'b-gitee-liwei': { ok: [] },
          'b-codeup-wang': { ok: [] },
        },
      },
      list_hooks: {
        byId: {
          'b-github-octocat': { ok: [] },
          'b-gitlab-jdoe': { ok: HOOKS },
          'b-gitee-liwei': { ok: [] },
          'b-codeup-wang': { ok: [] },
        },
      },
      trigger_url: { ok: TRIGGER_URL },
      list_hosts: { ok: HOSTS },
      ...extra,
    },
    history: history(30),
  };
}

export async function calls(page, cmd) {
  return (await appCalls(page)).filter((c) => c.cmd === cmd).map((c) => c.args);
}

export async function setResponse(page, cmd, response) {
  await page.evaluate(([c, r]) => {
    window.__MOCK__.responses[c] = r;
  }, [cmd, response]);
}

export async function emit(page, event, payload) {
  await page.evaluate(([e, p]) => window.__emitTauriEvent__(e, p), [event, payload]);
}

/** The error code shown under the field with this test id (via its aria-describedby), or null. */
export async function fieldErrorCode(scope, testid) {
  const ids = (await scope.getByTestId(testid).getAttribute('aria-describedby')) ?? '';
  for (const id of ids.split(/\s+/).filter(Boolean)) {
    const el = scope.locator(`[id="${id}"][data-testid="field-error"]`);
    if ((await el.count()) > 0) return el.getAttribute('data-code');
  }
  return null;
}

export const hash = (page) => page.evaluate(() => location.hash);

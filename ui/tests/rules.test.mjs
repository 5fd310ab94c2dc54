// Build rules, webhooks and the build service: the binding detail's Build rules section (list,
// Build now, Edit, Enable/Disable, Remove, Add rule), its Webhooks section (with Repair), the
// Settings trigger URL, and the unbind dialog's webhook count.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GITEE_DETAIL, HOOKS, RULES, TRIGGER_URL, rule, ruleSaved, webhook } from './support/fixtures.mjs';
import { calls, fieldErrorCode, harness, populatedMock, setResponse } from './support/harness.mjs';

const { withApp } = harness();
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const DETAIL = { hash: '#/binding/b-gitlab-jdoe' };

const report = (overrides = {}) => ({
  ok: {
    rule_id: 'r-api-main',
    git_ref: 'main',
    sha: SHA,
    image_tag: 'registry.acme.dev/platform/api:main-a1b2c3d',
    url: TRIGGER_URL,
    status: 202,
    delivered: true,
    message: null,
    ...overrides,
  },
});

const row = (page, id) => page.locator(`[data-testid="rule-row"][data-rule-id="${id}"]`);

describe('build rules', () => {
  it('lists the rules with repository, source, Dockerfile, context, image and trigger URL', async () => {
    await withApp(populatedMock(), DETAIL, async (page) => {
      const rows = page.getByTestId('rule-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 3);
      assert.deepEqual(await calls(page, 'list_rules'), [{ bindingId: 'b-gitlab-jdoe' }]);
      const main = row(page, 'r-api-main');
      assert.match(await main.innerText(), /platform\/api[\s\S]*Branch[\s\S]*main[\s\S]*Enabled/);
      assert.equal(await main.getByTestId('rule-image-ref').innerText(), 'registry.acme.dev/platform/api:{branch}-{sha7}');
      assert.equal((await main.getByTestId('rule-trigger-label').innerText()).trim(), 'Settings default');
      const tags = row(page, 'r-api-tags');
      assert.match(await tags.getByTestId('rule-source-label').innerText(), /Tag\s*pattern\s*v\[0-9\]\+\\\.\.\*/);
      assert.match(await tags.innerText(), /docker\/release\.Dockerfile[\s\S]*docker/);
      assert.equal((await tags.getByTestId('rule-trigger-label').innerText()).trim(), 'https://builds.acme.dev/hooks/releases');
      assert.equal(await tags.getByTestId('rule-enabled').getAttribute('data-enabled'), 'true');
    });
  });

  it('Build now sends a named rule at once and shows the report', async () => {
    await withApp(populatedMock({ trigger_build: { ...report(), delayMs: 400 } }), DETAIL, async (page) => {
      const main = row(page, 'r-api-main');
      await main.waitFor();
      await main.getByTestId('rule-trigger').click();
      await main.getByRole('status').filter({ hasText: 'Sending…' }).waitFor();
      const rep = main.getByTestId('trigger-report');
      await rep.waitFor();
      assert.equal(await rep.getAttribute('data-delivered'), 'true');
      assert.equal(await rep.getByTestId('trigger-status').innerText(), 'HTTP 202');
      assert.equal(await rep.getByTestId('trigger-image').innerText(), 'registry.acme.dev/platform/api:main-a1b2c3d');
      assert.equal(await rep.getByTestId('trigger-sha').innerText(), 'a1b2c3d', 'the short SHA');
      assert.equal(await rep.getByTestId('trigger-sha').getAttribute('title'), SHA, 'the full SHA on hover');
      assert.match(await rep.innerText(), /Sent to the build service: main/);
      assert.deepEqual(await calls(page, 'trigger_build'), [{ ruleId: 'r-api-main', gitRef: null }]);
      await rep.getByTestId('trigger-report-dismiss').click();
      await rep.waitFor({ state: 'detached' });
    });
  });

  it('Build now asks for the ref when the rule is a pattern; a refusal and a failure show', async () => {
    const refused = report({ rule_id: 'r-api-tags', git_ref: 'v1.2.0', image_tag: 'registry.acme.dev/platform/api:v1.2.0', status: 500, delivered: false, message: 'the build service answered HTTP 500' });
    await withApp(populatedMock({ trigger_build: refused }), DETAIL, async (page) => {
      const tags = row(page, 'r-api-tags');
      await tags.waitFor();
      await tags.getByTestId('rule-trigger').click();
      const dialog = page.getByRole('dialog', { name: 'Build platform/api now' });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /every tag matching\s*v\[0-9\]/);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'trigger-ref');
      await page.getByTestId('trigger-ref-submit').click();
      assert.equal(await fieldErrorCode(page, 'trigger-ref'), 'invalid_input');
      await page.getByTestId('trigger-ref').fill('v1.2.0');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      const rep = tags.getByTestId('trigger-report');
      await rep.waitFor();
      assert.equal(await rep.getAttribute('data-delivered'), 'false');
      assert.equal(await rep.getByTestId('trigger-status').innerText(), 'HTTP 500');
      assert.match(await rep.innerText(), /did not accept v1\.2\.0[\s\S]*answered HTTP 500/);
      assert.deepEqual(await calls(page, 'trigger_build'), [{ ruleId: 'r-api-tags', gitRef: 'v1.2.0' }]);

      await setResponse(page, 'trigger_build', { error: { code: 'network', message: 'the build service could not be reached: connection refused' } });
      await row(page, 'r-web-develop').getByTestId('rule-trigger').click();
      const failed = row(page, 'r-web-develop').getByTestId('trigger-report');
      await failed.waitFor();
      assert.equal(await failed.getAttribute('data-code'), 'network');
      assert.match(await failed.innerText(), /Build now failed[\s\S]*network[\s\S]*connection refused/);
    });
  });

  it('Remove says whether the webhook goes, then reports it (with the manual link)', async () => {
    const m = populatedMock({ remove_rule: { ok: { rule_id: 'r-api-main', hook: null } } });
    await withApp(m, DETAIL, async (page) => {
      await row(page, 'r-api-main').getByTestId('rule-remove').click();
      const dialog = page.getByTestId('rule-remove-dialog');
      await dialog.waitFor();
      assert.equal(await dialog.getByTestId('rule-remove-hook').getAttribute('data-effect'), 'stays');
      assert.match(await dialog.innerText(), /Other enabled rules still use platform\/api: its webhook stays/);
      await setResponse(page, 'list_rules', { ok: RULES.slice(1) });
      await page.getByTestId('rule-remove-confirm').click();
      const result = page.getByTestId('rule-remove-result');
      await result.waitFor();
      assert.equal(await result.getByTestId('rule-remove-hook-result').getAttribute('data-removed'), 'kept');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'rule-remove-close');
      await page.getByTestId('rule-remove-close').click();
      await dialog.waitFor({ state: 'detached' });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="rule-row"]').length === 2);
      assert.deepEqual(await calls(page, 'remove_rule'), [{ id: 'r-api-main' }]);
      assert.equal((await calls(page, 'list_hooks')).length, 2, 'the webhooks are checked again');

      const manual = 'https://gitlab.acme.dev:8443/platform/web/-/hooks';
      await setResponse(page, 'remove_rule', {
        ok: {
          rule_id: 'r-web-develop',
          hook: { repo: 'platform/web', provider_hook_id: '12', removed: false, manual_url: manual, error: { code: 'provider_forbidden', message: '403 Forbidden' } },
        },
      });
      await row(page, 'r-web-develop').getByTestId('rule-remove').click();
      assert.equal(await page.getByTestId('rule-remove-hook').getAttribute('data-effect'), 'removed');
      assert.match(await page.getByTestId('rule-remove-dialog').innerText(), /last enabled rule on platform\/web: Codebind's webhook there is removed/);
      await page.getByTestId('rule-remove-confirm').click();
      const hook = page.getByTestId('rule-remove-hook-result');
      await hook.waitFor();
      assert.equal(await hook.getAttribute('data-removed'), 'false');
      assert.match(await hook.innerText(), /not removed[\s\S]*403 Forbidden[\s\S]*provider_forbidden/);
      assert.equal(await hook.getByTestId('hook-url').getAttribute('href'), manual);
      await page.keyboard.press('Escape');
      await page.getByTestId('rule-remove-dialog').waitFor({ state: 'detached' });
    });
  });

  it('a failed removal keeps the dialog open with the code', async () => {
    const m = populatedMock({ remove_rule: { error: { code: 'storage', message: 'database is locked' } } });
    await withApp(m, DETAIL, async (page) => {
      await row(page, 'r-api-main').getByTestId('rule-remove').click();
      await page.getByTestId('rule-remove-confirm').click();
      const error = page.getByTestId('rule-remove-error');
      await error.waitFor();
      assert.match(await error.innerText(), /storage[\s\S]*database is locked/);
      assert.equal(await page.getByTestId('rule-remove-result').count(), 0);
    });
  });
});

describe('add rule', () => {
  const added = (overrides = {}) => ({
    ok: { rule: rule({ id: 'r-new', ...overrides }), hook: webhook(overrides.repo ?? 'platform/api'), hook_created: true },
  });

  it('picks a repository from the streamed list with the keyboard and sends the rule', async () => {
    const repo = 'group-0/sub-0/repo-00000';
    await withApp(populatedMock({ add_rule: added({ repo }) }), DETAIL, async (page) => {
      await page.getByTestId('rule-add').click();
      const dialog = page.getByTestId('rule-dialog');
      await dialog.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'rule-repo');
      assert.equal(await page.getByTestId('rule-dockerfile').inputValue(), 'Dockerfile');
      assert.equal(await page.getByTestId('rule-context').inputValue(), '.');
      assert.match(await dialog.innerText(), /\{branch\} \{tag\} \{sha\} \{sha7\}/);
      assert.match(await dialog.innerText(), new RegExp(`the one from Settings: ${TRIGGER_URL.replace(/[./]/g, '\\$&')}`));

      const input = page.getByTestId('rule-repo');
      await input.pressSequentially('sub-0/repo-0000');
      const options = page.getByTestId('repo-options').getByRole('option');
      await options.first().waitFor();
      assert.equal(await input.getAttribute('aria-expanded'), 'true');
      assert.equal(await options.first().getAttribute('data-repo'), repo);
      await page.keyboard.press('ArrowDown');
      assert.equal(await input.getAttribute('aria-activedescendant'), await options.first().getAttribute('id'));
      await page.keyboard.press('Enter');
      assert.equal(await input.inputValue(), repo);
      assert.equal(await input.getAttribute('aria-expanded'), 'false');
      assert.match(await page.getByTestId('rule-subgroup-note').innerText(), /can only be triggered manually; Build now works/);
      assert.equal((await calls(page, 'list_repos')).length, 1, 'the repository stream is shared with the list');

      await page.getByTestId('rule-source-type').selectOption('tag');
      await page.getByTestId('rule-source').fill('v.*');
      assert.match(await dialog.innerText(), /This is a regular expression/);
      await page.getByTestId('rule-dockerfile').fill('build/Dockerfile');
      await page.getByTestId('rule-context').fill('build');
      await page.getByTestId('rule-image').fill('registry.acme.dev/team/app:{tag}');
      await page.getByTestId('rule-submit').click();
      await dialog.waitFor({ state: 'detached' });
      assert.deepEqual(await calls(page, 'add_rule'), [
        {
          rule: {
            binding_id: 'b-gitlab-jdoe',
            repo,
            source_type: 'tag',
            source: 'v.*',
            dockerfile: 'build/Dockerfile',
            context: 'build',
            image: 'registry.acme.dev/team/app:{tag}',
            trigger_url: null,
          },
        },
      ]);
      assert.match(await page.getByTestId('toast').innerText(), /webhook created on group-0\/sub-0\/repo-00000/);
      assert.equal((await calls(page, 'list_rules')).length, 2);
      assert.equal((await calls(page, 'list_hooks')).length, 2);
    });
  });

  it('typed names work too; required fields are checked first; errors land under their field with the code', async () => {
    const scope = {
      error: {
        code: 'insufficient_scope',
        message: 'GitLab refused to create the webhook on platform/ops (403); the token needs api, and at least the Maintainer role on the project',
      },
    };
    await withApp(populatedMock({ add_rule: scope }), DETAIL, async (page) => {
      await page.getByTestId('rule-add').click();
      await page.getByTestId('rule-dialog').waitFor();
      await page.getByTestId('rule-submit').click();
      assert.equal(await fieldErrorCode(page, 'rule-repo'), 'invalid_input');
      assert.equal(await fieldErrorCode(page, 'rule-source'), 'invalid_input');
      assert.equal(await fieldErrorCode(page, 'rule-image'), 'invalid_input');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'rule-repo');
      assert.equal((await calls(page, 'add_rule')).length, 0);

      // Esc closes an open suggestion list, not the dialog.
      await page.getByTestId('rule-repo').fill('repo-0001');
      assert.equal(await page.getByTestId('rule-repo').getAttribute('aria-expanded'), 'true');
      await page.getByTestId('rule-repo').press('Escape');
      assert.equal(await page.getByTestId('rule-repo').getAttribute('aria-expanded'), 'false');
      assert.equal(await page.getByTestId('rule-dialog').count(), 1);
      await page.getByTestId('rule-repo').fill('platform/ops/deploy');
      assert.match(await page.getByTestId('rule-subgroup-note').innerText(), /subgroups/);
      await page.getByTestId('rule-source').fill('main');
      await page.getByTestId('rule-image').fill('registry.acme.dev/ops/deploy');
      await page.getByTestId('rule-trigger-url').fill('http://builds.acme.dev/hook');
      await page.getByTestId('rule-submit').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="rule-repo"]')?.getAttribute('aria-invalid') === 'true');
      assert.equal(await fieldErrorCode(page, 'rule-repo'), 'insufficient_scope');
      assert.match(await page.getByTestId('rule-dialog').innerText(), /insufficient_scope[\s\S]*the token needs api, and at least the Maintainer role/);
      assert.equal((await calls(page, 'add_rule'))[0].rule.trigger_url, 'http://builds.acme.dev/hook');

      await setResponse(page, 'add_rule', { error: { code: 'insecure_http', message: 'the trigger URL must use https (http only for loopback)' } });
      await page.getByTestId('rule-submit').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="rule-trigger-url"]')?.getAttribute('aria-invalid') === 'true');
      assert.equal(await fieldErrorCode(page, 'rule-trigger-url'), 'insecure_http');
      assert.equal(await fieldErrorCode(page, 'rule-repo'), null);

      await setResponse(page, 'add_rule', { error: { code: 'invalid_input', message: 'the tag template "{nope}" may use …' } });
      await page.getByTestId('rule-submit').click();
      const formError = page.getByTestId('rule-error');
      await formError.waitFor();
      assert.equal(await formError.getAttribute('data-code'), 'invalid_input');
      assert.match(await formError.innerText(), /\{nope\}/);
    });
  });

  it('without a Settings default the trigger URL is required, with a link to Settings', async () => {
    await withApp(populatedMock({ trigger_url: { ok: null } }), DETAIL, async (page) => {
      await page.getByTestId('rule-add').click();
      await page.getByTestId('rule-settings-link').waitFor();
      assert.match(await page.getByTestId('rule-dialog').innerText(), /No build service URL is set in Settings/);
      await page.getByTestId('rule-repo').fill('platform/api');
      await page.getByTestId('rule-source').fill('main');
      await page.getByTestId('rule-image').fill('registry.acme.dev/platform/api');
      await page.getByTestId('rule-submit').click();
      assert.equal(await fieldErrorCode(page, 'rule-trigger-url'), 'invalid_input');
      assert.equal((await calls(page, 'add_rule')).length, 0);
    });
  });
});

describe('webhooks', () => {
  it('shows present, missing and drifted webhooks and checks again', async () => {
    await withApp(populatedMock(), DETAIL, async (page) => {
      const rows = page.getByTestId('hook-row');
      await rows.first().waitFor();
      assert.deepEqual(await calls(page, 'list_hooks'), [{ bindingId: 'b-gitlab-jdoe' }]);
      const states = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="hook-row"]')].map((r) => [r.dataset.repo, r.dataset.state, r.dataset.drift]),
      );
      assert.deepEqual(states, [['platform/api', 'present', '0'], ['platform/web', 'present', '2']]);
      const web = rows.nth(1);
      assert.equal((await web.getByTestId('hook-drift-badge').innerText()).trim(), 'Changed');
      assert.match(await web.getByTestId('hook-drift').innerText(), /URL is https:\/\/old\.acme\.dev\/hook[\s\S]*event tag_push is off/);
      assert.match(await page.getByTestId('hooks-summary').innerText(), /1 webhook is missing or has changed/);
      assert.equal(await rows.nth(0).getByTestId('hook-repair').count(), 0, 'nothing to repair');
      assert.equal(await web.getByTestId('hook-repair').getAttribute('aria-label'), 'Repair the webhook on platform/web');

      await setResponse(page, 'list_hooks', {
        ok: [
          { ...HOOKS[0], present: false },
          { hook: HOOKS[1].hook, present: null, drift: [], error: { code: 'rate_limited', message: 'slow down' } },
        ],
        delayMs: 300,
      });
      await page.getByTestId('hooks-refresh').click();
      await page.locator('[data-testid="hooks"][aria-busy="true"]').waitFor();
      await page.locator('[data-testid="hook-row"][data-state="missing"]').waitFor();
      assert.match(await rows.nth(0).getByTestId('hook-missing-hint').innerText(), /Repair creates it again/);
      assert.equal(await rows.nth(1).getAttribute('data-state'), 'unknown');
      assert.equal(await rows.nth(0).getByTestId('hook-repair').count(), 1, 'a missing webhook can be repaired');
      assert.equal(await rows.nth(1).getByTestId('hook-repair').count(), 0, 'an unchecked one cannot');
      assert.equal(await rows.nth(1).getByTestId('hook-error').getAttribute('data-code'), 'rate_limited');
      assert.equal((await calls(page, 'list_hooks')).length, 2);
    });
  });
});

describe('build service settings', () => {
  it('loads, saves, refuses plain http with its code, and clears the trigger URL', async () => {
    const m = populatedMock({ set_trigger_url: { ok: 'https://ci.acme.dev/hook' } });
    await withApp(m, { hash: '#/settings' }, async (page) => {
      const field = page.getByTestId('settings-trigger-url');
      await page.waitForFunction((u) => document.querySelector('[data-testid="settings-trigger-url"]')?.value === u, TRIGGER_URL);
      assert.match(await page.getByTestId('settings-trigger-current').innerText(), /Saved: https:\/\/builds\.acme\.dev/);
      await field.fill('https://ci.acme.dev/hook');
      await page.getByTestId('settings-trigger-save').click();
      await page.getByTestId('toast').filter({ hasText: 'Build service URL saved' }).waitFor();
      assert.match(await page.getByTestId('settings-trigger-current').innerText(), /Saved: https:\/\/ci\.acme\.dev\/hook/);

      await setResponse(page, 'set_trigger_url', { error: { code: 'insecure_http', message: 'the trigger URL must use https (http only for loopback)' } });
      await field.fill('http://ci.acme.dev/hook');
      await page.getByTestId('settings-trigger-save').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="settings-trigger-url"]')?.getAttribute('aria-invalid') === 'true');
      assert.equal(await fieldErrorCode(page, 'settings-trigger-url'), 'insecure_http');

      await setResponse(page, 'set_trigger_url', { ok: null });
      await field.fill('');
      await page.getByTestId('settings-trigger-save').click();
      await page.getByTestId('toast').filter({ hasText: 'Build service URL cleared' }).waitFor();
      assert.match(await page.getByTestId('settings-trigger-current').innerText(), /No trigger URL is set/);
      assert.deepEqual(await calls(page, 'set_trigger_url'), [{ url: 'https://ci.acme.dev/hook' }, { url: 'http://ci.acme.dev/hook' }, { url: null }]);
    });
  });
});

describe('unbind and webhooks', () => {
  it('says how many webhooks Codebind created, and takes revocability from binding_detail', async () => {
    await withApp(populatedMock(), DETAIL, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      const count = page.getByTestId('unbind-hooks-count');
      await count.waitFor();
      assert.equal(await count.getAttribute('data-count'), '2');
      assert.match(await count.innerText(), /Codebind created 2 webhooks for this binding: platform\/api, platform\/web/);
    });
    const m = populatedMock({ binding_detail: { byId: { 'b-gitee-liwei': { ok: { ...GITEE_DETAIL, revocable: true } } } } });
    await withApp(m, { hash: '#/binding/b-gitee-liwei' }, async (page) => {
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('detail-unbind').click();
      await page.getByTestId('unbind-hooks-count').waitFor();
      assert.ok(await page.getByTestId('unbind-revoke').isChecked(), 'revocable: true from binding_detail');
      assert.doesNotMatch(await page.getByTestId('unbind-dialog').innerText(), /does not let apps revoke/);
      assert.match(await page.getByTestId('unbind-hooks-count').innerText(), /created no webhooks/);
    });
  });
});

describe('edit a rule', () => {
  it('opens the rule prefilled (repository fixed), sends update_rule and says the webhook moved', async () => {
    const moved = ruleSaved(
      { ...RULES[1], source: 'v.*', trigger_url: 'https://ci.acme.dev/hooks/releases' },
      {
        hook: webhook('platform/api', { provider_hook_id: '21', url: 'https://ci.acme.dev/hooks/releases' }),
        created: true,
        removal: { repo: 'platform/api', provider_hook_id: '11', removed: true, manual_url: null, error: null },
      },
    );
    await withApp(populatedMock({ update_rule: { ok: moved, delayMs: 400 } }), DETAIL, async (page) => {
      const tags = row(page, 'r-api-tags');
      await tags.waitFor();
      assert.equal(await tags.getByTestId('rule-edit').getAttribute('aria-label'), 'Edit the rule platform/api v[0-9]+\\..*');
      await tags.getByTestId('rule-edit').click();
      const dialog = page.getByRole('dialog', { name: 'Edit the build rule for platform/api' });
      await dialog.waitFor();
      assert.equal(await dialog.locator('form').getAttribute('data-mode'), 'edit');
      assert.equal(await page.getByTestId('rule-repo-fixed').innerText(), 'platform/api');
      assert.equal(await page.getByTestId('rule-repo').count(), 0, 'the repository cannot be changed');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'rule-source');
      assert.equal(await page.getByTestId('rule-source-type').inputValue(), 'tag');
      assert.equal(await page.getByTestId('rule-source').inputValue(), 'v[0-9]+\\..*');
      assert.equal(await page.getByTestId('rule-dockerfile').inputValue(), 'docker/release.Dockerfile');
      assert.equal(await page.getByTestId('rule-context').inputValue(), 'docker');
      assert.equal(await page.getByTestId('rule-image').inputValue(), 'registry.acme.dev/platform/api:{tag}', 'image:tag_template');
      assert.equal(await page.getByTestId('rule-trigger-url').inputValue(), 'https://builds.acme.dev/hooks/releases');
      assert.equal(await page.getByTestId('rule-trigger-auth').inputValue(), '');
      assert.match(await page.getByTestId('rule-trigger-auth').getAttribute('placeholder'), /keep the current one/);
      assert.equal(await page.getByTestId('rule-submit').innerText(), 'Save rule');

      await page.getByTestId('rule-source').fill('v.*');
      await page.getByTestId('rule-trigger-url').fill('https://ci.acme.dev/hooks/releases');
      await page.getByTestId('rule-trigger-auth').fill('Bearer s3cret');
      await setResponse(page, 'list_rules', { ok: [RULES[0], moved.rule, RULES[2]] });
      await page.getByTestId('rule-submit').click();
      await dialog.getByRole('status').filter({ hasText: 'Saving the rule…' }).waitFor();
      await dialog.waitFor({ state: 'detached' });
      assert.deepEqual(await calls(page, 'update_rule'), [
        {
          edit: {
            rule_id: 'r-api-tags',
            source_type: 'tag',
            source: 'v.*',
            dockerfile: 'docker/release.Dockerfile',
            context: 'docker',
            image: 'registry.acme.dev/platform/api:{tag}',
            trigger_url: 'https://ci.acme.dev/hooks/releases',
            trigger_auth: 'Bearer s3cret',
            clear_trigger_auth: false,
          },
        },
      ]);
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.equal(await toast.getAttribute('data-tone'), 'success');
      assert.match(await toast.innerText(), /Rule saved\. Webhook on platform\/api moved to https:\/\/ci\.acme\.dev\/hooks\/releases\./);
      assert.equal((await tags.getByTestId('rule-trigger-label').innerText()).trim(), 'https://ci.acme.dev/hooks/releases');
      assert.match(await tags.getByTestId('rule-source-label').innerText(), /v\.\*/);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'rule-edit', 'focus returns to Edit');
      assert.equal((await calls(page, 'list_hooks')).length, 2, 'the webhooks are checked again');
    });
  });

  it('puts a refused trigger URL under its field; can drop the rule’s own Authorization header', async () => {
    const m = populatedMock({ update_rule: { error: { code: 'insecure_http', message: 'the trigger URL must use https (http only for loopback)' } } });
    await withApp(m, DETAIL, async (page) => {
      await row(page, 'r-api-main').getByTestId('rule-edit').click();
      await page.getByTestId('rule-dialog').waitFor();
      assert.equal(await page.getByTestId('rule-trigger-url').inputValue(), '', 'the Settings default');
      await page.getByTestId('rule-trigger-url').fill('http://ci.acme.dev/hook');
      await page.getByTestId('rule-submit').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="rule-trigger-url"]')?.getAttribute('aria-invalid') === 'true');
      assert.equal(await fieldErrorCode(page, 'rule-trigger-url'), 'insecure_http');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'rule-trigger-url');

      await setResponse(page, 'update_rule', { ok: ruleSaved() });
      await page.getByTestId('rule-trigger-url').fill('');
      await page.getByTestId('rule-trigger-auth').fill('Bearer never-sent');
      await page.getByTestId('rule-clear-auth').check();
      assert.equal(await page.getByTestId('rule-trigger-auth').count(), 0, 'no new header while removing it');
      await page.getByTestId('rule-submit').click();
      await page.getByTestId('rule-dialog').waitFor({ state: 'detached' });
      const sent = (await calls(page, 'update_rule')).map((c) => c.edit);
      assert.equal(sent.length, 2);
      assert.equal(sent[0].trigger_url, 'http://ci.acme.dev/hook');
      assert.deepEqual([sent[1].trigger_url, sent[1].trigger_auth, sent[1].clear_trigger_auth], [null, null, true]);
      assert.equal(sent[1].image, 'registry.acme.dev/platform/api:{branch}-{sha7}');
      assert.match(await page.getByTestId('toast').innerText(), /Rule saved\. The webhook on platform\/api stays as it is\./);
    });
  });

  it('a refusal that is no field’s stays on the form with its code', async () => {
    const m = populatedMock({ update_rule: { error: { code: 'provider_forbidden', message: 'GitLab refused to create the webhook (403)' } } });
    await withApp(m, DETAIL, async (page) => {
      await row(page, 'r-api-main').getByTestId('rule-edit').click();
      await page.getByTestId('rule-dialog').waitFor();
      await page.getByTestId('rule-trigger-url').fill('https://ci.acme.dev/hook');
      await page.getByTestId('rule-submit').click();
      const error = page.getByTestId('rule-error');
      await error.waitFor();
      assert.equal(await error.getAttribute('data-code'), 'provider_forbidden');
      assert.match(await error.innerText(), /403/);
      assert.equal(await page.getByTestId('rule-dialog').count(), 1);
    });
  });
});

describe('enable and disable rules', () => {
  const web = RULES[2];
  const removedHook = { repo: 'platform/web', provider_hook_id: '12', removed: true, manual_url: null, error: null };

  it('disabling the last enabled rule removes the webhook, marks the rule and turns Build now off; enabling brings it back', async () => {
    const off = ruleSaved({ ...web, enabled: false }, { hook: null, created: false, removal: removedHook });
    await withApp(populatedMock({ set_rule_enabled: { ok: off, delayMs: 300 } }), DETAIL, async (page) => {
      const r = row(page, 'r-web-develop');
      await r.waitFor();
      const toggle = r.getByTestId('rule-toggle');
      assert.equal(await toggle.innerText(), 'Disable');
      assert.equal(await toggle.getAttribute('aria-label'), 'Disable the rule platform/web develop');
      await setResponse(page, 'list_rules', { ok: [RULES[0], RULES[1], off.rule] });
      await toggle.click();
      // The webhook goes with the repository's last enabled rule: asked first, saying so.
      const dialog = page.getByTestId('rule-disable-dialog');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /Disable the build rule for platform\/web\?/);
      assert.match(await dialog.innerText(), /Pushes to develop will not build[\s\S]*last enabled rule on platform\/web: Codebind's webhook there is removed\. Enabling it creates the webhook again\./);
      assert.deepEqual(await calls(page, 'set_rule_enabled'), [], 'nothing is changed before the confirmation');
      await page.getByTestId('rule-disable-confirm').click();
      await dialog.waitFor({ state: 'detached' });
      await r.getByRole('status').filter({ hasText: 'Disabling…' }).waitFor();
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.match(await toast.innerText(), /Rule disabled\. Webhook removed from platform\/web: no enabled rule needs it\./);
      assert.equal(await r.getByTestId('rule-enabled').getAttribute('data-enabled'), 'false');
      assert.equal((await r.getByTestId('rule-enabled').innerText()).trim(), 'Disabled');
      assert.ok(await r.getByTestId('rule-trigger').isDisabled(), 'a disabled rule cannot be built');
      assert.match(await r.getByTestId('rule-off-note').innerText(), /Build now is off/);
      assert.equal(await toggle.innerText(), 'Enable');
      assert.deepEqual(await calls(page, 'set_rule_enabled'), [{ id: 'r-web-develop', enabled: false }]);
      assert.equal((await calls(page, 'list_hooks')).length, 2, 'the webhooks are checked again');

      const on = ruleSaved(web, { hook: webhook('platform/web', { provider_hook_id: '22' }), created: true, removal: null });
      await setResponse(page, 'set_rule_enabled', { ok: on });
      await setResponse(page, 'list_rules', { ok: RULES });
      await toggle.click();
      await page.getByTestId('toast').filter({ hasText: 'Rule enabled. Webhook created on platform/web.' }).waitFor();
      assert.equal(await r.getByTestId('rule-enabled').getAttribute('data-enabled'), 'true');
      assert.ok(await r.getByTestId('rule-trigger').isEnabled());
      assert.equal(await r.getByTestId('rule-off-note').count(), 0);
      assert.deepEqual((await calls(page, 'set_rule_enabled')).at(-1), { id: 'r-web-develop', enabled: true });
    });
  });

  it('a webhook that could not be removed: an error toast with its code and the page to remove it by hand', async () => {
    const manual = 'https://gitlab.acme.dev:8443/platform/web/-/hooks';
    const off = ruleSaved(
      { ...web, enabled: false },
      {
        hook: null,
        created: false,
        removal: { ...removedHook, removed: false, manual_url: manual, error: { code: 'provider_forbidden', message: '403 Forbidden' } },
      },
    );
    await withApp(populatedMock({ set_rule_enabled: { ok: off } }), DETAIL, async (page) => {
      await row(page, 'r-web-develop').waitFor();
      await setResponse(page, 'list_rules', { ok: [RULES[0], RULES[1], off.rule] });
      await row(page, 'r-web-develop').getByTestId('rule-toggle').click();
      await page.getByTestId('rule-disable-confirm').click();
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.equal(await toast.getAttribute('data-tone'), 'error');
      assert.equal(await toast.getAttribute('data-code'), 'provider_forbidden');
      assert.match(await toast.innerText(), /Rule disabled\. The webhook on platform\/web could not be removed: remove it by hand\. 403 Forbidden/);
      const link = toast.getByTestId('toast-link');
      assert.equal(await link.getAttribute('href'), manual);
      assert.match(await link.innerText(), /Remove it by hand/);
      await link.click();
      await page.waitForFunction(() => window.__MOCK__.calls.some((c) => c.cmd === 'open_external'));
      assert.deepEqual(await calls(page, 'open_external'), [{ url: manual }]);
    });
  });

  it('Cancel on the disable confirmation changes nothing; a rule whose webhook stays disables at once', async () => {
    const off = ruleSaved({ ...RULES[0], enabled: false }, { hook: webhook('platform/api'), created: false, removal: null });
    await withApp(populatedMock({ set_rule_enabled: { ok: off } }), DETAIL, async (page) => {
      const web = row(page, 'r-web-develop');
      await web.getByTestId('rule-toggle').click();
      await page.getByTestId('rule-disable-dialog').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('rule-disable-dialog').waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'rule-toggle', 'focus returns to the switch');
      assert.equal(await web.getByTestId('rule-enabled').getAttribute('data-enabled'), 'true');
      assert.deepEqual(await calls(page, 'set_rule_enabled'), []);

      // platform/api has a second enabled rule: its webhook stays, so there is nothing to confirm.
      await row(page, 'r-api-main').getByTestId('rule-toggle').click();
      await page.getByTestId('toast').filter({ hasText: 'Rule disabled.' }).waitFor();
      assert.equal(await page.getByTestId('rule-disable-dialog').count(), 0);
      assert.deepEqual(await calls(page, 'set_rule_enabled'), [{ id: 'r-api-main', enabled: false }]);
    });
  });

  it('removing a disabled rule when no rule on the repository is enabled says there is no webhook', async () => {
    const rules = [RULES[0], RULES[1], { ...RULES[2], enabled: false }];
    await withApp(populatedMock({ list_rules: { ok: rules } }), DETAIL, async (page) => {
      await row(page, 'r-web-develop').getByTestId('rule-remove').click();
      const hook = page.getByTestId('rule-remove-hook');
      await hook.waitFor();
      assert.equal(await hook.getAttribute('data-effect'), 'none');
      assert.match(await hook.innerText(), /No enabled rule uses platform\/web: there is no webhook to remove/);
    });
  });

  it('a refused switch shows its code and leaves the rule as it was', async () => {
    const m = populatedMock({ set_rule_enabled: { error: { code: 'insufficient_scope', message: 'the token needs api to manage webhooks' } } });
    await withApp(m, DETAIL, async (page) => {
      const r = row(page, 'r-api-main');
      await r.getByTestId('rule-toggle').click();
      const toast = page.getByTestId('toast');
      await toast.waitFor();
      assert.equal(await toast.getAttribute('data-code'), 'insufficient_scope');
      assert.match(await toast.innerText(), /Could not disable the rule on platform\/api:[\s\S]*the token needs api/);
      assert.equal(await r.getByTestId('rule-enabled').getAttribute('data-enabled'), 'true');
      assert.ok(await r.getByTestId('rule-trigger').isEnabled());
    });
  });

  it('Build now for a ref the code host does not know says so with not_found', async () => {
    const m = populatedMock({ trigger_build: { error: { code: 'not_found', message: 'platform/api has no tag v9.9.9' } } });
    await withApp(m, DETAIL, async (page) => {
      const tags = row(page, 'r-api-tags');
      await tags.getByTestId('rule-trigger').click();
      await page.getByTestId('trigger-ref').fill('v9.9.9');
      await page.getByTestId('trigger-ref-submit').click();
      const rep = tags.getByTestId('trigger-report');
      await rep.waitFor();
      assert.equal(await rep.getAttribute('data-code'), 'not_found');
      assert.match(await rep.innerText(), /The branch or tag was not found at the code host\.[\s\S]*not_found[\s\S]*no tag v9\.9\.9/);
      assert.equal(await rep.getByTestId('trigger-sha').count(), 0);
    });
  });
});

describe('repair webhooks', () => {
  const missing = () => [{ ...HOOKS[0], present: false }, HOOKS[1]];

  it('Repair re-creates a missing webhook, says so and checks again', async () => {
    const sync = { hook: webhook('platform/api', { provider_hook_id: '31' }), created: true, removal: null };
    await withApp(populatedMock({ list_hooks: { ok: missing() }, repair_hook: { ok: sync, delayMs: 300 } }), DETAIL, async (page) => {
      const api = page.locator('[data-testid="hook-row"][data-repo="platform/api"]');
      await api.waitFor();
      assert.equal(await api.getAttribute('data-state'), 'missing');
      await setResponse(page, 'list_hooks', { ok: [{ ...HOOKS[0], hook: sync.hook }, HOOKS[1]] });
      await api.getByTestId('hook-repair').click();
      await api.getByRole('status').filter({ hasText: 'Repairing…' }).waitFor();
      await page.getByTestId('toast').filter({ hasText: 'Webhook created on platform/api.' }).waitFor();
      await page.locator('[data-testid="hook-row"][data-repo="platform/api"][data-state="present"]').waitFor();
      assert.deepEqual(await calls(page, 'repair_hook'), [{ bindingId: 'b-gitlab-jdoe', repo: 'platform/api' }]);
      assert.equal((await calls(page, 'list_hooks')).length, 2);
      assert.equal(await api.getByTestId('hook-repair').count(), 0);
    });
  });

  it('Repair of a webhook no enabled rule needs removes it; a failed repair shows its code', async () => {
    const unneeded = [HOOKS[0], { ...HOOKS[1], drift: ['no enabled rule needs it'] }];
    const removal = { repo: 'platform/web', provider_hook_id: '12', removed: true, manual_url: null, error: null };
    await withApp(populatedMock({ list_hooks: { ok: unneeded }, repair_hook: { ok: { hook: null, created: false, removal } } }), DETAIL, async (page) => {
      const web = page.locator('[data-testid="hook-row"][data-repo="platform/web"]');
      await web.waitFor();
      assert.match(await web.getByTestId('hook-drift').innerText(), /no enabled rule needs it/);
      await web.getByTestId('hook-repair').click();
      await page.getByTestId('toast').filter({ hasText: 'Webhook removed from platform/web: no enabled rule needs it.' }).waitFor();

      await setResponse(page, 'repair_hook', { error: { code: 'provider_forbidden', message: 'GitLab answered 403' } });
      await web.getByTestId('hook-repair').click();
      const failed = page.locator('[data-testid="toast"][data-tone="error"]');
      await failed.waitFor();
      assert.equal(await failed.getAttribute('data-code'), 'provider_forbidden');
      assert.match(await failed.innerText(), /Could not repair the webhook on platform\/web:[\s\S]*GitLab answered 403/);
      assert.equal((await calls(page, 'repair_hook')).length, 2);
    });
  });
});

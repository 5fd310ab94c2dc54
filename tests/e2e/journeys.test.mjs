// End to end: the main journeys through the real app (WebKitGTK under Xvfb, driven by tauri-driver)
// against the provider simulator, with the real keychain (gnome-keyring in the same D-Bus session):
// bind with a token, verify, disable and enable, unbind, history.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { debugBin, shoot, withFreshApp } from "./app.mjs";
import { startSimulator } from "./simulator.mjs";
import { bindGitlabWithToken, gitlabApiToken } from "./steps.mjs";


let sim;
before(async () => {
  sim = await startSimulator(debugBin("codebind-simulator"));
});
after(() => sim?.stop());


test("bind with a token, verify, disable and enable, unbind, and see it all in history", async () => {
  const gitlab = sim.providers.gitlab;
  const token = gitlabApiToken(gitlab);
  await withFreshApp(async (s) => {
    await bindGitlabWithToken(s, gitlab, token);

    await s.clickOn('[data-testid="nav-dashboard"]');
    const rows = await s.waitFor('[data-testid="binding-row"]');
    assert.equal(rows.length, 1);
    assert.match(await s.text(rows[0]), /alice/);
    await shoot(s, "journey-bound");

    // Each action ends with its toast; the next one starts only then.
    await s.clickOn('[data-testid="row-verify"]');
    await s.waitForText('[data-testid="toast"]', /verified: Active/);
    await s.waitForText('[data-testid="status-badge"]', /Active/);

    // Verify all goes through the same Rust command with its progress channel.
    await s.clickOn('[data-testid="verify-all"]');
    await s.waitForText('[data-testid="toast"]', /1 binding verified/);

    await s.clickOn('[data-testid="row-toggle"]');
    await s.waitForText('[data-testid="toast"]', /@alice disabled/);
    await s.waitForText('[data-testid="binding-row"]', /Disabled/);
    await s.clickOn('[data-testid="row-toggle"]');
    await s.waitForText('[data-testid="toast"]', /@alice enabled/);
    await s.waitForText('[data-testid="status-badge"]', /Active/);

    await s.clickOn('[data-testid="row-unbind"]');
    await s.clickOn('[data-testid="unbind-confirm"]');
    await s.waitFor('[data-testid="unbind-report"]');
    await shoot(s, "journey-unbound");
    await s.clickOn('[data-testid="nav-dashboard"]');
    await s.waitForCount('[data-testid="binding-row"]', 0);

    await s.clickOn('[data-testid="nav-history"]');
    const events = await s.waitFor('[data-testid="history-row"]', { min: 5 });
    const text = (await Promise.all(events.map((e) => s.text(e)))).join("\n");
    assert.ok(events.length >= 5, text);
    await shoot(s, "journey-history");
  });
});

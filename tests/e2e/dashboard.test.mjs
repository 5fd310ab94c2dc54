// End to end: the real GUI binary (WebKitGTK) under Xvfb, driven through tauri-driver and
// WebKitWebDriver, on a temporary data dir. Run by .ci/test inside dbus-run-session + xvfb-run.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { debugBin, shoot, withApp } from "./app.mjs";

const seedBin = debugBin("codebind-seed");



const dirs = [];
function dataDir() {
  const d = mkdtempSync(join(tmpdir(), "codebind-e2e-"));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("the window opens on the dashboard and renders the seeded bindings from the store", async () => {
  const dir = dataDir();
  const seeded = JSON.parse(execFileSync(seedBin, ["--data-dir", dir, "--bindings", "3"], { encoding: "utf8" }));
  assert.equal(seeded.binding_ids.length, 3);
  await withApp(dir, async (s) => {
    assert.equal(await s.title(), "Codebind");
    const rows = await s.waitFor('[data-testid="binding-row"]', { min: 3 });
    assert.equal(rows.length, 3);
    const ids = await Promise.all(rows.map((r) => s.attribute(r, "data-binding-id")));
    assert.deepEqual([...ids].sort(), [...seeded.binding_ids].sort());
    const text = (await Promise.all(rows.map((r) => s.text(r)))).join("\n");
    for (const login of ["octocat", "alice", "bob-builds"]) assert.match(text, new RegExp(login));
    const badges = await s.findAll('[data-testid="status-badge"]');
    assert.equal(badges.length, 3);
    await shoot(s, "dashboard-seeded");
  });
});

test("a new data dir shows the empty state with every supported provider", async () => {
  const dir = dataDir();
  await withApp(dir, async (s) => {
    await s.waitFor('[data-testid="empty-state"]');
    for (const kind of ["github", "gitlab", "bitbucket", "gitee", "codeup", "gitea"]) {
      const el = await s.findAll(`[data-testid="provider-${kind}"]`);
      assert.equal(el.length, 1, `provider-${kind}`);
    }
    assert.equal((await s.findAll('[data-testid="binding-row"]')).length, 0);
    await shoot(s, "dashboard-empty");
  });
});

// End to end: build rules and webhooks through the real app (WebKitGTK under Xvfb, driven by
// tauri-driver) against the provider simulator, with the real keychain. A build service stands in
// as a local receiver. Add a rule → the webhook is at the provider (read through the simulator's
// control port) → a simulated push reaches the receiver signed with the hook's secret → "Build now"
// sends the commit the branch points at → disable removes the webhook, enable brings it back →
// unbind removes it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { debugBin, shoot, withFreshApp } from "./app.mjs";
import { startSimulator } from "./simulator.mjs";
import { bindGitlabWithToken, gitlabApiToken } from "./steps.mjs";

const REPO = "acme/platform/backend/api-server";

let sim;
let receiver;
before(async () => {
  sim = await startSimulator(debugBin("codebind-simulator"));
  receiver = await startReceiver();
});
after(() => {
  sim?.stop();
  receiver?.close();
});

/** The build service: records every request (headers and body) and answers 200. */
function startReceiver() {
  const got = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${server.address().port}/build`, got, close: () => server.close() })),
  );
}

async function control(method, path, params) {
  const r = await fetch(`${sim.control}${path}?${new URLSearchParams(params)}`, { method });
  assert.ok(r.ok, `${method} ${path}: ${r.status}`);
  return r.status === 204 ? null : r.json();
}

const hooks = () => control("GET", "/hooks", { provider: "gitlab", repo: REPO });

async function until(what, check, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}


test("add a rule, see its webhook fire on push, build now, disable/enable, unbind removes it", async () => {
  const gitlab = sim.providers.gitlab;
  const token = gitlabApiToken(gitlab);
  await withFreshApp(async (s) => {
    await bindGitlabWithToken(s, gitlab, token);

    // The binding's detail page, then a rule on a subgroup project with this rule's trigger URL.
    await s.clickOn('[data-testid="nav-dashboard"]');
    await s.clickOn('[data-testid="binding-name"]');
    await s.clickOn('[data-testid="rule-add"]');
    await s.waitFor('[data-testid="rule-dialog"]');
    await s.fill('[data-testid="rule-dialog"] [data-testid="rule-repo"]', REPO);
    await s.fill('[data-testid="rule-dialog"] [data-testid="rule-source"]', "main");
    await s.fill('[data-testid="rule-dialog"] [data-testid="rule-dockerfile"]', "Dockerfile");
    await s.fill('[data-testid="rule-dialog"] [data-testid="rule-image"]', "registry.example.com/team/api:{branch}-{sha7}");
    await s.fill('[data-testid="rule-dialog"] [data-testid="rule-trigger-url"]', receiver.url);
    await s.clickOn('[data-testid="rule-submit"]');
    await s.waitFor('[data-testid="rule-row"]');
    await s.waitFor('[data-testid="hook-row"]');
    await shoot(s, "rules-added");

    // The webhook is at the provider: push and tag push, pointing at the build service, signed.
    const [hook] = await until("the webhook", async () => (await hooks()).length === 1 && (await hooks()));
    assert.equal(hook.url, receiver.url);
    assert.ok(hook.secret && hook.secret.length >= 32, "a long random secret");

    // A push reaches the build service with GitLab's token header.
    const pushed = await control("POST", "/push", { provider: "gitlab", repo: REPO, ref: "main" });
    assert.equal(pushed.length, 1);
    assert.equal(pushed[0].status, 200);
    const push = await until("the push", () => receiver.got.find((r) => r.headers["x-gitlab-event"] === "Push Hook"));
    assert.equal(push.headers["x-gitlab-token"], hook.secret);
    assert.equal(JSON.parse(push.body).ref, "refs/heads/main");

    // Build now: the commit main points at now (the push), in the image tag and the event.
    const { sha } = await control("GET", "/head", { provider: "gitlab", repo: REPO, ref: "refs/heads/main" });
    const before = receiver.got.length;
    await s.clickOn('[data-testid="rule-trigger"]');
    await s.waitForText('[data-testid="trigger-report"]', new RegExp(sha.slice(0, 7)));
    const built = await until("Build now", () => receiver.got.length > before && receiver.got[receiver.got.length - 1]);
    assert.equal(built.headers["x-gitlab-token"], hook.secret, "signed like the webhook");
    assert.equal(built.headers["x-codebind-image"], `registry.example.com/team/api:main-${sha.slice(0, 7)}`);
    assert.equal(JSON.parse(built.body).checkout_sha, sha);
    await shoot(s, "rules-build-now");

    // Disable: the last enabled rule on the repository takes the webhook with it (asked first);
    // enable brings it back.
    await s.clickOn('[data-testid="rule-toggle"]');
    await s.waitForText('[data-testid="rule-disable-dialog"]', /webhook there is removed/);
    assert.equal((await hooks()).length, 1, "nothing changes before the confirmation");
    await s.clickOn('[data-testid="rule-disable-confirm"]');
    await until("the webhook to go", async () => (await hooks()).length === 0);
    await s.waitFor('[data-testid="rule-enabled"][data-enabled="false"]');
    await s.clickOn('[data-testid="rule-toggle"]');
    await until("the webhook to come back", async () => (await hooks()).length === 1);
    await s.waitFor('[data-testid="rule-enabled"][data-enabled="true"]');

    // Unbind (removing webhooks is the default): the webhook is gone at the provider.
    await s.clickOn('[data-testid="nav-dashboard"]');
    await s.clickOn('[data-testid="row-unbind"]');
    await s.waitFor('[data-testid="unbind-hooks-count"][data-count="1"]');
    await s.clickOn('[data-testid="unbind-confirm"]');
    await s.waitFor('[data-testid="unbind-report"]');
    assert.deepEqual(await hooks(), []);
    await shoot(s, "rules-unbound");
  });
});

// End to end: OAuth sign-in through the real app. The app opens the system browser (captured here
// through $BROWSER, which xdg-open honours), a real Chromium plays the user against the simulator's
// consent page, and the provider's redirect to codebind://oauth/callback is delivered the way Linux
// does it: by starting the app binary a second time with the URL as its only argument, which
// single-instance forwards over D-Bus to the running app.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { killApp, startDriver, Session } from "./webdriver.mjs";
import { app, debugBin, root, shoot } from "./app.mjs";
import { startSimulator } from "./simulator.mjs";

const { chromium } = createRequire(join(root, "ui", "package.json"))("playwright-core");

let sim;
before(async () => {
  sim = await startSimulator(debugBin("codebind-simulator"));
});
after(() => sim?.stop());

async function waitForFile(path, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (existsSync(path) && readFileSync(path, "utf8").trim()) return readFileSync(path, "utf8").trim().split("\n")[0];
    await sleep(100);
  }
  throw new Error("the app did not open a browser");
}

/** Opens the authorization URL in Chromium, approves, and returns the redirect it was sent to. */
async function approveInBrowser(authorizeUrl) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    let redirect;
    page.on("response", (r) => {
      const loc = r.headers()["location"];
      if (r.status() >= 300 && r.status() < 400 && loc?.startsWith("codebind://")) redirect = loc;
    });
    await page.goto(authorizeUrl);
    await page.click("#authorize");
    const end = Date.now() + 10000;
    while (!redirect && Date.now() < end) await sleep(100);
    assert.ok(redirect, "the provider redirected to codebind://");
    return redirect;
  } finally {
    await browser.close();
  }
}

test("Bind with OAuth: browser consent, deep link delivered to the running app, binding on the dashboard", async () => {
  const dir = mkdtempSync(join(tmpdir(), "codebind-e2e-oauth-"));
  const capture = join(dir, "browser-urls.txt");
  const browserScript = join(dir, "browser.sh");
  writeFileSync(browserScript, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${capture}'\n`);
  chmodSync(browserScript, 0o755);
  // The user's default browser, as xdg-open finds it: a desktop entry that hands the URL to us.
  mkdirSync(join(dir, "xdg-data", "applications"), { recursive: true });
  mkdirSync(join(dir, "xdg-config"), { recursive: true });
  writeFileSync(
    join(dir, "xdg-data", "applications", "capture-browser.desktop"),
    `[Desktop Entry]\nType=Application\nName=Capture browser\nExec=${browserScript} %u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n`,
  );
  writeFileSync(
    join(dir, "xdg-config", "mimeapps.list"),
    "[Default Applications]\nx-scheme-handler/http=capture-browser.desktop\nx-scheme-handler/https=capture-browser.desktop\n",
  );
  const gitlab = sim.providers.gitlab;
  const clientId = gitlab.apps.find((a) => !a.client_secret).client_id;
  const env = {
    CODEBIND_DATA_DIR: join(dir, "data"),
    CODEBIND_GITLAB_CLIENT_ID: clientId,
    BROWSER: browserScript,
    XDG_DATA_HOME: join(dir, "xdg-data"),
    XDG_CONFIG_HOME: join(dir, "xdg-config"),
    WEBKIT_DISABLE_COMPOSITING_MODE: "1",
  };
  const driver = await startDriver({ env });
  let s;
  try {
    s = await Session.create(driver.url, app);
    await s.clickOn('[data-testid="nav-sources"]');
    await s.clickOn('[data-testid="bind-gitlab"]');
    await s.fill('[data-testid="bind-dialog"] [data-testid="field-host"]', gitlab.base_url);
    await s.clickOn('[data-testid="oauth-start"]');
    await s.waitFor('[data-testid="oauth-waiting"]');

    const authorizeUrl = await waitForFile(capture).catch(async (e) => {
      const texts = await s.execute("return [...document.querySelectorAll('[data-testid=toast],[data-testid=oauth-error],[role=alert]')].map(e => e.textContent)");
      throw new Error(`${e.message}; the app said: ${JSON.stringify(texts)}`);
    });
    const u = new URL(authorizeUrl);
    assert.equal(u.origin, gitlab.base_url);
    assert.equal(u.searchParams.get("redirect_uri"), "codebind://oauth/callback");
    assert.equal(u.searchParams.get("code_challenge_method"), "S256");
    assert.ok(u.searchParams.get("state"));

    const callback = await approveInBrowser(authorizeUrl);
    // Linux: the desktop starts `codebind-app %u`; the second instance forwards and exits.
    const second = spawn(app, [callback], { env: { ...process.env, ...env }, stdio: "ignore" });
    const code = await new Promise((res) => second.on("exit", res));
    assert.equal(code, 0, "the second instance hands the URL over and exits");

    await s.waitForText('[data-testid="toast"]', /successfully bound the GitLab account|已成功绑定/);
    await s.clickOn('[data-testid="nav-dashboard"]');
    const rows = await s.waitFor('[data-testid="binding-row"]');
    assert.equal(rows.length, 1);
    assert.match(await s.text(rows[0]), /alice/);
    await shoot(s, "oauth-bound");

    // The same link again is a replay: rejected, nothing changes.
    const replay = spawn(app, [callback], { env: { ...process.env, ...env }, stdio: "ignore" });
    await new Promise((res) => replay.on("exit", res));
    await sleep(1000);
    assert.equal((await s.findAll('[data-testid="binding-row"]')).length, 1);
  } finally {
    if (s) await s.close();
    driver.stop();
    await killApp(app);
    rmSync(dir, { recursive: true, force: true });
  }
});

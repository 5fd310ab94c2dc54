// A minimal W3C WebDriver client (Node's fetch), enough to drive the real app through tauri-driver.
// No npm dependencies: nothing to download, nothing to go stale.

import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a52f-4a5ef3f5e9f2";

/** Ends every process of this app binary: a leftover primary instance would take over the next
 * test's launch through single-instance, and the WebDriver session would never start. */
export async function killApp(appPath) {
  spawnSync("pkill", ["-f", appPath]);
  for (let i = 0; i < 50; i++) {
    if (spawnSync("pgrep", ["-f", appPath]).status !== 0) return;
    await sleep(100);
  }
  spawnSync("pkill", ["-KILL", "-f", appPath]);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts tauri-driver on free ports (a fixed port could reach a driver left over from another run). */
export async function startDriver({ env }) {
  const port = await freePort();
  const nativePort = await freePort();
  const bin = process.env.TAURI_DRIVER ?? "tauri-driver";
  const child = spawn(bin, ["--port", String(port), "--native-port", String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${url}/status`);
      if (r.ok) return { url, stop: () => child.kill("SIGTERM") };
    } catch {}
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error("tauri-driver did not start");
}

async function call(method, url, body) {
  const r = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(`${method} ${url} → ${r.status}: ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

export class Session {
  static async create(driverUrl, application, args = []) {
    const value = await call("POST", `${driverUrl}/session`, {
      capabilities: { alwaysMatch: { "tauri:options": { application, args } } },
    });
    return new Session(`${driverUrl}/session/${value.sessionId}`);
  }
  constructor(base) {
    this.base = base;
  }
  title() {
    return call("GET", `${this.base}/title`);
  }
  async findAll(css) {
    const els = await call("POST", `${this.base}/elements`, { using: "css selector", value: css });
    if (els.length) this.elementKey = Object.keys(els[0])[0];
    return els.map((e) => e[ELEMENT] ?? Object.values(e)[0]);
  }
  text(id) {
    return call("GET", `${this.base}/element/${id}/text`);
  }
  attribute(id, name) {
    return call("GET", `${this.base}/element/${id}/attribute/${name}`);
  }
  async click(id) {
    // WebKitWebDriver does not scroll inside scrolling containers (dialogs) on its own.
    const el = { [this.elementKey ?? ELEMENT]: id };
    await this.execute("arguments[0].scrollIntoView({block: 'center'})", [el]).catch(() => {});
    try {
      return await call("POST", `${this.base}/element/${id}/click`, {});
    } catch (e) {
      // WebKitWebDriver reports some visible, enabled buttons inside scrolled dialogs as not
      // interactable; a DOM click is what a user's click does there.
      if (!String(e.message).includes("not interactable")) throw e;
      return this.execute("arguments[0].click()", [el]);
    }
  }
  async type(id, text) {
    await call("POST", `${this.base}/element/${id}/clear`, {});
    return call("POST", `${this.base}/element/${id}/value`, { text });
  }
  /** Clicks the first element matching `css` once it exists. */
  async clickOn(css, opts) {
    const [el] = await this.waitFor(css, opts);
    return this.click(el);
  }
  /** Types into the first element matching `css` once it exists. */
  async fill(css, text, opts) {
    const [el] = await this.waitFor(css, opts);
    return this.type(el, text);
  }
  /** Polls until `css` matches fewer than `max` elements. */
  async waitForCount(css, count, { timeoutMs = 15000 } = {}) {
    const end = Date.now() + timeoutMs;
    let n = -1;
    while (Date.now() < end) {
      n = (await this.findAll(css)).length;
      if (n === count) return;
      await sleep(150);
    }
    throw new Error(`timed out waiting for ${count} × ${css} (found ${n})`);
  }
  /** Polls until an element matching `css` has text matching `re`. */
  async waitForText(css, re, { timeoutMs = 15000 } = {}) {
    const end = Date.now() + timeoutMs;
    let texts = [];
    while (Date.now() < end) {
      texts = await Promise.all((await this.findAll(css)).map((e) => this.text(e).catch(() => "")));
      if (texts.some((t) => re.test(t))) return texts;
      await sleep(150);
    }
    throw new Error(`timed out waiting for ${css} to match ${re} (saw ${JSON.stringify(texts).slice(0, 300)})`);
  }
  execute(script, args = []) {
    return call("POST", `${this.base}/execute/sync`, { script, args });
  }
  screenshot() {
    return call("GET", `${this.base}/screenshot`);
  }
  /** Polls until `css` matches at least `min` elements; returns them. */
  async waitFor(css, { min = 1, timeoutMs = 15000 } = {}) {
    const end = Date.now() + timeoutMs;
    let found = [];
    while (Date.now() < end) {
      found = await this.findAll(css);
      if (found.length >= min) return found;
      await sleep(150);
    }
    throw new Error(`timed out waiting for ${min} × ${css} (found ${found.length})`);
  }
  close() {
    return call("DELETE", this.base).catch(() => {});
  }
}

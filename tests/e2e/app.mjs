// The app under test: where the built binaries are, how a test runs the app (tauri-driver on a
// data dir), and where screenshots go.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { killApp, startDriver, Session } from "./webdriver.mjs";

export const root = resolve(import.meta.dirname, "../..");
export const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
/** A debug binary of the workspace: codebind-app, codebind-simulator, codebind-seed. */
export const debugBin = (name) => join(target, "debug", name);
export const app = debugBin("codebind-app");
const shots = join(root, "target", "e2e-screenshots");

/** Runs the app on `dataDir` through tauri-driver, calls `fn(session)`, then ends the app. */
export async function withApp(dataDir, fn) {
  const driver = await startDriver({ env: { CODEBIND_DATA_DIR: dataDir, WEBKIT_DISABLE_COMPOSITING_MODE: "1" } });
  let session;
  try {
    session = await Session.create(driver.url, app);
    await fn(session);
  } finally {
    if (session) await session.close();
    driver.stop();
    await killApp(app);
  }
}

/** `withApp` on a new, empty data dir, removed afterwards. */
export async function withFreshApp(fn) {
  const dir = mkdtempSync(join(tmpdir(), "codebind-e2e-"));
  try {
    await withApp(dir, fn);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Saves the app window as target/e2e-screenshots/<name>.png. */
export async function shoot(session, name) {
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, `${name}.png`), Buffer.from(await session.screenshot(), "base64"));
}

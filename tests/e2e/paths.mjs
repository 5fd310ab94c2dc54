// Where the end-to-end suite finds the built binaries and puts its screenshots.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");
export const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
/** A debug binary of the workspace: codebind-app, codebind-simulator, codebind-seed. */
export const debugBin = (name) => join(target, "debug", name);
export const app = debugBin("codebind-app");
const shots = join(root, "target", "e2e-screenshots");

/** Saves the app window as target/e2e-screenshots/<name>.png. */
export async function shoot(session, name) {
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, `${name}.png`), Buffer.from(await session.screenshot(), "base64"));
}

// Starts the provider simulator binary and reads the base URLs, demo tokens and OAuth apps it prints.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export async function startSimulator(bin, args = []) {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`codebind-simulator exited with ${code}`)));
  });
  const info = JSON.parse(first);
  return { ...info, stop: () => child.kill("SIGTERM") };
}

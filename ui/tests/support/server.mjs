// A tiny static server for ui/dist that sends the same CSP as tauri.conf.json,
// so any inline script, eval or remote asset shows up as a violation in tests.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DIST = resolve(fileURLToPath(new URL('../../dist', import.meta.url)));

export const TAURI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  'connect-src ipc: http://ipc.localhost',
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves ui/dist. `extra` maps URL paths to files outside dist (test tools such as axe-core), so
 * they load from the same origin under the unchanged CSP.
 */
export async function startServer(extra = {}) {
  try {
    await stat(join(DIST, 'index.html'));
  } catch {
    throw new Error(`ui/dist/index.html is missing: run \`npm run build\` before \`npm test\``);
  }
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = Object.hasOwn(extra, path) ? extra[path] : normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!Object.hasOwn(extra, path) && !file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': TAURI_CSP,
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

// Catalog checks: same keys in both locales, real translations, and every key
// the code needs (literal $t('…') uses and error./status./event./method. per
// generated union) is present.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const load = async (name) => JSON.parse(await readFile(join(SRC, 'lib/i18n', name), 'utf8'));
const en = await load('en.json');
const zh = await load('zh-CN.json');

// Keys whose value is a proper name and is the same in both languages.
const SAME_IN_BOTH = new Set(['app.name']);

/** String literal members of `export type Name = "a" | "b";` in bindings.ts. */
async function unionMembers(name) {
  const source = await readFile(join(SRC, 'lib/api/bindings.ts'), 'utf8');
  const match = source.match(new RegExp(`export type ${name} = ([^;]+);`));
  assert.ok(match, `type ${name} not found in bindings.ts`);
  return [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

async function sourceFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.(svelte|ts)$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('i18n catalogs', () => {
  it('en and zh-CN have identical key sets', () => {
    const enKeys = Object.keys(en).sort();
    const zhKeys = Object.keys(zh).sort();
    assert.deepEqual(
      { missingInZh: enKeys.filter((k) => !(k in zh)), missingInEn: zhKeys.filter((k) => !(k in en)) },
      { missingInZh: [], missingInEn: [] },
    );
  });

  it('zh-CN values are translated (not copies of en)', () => {
    const untranslated = Object.keys(en).filter((key) => {
      if (SAME_IN_BOTH.has(key)) return false;
      const words = en[key].replace(/\{\w+\}/g, '');
      return /[A-Za-z]{2,}/.test(words) && zh[key] === en[key];
    });
    assert.deepEqual(untranslated, []);
  });

  it('zh-CN values contain Chinese text', () => {
    const noHan = Object.keys(zh).filter((k) => !SAME_IN_BOTH.has(k) && !/\p{Script=Han}/u.test(zh[k]));
    assert.deepEqual(noHan, []);
  });

  it('placeholders match between locales', () => {
    const params = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched = Object.keys(en).filter((k) => k in zh && params(en[k]).join() !== params(zh[k]).join());
    assert.deepEqual(mismatched, []);
  });

  it('has a key for every error code, status, event kind and auth method', async () => {
    const needed = [
      ...(await unionMembers('ErrorCode')).map((c) => `error.${c}`),
      ...(await unionMembers('BindingStatus')).map((s) => `status.${s}`),
      ...(await unionMembers('EventKind')).map((k) => `event.${k}`),
      ...(await unionMembers('AuthMethod')).map((m) => `method.${m}`),
    ];
    assert.deepEqual(needed.filter((k) => !(k in en)), []);
  });

  it('every literal key used in src exists', async () => {
    const missing = [];
    for (const file of await sourceFiles(SRC)) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/\$t\(\s*'([^'`]+)'/g)) {
        const key = m[1];
        if (!(key in en) && !(`${key}.other` in en)) missing.push(`${key} (${file})`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

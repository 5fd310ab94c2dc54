// Tiny store-based i18n: components call $t(key, params) with keys from en.json.
import { derived, writable } from 'svelte/store';
import en from './en.json';
import zhCN from './zh-CN.json';
import { pluralRules } from '../intl';

export type MessageKey = keyof typeof en;

/** Whether the catalog has `key` (for values that come from Rust and may be new). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}
/** A key whose plural forms live at `<base>.one` / `<base>.other`. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer B}.other` ? B : never) : never;
export type Params = Record<string, string | number>;
/** The value of the `t` store: one locale's lookup. */
export type Translate = (key: MessageKey | PluralKey, params?: Params) => string;

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

// Typed as complete catalogs: a key missing from zh-CN fails `npm run check`.
const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

const STORAGE_KEY = 'codebind.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Maps a BCP 47 tag to a supported locale: zh* → zh-CN, anything else → en. */
export function matchLocale(tag: string | undefined | null): Locale {
  return tag && tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage may be unavailable; fall back to the browser language.
  }
  return matchLocale(globalThis.navigator?.language);
}

export const locale = writable<Locale>(initialLocale());

locale.subscribe((value) => {
  if (typeof document !== 'undefined') document.documentElement.lang = value;
});

export function setLocale(value: Locale): void {
  locale.set(value);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, value);
  } catch {
    // Not persisted; the choice still applies to this session.
  }
}

/** The name of each locale in its own language, for the switcher. */
export function localeName(value: Locale): string {
  return catalogs[value]['language.name'];
}

function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

export function translate(lang: Locale, key: MessageKey | PluralKey, params?: Params): string {
  const catalog: Record<string, string> = catalogs[lang];
  let template = catalog[key];
  if (template === undefined && typeof params?.count === 'number') {
    const form = pluralRules(lang).select(params.count);
    template = catalog[`${key}.${form}`] ?? catalog[`${key}.other`];
  }
  return interpolate(template ?? key, params);
}

export const t = derived(
  locale,
  ($locale): Translate =>
    (key, params) =>
      translate($locale, key, params),
);

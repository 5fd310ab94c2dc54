// Locale-aware date helpers built on Intl (no dependencies, CSP-safe).
import type { Locale } from './i18n';
import { dateTimeFormat, relativeTimeFormat } from './intl';

const DAY = 24 * 3600;

// Minimum magnitude (seconds) at which each unit is used. Days run up to ~6
// weeks so that "expires in 12 days" reads exactly rather than "in 2 weeks".
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number, number]> = [
  ['year', 365 * DAY, 365 * DAY],
  ['month', 45 * DAY, 30 * DAY],
  ['day', DAY, DAY],
  ['hour', 3600, 3600],
  ['minute', 60, 60],
  ['second', 0, 1],
];

/** "in 12 days", "3 hours ago", "12天后", "3小时前" … relative to `now`. */
export function relativeTime(iso: string, lang: Locale, now: number = Date.now()): string {
  // The `now` store ticks once a minute; never let a just-written time read as in the future.
  const seconds = (Date.parse(iso) - Math.max(now, Date.now())) / 1000;
  const abs = Math.abs(seconds);
  const fmt = relativeTimeFormat(lang);
  for (const [unit, threshold, size] of UNITS) {
    if (abs >= threshold) return fmt.format(Math.round(seconds / size), unit);
  }
  return fmt.format(0, 'second');
}

export function formatDate(iso: string, lang: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat(lang, 'date').format(date);
}

export function formatDateTime(iso: string, lang: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat(lang, 'datetime').format(date);
}

export function isPast(iso: string, now: number = Date.now()): boolean {
  return Date.parse(iso) <= now;
}

/** `https://gitlab.example.com/` → `gitlab.example.com`; plain `http://` stays visible. */
export function displayHost(host: string): string {
  return host.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

import type { Locale } from './i18n';

export function formatCount(value: number, lang: Locale): string {
  return new Intl.NumberFormat(lang).format(value);
}

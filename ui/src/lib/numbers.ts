import type { Locale } from './i18n';
import { numberFormat } from './intl';

export function formatCount(value: number, lang: Locale): string {
  return numberFormat(lang).format(value);
}

// Cached Intl objects: constructing one costs far more than using it (a 200-row table formats
// hundreds of dates), so each locale + options pair is built once.
const cache = new Map<string, unknown>();

function cached<T>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

const DATE_STYLES = {
  date: { dateStyle: 'medium' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export function dateTimeFormat(lang: string, style: keyof typeof DATE_STYLES): Intl.DateTimeFormat {
  return cached(`dt|${lang}|${style}`, () => new Intl.DateTimeFormat(lang, DATE_STYLES[style]));
}

export function relativeTimeFormat(lang: string): Intl.RelativeTimeFormat {
  return cached(`rt|${lang}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
}

export function numberFormat(lang: string): Intl.NumberFormat {
  return cached(`nf|${lang}`, () => new Intl.NumberFormat(lang));
}

export function pluralRules(lang: string): Intl.PluralRules {
  return cached(`pr|${lang}`, () => new Intl.PluralRules(lang));
}

/** The runtime's default collation, as `a.localeCompare(b)` uses; `base`: case and accents ignored. */
export function collator(sensitivity: 'variant' | 'base' = 'variant'): Intl.Collator {
  return cached(`co|${sensitivity}`, () => new Intl.Collator(undefined, { sensitivity }));
}

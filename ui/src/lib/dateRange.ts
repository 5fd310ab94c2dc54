// A day range from two <input type="date"> values (YYYY-MM-DD, the user's local days).

export type DayRange = {
  /** Epoch ms of the first day's start, or null for no lower bound. */
  from: number | null;
  /** Epoch ms just after the last day (the next day's start), or null for no upper bound. */
  to: number | null;
};

function dayStart(value: string, plusDays = 0): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).getTime();
  return Number.isNaN(t) ? null : t;
}

export function dayRange(from: string, to: string): DayRange {
  return { from: dayStart(from), to: dayStart(to, 1) };
}

export function isBounded(range: DayRange): boolean {
  return range.from !== null || range.to !== null;
}

export function inRange(iso: string, range: DayRange): boolean {
  const t = Date.parse(iso);
  return (range.from === null || t >= range.from) && (range.to === null || t < range.to);
}

/** Advertiser time-zone arithmetic on epoch minutes, cached (Intl is slow). */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC in minutes at the given epoch minute (cached per UTC hour). */
export function offsetMinutes(tz: string, minute: number): number {
  const hour = Math.floor(minute / 60);
  const key = `${tz}|${hour}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(hour * 3_600_000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
  const offset = Math.round(asUtc / 60_000) - hour * 60;
  offsetCache.set(key, offset);
  return offset;
}

/** Local wall-clock minute (epoch minutes as if the local time were UTC). */
export function toLocalMinute(tz: string, minute: number): number {
  return minute + offsetMinutes(tz, minute);
}

/** Epoch minute of local midnight starting the given local date `YYYY-MM-DD`. */
export function localDayStart(tz: string, date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 60_000;
  let guess = wall - offsetMinutes(tz, wall);
  guess = wall - offsetMinutes(tz, guess);
  return guess;
}

/** Local date `YYYY-MM-DD` that contains the epoch minute. */
export function localDate(tz: string, minute: number): string {
  return new Date(toLocalMinute(tz, minute) * 60_000).toISOString().slice(0, 10);
}

/** Epoch minute of the local midnight at or before `minute`. */
export function startOfLocalDay(tz: string, minute: number): number {
  return localDayStart(tz, localDate(tz, minute));
}

/** Epoch minute of the first local midnight strictly after `minute`. */
export function nextLocalMidnight(tz: string, minute: number): number {
  const local = toLocalMinute(tz, minute);
  const nextDate = new Date((Math.floor(local / 1440) + 1) * 86_400_000).toISOString().slice(0, 10);
  return localDayStart(tz, nextDate);
}

/** Epoch minute of the start of the local hour containing `minute`. */
export function startOfLocalHour(tz: string, minute: number): number {
  const local = toLocalMinute(tz, minute);
  return minute - (((local % 60) + 60) % 60);
}

/** `YYYY-MM-DD HH:MM:SS` in local time. */
export function localTimestamp(tz: string, minute: number): string {
  return new Date(toLocalMinute(tz, minute) * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DD HH:MM:SS` in UTC from epoch milliseconds. */
export function utcTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** Whole days from date a to date b (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * Wall-clock arithmetic in an advertiser's time zone, with Intl only (no time-zone tables of our
 * own). TikTok reports days and hours in the ad account's zone, so every window, schedule and
 * daypart is decided on that zone's wall clock, never on the browser's.
 *
 * Dates are `YYYY-MM-DD` strings; date arithmetic runs on UTC midnights so it never meets a DST gap.
 */

/** One moment as the advertiser's wall clock shows it. */
export interface ZonedTime {
  /** `YYYY-MM-DD` */
  date: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday, as `Date.getDay`. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True if the runtime knows the IANA zone name (e.g. `Asia/Tokyo`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` of a UTC calendar day given by its parts. */
export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** The wall clock of `timeZone` at epoch milliseconds `ms`. Throws RangeError for an unknown zone. */
export function zonedTime(ms: number, timeZone: string): ZonedTime {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value) % 24;
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      default:
        break;
    }
  }
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { date: formatDate(year, month, day), year, month, day, hour, minute, second, weekday };
}

/** `YYYY-MM-DD HH:00:00`: the label TikTok gives the hour row that contains this wall-clock time. */
export function hourLabel(t: ZonedTime): string {
  return `${t.date} ${pad2(t.hour)}:00:00`;
}

/** The date `n` days after `date` (n may be negative). */
export function addDays(date: string, n: number): string {
  const ms = dateToWallMs(date) + n * 86_400_000;
  const d = new Date(ms);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Milliseconds of the wall-clock midnight of `date`, counted as if the wall clock were UTC. */
export function dateToWallMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A zone-local `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`) as wall-clock milliseconds: the same digits
 * read as UTC. Differences between two such values ignore DST shifts by design. NaN-free: an
 * invalid string gives undefined.
 */
export function wallMs(timestamp: string): number | undefined {
  const m = TIMESTAMP.exec(timestamp);
  if (!m) return undefined;
  const num = (i: number): number => Number(m[i] ?? 0);
  const [y, mo, d, h, mi, s] = [num(1), num(2), num(3), num(4), num(5), num(6)] as const;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  if (check.getUTCDate() !== d) return undefined;
  return ms;
}

/** Wall-clock milliseconds back to `YYYY-MM-DD HH:MM:SS`. */
export function formatWallMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

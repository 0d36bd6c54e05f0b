/**
 * Calendar days and hours in the ad account's time zone (`advertiser/info` → `timezone`), the zone
 * TikTok's reports use for `start_date`/`end_date`, `stat_time_day` and a daily budget's "today".
 *
 * Zones are IANA names (`America/Los_Angeles`, `Etc/GMT+8`, case-insensitive) read through `Intl`;
 * fixed offsets written `UTC+08:00`, `GMT-3`, `+05:30` are also accepted and computed directly.
 * Note the POSIX sign of `Etc/GMT±N`: `Etc/GMT+8` is eight hours *behind* UTC.
 *
 * An unknown zone throws `TimeZoneError` rather than falling back to UTC: a silent fallback would
 * put spend on the wrong day and make "today's spend" (and so a daily budget's remaining budget)
 * wrong without anyone noticing. Callers that prefer UTC with a note check `isValidTimeZone` first.
 */

/** A time zone the ledger cannot use. The message names the zone and what is accepted. */
export class TimeZoneError extends RangeError {
  readonly timeZone: string;
  constructor(timeZone: string) {
    super(
      `Unknown time zone "${timeZone}": expected an IANA name such as "America/Los_Angeles" or "Etc/GMT+8", or an offset such as "UTC+08:00".`,
    );
    this.name = 'TimeZoneError';
    this.timeZone = timeZone;
  }
}

/** A resolved zone: an Intl formatter for IANA names, or a fixed offset in minutes east of UTC. */
type Zone = { kind: 'intl'; format: Intl.DateTimeFormat } | { kind: 'offset'; minutes: number };

const OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const zones = new Map<string, Zone>();

function resolveZone(timeZone: string): Zone {
  const cached = zones.get(timeZone);
  if (cached) return cached;
  const text = timeZone.trim();
  let zone: Zone;
  const offset = OFFSET.exec(text);
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3] ?? '0');
    if (hours > 14 || minutes > 59) throw new TimeZoneError(timeZone);
    zone = { kind: 'offset', minutes: (offset[1] === '-' ? -1 : 1) * (hours * 60 + minutes) };
  } else {
    if (text === '') throw new TimeZoneError(timeZone);
    try {
      zone = {
        kind: 'intl',
        format: new Intl.DateTimeFormat('en-US', {
          timeZone: text,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          hourCycle: 'h23',
        }),
      };
    } catch {
      throw new TimeZoneError(timeZone);
    }
  }
  zones.set(timeZone, zone);
  return zone;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
}

function localParts(epochMs: number, timeZone: string): LocalParts {
  if (!Number.isFinite(epochMs)) throw new RangeError(`Not a time: ${epochMs}`);
  const zone = resolveZone(timeZone);
  if (zone.kind === 'offset') {
    const d = new Date(epochMs + zone.minutes * 60_000);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours() };
  }
  const parts: Record<string, number> = {};
  for (const p of zone.format.formatToParts(epochMs)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour')
      parts[p.type] = Number(p.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: (parts.hour ?? 0) % 24 };
}

/** Whether `timeZone` is one the ledger can use (the other functions throw `TimeZoneError` otherwise). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    resolveZone(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar day (`YYYY-MM-DD`) at `epochMs` in `timeZone`, as TikTok's reports date it. */
export function dayInZone(epochMs: number, timeZone: string): string {
  const { year, month, day } = localParts(epochMs, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The hour of the day (0–23) at `epochMs` in `timeZone`, as `stat_time_hour` buckets it. */
export function hourInZone(epochMs: number, timeZone: string): number {
  return localParts(epochMs, timeZone).hour;
}

/** Whether `aMs` and `bMs` fall on different calendar days in `timeZone` (in either order). */
export function crossesDay(aMs: number, bMs: number, timeZone: string): boolean {
  return dayInZone(aMs, timeZone) !== dayInZone(bMs, timeZone);
}

/** Whole calendar days from day `from` to day `to` (`YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const parse = (day: string): number => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    if (!m) throw new RangeError(`Not a YYYY-MM-DD day: "${day}"`);
    return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  };
  return Math.round((parse(to) - parse(from)) / 86_400_000);
}

/**
 * Days and hours on the advertiser's wall clock, shared by rule schedules, dayparting and the
 * conflict check. A week is 168 hour slots (`weekday × 24 + hour`, Sunday first).
 */
import type { Hours, Schedule } from './schema';
import type { ZonedTime } from './zone';

export const WEEK_SLOTS = 168;
export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** True if hour `h` (0–23) is in `[start, end)`; `start > end` wraps past midnight. */
export function hoursContain(hours: Hours, h: number): boolean {
  const [start, end] = hours;
  return start < end ? h >= start && h < end : h >= start || h < end;
}

/** The week's slots covered by `days` × `hours`. */
export function weekMask(days: readonly number[], hours: Hours): Uint8Array {
  const mask = new Uint8Array(WEEK_SLOTS);
  for (const d of days) {
    if (!Number.isInteger(d) || d < 0 || d > 6) continue;
    for (let h = 0; h < 24; h++) if (hoursContain(hours, h)) mask[d * 24 + h] = 1;
  }
  return mask;
}

/** The slots not in `mask`. */
export function invertMask(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(WEEK_SLOTS);
  for (let i = 0; i < WEEK_SLOTS; i++) out[i] = mask[i] ? 0 : 1;
  return out;
}

/** First slot in both masks, or -1. */
export function firstSharedSlot(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < WEEK_SLOTS; i++) if (a[i] && b[i]) return i;
  return -1;
}

/** True when every hour of every day is covered. */
export function isAlways(mask: Uint8Array): boolean {
  for (let i = 0; i < WEEK_SLOTS; i++) if (!mask[i]) return false;
  return true;
}

/** "Mon 09:00–10:00" for a slot. */
export function slotLabel(slot: number): string {
  const day = DAY_NAMES[Math.floor(slot / 24)] ?? '?';
  const h = slot % 24;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day} ${two(h)}:00–${two(h + 1)}:00`;
}

/** True if the wall-clock time falls in the days and hours. */
export function isInside(days: readonly number[], hours: Hours, t: ZonedTime): boolean {
  return days.includes(t.weekday) && hoursContain(hours, t.hour);
}

/** Alarms may wake a little early or late; a run this close to due counts as due. */
export const DUE_TOLERANCE_MS = 5_000;

/** True if a rule checked last at `lastRunAt` (ms, or undefined for never) should run at `now`. */
export function isDue(schedule: Pick<Schedule, 'everyMinutes'>, lastRunAt: number | undefined, now: number): boolean {
  if (lastRunAt === undefined || !Number.isFinite(lastRunAt)) return true;
  return now - lastRunAt >= schedule.everyMinutes * 60_000 - DUE_TOLERANCE_MS;
}

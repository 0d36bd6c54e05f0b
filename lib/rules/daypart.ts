/**
 * Dayparting: chosen objects run only inside chosen days and hours of the advertiser's wall clock.
 * Outside, they are paused; inside, resumed, but only what a rule paused: an object a person (or
 * the emergency stop) paused, or that was paused outside SafePause, stays paused. An object already
 * in the wanted state is left alone.
 *
 * Time zones: the hour is read from Intl in the advertiser's zone at `now`, so DST needs no special
 * case: on a spring-forward day the skipped hour simply never occurs (a window [2, 4) in New York
 * runs 03:00–04:00 that day), and on a fall-back day the repeated hour is inside twice.
 */
import { flapLimited, recentToggles } from './conflicts';
import type { RuleObject } from './evaluate';
import { isInside } from './schedule';
import type { DaypartSchedule, FlapLimit } from './schema';
import { isValidTimeZone, zonedTime } from './zone';

export type DesiredState = 'on' | 'off';

/** Whether the objects should be running at `now` (throws RangeError for an unknown zone). */
export function daypartDesiredState(
  schedule: Pick<DaypartSchedule, 'days' | 'hours'>,
  now: number,
  timeZone: string,
): DesiredState {
  return isInside(schedule.days, schedule.hours, zonedTime(now, timeZone)) ? 'on' : 'off';
}

/**
 * The first moment after `now` (ms) when the desired state changes, checked at local hour starts
 * for up to 8 days; undefined if it never changes (every hour on, or none).
 */
export function nextDaypartChange(
  schedule: Pick<DaypartSchedule, 'days' | 'hours'>,
  now: number,
  timeZone: string,
): number | undefined {
  const t = zonedTime(now, timeZone);
  const current = isInside(schedule.days, schedule.hours, t);
  let edge = now - ((t.minute * 60 + t.second) * 1000 + (((now % 1000) + 1000) % 1000));
  for (let i = 0; i < 8 * 24 + 2; i++) {
    edge += 3_600_000;
    if (isInside(schedule.days, schedule.hours, zonedTime(edge, timeZone)) !== current) return edge;
  }
  return undefined;
}

export type DaypartDecisionKind =
  | 'pause'
  | 'resume'
  | 'already-in-state'
  | 'protected'
  | 'flap-limited'
  | 'not-found'
  | 'not-evaluable';

export interface DaypartDecision {
  scheduleId: string;
  objectId: string;
  desired: DesiredState | undefined;
  decision: DaypartDecisionKind;
  reason: string;
}

export type DaypartObject = Pick<
  RuleObject,
  'id' | 'level' | 'advertiserId' | 'operationStatus' | 'pausedBy' | 'lastToggles'
>;

/**
 * What the schedule wants done at `now` for each of its objects, in the schedule's order. Only
 * `pause` and `resume` are to be sent; the other decisions say why an object is left alone. A
 * disabled schedule yields nothing.
 */
export function daypartActions(
  schedule: DaypartSchedule,
  objects: readonly DaypartObject[],
  now: number,
  timeZone: string,
  options: { flapLimit?: FlapLimit } = {},
): DaypartDecision[] {
  if (!schedule.enabled) return [];
  const byId = new Map<string, DaypartObject>();
  for (const o of objects) {
    if (o.level === schedule.level && o.advertiserId === schedule.advertiserId) byId.set(o.id, o);
  }
  const scheduleId = schedule.id;
  if (!isValidTimeZone(timeZone)) {
    return schedule.objectIds.map((objectId) => ({
      scheduleId,
      objectId,
      desired: undefined,
      decision: 'not-evaluable',
      reason: `The time zone "${timeZone}" of advertiser ${schedule.advertiserId} is not known`,
    }));
  }
  const t = zonedTime(now, timeZone);
  const desired: DesiredState = isInside(schedule.days, schedule.hours, t) ? 'on' : 'off';
  const clock = `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.weekday]} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')} in ${timeZone}`;
  const where = desired === 'on' ? `inside the schedule (${clock})` : `outside the schedule (${clock})`;
  const out: DaypartDecision[] = [];
  for (const objectId of schedule.objectIds) {
    const o = byId.get(objectId);
    const push = (decision: DaypartDecisionKind, reason: string) =>
      out.push({ scheduleId, objectId, desired, decision, reason });
    if (!o) {
      push('not-found', `Not among the ${schedule.level}s of advertiser ${schedule.advertiserId} (deleted?)`);
      continue;
    }
    if (desired === 'off') {
      if (o.operationStatus !== 'ENABLE') {
        push('already-in-state', `Already off, ${where}`);
        continue;
      }
    } else {
      if (o.operationStatus === 'ENABLE') {
        push('already-in-state', `Already on, ${where}`);
        continue;
      }
      if (o.operationStatus === 'FROZEN') {
        push('protected', 'Frozen by TikTok: it cannot be turned back on');
        continue;
      }
      if (o.operationStatus !== 'DISABLE') {
        push('protected', `Its status is ${o.operationStatus}; left alone`);
        continue;
      }
      if (o.pausedBy !== 'rule') {
        const who =
          o.pausedBy === 'user'
            ? 'a person paused it'
            : o.pausedBy === 'emergency'
              ? 'the emergency stop paused it'
              : 'it was paused outside SafePause (perhaps by a person)';
        push('protected', `Not resumed ${where}: ${who}, and a schedule never undoes that`);
        continue;
      }
    }
    if (options.flapLimit && flapLimited(o.lastToggles, now, options.flapLimit)) {
      const n = recentToggles(o.lastToggles, now, options.flapLimit.perHours);
      push(
        'flap-limited',
        `Switched ${n} times in the last ${options.flapLimit.perHours} h (limit ${options.flapLimit.maxToggles}): left alone`,
      );
      continue;
    }
    push(desired === 'on' ? 'resume' : 'pause', desired === 'on' ? `Resume: ${where}` : `Pause: ${where}`);
  }
  return out;
}

/**
 * Rules that would fight, and objects toggled too often.
 *
 * `findConflicts` warns when something that pauses and something that resumes can act on the same
 * objects at the same hours: same level, overlapping advertisers, overlapping scope, and a shared
 * hour of the week. A pause rule is active in its schedule; a resume rule in its schedule; a
 * dayparting schedule resumes inside its hours and pauses outside them. Disabled rules and
 * schedules, and flag rules, never conflict.
 *
 * Scope overlap is `certain` when it follows from the scopes alone (all objects, shared IDs, one
 * name text containing the other) and `possible` when it depends on names the check cannot see
 * (two unrelated name texts, or a name text against an ID list).
 */
import type { Level } from '../api/ids';
import { firstSharedSlot, invertMask, slotLabel, weekMask } from './schedule';
import type { DaypartSchedule, FlapLimit, Rule } from './schema';
import { LEVEL_PLURAL } from './schema';

// ---------------------------------------------------------------------------------------------
// Flap limit

/** Toggles (ms timestamps) in `(now − perHours, now]`. */
export function recentToggles(toggles: readonly number[] | undefined, now: number, perHours: number): number {
  if (!toggles) return 0;
  const since = now - perHours * 3_600_000;
  let n = 0;
  for (const t of toggles) if (t > since && t <= now) n++;
  return n;
}

/** True if the object was toggled `maxToggles` times or more within the last `perHours`: no more toggles now. */
export function flapLimited(toggles: readonly number[] | undefined, now: number, limit: FlapLimit): boolean {
  return recentToggles(toggles, now, limit.perHours) >= limit.maxToggles;
}

// ---------------------------------------------------------------------------------------------
// Conflicts

export interface ConflictParty {
  type: 'rule' | 'daypart';
  id: string;
  name: string;
}

export interface Conflict {
  /** Who pauses (a pause rule, or a dayparting schedule outside its hours). */
  pauser: ConflictParty;
  /** Who resumes (a resume rule, or a dayparting schedule inside its hours). */
  resumer: ConflictParty;
  level: Level;
  certainty: 'certain' | 'possible';
  /** The objects both can act on, where the scopes say so (ID lists). */
  objectIds?: string[];
  /** The first shared hour, e.g. "Mon 09:00–10:00", in the advertiser's time zone. */
  when: string;
  message: string;
}

type Target = { kind: 'all' } | { kind: 'name'; text: string } | { kind: 'ids'; ids: ReadonlySet<string> };

interface Actor {
  party: ConflictParty;
  level: Level;
  /** null: every advertiser. */
  advertisers: ReadonlySet<string> | null;
  target: Target;
  /** Hours it may pause / resume. */
  pauses: Uint8Array | null;
  resumes: Uint8Array | null;
  /** Words for its scope, e.g. `campaigns whose name contains "US"`. */
  describe: string;
}

function foldName(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

function ruleActor(rule: Rule): Actor | null {
  if (!rule.enabled || rule.action === 'flag') return null;
  const mask = weekMask(rule.schedule.days, rule.schedule.hours);
  const match = rule.scope.match;
  const target: Target =
    match.kind === 'all'
      ? { kind: 'all' }
      : match.kind === 'ids'
        ? { kind: 'ids', ids: new Set(match.ids) }
        : { kind: 'name', text: foldName(match.text) };
  const plural = LEVEL_PLURAL[rule.scope.level];
  const describe =
    match.kind === 'all'
      ? `all ${plural}`
      : match.kind === 'ids'
        ? `${match.ids.length} listed ${plural}`
        : `${plural} whose name contains "${match.text}"`;
  return {
    party: { type: 'rule', id: rule.id, name: rule.name },
    level: rule.scope.level,
    advertisers: rule.advertiserIds.length === 0 ? null : new Set(rule.advertiserIds),
    target,
    pauses: rule.action === 'pause' ? mask : null,
    resumes: rule.action === 'resume' ? mask : null,
    describe,
  };
}

function daypartActor(schedule: DaypartSchedule): Actor | null {
  if (!schedule.enabled) return null;
  const inside = weekMask(schedule.days, schedule.hours);
  return {
    party: { type: 'daypart', id: schedule.id, name: schedule.name },
    level: schedule.level,
    advertisers: new Set([schedule.advertiserId]),
    target: { kind: 'ids', ids: new Set(schedule.objectIds) },
    pauses: invertMask(inside),
    resumes: inside,
    describe: `${schedule.objectIds.length} scheduled ${LEVEL_PLURAL[schedule.level]}`,
  };
}

function advertisersOverlap(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): boolean {
  if (a === null || b === null) return true;
  for (const id of a) if (b.has(id)) return true;
  return false;
}

/** How two scopes overlap: null when they cannot share an object. */
function targetsOverlap(a: Target, b: Target): { certainty: 'certain' | 'possible'; objectIds?: string[] } | null {
  if (a.kind === 'ids' && b.kind === 'ids') {
    const shared = [...a.ids].filter((id) => b.ids.has(id));
    return shared.length > 0 ? { certainty: 'certain', objectIds: shared } : null;
  }
  if (a.kind === 'all' || b.kind === 'all') {
    const ids = a.kind === 'ids' ? a.ids : b.kind === 'ids' ? b.ids : null;
    return ids ? { certainty: 'certain', objectIds: [...ids] } : { certainty: 'certain' };
  }
  if (a.kind === 'name' && b.kind === 'name') {
    return a.text.includes(b.text) || b.text.includes(a.text) ? { certainty: 'certain' } : { certainty: 'possible' };
  }
  return { certainty: 'possible' };
}

function partyWords(actor: Actor, role: 'pauses' | 'resumes', first: boolean): string {
  if (actor.party.type === 'rule') {
    const kind = role === 'pauses' ? 'pause' : 'resume';
    return `${first ? kind[0]?.toUpperCase() + kind.slice(1) : kind} rule "${actor.party.name}"`;
  }
  const where = role === 'pauses' ? 'outside its hours' : 'inside its hours';
  return `${first ? 'Dayparting' : 'dayparting'} "${actor.party.name}" (${where})`;
}

function check(pauser: Actor, resumer: Actor): Conflict | null {
  if (pauser.party.type === resumer.party.type && pauser.party.id === resumer.party.id) return null;
  if (!pauser.pauses || !resumer.resumes) return null;
  if (pauser.level !== resumer.level) return null;
  if (!advertisersOverlap(pauser.advertisers, resumer.advertisers)) return null;
  const overlap = targetsOverlap(pauser.target, resumer.target);
  if (!overlap) return null;
  const slot = firstSharedSlot(pauser.pauses, resumer.resumes);
  if (slot < 0) return null;
  const when = slotLabel(slot);
  const plural = LEVEL_PLURAL[pauser.level];
  const ids = overlap.objectIds;
  const scopes = pauser.describe === resumer.describe ? pauser.describe : `${pauser.describe} / ${resumer.describe}`;
  const what =
    ids !== undefined
      ? `the same ${ids.length} ${plural} (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`
      : `the same ${plural} (${scopes})`;
  const verb = overlap.certainty === 'certain' ? 'can both act on' : 'may both act on';
  const message =
    `${partyWords(pauser, 'pauses', true)} and ${partyWords(resumer, 'resumes', false)} ${verb} ${what} ` +
    `at the same hours, e.g. ${when}: one would undo the other. Narrow the scope or the hours of one of them.`;
  return {
    pauser: pauser.party,
    resumer: resumer.party,
    level: pauser.level,
    certainty: overlap.certainty,
    ...(overlap.objectIds !== undefined ? { objectIds: overlap.objectIds } : {}),
    when,
    message,
  };
}

/** Every pair of pauser and resumer that can act on the same objects at the same hour of the week. */
export function findConflicts(rules: readonly Rule[], dayparts: readonly DaypartSchedule[] = []): Conflict[] {
  const actors: Actor[] = [];
  for (const r of rules) {
    const a = ruleActor(r);
    if (a) actors.push(a);
  }
  for (const d of dayparts) {
    const a = daypartActor(d);
    if (a) actors.push(a);
  }
  const out: Conflict[] = [];
  for (const p of actors) {
    if (!p.pauses) continue;
    for (const r of actors) {
      if (p === r || !r.resumes) continue;
      const c = check(p, r);
      if (c) out.push(c);
    }
  }
  return out;
}
